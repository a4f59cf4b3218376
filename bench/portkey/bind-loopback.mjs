// Preloaded into Portkey's Node process (node --import): Portkey's start-server.js calls
// serve({ fetch, port }) without a hostname, so Node would listen on all interfaces. This makes
// any listen() without an explicit host bind to 127.0.0.1 instead; the benchmark must not
// expose anything beyond loopback.
import net from "node:net";

const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  const first = args[0];
  const isPort = typeof first === "number" || (typeof first === "string" && /^\d+$/.test(first));
  if (isPort) {
    if (args.length < 2 || args[1] === undefined || args[1] === null) args[1] = "127.0.0.1";
    else if (typeof args[1] === "function") args.splice(1, 0, "127.0.0.1");
  } else if (first && typeof first === "object" && first.path === undefined && !first.host) {
    args[0] = { ...first, host: "127.0.0.1" };
  }
  return listen.apply(this, args);
};

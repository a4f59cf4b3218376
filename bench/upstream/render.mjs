// Renders nginx.conf.in into PREFIX/nginx.conf and copies the two event streams next to it:
//   node render.mjs PREFIX JSON_PORT SSE_PORT MSG_JSON_PORT MSG_SSE_PORT
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const [prefix, jsonPort, ssePort, msgJsonPort, msgSsePort] = process.argv.slice(2);
if (!prefix || !jsonPort || !ssePort || !msgJsonPort || !msgSsePort) {
  throw new Error("usage: node render.mjs PREFIX JSON_PORT SSE_PORT MSG_JSON_PORT MSG_SSE_PORT");
}
const body = (name) => {
  const json = readFileSync(join(here, name), "utf8").trimEnd();
  // nginx would interpolate $ and treat ' and \ specially inside the quoted return text.
  if (/[$'\\]/.test(json)) throw new Error(`${name} must not contain $, ' or \\`);
  return json;
};
const conf = readFileSync(join(here, "nginx.conf.in"), "utf8")
  .replaceAll("@PREFIX@", () => prefix)
  .replaceAll("@JSON_PORT@", () => jsonPort)
  .replaceAll("@SSE_PORT@", () => ssePort)
  .replaceAll("@MSG_JSON_PORT@", () => msgJsonPort)
  .replaceAll("@MSG_SSE_PORT@", () => msgSsePort)
  .replaceAll("@JSON_BODY@", () => body("chat.json"))
  .replaceAll("@MSG_JSON_BODY@", () => body("messages.json"));
mkdirSync(prefix, { recursive: true });
writeFileSync(join(prefix, "nginx.conf"), conf);
for (const f of ["chat.sse", "messages.sse"]) copyFileSync(join(here, f), join(prefix, f));

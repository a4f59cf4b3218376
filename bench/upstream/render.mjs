// Renders nginx.conf.in into PREFIX/nginx.conf and copies chat.sse next to it:
//   node render.mjs PREFIX JSON_PORT SSE_PORT
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const [prefix, jsonPort, ssePort] = process.argv.slice(2);
if (!prefix || !jsonPort || !ssePort) throw new Error("usage: node render.mjs PREFIX JSON_PORT SSE_PORT");
const json = readFileSync(join(here, "chat.json"), "utf8").trimEnd();
// nginx would interpolate $ and treat ' and \ specially inside the quoted return text.
if (/[$'\\]/.test(json)) throw new Error("chat.json must not contain $, ' or \\");
const conf = readFileSync(join(here, "nginx.conf.in"), "utf8")
  .replaceAll("@PREFIX@", () => prefix)
  .replaceAll("@JSON_PORT@", () => jsonPort)
  .replaceAll("@SSE_PORT@", () => ssePort)
  .replaceAll("@JSON_BODY@", () => json);
mkdirSync(prefix, { recursive: true });
writeFileSync(join(prefix, "nginx.conf"), conf);
copyFileSync(join(here, "chat.sse"), join(prefix, "chat.sse"));

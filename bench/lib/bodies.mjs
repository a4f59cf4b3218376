// Writes the request bodies of the body-size cases: wrk/request.json with its user message padded
// with plain English prose until the whole body is the given size (the way a long prompt grows).
//   node bodies.mjs OUT_DIR SIZE_KB...      writes OUT_DIR/request-<N>k.json for each size
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const [outDir, ...sizes] = process.argv.slice(2);
if (!outDir || sizes.length === 0) throw new Error("usage: node bodies.mjs OUT_DIR SIZE_KB...");
const base = JSON.parse(readFileSync(join(here, "..", "wrk", "request.json"), "utf8"));
const prose = "Roads with toll gates charge each driver a fee at a checkpoint, and the money pays for building " +
  "the road, keeping its surface in repair, lighting it at night and clearing it of snow in winter. ";
mkdirSync(outDir, { recursive: true });
for (const kb of sizes.map(Number)) {
  const target = kb * 1024;
  const question = base.messages.at(-1).content;
  const size = (pad) => {
    base.messages.at(-1).content = pad + question;
    return Buffer.byteLength(JSON.stringify(base));
  };
  let pad = "";
  while (size(pad + prose) <= target) pad += prose;
  // Fill the last few bytes exactly, so the body is the size its name says.
  pad += prose.slice(0, target - size(pad));
  const body = JSON.stringify((size(pad), base));
  if (Buffer.byteLength(body) !== target) throw new Error(`body of ${kb} KB came out at ${Buffer.byteLength(body)} bytes`);
  writeFileSync(join(outDir, `request-${kb}k.json`), body);
}

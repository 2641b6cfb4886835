#!/usr/bin/env node
// Regenerates src/**/*.generated.ts from the JSON Schemas in schemas/.
// `node scripts/gen-types.mjs --check` exits 1 when a generated file is stale.
import { readFile, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { compile } from "json-schema-to-typescript";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const targets = [
  { schema: "schemas/wlsyncrc.schema.json", out: "src/config/wlsyncrc.generated.ts" },
  { schema: "schemas/sync-commands.json", out: "src/daemon/sync-commands.generated.ts" },
];
const banner = "/* Generated from the JSON Schema by scripts/gen-types.mjs (json-schema-to-typescript). Do not edit. */";
const check = process.argv.includes("--check");
let stale = 0;
for (const { schema, out } of targets) {
  const json = JSON.parse(await readFile(join(root, schema), "utf8"));
  const ts = await compile(json, json.title, { bannerComment: banner, additionalProperties: false, style: { singleQuote: false } });
  const path = join(root, out);
  const current = await readFile(path, "utf8").catch(() => "");
  if (current === ts) continue;
  if (check) {
    console.error(`${out} is stale: run pnpm gen:types`);
    stale++;
  } else {
    await writeFile(path, ts);
    console.log(`wrote ${out}`);
  }
}
process.exit(stale ? 1 : 0);

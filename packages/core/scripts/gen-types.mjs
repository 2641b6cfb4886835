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
  {
    schema: "schemas/sync-commands.json",
    out: "src/daemon/sync-commands.generated.ts",
    // The replies' definitions are not reachable from the root (a request); their counters,
    // conflicts and errors are the plugin API's types (`tsType` in the schema).
    unreachableDefinitions: true,
    imports: 'import type { AppliedChange, Conflict, ItemError, ResolvedConflict, SyncCounters } from "@wlsync/plugin-api";',
  },
];
const banner = "/* Generated from the JSON Schema by scripts/gen-types.mjs (json-schema-to-typescript). Do not edit. */";
const check = process.argv.includes("--check");
let stale = 0;
for (const { schema, out, unreachableDefinitions = false, imports } of targets) {
  const json = JSON.parse(await readFile(join(root, schema), "utf8"));
  const bannerComment = imports ? `${banner}\n\n${imports}` : banner;
  const ts = await compile(json, json.title, { bannerComment, additionalProperties: false, unreachableDefinitions, style: { singleQuote: false } });
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

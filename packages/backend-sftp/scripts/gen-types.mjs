#!/usr/bin/env node
// Regenerates src/sftp-options.generated.ts from schemas/sftp-options.schema.json.
// `node scripts/gen-types.mjs --check` exits 1 when the generated file is stale.
import { readFile, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { compile } from "json-schema-to-typescript";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const banner = "/* Generated from schemas/sftp-options.schema.json by scripts/gen-types.mjs (json-schema-to-typescript). Do not edit. */";
const json = JSON.parse(await readFile(join(root, "schemas/sftp-options.schema.json"), "utf8"));
const ts = await compile(json, json.title, { bannerComment: banner, additionalProperties: false, style: { singleQuote: false } });
const out = join(root, "src/sftp-options.generated.ts");
const current = await readFile(out, "utf8").catch(() => "");
if (current !== ts) {
  if (process.argv.includes("--check")) {
    console.error("src/sftp-options.generated.ts is stale: run pnpm --filter @wlsync/backend-sftp gen:types");
    process.exit(1);
  }
  await writeFile(out, ts);
  console.log("wrote src/sftp-options.generated.ts");
}

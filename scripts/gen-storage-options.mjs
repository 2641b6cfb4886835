#!/usr/bin/env node
// Each backend owns the options of its storages: packages/*/schemas/storage-options.schema.json
// is the source of truth. From it this script writes, beside the backend's code:
//   src/storage-options.generated.ts           the options' TypeScript types (json-schema-to-typescript)
//   src/storage-options.validate.generated.ts  the schema and its ajv standalone validator, which
//                                              the backend class exposes as OPTIONS_SCHEMA and
//                                              validateOptions (no ajv at run time, no dependency)
// `node scripts/gen-storage-options.mjs --check` exits 1 when a generated file is stale.
import { createHash } from "node:crypto";
import { existsSync, readdirSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
// The generators are core's build tools (devDependencies there), not the backends'.
const fromCore = createRequire(join(root, "packages", "core", "package.json"));
const { compile } = fromCore("json-schema-to-typescript");
const { Ajv } = fromCore("ajv");
const standaloneCode = fromCore("ajv/dist/standalone").default;

// unicode: false measures string lengths with .length, so the code needs none of ajv's runtime helpers.
// (ajv calls `unicode` deprecated, hence logger: false; it still generates what is wanted.)
const AJV_OPTIONS = { allErrors: true, strict: true, allowUnionTypes: true, unicode: false, verbose: true, logger: false };
const EXPORTS = /export const validate = (validate\d+);\s*export default validate\d+;/;

function validatorCode(schemaText, name) {
  const ajv = new Ajv({ ...AJV_OPTIONS, code: { source: true, esm: true, lines: true } });
  ajv.addKeyword({ keyword: "tsType", schemaType: "string" }); // json-schema-to-typescript's type hint
  const code = standaloneCode(ajv, ajv.compile(JSON.parse(schemaText)));
  const fn = EXPORTS.exec(code)?.[1];
  if (!fn) throw new Error(`unexpected ajv standalone output for ${name}`);
  if (/\brequire\(/.test(code)) throw new Error(`${name}: the validator needs ajv at run time; keep to keywords that compile to plain code`);
  const digest = createHash("sha256").update(schemaText).update(JSON.stringify(AJV_OPTIONS)).digest("hex");
  return [
    `/* Generated from ${name} by scripts/gen-storage-options.mjs (ajv standalone). Do not edit. */`,
    `/* schema+options sha256: ${digest} */`,
    "// @ts-nocheck",
    'import type { JsonSchema, OptionsValidator } from "@wlsync/plugin-api";',
    "",
    code.replace(/^"use strict";/, "").replace(EXPORTS, "").trim(),
    "",
    "/** The JSON Schema of this backend's storage options (exposed as the class's OPTIONS_SCHEMA). */",
    `export const OPTIONS_SCHEMA: JsonSchema = ${JSON.stringify(JSON.parse(schemaText), null, 2)};`,
    "",
    "/** True when the options are valid; otherwise `validateOptions.errors` says why. */",
    `export const validateOptions = ${fn} as OptionsValidator;`,
    "",
  ].join("\n");
}

const banner = "/* Generated from schemas/storage-options.schema.json by scripts/gen-storage-options.mjs (json-schema-to-typescript). Do not edit. */";
const check = process.argv.includes("--check");
let stale = 0;
for (const pkg of readdirSync(join(root, "packages"))) {
  const dir = join(root, "packages", pkg);
  const schemaPath = join(dir, "schemas", "storage-options.schema.json");
  if (!existsSync(schemaPath)) continue;
  const text = await readFile(schemaPath, "utf8");
  const json = JSON.parse(text);
  const outputs = [
    ["src/storage-options.generated.ts", await compile(json, json.title, { bannerComment: banner, additionalProperties: false, style: { singleQuote: false } })],
    ["src/storage-options.validate.generated.ts", validatorCode(text, `packages/${pkg}/schemas/storage-options.schema.json`)],
  ];
  for (const [out, content] of outputs) {
    const path = join(dir, out);
    const current = await readFile(path, "utf8").catch(() => "");
    if (current === content) continue;
    if (check) {
      console.error(`packages/${pkg}/${out} is stale: run pnpm gen:types`);
      stale++;
    } else {
      await writeFile(path, content);
      console.log(`wrote packages/${pkg}/${out}`);
    }
  }
}
process.exit(stale ? 1 : 0);

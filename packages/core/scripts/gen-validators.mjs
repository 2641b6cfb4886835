#!/usr/bin/env node
// Compiles the JSON Schemas in schemas/ ahead of time into ajv standalone validators
// (src/**/*.validate.generated.ts), so `wl` does not load ajv and compile a schema at every
// start. The schemas stay the source of truth: the root `pnpm build` runs this first and it
// rewrites a validator only when its schema (or the ajv options) changed.
// `node scripts/gen-validators.mjs --check` exits 1 when a generated file is stale.
import { createHash } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv } from "ajv";
import standaloneCode from "ajv/dist/standalone/index.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const targets = [
  {
    schema: "schemas/wlsyncrc.schema.json",
    out: "src/config/wlsyncrc.validate.generated.ts",
    type: 'import("./wlsyncrc.generated.js").WlsyncConfig',
    options: { allErrors: true, strict: true, allowUnionTypes: true },
  },
  {
    schema: "schemas/sync-commands.json",
    out: "src/daemon/sync-commands.validate.generated.ts",
    type: 'import("./sync-commands.generated.js").SyncCommand',
    options: { allErrors: true, strict: true, discriminator: true },
  },
];

const EXPORTS = /export const validate = (validate\d+);\s*export default validate\d+;/;

function generate(schemaText, { schema, type, options }) {
  const ajv = new Ajv({ ...options, code: { source: true, esm: true, lines: true } });
  const code = standaloneCode(ajv, ajv.compile(JSON.parse(schemaText)));
  const name = EXPORTS.exec(code)?.[1];
  if (!name) throw new Error(`unexpected ajv standalone output for ${schema}`);
  const digest = createHash("sha256").update(schemaText).update(JSON.stringify(options)).digest("hex");
  return [
    `/* Generated from ${schema} by scripts/gen-validators.mjs (ajv standalone). Do not edit. */`,
    `/* schema+options sha256: ${digest} */`,
    "// @ts-nocheck",
    "import { createRequire } from \"node:module\";",
    "import type { ErrorObject } from \"ajv\";",
    "",
    "// ajv's runtime helpers (ucs2length...) are CommonJS, required by the generated code.",
    "const require = createRequire(import.meta.url);",
    "",
    code.replace(/^"use strict";/, "").replace(EXPORTS, "").trim(),
    "",
    `/** True when \`data\` is valid; otherwise \`validate.errors\` says why (ajv ErrorObjects). */`,
    `export const validate = ${name} as ((data: unknown) => data is ${type}) & { errors?: ErrorObject[] | null };`,
    "",
  ].join("\n");
}

const check = process.argv.includes("--check");
let stale = 0;
for (const target of targets) {
  const ts = generate(await readFile(join(root, target.schema), "utf8"), target);
  const path = join(root, target.out);
  const current = await readFile(path, "utf8").catch(() => "");
  if (current === ts) continue;
  if (check) {
    console.error(`${target.out} is stale: run pnpm gen:validators (or pnpm build)`);
    stale++;
  } else {
    await writeFile(path, ts);
    console.log(`wrote ${target.out}`);
  }
}
process.exit(stale ? 1 : 0);

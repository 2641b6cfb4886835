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
  {
    // What the daemon answers (the same file's definitions): the client checks every message
    // against DaemonMessage, then a result against its command's definition in CommandResults.
    schema: "schemas/sync-commands.json",
    out: "src/daemon/sync-replies.validate.generated.ts",
    refs: {
      validateMessage: ["DaemonMessage", 'import("./sync-commands.generated.js").DaemonMessage'],
      // One per kind of message, for messages that name precisely what is wrong.
      validateOkReply: ["OkReply", 'import("./sync-commands.generated.js").OkReply'],
      validateErrorReply: ["ErrorReply", 'import("./sync-commands.generated.js").ErrorReply'],
      validateEvent: ["DaemonEvent", 'import("./sync-commands.generated.js").DaemonEvent'],
      ...Object.fromEntries(
        Object.entries({
          start: "StartResult",
          stop: "StopResult",
          "stop-all": "StopResult",
          status: "StatusResult",
          "job-state": "JobStatus",
          "active-events": "ActiveEventsResult",
          resume: "ResumeResult",
          shutdown: "ShutdownResult",
          flush: "FlushResult",
        }).map(([cmd, definition]) => [`result_${cmd.replace("-", "_")}`, [definition, `import("./sync-commands.generated.js").CommandResults["${cmd}"]`]]),
      ),
    },
    options: { allErrors: false, strict: true, discriminator: true, inlineRefs: false },
  },
];

const EXPORTS = /export const validate = (validate\d+);\s*export default validate\d+;/;

function generate(schemaText, target) {
  return target.refs ? generateMany(schemaText, target) : generateOne(schemaText, target);
}

/** An Ajv for these options; `tsType` (json-schema-to-typescript's type override) is a known, non-validating keyword. */
function ajvFor(options) {
  const ajv = new Ajv({ ...options, code: { source: true, esm: true, lines: true } });
  ajv.addKeyword("tsType");
  return ajv;
}

const banner = (schema, schemaText, options) => [
  `/* Generated from ${schema} by scripts/gen-validators.mjs (ajv standalone). Do not edit. */`,
  `/* schema+options sha256: ${createHash("sha256").update(schemaText).update(JSON.stringify(options)).digest("hex")} */`,
  "// @ts-nocheck",
  'import { createRequire } from "node:module";',
  'import type { ErrorObject } from "ajv";',
  "",
  "// ajv's runtime helpers (ucs2length...) are CommonJS, required by the generated code.",
  "const require = createRequire(import.meta.url);",
  "",
];

/** One validator per entry of `refs` (name: [definition path, TypeScript type]), exported under that name. */
function generateMany(schemaText, { schema, refs, options }) {
  const ajv = ajvFor(options);
  const json = JSON.parse(schemaText);
  ajv.addSchema(json);
  // Each definition compiled once (ajv's standalone code declares a function twice when two
  // exports name the same schema); a second name for it is an alias.
  const firstName = new Map();
  for (const [name, [ref]] of Object.entries(refs)) if (!firstName.has(ref)) firstName.set(ref, name);
  const code = standaloneCode(ajv, Object.fromEntries([...firstName].map(([ref, name]) => [name, `${json.$id}#/definitions/${ref}`])));
  let body = code.replace(/^"use strict";/, "").trim();
  const fnOf = new Map();
  for (const [ref, name] of firstName) {
    const exported = new RegExp(`export const ${name} = (validate\\d+);`);
    const fn = exported.exec(body)?.[1];
    if (!fn) throw new Error(`unexpected ajv standalone output for ${schema} (${name})`);
    body = body.replace(exported, "");
    fnOf.set(ref, fn);
  }
  const typed = Object.entries(refs).map(([name, [ref, type]]) => `export const ${name} = ${fnOf.get(ref)} as ((data: unknown) => data is ${type}) & { errors?: ErrorObject[] | null };`);
  return [...banner(schema, schemaText, options), body.trim(), "", "/** True when `data` is valid; otherwise `.errors` says why (ajv ErrorObjects). */", ...typed, ""].join("\n");
}

function generateOne(schemaText, { schema, type, options }) {
  const ajv = ajvFor(options);
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

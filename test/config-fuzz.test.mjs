// Config fuzzing: random and mutated configs (structure-aware mutations of a valid config,
// written as JSON or YAML; byte-level mutations of its text; random JSON values) and a list
// of nasty fixed cases (alias bombs, deep nesting, binary, BOM, a folder or an unreadable file
// where the config should be...). wl reads each one with
// `wl --config FILE syncers --container NAME`, which reads, validates and resolves the
// container without touching any storage. Every case must end with exit 3 and a one-line
// reason, or exit 0 for a config that is valid; never a stack trace, never "unexpected error".
// Most cases run in this process through the CLI's main() (the code of the binary, minus the
// process start); a sample runs through the real binary. WLSYNC_FUZZ_RUNS raises the count.
import { mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import fc from "fast-check";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { handOver, wlAsOtherUser } from "./helpers/faults.mjs";
import { countFromEnv, report } from "./helpers/report.mjs";
import { ROOT, wl, workspace } from "./helpers/wl.mjs";

const coreRequire = createRequire(join(ROOT, "packages/core/package.json"));
const yaml = createRequire(coreRequire.resolve("cosmiconfig"))("js-yaml");
const { main } = await import(pathToFileURL(join(ROOT, "packages/core/dist/cli/main.js")).href);

const ws = workspace("wl-fuzz-");
const stats = { inProcess: 0, binary: 0, valid: 0, rejected: 0, survived: 0 };

/** Runs wl's main() in this process, capturing its output; restores everything it touches. */
async function runMain(args) {
  const out = [];
  const err = [];
  const { write: stdoutWrite } = process.stdout;
  const { write: stderrWrite } = process.stderr;
  const exitCode = process.exitCode;
  const cwd = process.cwd();
  const unhandled = [];
  const onUnhandled = (e) => unhandled.push(e);
  process.on("unhandledRejection", onUnhandled);
  process.stdout.write = (chunk) => (out.push(String(chunk)), true);
  process.stderr.write = (chunk) => (err.push(String(chunk)), true);
  let code;
  try {
    process.chdir(ws.dir);
    process.exitCode = undefined;
    code = await main(args);
  } catch (e) {
    code = `threw ${e?.stack ?? e}`;
  } finally {
    process.stdout.write = stdoutWrite;
    process.stderr.write = stderrWrite;
    process.exitCode = exitCode;
    process.chdir(cwd);
    process.off("unhandledRejection", onUnhandled);
  }
  if (unhandled.length) code = `unhandled rejection ${unhandled[0]?.stack ?? unhandled[0]}`;
  return { code, stdout: out.join(""), stderr: err.join("") };
}

/** The verdict on one case: exit 3 with a reason, or 0; never a stack trace or an "unexpected error". */
function judge(r, what) {
  const where = `${what}\nexit ${r.code}\nstderr: ${r.stderr.slice(0, 600)}`;
  if (r.code === 0) {
    stats.valid++;
    return;
  }
  if (r.code !== 3) throw new Error(`expected exit 3 or 0: ${where}`);
  if (!/^wl: \S/.test(r.stderr)) throw new Error(`no "wl: reason" message: ${where}`);
  if (/\n\s+at \S+ \(|\n\s+at file:/.test(r.stderr)) throw new Error(`a stack trace: ${where}`);
  if (/unexpected error/.test(r.stderr)) throw new Error(`an unexpected error (a crash turned into a message): ${where}`);
  stats.rejected++;
}

let caseNo = 0;
/** Writes `text` as the config (under `name`) and runs wl on it, in this process or through the binary. */
async function tryConfig(name, text, { container = "box", binary = false } = {}) {
  const dir = join(ws.dir, `c${caseNo++ % 50}`);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, name);
  writeFileSync(file, text);
  const args = ["--config", file, "syncers", "--container", container, "--json"];
  const r = binary ? await wl(ws.dir, args, { state: join(ws.dir, ".state") }) : await runMain(args);
  if (binary) stats.binary++;
  else stats.inProcess++;
  judge(r, `${name}: ${JSON.stringify(typeof text === "string" ? text.slice(0, 300) : "<bytes>")}`);
  stats.survived++;
}

// ---- arbitraries --------------------------------------------------------------------------

const VALID = {
  "max-delete": 50,
  syncer: "naive",
  containers: {
    box: {
      ignore: ["*.tmp"],
      storages: [
        { "backend-id": "a", type: "local", path: "./a" },
        { "backend-id": "b", type: "local", path: "./b", "watcher-interval": 2 },
      ],
    },
  },
};

/** Every place in a JSON value: [parent, key] pairs. */
function places(value, out = []) {
  if (value && typeof value === "object") {
    for (const key of Object.keys(value)) {
      out.push([value, key]);
      places(value[key], out);
    }
  }
  return out;
}

const nasty = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom("", "~", "..", "/", "\u0000", "__proto__", "constructor", -1, 1e308, 0.5, true, null, [], {}, "a".repeat(10_000)),
);
const mutation = fc.record({ at: fc.nat(), op: fc.constantFrom("set", "delete", "rename", "wrap", "dup"), value: nasty, key: fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom("__proto__", "constructor", "containers", "storages", "path", "type")) });

const structured = fc.record({ mutations: fc.array(mutation, { minLength: 1, maxLength: 4 }), format: fc.constantFrom("json", "yaml", "rc") }).map(({ mutations, format }) => {
  const config = structuredClone(VALID);
  for (const m of mutations) {
    const all = places(config);
    if (!all.length) break;
    const [parent, key] = all[m.at % all.length];
    if (m.op === "set") parent[key] = m.value;
    else if (m.op === "delete") delete parent[key];
    else if (m.op === "wrap") parent[key] = [parent[key]];
    else if (m.op === "dup" && Array.isArray(parent)) parent.push(structuredClone(parent[key]));
    else if (!Array.isArray(parent)) {
      Object.defineProperty(parent, m.key, { value: parent[key], enumerable: true, configurable: true, writable: true });
      delete parent[key];
    }
  }
  const text = format === "json" ? JSON.stringify(config) : yaml.dump(config, { skipInvalid: true });
  return { name: { json: ".wlsyncrc.json", yaml: ".wlsyncrc.yaml", rc: ".wlsyncrc" }[format], text };
});

const textual = fc
  .record({
    base: fc.constantFrom(JSON.stringify(VALID, null, 2), yaml.dump(VALID)),
    edits: fc.array(fc.record({ at: fc.nat(), cut: fc.nat({ max: 12 }), insert: fc.oneof(fc.constantFrom(":", "{", "}", "[", "]", "- ", "#", "&a", "*a", "!!", "|", ">", "'", '"', "\n", "\t", "  ", "---\n", "? ", "%YAML 1.2\n", "\u2028", "\ufeff"), fc.string({ maxLength: 6 })) }), { minLength: 1, maxLength: 5 }),
    name: fc.constantFrom(".wlsyncrc", ".wlsyncrc.json", ".wlsyncrc.yaml"),
  })
  .map(({ base, edits, name }) => {
    let text = base;
    for (const e of edits) {
      const at = e.at % (text.length + 1);
      text = text.slice(0, at) + e.insert + text.slice(at + e.cut);
    }
    return { name, text };
  });

const random = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }).map((v) => ({ name: ".wlsyncrc.json", text: JSON.stringify(v) ?? "null" })),
  fc.jsonValue({ maxDepth: 4 }).map((v) => ({ name: ".wlsyncrc.yaml", text: yaml.dump(v, { skipInvalid: true }) })),
  fc.string({ maxLength: 200 }).map((text) => ({ name: ".wlsyncrc", text })),
  fc.uint8Array({ maxLength: 200 }).map((bytes) => ({ name: ".wlsyncrc", text: Buffer.from(bytes) })),
);

const containerName = fc.oneof({ weight: 4, arbitrary: fc.constant("box") }, fc.constantFrom("nope", "__proto__", "constructor", "toString", "hasOwnProperty", "", "a/b", ".."));

// ---- tests --------------------------------------------------------------------------------

test("mutated and random configs: exit 3 with a reason (or 0 when valid), never a crash", async () => {
  const numRuns = countFromEnv("WLSYNC_FUZZ_RUNS", 300);
  await fc.assert(
    fc.asyncProperty(fc.oneof(structured, textual, random), containerName, async ({ name, text }, container) => tryConfig(name, text, { container })),
    { numRuns, includeErrorInReport: true },
  );
});

test("nasty fixed cases, through the real binary", async () => {
  const deep = (n) => `${"[".repeat(n)}${"]".repeat(n)}`;
  let bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n";
  for (let i = 1; i < 9; i++) bomb += `${"abcdefghi"[i]}: &${"abcdefghi"[i]} [${Array(9).fill(`*${"abcdefghi"[i - 1]}`).join(", ")}]\n`;
  const cases = [
    [".wlsyncrc", `${bomb}containers:\n  box:\n    storages: *i\n`],
    [".wlsyncrc", `containers:\n  box:\n    ignore: *i\n    storages: [{backend-id: a, type: local, path: ./a}]\n${bomb}`],
    [".wlsyncrc", "containers: !!js/function 'function () { process.exit(9) }'\n"],
    [".wlsyncrc", "containers: !!binary aGVsbG8=\n"],
    [".wlsyncrc", `containers: ${deep(20_000)}\n`],
    [".wlsyncrc.json", `{"containers": ${deep(200_000)}}`],
    [".wlsyncrc", "containers:\n  box: {}\ncontainers:\n  box: {}\n"],
    [".wlsyncrc", "---\ncontainers: {}\n---\ncontainers: {}\n"],
    [".wlsyncrc", `\ufeff${JSON.stringify(VALID)}`],
    [".wlsyncrc", Buffer.from([0xff, 0xfe, 0x00, 0x63, 0x00, 0x6f])],
    [".wlsyncrc", "# only a comment\n"],
    [".wlsyncrc", "   \n\t\n"],
    [".wlsyncrc.json", '{"containers":{"box":{"storages":[{"backend-id":"a","type":"local","path":"./a"}]}},"max-delete":1e400}'],
    [".wlsyncrc.json", '{"containers":{"__proto__":{"storages":[]}}}'],
    [".wlsyncrc.json", JSON.stringify({ containers: { box: { storages: Array.from({ length: 50_000 }, (_, i) => ({ "backend-id": `s${i}`, type: "local", path: `./s${i}` })) } } })],
  ];
  for (const [name, text] of cases) await tryConfig(name, text, { binary: true });
  for (const container of ["__proto__", "constructor", "toString"]) await tryConfig(".wlsyncrc.json", JSON.stringify(VALID), { container, binary: true });
  // A folder, and an unreadable file (as another user), where the config should be.
  mkdirSync(join(ws.dir, "folder.json"), { recursive: true });
  judge(await wl(ws.dir, ["--config", join(ws.dir, "folder.json"), "syncers", "--container", "box"]), "a folder as the config");
  stats.binary++;
  stats.survived++;
  const unreadable = join(ws.dir, "unreadable", ".wlsyncrc");
  mkdirSync(join(ws.dir, "unreadable"));
  writeFileSync(unreadable, JSON.stringify(VALID), { mode: 0o000 });
  handOver(ws.dir);
  judge(await wlAsOtherUser(ws.dir, ["--config", unreadable, "syncers", "--container", "box"]), "an unreadable config");
  stats.binary++;
  stats.survived++;
  assert.ok(stats.binary >= 20);
});

test.after(() => {
  report("config fuzzing", {
    tried: stats.inProcess + stats.binary,
    survived: stats.survived,
    detail: `${stats.inProcess} in process through main(), ${stats.binary} through wl; ${stats.rejected} rejected with exit 3 and a reason, ${stats.valid} valid`,
    test: "test/config-fuzz.test.mjs",
  });
  ws.cleanup();
});

test.run();

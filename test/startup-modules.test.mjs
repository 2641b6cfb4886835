// What `wl` loads at start (issue 18: start-up). Not a timing test: it checks the choices that
// keep start-up short (bench/README.md, "Measurements behind code choices") by the modules a run
// loads: the bundles (scripts/bundle.mjs) instead of hundreds of modules, nothing of the daemon
// when none runs, YAML's parser only for a YAML config, no child process code (node:net loads
// anyway: stdout is a pipe).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { loadedModules, moduleLogEnv } from "./helpers/module-log.mjs";
import { ROOT, localConfig, wl, workspace } from "./helpers/wl.mjs";

/** Runs wl and returns what it loaded; `files` relative to the repository. */
async function loads(ws, args) {
  const logDir = mkdtempSync(join(tmpdir(), "wl-modules-"));
  const log = join(logDir, "modules.txt");
  try {
    const r = await wl(ws.dir, args, { env: moduleLogEnv(log) });
    assert.is(r.code, 0, r.stderr);
    const { files, builtins } = loadedModules(log);
    return { files: files.map((f) => relative(ROOT, f)), builtins };
  } finally {
    rmSync(logDir, { recursive: true, force: true });
  }
}

const jsYaml = (f) => /js-yaml/.test(f);
const daemonClient = (f) => /daemon-client/.test(f);
// The run's own files: wl's packages and their dependencies (not the test's hooks).
const wlFiles = (files) => files.filter((f) => f.startsWith("packages/") || f.includes("node_modules/"));

test("a no-change one-shot pass (JSON config, no daemon) loads the bundles: tens of files, no daemon client, no YAML parser, no child process", async () => {
  const ws = workspace();
  localConfig(ws.dir, { container: { ignore: ['x:"y\\', "z:"] } });
  for (const n of ["one", "two", "three"]) ws.write(`a/${n}.txt`, n);
  assert.is((await wl(ws.dir, ["container", "sync", "--one-shot", "box"])).code, 0);
  const { files, builtins } = await loads(ws, ["container", "sync", "--one-shot", "box"]);
  const own = wlFiles(files);
  assert.ok(own.includes("packages/core/dist/bundle/main.js"), "core's bundle runs");
  assert.not.ok(own.some((f) => f.startsWith("packages/core/dist/") && !f.startsWith("packages/core/dist/bundle/")), `core's unbundled modules: ${own.filter((f) => /core\/dist\/(?!bundle)/.test(f)).join(", ")}`);
  assert.not.ok(own.some((f) => /plugin-api\/dist\/(?!bundle)/.test(f)), "the plugin API's bundle, not its modules");
  assert.not.ok(own.some(jsYaml), "js-yaml loaded for a JSON config");
  assert.not.ok(own.some(daemonClient), "the daemon client loaded with no daemon socket");
  for (const builtin of ["node:child_process", "node:readline"]) assert.not.ok(builtins.includes(builtin), `${builtin} loaded`);
  // About 40 today (core's chunks, the plugin API, two plugins, better-sqlite3's addon); it was
  // about 210 modules before the bundles.
  assert.ok(own.length < 60, `${own.length} files loaded:\n${own.join("\n")}`);
  ws.cleanup();
});

test("a YAML config loads js-yaml; wl --help loads no engine, config, state or plugin code", async () => {
  const ws = workspace();
  localConfig(ws.dir);
  writeFileSync(ws.path(".wlsyncrc"), "containers:\n  box:\n    storages:\n      - {backend-id: a, type: local, path: ./a}\n      - {backend-id: b, type: local, path: ./b}\n");
  let { files } = await loads(ws, ["container", "sync", "--one-shot", "box"]);
  assert.ok(wlFiles(files).some(jsYaml), "js-yaml parses a YAML config");
  ({ files } = await loads(ws, ["--help"]));
  const own = wlFiles(files);
  assert.ok(own.includes("packages/core/dist/bundle/main.js"));
  const late = own.filter((f) => /better_sqlite3|better-sqlite3|js-yaml|backend-|syncer-|container-service|read-config/.test(f));
  assert.equal(late, [], "wl --help loaded code only a pass needs");
  ws.cleanup();
});

test.run();

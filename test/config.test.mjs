import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { ROOT, localConfig, wl, workspace } from "./helpers/wl.mjs";

const sync = (ws, ...args) => wl(ws.dir, ["container", "sync", "--one-shot", ...args]);

test("a config with schema errors exits 3, names every problem of the file's own keys with its path, touches nothing", async () => {
  const ws = workspace();
  ws.write("a/x.txt", "x");
  writeFileSync(
    ws.path(".wlsyncrc"),
    [
      "containers:",
      "  box:",
      "    storages:",
      "      - backend-id: a",
      "        type: local",
      "        path: ./a",
      "      - backend-id: b",
      "        type: local",
      "        path: 42",
      "      - backend-id: c",
      "        type: local",
      "    bogus: true",
      "max-delete: 500",
    ].join("\n"),
  );
  const r = await sync(ws, "box");
  assert.is(r.code, 3);
  // (storages[1]'s and [2]'s path problems are local's own options: reported once the file's
  // own keys are right, see storage-options.test.mjs)
  assert.match(r.stderr, /containers\.box\.bogus: unknown property/);
  assert.match(r.stderr, /max-delete: must be <= 100/);
  assert.not.match(r.stderr, /at .*\.js:\d+/, "no stack trace");
  assert.not.ok(existsSync(ws.path("b")));
  assert.not.ok(existsSync(ws.path(".state")), "the state store was not even created");
  ws.cleanup();
});

test("unparsable YAML, duplicate backend-ids and an empty file exit 3 with the reason", async () => {
  const ws = workspace();
  writeFileSync(ws.path(".wlsyncrc"), "containers:\n  box: [unclosed\n");
  let r = await sync(ws, "box");
  assert.is(r.code, 3);
  assert.match(r.stderr, /cannot parse the config/);
  localConfig(ws.dir, { storages: ["a", "a"] });
  r = await sync(ws, "box");
  assert.is(r.code, 3);
  assert.match(r.stderr, /storages\[1\]\.backend-id: "a" is already used by storages\[0\]/);
  writeFileSync(ws.path(".wlsyncrc"), "");
  r = await sync(ws, "box");
  assert.is(r.code, 3);
  assert.match(r.stderr, /empty/);
  ws.cleanup();
});

test("no config anywhere, an unknown container, an unknown storage: exit 3 with what to do", async () => {
  const ws = workspace();
  let r = await sync(ws, "box");
  assert.is(r.code, 3);
  assert.match(r.stderr, /no config found: create a \.wlsyncrc/);
  localConfig(ws.dir);
  r = await sync(ws, "nope");
  assert.is(r.code, 3);
  assert.match(r.stderr, /unknown container "nope" \(known: box\)/);
  r = await sync(ws, "box", "--target-storage", "zzz");
  assert.is(r.code, 3);
  assert.match(r.stderr, /no storage with backend-id or type "zzz"/);
  ws.cleanup();
});

test("--config FILE, JSON format, and a config found in a parent folder", async () => {
  const ws = workspace();
  localConfig(ws.dir);
  ws.write("a/x.txt", "x");
  ws.write("deep/er/.keep", "");
  let r = await wl(ws.path("deep/er"), ["container", "sync", "--one-shot", "box"], { state: ws.state });
  assert.is(r.code, 0, r.stderr);
  assert.is(ws.read("b/x.txt"), "x");
  const other = workspace();
  r = await wl(other.dir, ["--config", join(ws.dir, ".wlsyncrc"), "container", "sync", "--one-shot", "box"], { state: ws.state });
  assert.is(r.code, 0, r.stderr);
  r = await wl(other.dir, ["--config", "missing.json", "container", "sync", "--one-shot", "box"]);
  assert.is(r.code, 3);
  assert.match(r.stderr, /config file not found/);
  ws.cleanup();
  other.cleanup();
});

test("bad usage (unknown option, missing argument) exits 3", async () => {
  const ws = workspace();
  localConfig(ws.dir);
  let r = await wl(ws.dir, ["container", "sync", "--one-shot", "box", "--no-such-flag"]);
  assert.is(r.code, 3);
  assert.match(r.stderr, /unknown option/);
  r = await wl(ws.dir, ["container", "sync", "--one-shot"]);
  assert.is(r.code, 3);
  r = await wl(ws.dir, ["--help"]);
  assert.is(r.code, 0);
  assert.match(r.stdout, /container/);
  ws.cleanup();
});

test("a forced unknown syncer exits 3 with the reason, in the config or on the command line", async () => {
  const ws = workspace();
  localConfig(ws.dir, { extra: { syncer: "nosuch" } });
  ws.write("a/x.txt", "x");
  let r = await sync(ws, "box");
  assert.is(r.code, 3);
  assert.match(r.stderr, /no syncer named "nosuch" is installed \(installed: .*naive/);
  assert.not.ok(existsSync(ws.path("b/x.txt")));
  r = await sync(ws, "box", "--syncer", "naive");
  assert.is(r.code, 0, "--syncer beats the config");
  ws.cleanup();
});

test("a .wlsyncrc reads the same as JSON or YAML; a JSON key given twice is refused where it is, as YAML refuses it", async () => {
  const ws = workspace();
  ws.write("a/x.txt", "x");
  mkdirSync(ws.path("b"));
  writeFileSync(ws.path(".wlsyncrc"), "containers:\n  box:\n    storages:\n      - {backend-id: a, type: local, path: ./a}\n      - {backend-id: b, type: local, path: ./b}\n");
  let r = await sync(ws, "box");
  assert.is(r.code, 0, r.stderr);
  assert.is(ws.read("b/x.txt"), "x");
  // JSON is read with JSON.parse (js-yaml is not even loaded: startup-modules.test.mjs), which
  // would keep the last "containers"; the file goes to YAML instead, which names the place.
  const storages = [
    { "backend-id": "a", type: "local", path: "./a" },
    { "backend-id": "b", type: "local", path: "./b" },
  ];
  const json = JSON.stringify({ containers: { box: { storages } } });
  writeFileSync(ws.path(".wlsyncrc"), `${json.slice(0, -1)}, "containers": {}}`);
  r = await sync(ws, "box");
  assert.is(r.code, 3);
  assert.match(r.stderr, /cannot parse the config .*\.wlsyncrc:1:\d+: duplicated mapping key/);
  // A key twice deeper down, after strings holding colons, quotes and backslashes.
  const tricky = { containers: { box: { ignore: ['x:"y\\', "z:"], storages } } };
  writeFileSync(ws.path(".wlsyncrc"), JSON.stringify(tricky).replace('"storages":', '"ignore": [], "storages":'));
  r = await sync(ws, "box");
  assert.is(r.code, 3);
  assert.match(r.stderr, /duplicated mapping key/);
  writeFileSync(ws.path(".wlsyncrc"), JSON.stringify(tricky));
  ws.write("a/z:", "ignored");
  r = await sync(ws, "box");
  assert.is(r.code, 0, r.stderr);
  assert.not.ok(existsSync(ws.path("b/z:")), "the ignore list was read");
  ws.cleanup();
});

test("the generated config types are up to date with the schema", () => {
  execFileSync(process.execPath, [join(ROOT, "packages/core/scripts/gen-types.mjs"), "--check"], { stdio: "pipe" });
});

test.run();

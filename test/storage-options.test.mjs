// Backends own their options: core's config schema checks the keys every storage has, and each
// storage's other keys are checked against its backend's OPTIONS_SCHEMA before anything is
// touched. A misspelt or misplaced key is exit 3 with its place.
import { cpSync, existsSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { LocalBackend } from "@wlsync/backend-local";
import { S3Backend } from "@wlsync/backend-s3";
import { ROOT, wl, workspace } from "./helpers/wl.mjs";

const sync = (ws, ...args) => wl(ws.dir, ["container", "sync", "--one-shot", ...args]);

/** A workspace with a.txt in a/, an empty b/, and `storages` as container box's storages. */
function setup(storages, plugins = []) {
  const ws = workspace("wl-options-");
  ws.write("a/x.txt", "x");
  ws.write("b/.keep", "");
  for (const name of plugins) cpSync(join(ROOT, "test", "fixtures", "plugins", name), ws.path("node_modules", name), { recursive: true });
  writeFileSync(ws.path(".wlsyncrc"), JSON.stringify({ containers: { box: { storages } } }, null, 2));
  return ws;
}

/** Exit 3, every expected line in stderr, nothing copied, no state store made. */
function assertRefused(ws, r, lines) {
  assert.is(r.code, 3, `exit ${r.code}\n${r.stderr}`);
  for (const line of lines) assert.ok(r.stderr.includes(line), `expected "${line}" in:\n${r.stderr}`);
  assert.not.match(r.stderr, /at .*\.js:\d+/, "no stack trace");
  assert.equal(readdirSync(ws.path("b")), [".keep"], "nothing was copied");
  assert.not.ok(existsSync(ws.path(".state")), "the state store was not even created");
}

test("a misspelt storage key and an ignore: placed under a storage (issue 17) are refused with their places", async () => {
  const ws = setup([
    { "backend-id": "a", type: "local", path: "./a", ignore: ["*.tmp"] },
    { "backend-id": "b", type: "local", path: "./b", watcher_interval: 5 },
  ]);
  const r = await sync(ws, "box");
  assertRefused(ws, r, ["containers.box.storages[0].ignore: unknown property", "containers.box.storages[1].watcher_interval: unknown property"]);
  ws.cleanup();
});

test("local's own rules come from its schema: path required, a string", async () => {
  const ws = setup([
    { "backend-id": "a", type: "local", path: 42 },
    { "backend-id": "b", type: "local" },
  ]);
  const r = await sync(ws, "box");
  assertRefused(ws, r, ["containers.box.storages[0].path: must be string", 'containers.box.storages[1]: missing required property "path"']);
  ws.cleanup();
});

test("s3 storages: misspelt keys, bad values and credentials are refused before any request", async () => {
  const ws = setup([
    { "backend-id": "a", type: "local", path: "./a" },
    { "backend-id": "cloud", type: "s3", bucket: "photos", prefx: "p/", "part-size": 1, endpoint: "ftp://x", "secret-access-key": "S3CRET" },
  ]);
  const r = await sync(ws, "box");
  assertRefused(ws, r, [
    "containers.box.storages[1].prefx: unknown property",
    "containers.box.storages[1].part-size: must be >= 5",
    'containers.box.storages[1].endpoint: must match pattern "^https?://[^/]"',
    "containers.box.storages[1].secret-access-key: is not read from the config: credentials come from the AWS environment",
  ]);
  assert.not.match(r.stderr, /S3CRET/, "the secret is never echoed");
  ws.cleanup();
});

test("a third-party backend with a schema but no compiled validator is checked too (wl compiles the schema)", async () => {
  const ws = setup(
    [
      { "backend-id": "a", type: "folder", path: "./a", lable: "x" },
      { "backend-id": "b", type: "folder", path: "./b", label: "fine" },
    ],
    ["wl-backend-schema-only"],
  );
  const r = await sync(ws, "box");
  assertRefused(ws, r, ["containers.box.storages[0].lable: unknown property"]);
  assert.not.ok(r.stderr.includes("storages[1]"), r.stderr);
  ws.cleanup();
});

test("a third-party backend without a schema: its options pass unchecked, with a warning, and it syncs", async () => {
  const ws = setup(
    [
      { "backend-id": "a", type: "unchecked", path: "./a", anything: 1 },
      { "backend-id": "b", type: "local", path: "./b" },
    ],
    ["wl-backend-unchecked"],
  );
  const r = await sync(ws, "box");
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stderr, /warning: backend "unchecked" declares no OPTIONS_SCHEMA: the options of its storages are not checked/);
  assert.ok(existsSync(ws.path("b/x.txt")));
  ws.cleanup();
});

test("the built-in backends expose their schemas and compiled validators", () => {
  for (const cls of [LocalBackend, S3Backend]) {
    assert.is(cls.OPTIONS_SCHEMA.additionalProperties, false, cls.TYPE);
    assert.is(typeof cls.validateOptions, "function", cls.TYPE);
  }
  assert.ok(LocalBackend.validateOptions({ path: "./a" }));
  assert.not.ok(LocalBackend.validateOptions({ path: "./a", ignore: [] }));
  assert.ok(S3Backend.validateOptions({ bucket: "b", "conditional-writes": "auto" }));
  assert.not.ok(S3Backend.validateOptions({ bucket: "b", "conditional-writes": "maybe" }));
});

test.run();

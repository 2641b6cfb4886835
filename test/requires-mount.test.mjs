// REQUIRES_MOUNT syncers are served when both storages of the pair are folders on this machine
// (the backends' localPath() capability), and refused, exit 3, when one is not.
import { cpSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { ROOT, wl, workspace } from "./helpers/wl.mjs";

function setup(storages) {
  const ws = workspace("wl-mount-");
  ws.write("a/x.txt", "x");
  ws.write("b/.keep", "");
  cpSync(join(ROOT, "test", "fixtures", "plugins", "wl-syncer-mount"), ws.path("node_modules", "wl-syncer-mount"), { recursive: true });
  writeFileSync(ws.path(".wlsyncrc"), JSON.stringify({ containers: { box: { storages } } }, null, 2));
  return ws;
}

test("two local folders: the REQUIRES_MOUNT syncer is chosen when forced, gets both folders, and syncs", async () => {
  const ws = setup([
    { "backend-id": "a", type: "local", path: "./a" },
    { "backend-id": "b", type: "local", path: "./b" },
  ]);
  const r = await wl(ws.dir, ["container", "sync", "--one-shot", "box", "--syncer", "mount", "--json"]);
  assert.is(r.code, 0, r.stderr);
  const result = JSON.parse(r.stdout);
  assert.is(result.syncer, "mount");
  assert.ok(result.warnings.includes(`mounted: ${ws.path("a")} | ${ws.path("b")}`), JSON.stringify(result.warnings));
  assert.is(readFileSync(ws.path("b/x.txt"), "utf8"), "x");
  const explained = JSON.parse((await wl(ws.dir, ["syncers", "--container", "box", "--one-shot", "--json"])).stdout).selection.syncers;
  assert.ok(explained.find((s) => s.name === "mount").eligible, JSON.stringify(explained));
  ws.cleanup();
});

test("a pair with an S3 storage (no local folder): refused with the reason, exit 3, nothing touched, no request made", async () => {
  const ws = setup([
    { "backend-id": "a", type: "local", path: "./a" },
    { "backend-id": "cloud", type: "s3", bucket: "photos", endpoint: "http://127.0.0.1:9" },
  ]);
  const r = await wl(ws.dir, ["container", "sync", "--one-shot", "box", "--syncer", "mount"]);
  assert.is(r.code, 3, r.stderr);
  assert.match(r.stderr, /syncer "mount" cannot serve local → s3 \(one-shot two-way\): requires both storages to be folders on this machine/);
  assert.not.ok(existsSync(ws.path(".state")));
  const explained = JSON.parse((await wl(ws.dir, ["syncers", "--container", "box", "--one-shot", "--json"])).stdout).selection.syncers;
  assert.match(explained.find((s) => s.name === "mount").reason, /REQUIRES_MOUNT/);
  ws.cleanup();
});

test.run();

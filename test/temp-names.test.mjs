// Which temporary names a pass may remove (isStaleTempFile), from a table: leftovers of a gone
// writer of this host go, a live writer's stay, and the part of an interrupted large copy
// (`.part`) waits a day for the pass that resumes it. Names of the file-system probe (killed
// while it ran) are leftovers like the others.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { localConfig, wl, workspace } from "./helpers/wl.mjs";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { FOREIGN_TEMP_MAX_AGE_MS, hostIdentity, isPartialName, isStaleTempFile, partialFileName, tempFileName } from "@wlsync/plugin-api";

const gone = spawnSync("true").pid; // a process that has exited
const live = process.pid;
const now = Date.now();
const name = (pid, suffix = "") => `.wlsync-tmp-${hostIdentity()}-${pid}-abc123${suffix}`;
const cases = [
  ["a gone writer's temporary file", name(gone), now - 1000, true],
  ["a live writer's temporary file", name(live), now - 1000, false],
  ["a file written after the pass started", name(gone), now + 1000, false],
  ["another host's file, an hour old", ".wlsync-tmp-00000000-1-abc", now - 3600_000, false],
  ["another host's file, two days old", ".wlsync-tmp-00000000-1-abc", now - 2 * FOREIGN_TEMP_MAX_AGE_MS, true],
  ["a gone writer's part of a large copy, an hour old", name(gone, ".part"), now - 3600_000, false],
  ["a gone writer's part of a large copy, two days old", name(gone, ".part"), now - 2 * FOREIGN_TEMP_MAX_AGE_MS, true],
  ["a live writer's part, an hour since its last write", name(live, ".part"), now - 3600_000, false],
  // A copy writes its part as it goes: one untouched for days names a pid that went to another process since.
  ["a live writer's part, two days since its last write", name(live, ".part"), now - 2 * FOREIGN_TEMP_MAX_AGE_MS, true],
  ["a live writer's file, an hour old", name(live), now - 3600_000, false],
  ["a live writer's file, two days old", name(live), now - 2 * FOREIGN_TEMP_MAX_AGE_MS, true],
  ["a gone writer's probe file", name(gone, "-probe-\u00e9"), now - 1000, true],
  ["a gone writer's probe link", name(gone, "-probe-\u00e9-link"), now - 1000, true],
  ["a live writer's probe file", name(live, "-probe-\u00e9"), now - 1000, false],
];
for (const [what, file, mtimeMs, stale] of cases) {
  test(`isStaleTempFile: ${what} → ${stale ? "removed" : "kept"}`, () => {
    assert.is(isStaleTempFile(file, mtimeMs, now), stale);
  });
}

test("partialFileName makes names isPartialName accepts, and tempFileName does not", () => {
  assert.ok(isPartialName(partialFileName()));
  assert.not.ok(isPartialName(tempFileName()));
  assert.not.ok(isPartialName("../.wlsync-tmp-00000000-1-a.part"));
});

test("a pass removes what a killed file-system probe left (file, hard link, symlink), and nothing else", async () => {
  const ws = workspace("wl-temp-");
  try {
    localConfig(ws.dir);
    ws.write("a/keep.txt", "keep");
    const base = join(ws.path("b"), name(gone, "-probe-\u00e9"));
    writeFileSync(base, "");
    writeFileSync(`${base}-link`, "");
    symlinkSync("keep.txt", `${base}-symlink`);
    for (const p of [base, `${base}-link`]) utimesSync(p, new Date(now - 60_000), new Date(now - 60_000));
    const r = await wl(ws.dir, ["container", "sync", "--one-shot", "box"]);
    assert.is(r.code, 0, r.stderr);
    assert.equal(readdirSync(ws.path("b")).filter((n) => n !== ".wlsync").sort(), ["keep.txt"]);
    assert.ok(existsSync(ws.path("a", "keep.txt")));
  } finally {
    ws.cleanup();
  }
});

test.run();

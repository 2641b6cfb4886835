// A save that lands on a local file while a pass replaces it: editors save by writing a new file
// and renaming it over the old one (a new inode). The local backend keeps the version it replaces
// (a hard link into `.wlsync/versions/`, or a move there without hard links) and checks that the
// kept file is the one the plan saw, which for a recent file means hashing it: milliseconds in the
// thread pool. A save renamed onto the path in that time was then replaced by the pass's rename,
// and lost: the store held the checked version, not the save (found by test/s3-two-machines on
// Ceph, where a download onto beta's f1.txt destroyed the save made during it). The path must
// hold the checked file right before the rename; a save refuses the replacement (a conflict).
//
// The backend cases make the save at a fixed point (one fs call wrapped, the file really saved
// on disk); the end-to-end case runs the built `wl` on a large file, whose hash gives the
// test time to save while the pass runs.
import { spawn } from "node:child_process";
import fs from "node:fs";
import { syncBuiltinESMExports } from "node:module";
import { createHash } from "node:crypto";
import { existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { LocalBackend } from "@wlsync/backend-local";
import { memoryHashCache, onceAround, quietLogger, rejectsWith } from "./helpers/unit.mjs";
import { WL, bytes, collect, localConfig, wl, workspace } from "./helpers/wl.mjs";

const sha256 = (s) => createHash("sha256").update(s).digest("hex");
const fileOf = (content) => ({ kind: "file", hash: sha256(content) });

/** A local storage over a fresh temporary folder. */
function storage() {
  const dir = mkdtempSync(join(tmpdir(), "wl-save-replace-"));
  const backend = new LocalBackend({
    params: { "backend-id": "disk", type: "local", path: dir },
    configDir: dir,
    hashCache: memoryHashCache(),
    logger: quietLogger,
  });
  const abs = (p) => join(dir, p);
  return {
    dir,
    backend,
    abs,
    read: (p) => readFileSync(abs(p), "utf8"),
    /** The versions store: contents, sorted. */
    kept: () => {
      const root = abs(".wlsync/versions");
      if (!existsSync(root)) return [];
      return readdirSync(root, { recursive: true })
        .filter((n) => lstatSync(join(root, n)).isFile())
        .map((n) => readFileSync(join(root, n), "utf8"))
        .sort();
    },
    temps: () => readdirSync(dir, { recursive: true }).filter((n) => /(^|\/)\.wlsync-tmp-/.test(n)),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** An editor's save: a new file renamed over the old one. */
function saveByRename(path, content) {
  writeFileSync(`${path}.edit~`, content);
  renameSync(`${path}.edit~`, path);
}

const writers = {
  replaceWhole: (b, path, expected, data) => b.replaceWhole(path, expected, Buffer.from(data), sha256(data)),
  openForSafeReplace: async (b, path, expected, data) => {
    const w = await b.openForSafeReplace(path, expected, {});
    await new Promise((ok, ko) => w.stream.end(Buffer.from(data), (err) => (err ? ko(err) : ok())));
    return w.commit(sha256(data));
  },
};

for (const [name, write] of Object.entries(writers)) {
  for (const hardLinks of [true, false]) {
    for (const [ageMs, age] of [
      [60_000, "old mtime (identity trusted)"],
      [0, "fresh mtime (hash decides)"],
    ]) {
      const how = hardLinks ? "linked into the store" : "moved into the store (no hard links)";
      test(`${name}, version ${how}, ${age}: a save renamed onto the path right after is not replaced (E_CAS)`, async () => {
        const s = storage();
        try {
          writeFileSync(s.abs("doc.txt"), "v1\n");
          if (ageMs) utimesSync(s.abs("doc.txt"), (Date.now() - ageMs) / 1000, (Date.now() - ageMs) / 1000);
          if (!hardLinks) s.backend.capabilities.hardLinks = false; // as probed on FAT/exFAT
          // Right after the planned version went into the store (link(2) or rename(2) of doc.txt), the user saves.
          const hook = onceAround(hardLinks ? "linkSync" : "renameSync", "doc.txt", () => saveByRename(s.abs("doc.txt"), "v1\nsaved by the user\n"), "after");
          try {
            await rejectsWith(write(s.backend, "doc.txt", fileOf("v1\n"), "from the other side\n"), "E_CAS");
          } finally {
            hook.restore();
          }
          assert.ok(hook.fired, "the save was made during the replacement");
          assert.is(s.read("doc.txt"), "v1\nsaved by the user\n", "the save is at its path");
          // Linked: the pass replaced nothing, so nothing is kept; moved: the planned version stays where it was moved.
          assert.equal(s.kept(), hardLinks ? [] : ["v1\n"]);
          assert.equal(s.temps(), [], "no temporary file left");
        } finally {
          s.cleanup();
        }
      });
    }
  }
}

test("replaceWhole: a save written into the same file (same inode) right after it was kept is not replaced (E_CAS)", async () => {
  const s = storage();
  try {
    writeFileSync(s.abs("doc.txt"), "v1\n");
    const hook = onceAround("linkSync", "doc.txt", () => writeFileSync(s.abs("doc.txt"), "v1\nwritten in place\n"), "after");
    try {
      await rejectsWith(s.backend.replaceWhole("doc.txt", fileOf("v1\n"), Buffer.from("other\n"), sha256("other\n")), "E_CAS");
    } finally {
      hook.restore();
    }
    assert.ok(hook.fired);
    assert.is(s.read("doc.txt"), "v1\nwritten in place\n");
    assert.equal(s.kept(), []);
  } finally {
    s.cleanup();
  }
});

test("moveWithin: a save renamed onto the old name right after the file was linked to the new one is not unlinked (E_CAS)", async () => {
  for (const [ageMs, age] of [
    [60_000, "old mtime"],
    [0, "fresh mtime"],
  ]) {
    const s = storage();
    try {
      writeFileSync(s.abs("old.txt"), "v1\n");
      if (ageMs) utimesSync(s.abs("old.txt"), (Date.now() - ageMs) / 1000, (Date.now() - ageMs) / 1000);
      const hook = onceAround("linkSync", "new.txt", () => saveByRename(s.abs("old.txt"), "v1\nsaved by the user\n"), "after");
      try {
        await rejectsWith(s.backend.moveWithin("old.txt", "new.txt", { hash: sha256("v1\n"), expected: { kind: "absent" }, createParents: true }), "E_CAS");
      } finally {
        hook.restore();
      }
      assert.ok(hook.fired, age);
      assert.is(s.read("old.txt"), "v1\nsaved by the user\n", `${age}: the save is at the old name`);
      assert.not.ok(existsSync(s.abs("new.txt")), `${age}: the half-made move is undone`);
    } finally {
      s.cleanup();
    }
  }
});

/**
 * Wraps fs.closeSync so that the first call after arming runs `edit` right after it: the end of
 * reading a small file whole (the hash of a compare-and-swap check). Returns { fired, restore }.
 */
function afterNextClose(edit) {
  let armed = true;
  const state = { fired: false };
  const saved = fs.closeSync;
  fs.closeSync = (...args) => {
    const out = saved(...args);
    if (armed) {
      armed = false;
      state.fired = true;
      edit();
    }
    return out;
  };
  syncBuiltinESMExports();
  state.restore = () => {
    fs.closeSync = saved;
    syncBuiltinESMExports();
  };
  return state;
}

test("remove, versions off: a save renamed onto the path right after the check hashed the file is not deleted (E_CAS)", async () => {
  const dir = mkdtempSync(join(tmpdir(), "wl-save-remove-off-"));
  try {
    const backend = new LocalBackend({
      params: { "backend-id": "disk", type: "local", path: dir, versions: { keep: "off" } },
      configDir: dir,
      hashCache: memoryHashCache(),
      logger: quietLogger,
    });
    writeFileSync(join(dir, "doc.txt"), "v1\n");
    // The check reads the file whole to hash it (open, read, fstat, close); the save lands right after.
    const hook = afterNextClose(() => saveByRename(join(dir, "doc.txt"), "v1\nsaved by the user\n"));
    try {
      await rejectsWith(backend.remove("doc.txt", fileOf("v1\n")), "E_CAS");
    } finally {
      hook.restore();
    }
    assert.ok(hook.fired);
    assert.is(readFileSync(join(dir, "doc.txt"), "utf8"), "v1\nsaved by the user\n", "the save is at its path");
    assert.not.ok(existsSync(join(dir, ".wlsync", "versions")), "nothing kept (versions off)");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("replaceWhole: with nothing in the way the file is replaced and the planned version kept", async () => {
  for (const hardLinks of [true, false]) {
    const s = storage();
    try {
      writeFileSync(s.abs("doc.txt"), "v1\n");
      if (!hardLinks) s.backend.capabilities.hardLinks = false;
      await s.backend.replaceWhole("doc.txt", fileOf("v1\n"), Buffer.from("v2\n"), sha256("v2\n"));
      assert.is(s.read("doc.txt"), "v2\n");
      assert.equal(s.kept(), ["v1\n"]);
      assert.equal(s.temps(), []);
    } finally {
      s.cleanup();
    }
  }
});

test("wl container sync: a save renamed onto a large file while the pass replaces it stays (conflict, exit 1), and the next pass still shows it", async () => {
  const SAVE = "saved on b by the user\n";
  /** One try: the save lands when the replaced version appears in the store (the pass is then checking it). */
  const attempt = async (ws) => {
    localConfig(ws.dir);
    // 48 MiB: hashing the kept version takes tens of milliseconds, time enough for the test to save.
    writeFileSync(ws.path("a", "doc.bin"), bytes(48 << 20));
    // An mtime in the future: the kept version is not "settled", so its hash is what decides (as for any recent file).
    const future = Date.now() / 1000 + 86_400;
    utimesSync(ws.path("a", "doc.bin"), future, future);
    const first = await wl(ws.dir, ["container", "sync", "--one-shot", "box"]);
    assert.is(first.code, 0, first.stderr);

    writeFileSync(ws.path("a", "doc.bin"), "new content from a\n");
    const child = spawn(process.execPath, [WL, "container", "sync", "--one-shot", "box"], {
      cwd: ws.dir,
      env: { ...process.env, WLSYNC_STATE_DIR: ws.state },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const done = collect(child);
    let exited = false;
    done.then(() => (exited = true));
    const store = ws.path("b", ".wlsync", "versions");
    let saved = false;
    while (!exited) {
      if (existsSync(store) && readdirSync(store).length) {
        saveByRename(ws.path("b", "doc.bin"), SAVE);
        saved = true;
        break;
      }
      await new Promise((r) => setImmediate(r));
    }
    const r = await done;
    // Saved after the pass had put its copy in place (this process was not scheduled in time): the save simply won; try again.
    const late = !saved || (r.code === 0 && readFileSync(ws.path("b", "doc.bin"), "utf8") === SAVE);
    return { r, late };
  };
  for (let tries = 1; ; tries++) {
    const ws = workspace("wl-save-replace-e2e-");
    try {
      const { r, late } = await attempt(ws);
      if (late && tries < 3) continue;
      assert.not.ok(late, "the save landed while the pass replaced the file, in one of 3 tries");
      assert.is(readFileSync(ws.path("b", "doc.bin"), "utf8"), SAVE, `the save is at its path\n${r.stdout}\n${r.stderr}`);
      assert.is(r.code, 1, `a conflict, left untouched\n${r.stdout}\n${r.stderr}`);
      const next = await wl(ws.dir, ["container", "sync", "--one-shot", "box"]);
      assert.is(next.code, 1, `changed on both sides: still a conflict\n${next.stderr}`);
      assert.is(readFileSync(ws.path("b", "doc.bin"), "utf8"), SAVE);
      assert.is(readFileSync(ws.path("a", "doc.bin"), "utf8"), "new content from a\n");
      return;
    } finally {
      ws.cleanup();
    }
  }
});

test.run();

// The guards of a single copy (docs/design.md, rules 5 and 6), for small files (read whole) and large
// ones (streamed): a destination that changed since the plan is never overwritten, a source
// that changed is not copied, bytes that do not hash to the plan are not placed, and no
// temporary file is left behind.
import { createHash } from "node:crypto";
import fs, { appendFileSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import fsp from "node:fs/promises";
import { syncBuiltinESMExports } from "node:module";
import { basename } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { SMALL_FILE_BYTES } from "@wlsync/plugin-api";
import { copyOne } from "./helpers/core-internals.mjs";
import { LocalBackend } from "@wlsync/backend-local";
import { withFs } from "./helpers/filesystems.mjs";
import { bailingSuite, memoryHashCache, quietLogger as logger, rejectsWith } from "./helpers/unit.mjs";
import { workspace } from "./helpers/wl.mjs";

const sha256 = (data) => createHash("sha256").update(data).digest("hex");

function setup() {
  const ws = workspace("wl-copy-");
  ws.write("a/.keep", "");
  ws.write("b/.keep", "");
  const backend = (id) => new LocalBackend({ params: { "backend-id": id, type: "local", path: ws.path(id) }, configDir: ws.dir, hashCache: memoryHashCache(), logger });
  return { ws, a: backend("a"), b: backend("b") };
}

async function task(from, to, path, expected, planHash) {
  const entry = await from.stat(path);
  return { action: { type: "copy", path, to: "target", entry, hash: planHash, expected }, from, to };
}

const noHooks = { onBytes() {} };
const leftovers = (dir) => readdirSync(dir).filter((n) => n.startsWith(".wlsync-tmp-"));

/**
 * Runs `edit` once, right after the copy opens its temporary file in `dir`: after the
 * compare-and-swap's first check of the destination and before the new file is renamed over
 * it, the window a user's save can fall into. Hooks the fs functions that open files
 * (whichever the backend uses); `restore()` puts them back.
 */
function onTempFileOpened(dir, edit) {
  const hook = { fired: false };
  const saved = { openSync: fs.openSync, open: fs.open, promisesOpen: fsp.open };
  const seen = (path) => {
    if (hook.fired || !String(path).startsWith(dir) || !basename(String(path)).startsWith(".wlsync-tmp-")) return;
    hook.fired = true;
    edit();
  };
  fs.openSync = function (path, ...rest) {
    const fd = saved.openSync.call(fs, path, ...rest);
    seen(path);
    return fd;
  };
  fs.open = function (path, ...rest) {
    const cb = rest.pop();
    return saved.open.call(fs, path, ...rest, (err, fd) => {
      if (!err) seen(path);
      cb(err, fd);
    });
  };
  fsp.open = async function (path, ...rest) {
    const handle = await saved.promisesOpen.call(fsp, path, ...rest);
    seen(path);
    return handle;
  };
  syncBuiltinESMExports();
  hook.restore = () => {
    fs.openSync = saved.openSync;
    fs.open = saved.open;
    fsp.open = saved.promisesOpen;
    syncBuiltinESMExports();
  };
  return hook;
}

for (const [name, size] of [
  ["small file", 1000],
  ["large file", SMALL_FILE_BYTES + 1000],
]) {
  const t = bailingSuite(`copyOne, ${name}`);
  const content = Buffer.alloc(size, 7);

  t("copies the bytes, mode and mtime, remembers the hash, leaves no temporary file", async () => {
    const { ws, a, b } = setup();
    const p = ws.write("a/x.bin", content);
    const done = await copyOne(await task(a, b, "x.bin", { kind: "absent" }), noHooks);
    assert.is(done.hash, sha256(content));
    assert.ok(readFileSync(ws.path("b/x.bin")).equals(content));
    assert.is(lstatSync(ws.path("b/x.bin")).mode & 0o777, lstatSync(p).mode & 0o777);
    assert.is(Math.round(lstatSync(ws.path("b/x.bin")).mtimeMs), Math.round(lstatSync(p).mtimeMs));
    assert.is(b.knownHash("x.bin", await b.stat("x.bin")), sha256(content));
    assert.equal(leftovers(ws.path("b")), []);
    ws.cleanup();
  });

  t("creates missing parent folders", async () => {
    const { ws, a, b } = setup();
    ws.write("a/deep/er/x.bin", content);
    await copyOne(await task(a, b, "deep/er/x.bin", { kind: "absent" }), noHooks);
    assert.ok(readFileSync(ws.path("b/deep/er/x.bin")).equals(content));
    ws.cleanup();
  });

  t("a folder removed from the destination during the pass is not brought back (E_CHANGED)", async () => {
    const { ws, a, b } = setup();
    ws.write("a/gone/x.bin", content);
    const tk = await task(a, b, "gone/x.bin", { kind: "absent" });
    tk.action.createParents = false; // the plan saw b/gone, which a user then removed
    await rejectsWith(copyOne(tk, noHooks), "E_CHANGED");
    assert.equal(readdirSync(ws.path("b")).filter((n) => n !== ".wlsync"), [".keep"]);
    ws.cleanup();
  });

  t("a file that appeared at the destination since the plan is not overwritten (E_CAS)", async () => {
    const { ws, a, b } = setup();
    ws.write("a/x.bin", content);
    const tk = await task(a, b, "x.bin", { kind: "absent" });
    ws.write("b/x.bin", "theirs");
    await rejectsWith(copyOne(tk, noHooks), "E_CAS");
    assert.is(ws.read("b/x.bin"), "theirs");
    assert.equal(leftovers(ws.path("b")), []);
    ws.cleanup();
  });

  t("a destination edited since the plan is not replaced (E_CAS)", async () => {
    const { ws, a, b } = setup();
    ws.write("a/x.bin", content);
    ws.write("b/x.bin", "old");
    const tk = await task(a, b, "x.bin", { kind: "file", hash: sha256("old") });
    writeFileSync(ws.path("b/x.bin"), "edited");
    await rejectsWith(copyOne(tk, noHooks), "E_CAS");
    assert.is(ws.read("b/x.bin"), "edited");
    assert.equal(leftovers(ws.path("b")), []);
    ws.cleanup();
  });

  t("a destination saved over after the first check, while the new bytes are written, is not replaced (E_CAS)", async () => {
    const { ws, a, b } = setup();
    ws.write("a/x.bin", content);
    ws.write("b/x.bin", "old");
    const tk = await task(a, b, "x.bin", { kind: "file", hash: sha256("old") });
    // The destination still holds "old" when the copy starts (its first check passes); the
    // user's save lands once the temporary file exists: only the re-check before the rename sees it.
    const hook = onTempFileOpened(ws.path("b"), () => writeFileSync(ws.path("b/x.bin"), "saved by the user meanwhile"));
    try {
      await rejectsWith(copyOne(tk, noHooks), "E_CAS");
    } finally {
      hook.restore();
    }
    assert.ok(hook.fired, "the save was not made: the copy opened no temporary file in b (the hook needs updating)");
    assert.is(ws.read("b/x.bin"), "saved by the user meanwhile");
    assert.equal(leftovers(ws.path("b")), []);
    ws.cleanup();
  });

  t("replaces a destination that still holds what the plan saw", async () => {
    const { ws, a, b } = setup();
    ws.write("a/x.bin", content);
    ws.write("b/x.bin", "old");
    await copyOne(await task(a, b, "x.bin", { kind: "file", hash: sha256("old") }), noHooks);
    assert.ok(readFileSync(ws.path("b/x.bin")).equals(content));
    ws.cleanup();
  });

  t("a source changed since the plan is not copied (E_CHANGED)", async () => {
    const { ws, a, b } = setup();
    ws.write("a/x.bin", content);
    const tk = await task(a, b, "x.bin", { kind: "absent" });
    appendFileSync(ws.path("a/x.bin"), "more");
    await rejectsWith(copyOne(tk, noHooks), "E_CHANGED");
    assert.equal(readdirSync(ws.path("b")).filter((n) => n !== ".wlsync"), [".keep"]);
    ws.cleanup();
  });

  t("bytes that do not hash to what the plan saw are not placed (E_CHANGED)", async () => {
    const { ws, a, b } = setup();
    ws.write("a/x.bin", content);
    await rejectsWith(copyOne(await task(a, b, "x.bin", { kind: "absent" }, sha256("something else")), noHooks), "E_CHANGED");
    assert.equal(readdirSync(ws.path("b")).filter((n) => n !== ".wlsync"), [".keep"]);
    ws.cleanup();
  });

  t.run();
}

// ---- a destination without hard links (exFAT, a real loop mount) -------------------------------
// link(2) fails there: a new file is placed by re-check and rename, a replaced version is moved
// into the versions store (not linked) before the new content is renamed into place.
const noLinks = suite("copyOne, destination without hard links (exFAT)"); // mounts: a failure must reach the cleanup

/** Runs `fn({ ws, a, b })` with b on a fresh exFAT mount (b probed: no hard links). */
async function onExfat(what, fn) {
  const ws = workspace("wl-copy-exfat-");
  try {
    ws.write("a/.keep", "");
    mkdirSync(ws.path("b"));
    await withFs("exfat", ws.path("b"), what, async () => {
          const backend = (id) => new LocalBackend({ params: { "backend-id": id, type: "local", path: ws.path(id) }, configDir: ws.dir, hashCache: memoryHashCache(), logger });
      const b = backend("b");
      await b.probeCapabilities();
      assert.is(b.capabilities.hardLinks, false, "exFAT was expected to refuse link(2)");
      await fn({ ws, a: backend("a"), b });
    });
  } finally {
    ws.cleanup();
  }
}

const versionsOf = (ws, name) => (existsSync(ws.path("b/.wlsync/versions")) ? readdirSync(ws.path("b/.wlsync/versions"), { recursive: true }).filter((n) => basename(String(n)).startsWith(name)) : []);

for (const [name, size] of [
  ["small file", 1000],
  ["large file", SMALL_FILE_BYTES + 1000],
]) {
  const content = Buffer.alloc(size, 9);
  noLinks(`${name}: a replacement keeps the old version in the store, moved there, and places the new bytes`, () =>
    onExfat(`exFAT replacement, ${name}`, async ({ ws, a, b }) => {
      ws.write("a/x.bin", content);
      ws.write("b/x.bin", "old");
      await copyOne(await task(a, b, "x.bin", { kind: "file", hash: sha256("old") }), noHooks);
      assert.ok(readFileSync(ws.path("b/x.bin")).equals(content));
      const kept = versionsOf(ws, "x.bin");
      assert.is(kept.length, 1, JSON.stringify(kept));
      assert.is(readFileSync(ws.path("b/.wlsync/versions", String(kept[0])), "utf8"), "old");
      assert.equal(leftovers(ws.path("b")), []);
    }),
  );

  noLinks(`${name}: a save after the first check, before the rename, stays at its path (E_CAS); nothing is lost`, () =>
    onExfat(`exFAT save during a replacement, ${name}`, async ({ ws, a, b }) => {
      ws.write("a/x.bin", content);
      ws.write("b/x.bin", "old");
      const tk = await task(a, b, "x.bin", { kind: "file", hash: sha256("old") });
      const hook = onTempFileOpened(ws.path("b"), () => writeFileSync(ws.path("b/x.bin"), "saved by the user meanwhile"));
      try {
        await rejectsWith(copyOne(tk, noHooks), "E_CAS");
      } finally {
        hook.restore();
      }
      assert.ok(hook.fired, "the save was not made (the hook needs updating)");
      assert.ok(existsSync(ws.path("b/x.bin")), "the user's file was moved away from its path");
      assert.is(ws.read("b/x.bin"), "saved by the user meanwhile");
      assert.equal(leftovers(ws.path("b")), []);
    }),
  );

  noLinks(`${name}: a file that appeared at a new name after the first check is not overwritten (E_CAS)`, () =>
    onExfat(`exFAT new file racing a save, ${name}`, async ({ ws, a, b }) => {
      ws.write("a/x.bin", content);
      const tk = await task(a, b, "x.bin", { kind: "absent" });
      const hook = onTempFileOpened(ws.path("b"), () => writeFileSync(ws.path("b/x.bin"), "theirs"));
      try {
        await rejectsWith(copyOne(tk, noHooks), "E_CAS");
      } finally {
        hook.restore();
      }
      assert.is(ws.read("b/x.bin"), "theirs");
      assert.equal(leftovers(ws.path("b")), []);
    }),
  );
}

noLinks.run();

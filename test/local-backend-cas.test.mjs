// backend-local's compare-and-swap paths on a real temporary folder, one behaviour per test: a
// write or a deletion goes through only when the path still holds what the caller expects; the
// version it replaces or deletes is kept in `.wlsync/versions/` (linked before a replacement,
// moved by a deletion, or moved first where the file system has no hard links); a refusal
// changes nothing and leaves no temporary file; a version written between the check and the
// rename is put back. Where a race is needed, one fs call is wrapped (the file is really edited
// on disk at that moment) and unwrapped right after.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import fs from "node:fs";
import fsp from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { defaultFileMode, isPartialName, localFileToken } from "@wlsync/plugin-api";
import { LocalBackend } from "@wlsync/backend-local";
import { memoryHashCache, onceAround, quietLogger, rejectsWith } from "./helpers/unit.mjs";

const sha256 = (s) => createHash("sha256").update(s).digest("hex");
const fileOf = (content) => ({ kind: "file", hash: sha256(content) });

/** A local storage "disk" over a fresh temporary folder; `versions` as the storage's `versions` key. */
function storage(versions) {
  const dir = mkdtempSync(join(tmpdir(), "wl-local-cas-"));
  const params = { "backend-id": "disk", type: "local", path: dir, ...(versions === undefined ? {} : { versions }) };
  const backend = new LocalBackend({ params, configDir: dir, hashCache: memoryHashCache(), logger: quietLogger });
  const abs = (p) => join(dir, p);
  return {
    dir,
    backend,
    abs,
    write: (p, content, ageMs) => {
      writeFileSync(abs(p), content);
      if (ageMs) utimesSync(abs(p), (Date.now() - ageMs) / 1000, (Date.now() - ageMs) / 1000);
    },
    read: (p) => readFileSync(abs(p), "utf8"),
    /** What the versions store holds, as {path-with-time-suffix-removed: content}. */
    kept: () => {
      const root = abs(".wlsync/versions");
      if (!existsSync(root)) return {};
      const out = {};
      for (const name of readdirSync(root, { recursive: true })) {
        const st = lstatSync(join(root, name));
        if (st.isDirectory()) continue;
        out[name.replace(/~[^/]*$/, "")] = st.isSymbolicLink() ? `-> ${readlinkSync(join(root, name))}` : readFileSync(join(root, name), "utf8");
      }
      return out;
    },
    temps: () => readdirSync(dir, { recursive: true }).filter((n) => /(^|\/)\.wlsync-tmp-/.test(n)),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

// ---- replaceWhole (small files) and the safe-replace writer (large files)

const writers = {
  replaceWhole: (b, path, expected, data, options) => b.replaceWhole(path, expected, Buffer.from(data), sha256(data), options),
  "openForSafeReplace (stream)": async (b, path, expected, data, options) => {
    const w = await b.openForSafeReplace(path, expected, options);
    await new Promise((ok, ko) => w.stream.end(Buffer.from(data), (err) => (err ? ko(err) : ok())));
    return w.commit();
  },
  "openForSafeReplace (writeAt)": async (b, path, expected, data, options) => {
    const w = await b.openForSafeReplace(path, expected, options);
    const buf = Buffer.from(data);
    const half = buf.length >> 1;
    await w.writeAt(buf.subarray(half), buf.length - half, half); // out of order: positions count
    await w.writeAt(buf, half, 0);
    return w.commit();
  },
};

for (const [name, put] of Object.entries(writers)) {
  test(`${name}: replaces the expected file; the replaced version is kept; the entry is the placed file's`, async () => {
    const s = storage();
    try {
      s.write("doc.txt", "v1 of the document");
      const entry = await put(s.backend, "doc.txt", fileOf("v1 of the document"), "v2, a new version", {});
      assert.is(s.read("doc.txt"), "v2, a new version");
      assert.is(entry.token, localFileToken(lstatSync(s.abs("doc.txt"), { bigint: true })));
      assert.is(entry.size, 17);
      assert.equal(s.kept(), { "doc.txt": "v1 of the document" });
      assert.equal(s.temps(), []);
    } finally {
      s.cleanup();
    }
  });

  test(`${name}: a destination that no longer holds the expected version is left alone (E_CAS), nothing kept, no temporary file`, async () => {
    const s = storage();
    try {
      s.write("doc.txt", "edited by the user");
      const err = await rejectsWith(put(s.backend, "doc.txt", fileOf("v1"), "ours", {}), "E_CAS");
      assert.is(err.message, "doc.txt: changed on disk since the plan was made");
      assert.is(s.read("doc.txt"), "edited by the user");
      assert.equal(s.kept(), {});
      assert.equal(s.temps(), []);
      s.write("new.txt", "made by the user");
      await rejectsWith(put(s.backend, "new.txt", { kind: "absent" }, "ours", {}), "E_CAS");
      assert.is(s.read("new.txt"), "made by the user");
      await rejectsWith(put(s.backend, "gone.txt", fileOf("v1"), "ours", {}), "E_CAS");
      assert.not.ok(existsSync(s.abs("gone.txt")), "a deleted destination is not recreated");
      assert.equal(s.temps(), []);
    } finally {
      s.cleanup();
    }
  });

  test(`${name}: mode and mtime as asked; the default mode without one; a missing folder made only when the plan allows`, async () => {
    const s = storage();
    try {
      await put(s.backend, "m.txt", { kind: "absent" }, "with mode", { mode: 0o640, mtimeMs: 1_600_000_000_000 });
      const st = lstatSync(s.abs("m.txt"));
      assert.is(st.mode & 0o7777, 0o640);
      assert.is(st.mtimeMs, 1_600_000_000_000);
      await put(s.backend, "d.txt", { kind: "absent" }, "default", {});
      assert.is(lstatSync(s.abs("d.txt")).mode & 0o7777, defaultFileMode());
      assert.ok(Math.abs(lstatSync(s.abs("d.txt")).mtimeMs - Date.now()) < 60_000, "no mtime asked: written now");
      const err = await rejectsWith(put(s.backend, "removed/x.txt", { kind: "absent" }, "x", { createParents: false }), "E_CHANGED");
      assert.match(err.message, /^removed\/x\.txt: its folder was removed from disk during the pass; not recreated$/);
      assert.not.ok(existsSync(s.abs("removed")));
      await put(s.backend, "made/x.txt", { kind: "absent" }, "x", {});
      assert.is(s.read("made/x.txt"), "x");
      assert.equal(s.temps(), []);
    } finally {
      s.cleanup();
    }
  });

  test(`${name}: with versions off nothing is kept; a symlink replaced by a file is kept as the symlink`, async () => {
    const off = storage({ keep: "off" });
    const on = storage();
    try {
      off.write("doc.txt", "v1");
      await put(off.backend, "doc.txt", fileOf("v1"), "v2", {});
      assert.equal(off.kept(), {});
      assert.is(off.read("doc.txt"), "v2");
      symlinkSync("elsewhere", on.abs("link"));
      await put(on.backend, "link", { kind: "symlink", target: "elsewhere" }, "now a file", {});
      assert.is(on.read("link"), "now a file");
      assert.equal(on.kept(), { link: "-> elsewhere" });
      symlinkSync("elsewhere", on.abs("link2"));
      await rejectsWith(put(on.backend, "link2", { kind: "symlink", target: "other" }, "x", {}), "E_CAS");
      assert.is(readlinkSync(on.abs("link2")), "elsewhere");
    } finally {
      off.cleanup();
      on.cleanup();
    }
  });

  test(`${name}: without hard links the replaced version is moved into the store first, checked, then replaced`, async () => {
    const s = storage();
    try {
      s.backend.capabilities.hardLinks = false; // as probed on FAT/exFAT; this folder's rename(2) behaves the same
      s.write("doc.txt", "v1");
      await put(s.backend, "doc.txt", fileOf("v1"), "v2", {});
      assert.is(s.read("doc.txt"), "v2");
      assert.equal(s.kept(), { "doc.txt": "v1" });
      s.write("new.txt", "theirs");
      await rejectsWith(put(s.backend, "new.txt", { kind: "absent" }, "ours", {}), "E_CAS");
      assert.is(s.read("new.txt"), "theirs");
      assert.equal(s.temps(), []);
    } finally {
      s.cleanup();
    }
  });
}

test("openForSafeReplace: abort leaves the destination as it was and no temporary file; a write after open is caught at commit (E_CAS)", async () => {
  const s = storage();
  try {
    s.write("doc.txt", "v1");
    const w = await s.backend.openForSafeReplace("doc.txt", fileOf("v1"));
    w.stream.write("partial");
    await w.abort();
    assert.is(s.read("doc.txt"), "v1");
    assert.equal(s.temps(), []);
    const w2 = await s.backend.openForSafeReplace("doc.txt", fileOf("v1"));
    await w2.writeAt(Buffer.from("ours"), 4, 0);
    s.write("doc.txt", "saved while we wrote");
    await rejectsWith(w2.commit(), "E_CAS");
    assert.is(s.read("doc.txt"), "saved while we wrote");
    assert.equal(s.kept(), {});
    assert.equal(s.temps(), []);
    await rejectsWith(s.backend.openForSafeReplace("doc.txt", fileOf("v1")), "E_CAS");
    assert.equal(s.temps(), [], "refused before a temporary file is made");
  } finally {
    s.cleanup();
  }
});

test("replaceWhole: a save landing between the check and the rename is never replaced; the store keeps nothing that was not the planned version", async () => {
  for (const [old, label] of [
    [60_000, "old mtime (identity trusted)"],
    [0, "fresh mtime (hash decides)"],
  ]) {
    const s = storage();
    try {
      s.write("doc.txt", "v1 same size", old);
      // The version is linked into the store right after the check; the user's save lands just before that link.
      const hook = onceAround("linkSync", "doc.txt", () => writeFileSync(s.abs("doc.txt"), "V1 SAME SIZE"), "before");
      try {
        await rejectsWith(s.backend.replaceWhole("doc.txt", fileOf("v1 same size"), Buffer.from("ours"), sha256("ours")), "E_CAS");
      } finally {
        hook.restore();
      }
      assert.ok(hook.fired, label);
      assert.is(s.read("doc.txt"), "V1 SAME SIZE", label);
      assert.equal(s.kept(), {}, `${label}: the user's version is not a kept version`);
      assert.equal(s.temps(), [], label);
    } finally {
      s.cleanup();
    }
  }
});

// ---- openResumable: a large write a later pass continues

test("openResumable: a suspended write stays on disk under a partial name; continued from its checkpoint (later bytes cut off), verified through the prefix reader, then committed", async () => {
  const s = storage();
  try {
    s.write("big.bin", "old");
    const first = await s.backend.openResumable("big.bin", fileOf("old"), {});
    assert.is(first.offset, 0);
    assert.ok(isPartialName(first.handle.name), first.handle.name);
    assert.is(first.handle.ino, String(lstatSync(join(s.dir, first.handle.name), { bigint: true }).ino));
    await first.writeAt(Buffer.from("hello XXX"), 9, 0);
    await first.suspend();
    assert.is(readFileSync(join(s.dir, first.handle.name), "utf8"), "hello XXX", "left in place for the next pass");
    assert.is(s.read("big.bin"), "old");

    const again = await s.backend.openResumable("big.bin", fileOf("old"), {}, { handle: first.handle, offset: 6, keep: true });
    assert.is(again.offset, 6);
    assert.equal(again.handle, first.handle, "the same partial file, continued");
    const reader = await again.openPrefixReader();
    const buf = Buffer.alloc(16);
    const n = await reader.read(buf, 0);
    await reader.close();
    assert.is(buf.subarray(0, n).toString(), "hello ", "what follows the checkpoint was cut off");
    await again.writeAt(Buffer.from("world"), 5, 6);
    await again.commit();
    assert.is(s.read("big.bin"), "hello world");
    assert.equal(
      readdirSync(s.dir).filter((n) => isPartialName(n)),
      [],
    );
    assert.equal(s.kept(), { "big.bin": "old" });
  } finally {
    s.cleanup();
  }
});

test("openResumable: a previous write is not continued when the host says so, when it is shorter than its checkpoint or is another file; a name that is not a partial file's is never touched", async () => {
  const s = storage();
  try {
    const start = async () => {
      const w = await s.backend.openResumable("big.bin", { kind: "absent" }, {});
      await w.writeAt(Buffer.from("12345"), 5, 0);
      await w.suspend();
      return w.handle;
    };
    const partials = () => readdirSync(s.dir).filter((n) => isPartialName(n));
    let h = await start();
    let w = await s.backend.openResumable("big.bin", { kind: "absent" }, {}, { handle: h, offset: 5, keep: false });
    assert.is(w.offset, 0, "keep: false");
    assert.is.not(w.handle.name, h.name);
    assert.not.ok(existsSync(join(s.dir, h.name)), "the stale partial file is removed");
    await w.abort();
    assert.equal(partials(), []);

    h = await start();
    w = await s.backend.openResumable("big.bin", { kind: "absent" }, {}, { handle: h, offset: 6, keep: true });
    assert.is(w.offset, 0, "shorter than the checkpoint");
    await w.abort();

    h = await start();
    w = await s.backend.openResumable("big.bin", { kind: "absent" }, {}, { handle: { ...h, ino: String(BigInt(h.ino) + 1n) }, offset: 5, keep: true });
    assert.is(w.offset, 0, "another inode under that name: not ours");
    await w.abort();
    assert.equal(partials(), []);

    s.write("notes.txt", "the user's");
    w = await s.backend.openResumable("big.bin", { kind: "absent" }, {}, { handle: { name: "notes.txt", ino: "1" }, offset: 0, keep: false });
    assert.is(w.offset, 0);
    await w.abort();
    assert.is(s.read("notes.txt"), "the user's", "a handle naming a file that is not a partial write is ignored");

    await rejectsWith(s.backend.openResumable("notes.txt", { kind: "absent" }, {}), "E_CAS");
    assert.equal(partials(), []);
  } finally {
    s.cleanup();
  }
});

test("versions kept by replacements and deletions are listed (below a folder too), read back and removed", async () => {
  const s = storage();
  try {
    mkdirSync(s.abs("sub"));
    s.write("sub/doc.txt", "v1");
    s.write("top.txt", "t1");
    await s.backend.replaceWhole("sub/doc.txt", fileOf("v1"), Buffer.from("v2"), sha256("v2"));
    await s.backend.remove("top.txt", fileOf("t1"));
    const all = await s.backend.listVersions();
    assert.equal(all.map((v) => v.path).sort(), ["sub/doc.txt", "top.txt"]);
    const below = await s.backend.listVersions("sub");
    assert.equal(below.map((v) => v.path), ["sub/doc.txt"]);
    const chunks = [];
    for await (const c of await s.backend.openVersion(below[0])) chunks.push(c);
    assert.is(Buffer.concat(chunks).toString(), "v1");
    await s.backend.removeVersion(below[0]);
    assert.equal((await s.backend.listVersions()).map((v) => v.path), ["top.txt"]);
  } finally {
    s.cleanup();
  }
});

test("a write below a file (its folder cannot exist): E_BACKEND with the system's reason, nothing left behind", async () => {
  const s = storage();
  try {
    s.write("f", "a file where a folder would be");
    const small = await rejectsWith(s.backend.replaceWhole("f/x.txt", { kind: "absent" }, Buffer.from("x"), sha256("x")), "E_BACKEND");
    assert.match(small.message, /^cannot (write it|create its folder) on disk: /);
    const large = await rejectsWith(s.backend.openForSafeReplace("f/x.txt", { kind: "absent" }), "E_BACKEND");
    assert.match(large.message, /^cannot create its folder on disk: /);
    const resumable = await rejectsWith(s.backend.openResumable("f/x.txt", { kind: "absent" }, {}), "E_BACKEND");
    assert.match(resumable.message, /^cannot create its folder on disk: /);
    assert.is(s.read("f"), "a file where a folder would be");
    assert.equal(s.temps(), []);
  } finally {
    s.cleanup();
  }
});

// ---- remove

test("remove: a file is moved into the versions store (versions on) or unlinked (off); a changed file is left (E_CAS)", async () => {
  const on = storage();
  const off = storage({ keep: "off" });
  try {
    on.write("doc.txt", "v1");
    await on.backend.remove("doc.txt", fileOf("v1"));
    assert.not.ok(existsSync(on.abs("doc.txt")));
    assert.equal(on.kept(), { "doc.txt": "v1" });
    off.write("doc.txt", "v1");
    await off.backend.remove("doc.txt", fileOf("v1"));
    assert.not.ok(existsSync(off.abs("doc.txt")));
    assert.equal(off.kept(), {});
    for (const s of [on, off]) {
      s.write("edited.txt", "edited");
      const err = await rejectsWith(s.backend.remove("edited.txt", fileOf("v1")), "E_CAS");
      assert.is(err.message, "edited.txt: changed on disk since the plan was made");
      assert.is(s.read("edited.txt"), "edited");
      await rejectsWith(s.backend.remove("never.txt", fileOf("v1")), "E_CAS");
    }
    assert.equal(on.kept(), { "doc.txt": "v1" });
  } finally {
    on.cleanup();
    off.cleanup();
  }
});

test("remove: a symlink is kept as a version; a folder is removed only when empty, else E_BACKEND with the reason", async () => {
  const s = storage();
  try {
    symlinkSync("target", s.abs("link"));
    await s.backend.remove("link", { kind: "symlink", target: "target" });
    assert.not.ok(existsSync(s.abs("link")) || lstatSync(s.abs("link"), { throwIfNoEntry: false }));
    assert.equal(s.kept(), { link: "-> target" });
    mkdirSync(s.abs("empty"));
    await s.backend.remove("empty", { kind: "dir" });
    assert.not.ok(existsSync(s.abs("empty")));
    mkdirSync(s.abs("full"));
    writeFileSync(s.abs("full/ignored.tmp"), "not synced");
    const err = await rejectsWith(s.backend.remove("full", { kind: "dir" }), "E_BACKEND");
    assert.is(err.message, "full/: not deleted on disk: the folder still holds files that are not synced (ignored or unreadable)");
    assert.ok(existsSync(s.abs("full/ignored.tmp")));
  } finally {
    s.cleanup();
  }
});

test("remove: without hard links a deletion moves the version into the store too; one written between the check and the move is put back (E_CAS)", async () => {
  for (const [old, label] of [
    [60_000, "old mtime"],
    [0, "fresh mtime"],
  ]) {
    const s = storage();
    try {
      s.write("doc.txt", "v1 same size", old);
      const hook = onceAround("renameSync", "doc.txt", () => writeFileSync(s.abs("doc.txt"), "V1 SAME SIZE"), "before");
      try {
        await rejectsWith(s.backend.remove("doc.txt", fileOf("v1 same size")), "E_CAS");
      } finally {
        hook.restore();
      }
      assert.ok(hook.fired, label);
      assert.is(s.read("doc.txt"), "V1 SAME SIZE", `${label}: the save is back at its path`);
      assert.equal(s.kept(), {}, `${label}: and not left in the store`);
    } finally {
      s.cleanup();
    }
  }
});

test("remove: a file deleted by someone between the check and the move is a conflict (E_CAS), not an error", async () => {
  const s = storage();
  try {
    s.write("doc.txt", "v1");
    const hook = onceAround("renameSync", "doc.txt", () => rmSync(s.abs("doc.txt")), "before");
    try {
      const err = await rejectsWith(s.backend.remove("doc.txt", fileOf("v1")), "E_CAS");
      assert.is(err.message, "doc.txt: disappeared on disk since the plan was made");
    } finally {
      hook.restore();
    }
    assert.ok(hook.fired);
  } finally {
    s.cleanup();
  }
});

// ---- moveWithin / copyWithin

test("moveWithin: moves the file holding the expected hash to a free name; refuses a changed source or a taken name; mode and mtime as asked", async () => {
  for (const hardLinks of [undefined, false]) {
    const s = storage();
    const label = hardLinks === false ? "without hard links" : "with hard links";
    try {
      if (hardLinks === false) s.backend.capabilities.hardLinks = false;
      s.write("a.txt", "content");
      const entry = await s.backend.moveWithin("a.txt", "sub/b.txt", {
        hash: sha256("content"),
        expected: { kind: "absent" },
        mode: 0o600,
        mtimeMs: 1_500_000_000_000,
      });
      assert.not.ok(existsSync(s.abs("a.txt")), label);
      assert.is(s.read("sub/b.txt"), "content", label);
      const st = lstatSync(s.abs("sub/b.txt"), { bigint: true });
      assert.is(Number(st.mode) & 0o7777, 0o600, label);
      assert.is(Number(st.mtimeNs / 1_000_000n), 1_500_000_000_000, label);
      assert.is(entry.token, localFileToken(st), label);

      s.write("c.txt", "edited");
      await rejectsWith(s.backend.moveWithin("c.txt", "d.txt", { hash: sha256("content"), expected: { kind: "absent" } }), "E_CAS");
      assert.is(s.read("c.txt"), "edited", label);
      assert.not.ok(existsSync(s.abs("d.txt")), label);

      s.write("e.txt", "content");
      s.write("taken.txt", "theirs");
      const err = await rejectsWith(s.backend.moveWithin("e.txt", "taken.txt", { hash: sha256("content"), expected: { kind: "absent" } }), "E_CAS");
      assert.is(err.message, "taken.txt: appeared on disk since the plan was made", label);
      assert.is(s.read("taken.txt"), "theirs", label);
      assert.is(s.read("e.txt"), "content", label);
      await rejectsWith(s.backend.moveWithin("e.txt", "taken.txt", { hash: sha256("content"), expected: fileOf("theirs") }), "E_BACKEND");
      const gone = await rejectsWith(
        s.backend.moveWithin("e.txt", "removed/x.txt", { hash: sha256("content"), expected: { kind: "absent" }, createParents: false }),
        "E_CHANGED",
      );
      assert.match(gone.message, /removed\/x\.txt: its folder was removed/);
      assert.is(s.read("e.txt"), "content", label);
    } finally {
      s.cleanup();
    }
  }
});

test("moveWithin: a write reaching the file between its check and the link is caught: the file goes back to its old name (E_CAS)", async () => {
  for (const hardLinks of [undefined, false]) {
    const s = storage();
    const label = hardLinks === false ? "without hard links" : "with hard links";
    try {
      if (hardLinks === false) s.backend.capabilities.hardLinks = false;
      s.write("a.txt", "content", 60_000);
      const hook = onceAround(hardLinks === false ? "renameSync" : "linkSync", "b.txt", () => writeFileSync(s.abs("a.txt"), "CONTENT"), "before");
      try {
        await rejectsWith(s.backend.moveWithin("a.txt", "b.txt", { hash: sha256("content"), expected: { kind: "absent" } }), "E_CAS");
      } finally {
        hook.restore();
      }
      assert.ok(hook.fired, label);
      assert.is(s.read("a.txt"), "CONTENT", label);
      assert.not.ok(existsSync(s.abs("b.txt")), label);
    } finally {
      s.cleanup();
    }
  }
});

test("copyWithin: a verified copy at a free name; a source that no longer hashes as planned is not copied", async () => {
  const s = storage();
  try {
    s.write("a.txt", "content");
    const entry = await s.backend.copyWithin("a.txt", "b.txt", {
      hash: sha256("content"),
      expected: { kind: "absent" },
      mode: 0o604,
      mtimeMs: 1_400_000_000_000,
    });
    assert.is(s.read("b.txt"), "content");
    assert.is(s.read("a.txt"), "content");
    const st = lstatSync(s.abs("b.txt"), { bigint: true });
    assert.is(Number(st.mode) & 0o7777, 0o604);
    assert.is(Number(st.mtimeNs / 1_000_000n), 1_400_000_000_000);
    assert.is(entry.token, localFileToken(st));
    await rejectsWith(s.backend.copyWithin("a.txt", "c.txt", { hash: sha256("other"), expected: { kind: "absent" } }), "E_CAS");
    assert.not.ok(existsSync(s.abs("c.txt")));
    await rejectsWith(s.backend.copyWithin("a.txt", "b.txt", { hash: sha256("content"), expected: { kind: "absent" } }), "E_CAS");
    await rejectsWith(s.backend.copyWithin("a.txt", "b.txt", { hash: sha256("content"), expected: fileOf("content") }), "E_BACKEND");
    // The source changes after its check, while it is copied: the copy's own hash refuses it.
    const hook = onceAround("copyFile", "a.txt", () => writeFileSync(s.abs("a.txt"), "CONTENT"), "before", fsp);
    try {
      await rejectsWith(s.backend.copyWithin("a.txt", "d.txt", { hash: sha256("content"), expected: { kind: "absent" } }), "E_CAS");
    } finally {
      hook.restore();
    }
    assert.ok(hook.fired);
    assert.not.ok(existsSync(s.abs("d.txt")));
    assert.equal(s.temps(), []);
  } finally {
    s.cleanup();
  }
});

// ---- setMode and symlink

test("setMode: chmod only while the file has the token (and mode) the plan saw", async () => {
  const s = storage();
  try {
    s.write("f.txt", "x");
    chmodSync(s.abs("f.txt"), 0o644);
    const before = await s.backend.stat("f.txt");
    const after = await s.backend.setMode("f.txt", 0o600, before);
    assert.is(lstatSync(s.abs("f.txt")).mode & 0o7777, 0o600);
    assert.is(after.mode, 0o600);
    await rejectsWith(s.backend.setMode("f.txt", 0o640, before), "E_CAS"); // before's token is gone (ctime moved)
    const changed = await rejectsWith(s.backend.setMode("f.txt", 0o640, { token: after.token, mode: 0o644 }), "E_CAS");
    assert.is(changed.message, "f.txt: changed on disk since the plan was made");
    assert.is(lstatSync(s.abs("f.txt")).mode & 0o7777, 0o600);
    await s.backend.setMode("f.txt", 0o4640, { token: after.token });
    assert.is(lstatSync(s.abs("f.txt")).mode & 0o7777, 0o640, "only permission bits, no setuid");
    assert.is((await rejectsWith(s.backend.setMode("none.txt", 0o600, after), "E_CAS")).message, "none.txt: disappeared on disk since the plan was made");
    mkdirSync(s.abs("dir"));
    assert.is((await rejectsWith(s.backend.setMode("dir", 0o700, after), "E_CAS")).message, "dir: is no longer a file on disk since the plan was made");
  } finally {
    s.cleanup();
  }
});

test("symlink: made where nothing is; refused where something appeared", async () => {
  const s = storage();
  try {
    await s.backend.symlink("sub/l", "../t", { kind: "absent" });
    assert.is(readlinkSync(s.abs("sub/l")), "../t");
    const err = await rejectsWith(s.backend.symlink("sub/l", "other", { kind: "absent" }), "E_CAS");
    assert.is(err.message, "sub/l: appeared on disk since the plan was made");
    assert.is(readlinkSync(s.abs("sub/l")), "../t");
  } finally {
    s.cleanup();
  }
});

// ---- the re-checks between the first check and the rename, one race each

const isTemp = (arg) => /(^|\/)\.wlsync-tmp-[^/]*$/.test(arg);

test("versions off: a save landing after the first check, while the new content is written, is caught by the re-check before the rename (E_CAS)", async () => {
  for (const [label, name, mod] of [
    ["replaceWhole", "openSync", fs],
    ["openForSafeReplace", "open", fsp],
  ]) {
    const s = storage({ keep: "off" });
    try {
      s.write("doc.txt", "v1");
      // The temporary file is made after the first check: the user's save lands right then.
      const hook = onceAround(name, isTemp, () => s.write("doc.txt", "saved meanwhile"), "before", mod);
      try {
        await rejectsWith(writers[label === "replaceWhole" ? "replaceWhole" : "openForSafeReplace (stream)"](s.backend, "doc.txt", fileOf("v1"), "ours", {}), "E_CAS");
      } finally {
        hook.restore();
      }
      assert.ok(hook.fired, label);
      assert.is(s.read("doc.txt"), "saved meanwhile", label);
      assert.equal(s.temps(), [], label);
    } finally {
      s.cleanup();
    }
  }
});

test("a save that keeps the size and sets the mtime back, within 2 s of it, is told by its hash: not replaced, not deleted, not moved (E_CAS)", async () => {
  // Same inode, size and mtime as checked: only the bytes tell (the mtime is too recent to trust).
  const mtime = (Date.now() - 1000) / 1000;
  const sneak = (s, p) => () => {
    writeFileSync(s.abs(p), "V1 SAME SIZE");
    utimesSync(s.abs(p), mtime, mtime);
  };
  const cases = [
    ["replaceWhole (kept by a link)", "linkSync", "doc.txt", undefined, (s) => s.backend.replaceWhole("doc.txt", fileOf("v1 same size"), Buffer.from("ours"), sha256("ours"))],
    ["replaceWhole (moved aside)", "renameSync", "doc.txt", false, (s) => s.backend.replaceWhole("doc.txt", fileOf("v1 same size"), Buffer.from("ours"), sha256("ours"))],
    ["remove", "renameSync", "doc.txt", undefined, (s) => s.backend.remove("doc.txt", fileOf("v1 same size"))],
  ];
  for (const [label, call, suffix, hardLinks, run] of cases) {
    const s = storage();
    try {
      if (hardLinks === false) s.backend.capabilities.hardLinks = false;
      s.write("doc.txt", "v1 same size");
      utimesSync(s.abs("doc.txt"), mtime, mtime);
      const hook = onceAround(call, suffix, sneak(s, "doc.txt"), "before");
      try {
        await rejectsWith(run(s), "E_CAS");
      } finally {
        hook.restore();
      }
      assert.ok(hook.fired, label);
      assert.is(s.read("doc.txt"), "V1 SAME SIZE", label);
      assert.equal(s.kept(), {}, label);
      assert.equal(s.temps(), [], label);
    } finally {
      s.cleanup();
    }
  }
  const s = storage();
  try {
    s.write("a.txt", "v1 same size");
    utimesSync(s.abs("a.txt"), mtime, mtime);
    const hook = onceAround("linkSync", "b.txt", sneak(s, "a.txt"), "before");
    try {
      await rejectsWith(s.backend.moveWithin("a.txt", "b.txt", { hash: sha256("v1 same size"), expected: { kind: "absent" } }), "E_CAS");
    } finally {
      hook.restore();
    }
    assert.ok(hook.fired, "moveWithin");
    assert.is(s.read("a.txt"), "V1 SAME SIZE", "moveWithin");
    assert.not.ok(existsSync(s.abs("b.txt")), "moveWithin");
  } finally {
    s.cleanup();
  }
});

test("a settled version (old mtime, same inode, size and mtime as checked) is kept without reading it again", async () => {
  const s = storage();
  try {
    // Whether reading moves the access time here (not on a noatime mount).
    s.write("probe", "x");
    const old = Date.now() / 1000 - 3 * 86400;
    utimesSync(s.abs("probe"), old, old);
    readFileSync(s.abs("probe"));
    if (lstatSync(s.abs("probe")).atimeMs < (old + 60) * 1000) {
      console.log("[not run] a settled version is kept without reading it: reads do not move the access time here (noatime)");
      return;
    }
    for (const [label, hardLinks] of [
      ["kept by a link", undefined],
      ["moved aside", false],
    ]) {
      if (hardLinks === false) s.backend.capabilities.hardLinks = false;
      s.write("doc.txt", "v1");
      utimesSync(s.abs("doc.txt"), old, old);
      // The plan's hash is known (cached under the current token): the first check reads nothing either.
      const entry = await s.backend.stat("doc.txt");
      s.backend.hashCache.put(s.backend.identity(), "doc.txt", entry.token, sha256("v1"));
      await s.backend.replaceWhole("doc.txt", fileOf("v1"), Buffer.from("v2"), sha256("v2"));
      assert.is(s.read("doc.txt"), "v2", label);
      const root = s.abs(".wlsync/versions");
      const [name] = readdirSync(root);
      assert.ok(lstatSync(join(root, name)).atimeMs < (old + 60) * 1000, `${label}: the kept version was not read`);
      rmSync(root, { recursive: true });
    }
  } finally {
    s.cleanup();
  }
});

test("a symlink changed between its check and being kept is left where it is (E_CAS); so is a file replaced by a symlink to the same bytes", async () => {
  for (const [label, call, hardLinks, run] of [
    ["remove", "renameSync", undefined, (s) => s.backend.remove("link", { kind: "symlink", target: "t1" })],
    ["replaceWhole (kept by a link)", "linkSync", undefined, (s) => s.backend.replaceWhole("link", { kind: "symlink", target: "t1" }, Buffer.from("x"), sha256("x"))],
    ["replaceWhole (moved aside)", "renameSync", false, (s) => s.backend.replaceWhole("link", { kind: "symlink", target: "t1" }, Buffer.from("x"), sha256("x"))],
  ]) {
    for (const [now, edit] of [
      ["retargeted", (s) => symlinkSync("t2", s.abs("link"))],
      ["a file now", (s) => writeFileSync(s.abs("link"), "t1")],
    ]) {
      const s = storage();
      try {
        if (hardLinks === false) s.backend.capabilities.hardLinks = false;
        symlinkSync("t1", s.abs("link"));
        const hook = onceAround(call, "link", () => {
          rmSync(s.abs("link"));
          edit(s);
        }, "before");
        try {
          await rejectsWith(run(s), "E_CAS");
        } finally {
          hook.restore();
        }
        assert.ok(hook.fired, `${label}, ${now}`);
        const st = lstatSync(s.abs("link"));
        assert.is(st.isSymbolicLink() ? `-> ${readlinkSync(s.abs("link"))}` : s.read("link"), now === "a file now" ? "t1" : "-> t2", `${label}, ${now}`);
        assert.equal(s.kept(), {}, `${label}, ${now}`);
      } finally {
        s.cleanup();
      }
    }
  }
  // A file swapped for a symlink to a file with the same bytes: the link is not the version checked.
  for (const [label, call, hardLinks, run] of [
    ["remove", "renameSync", undefined, (s) => s.backend.remove("doc.txt", fileOf("v1"))],
    ["replaceWhole (kept by a link)", "linkSync", undefined, (s) => s.backend.replaceWhole("doc.txt", fileOf("v1"), Buffer.from("x"), sha256("x"))],
  ]) {
    const s = storage();
    try {
      if (hardLinks === false) s.backend.capabilities.hardLinks = false;
      s.write("doc.txt", "v1");
      s.write("same.txt", "v1");
      const hook = onceAround(call, "doc.txt", () => {
        rmSync(s.abs("doc.txt"));
        symlinkSync(s.abs("same.txt"), s.abs("doc.txt"));
      }, "before");
      try {
        await rejectsWith(run(s), "E_CAS");
      } finally {
        hook.restore();
      }
      assert.ok(hook.fired, label);
      assert.is(readlinkSync(s.abs("doc.txt")), s.abs("same.txt"), label);
      assert.equal(s.kept(), {}, label);
    } finally {
      s.cleanup();
    }
  }
});

test("a file gone between its check and being kept, or its folder now a file, is a conflict (E_CAS 'disappeared'), not an error", async () => {
  for (const [label, call, hardLinks, run] of [
    ["remove", "renameSync", undefined, (s) => s.backend.remove("d/doc.txt", fileOf("v1"))],
    ["replaceWhole (kept by a link)", "linkSync", undefined, (s) => s.backend.replaceWhole("d/doc.txt", fileOf("v1"), Buffer.from("x"), sha256("x"))],
  ]) {
    for (const [now, edit] of [
      ["deleted", (s) => rmSync(s.abs("d/doc.txt"))],
      ["its folder a file", (s) => {
        rmSync(s.abs("d"), { recursive: true });
        s.write("d", "a file now");
      }],
    ]) {
      const s = storage();
      try {
        if (hardLinks === false) s.backend.capabilities.hardLinks = false;
        mkdirSync(s.abs("d"));
        s.write("d/doc.txt", "v1");
        const hook = onceAround(call, "d/doc.txt", () => edit(s), "before");
        try {
          const err = await rejectsWith(run(s), "E_CAS");
          assert.is(err.message, "d/doc.txt: disappeared on disk since the plan was made", `${label}, ${now}`);
        } finally {
          hook.restore();
        }
        assert.ok(hook.fired, `${label}, ${now}`);
        assert.equal(s.kept(), {}, `${label}, ${now}`);
        assert.equal(s.temps(), [], `${label}, ${now}`);
      } finally {
        s.cleanup();
      }
    }
  }
});

test("wl's own files (below .wlsync/) are replaced and deleted without keeping versions of them", async () => {
  const s = storage();
  try {
    mkdirSync(s.abs(".wlsync"));
    s.write(".wlsync/note", "v1");
    await s.backend.replaceWhole(".wlsync/note", fileOf("v1"), Buffer.from("v2"), sha256("v2"));
    assert.is(s.read(".wlsync/note"), "v2");
    assert.equal(s.kept(), {});
    await s.backend.remove(".wlsync/note", fileOf("v2"));
    assert.not.ok(existsSync(s.abs(".wlsync/note")));
    assert.equal(s.kept(), {});
  } finally {
    s.cleanup();
  }
});

test("a new file's name taken between the check and the placing is never replaced: the link refuses it (E_CAS 'appeared')", async () => {
  const s = storage();
  try {
    const theirs = () => {
      if (!existsSync(s.abs("new.txt"))) s.write("new.txt", "theirs");
    };
    const hooks = [onceAround("linkSync", "new.txt", theirs, "before"), onceAround("renameSync", "new.txt", theirs, "before")];
    try {
      const err = await rejectsWith(s.backend.replaceWhole("new.txt", { kind: "absent" }, Buffer.from("ours"), sha256("ours")), "E_CAS");
      assert.is(err.message, "new.txt: appeared on disk since the plan was made");
    } finally {
      for (const h of hooks) h.restore();
    }
    assert.is(s.read("new.txt"), "theirs");
    assert.equal(s.temps(), []);
  } finally {
    s.cleanup();
  }
});

test("remove: a file or folder deleted by someone between the check and the deletion is simply gone (versions off)", async () => {
  const s = storage({ keep: "off" });
  try {
    s.write("doc.txt", "v1");
    mkdirSync(s.abs("empty"));
    // (a file goes by a synchronous unlink, right after its last look: see remove)
    for (const [name, path, expected, mod] of [
      ["unlinkSync", "doc.txt", fileOf("v1"), fs],
      ["rmdir", "empty", { kind: "dir" }, fsp],
    ]) {
      const hook = onceAround(name, path, () => rmSync(s.abs(path), { recursive: true }), "before", mod);
      try {
        await s.backend.remove(path, expected);
      } finally {
        hook.restore();
      }
      assert.ok(hook.fired, name);
      assert.not.ok(existsSync(s.abs(path)), name);
    }
  } finally {
    s.cleanup();
  }
});

test("symlink: a name taken between the check and symlink(2) is left alone (E_CAS 'appeared')", async () => {
  const s = storage();
  try {
    const hook = onceAround("symlink", "sub/l", () => {
      mkdirSync(s.abs("sub"), { recursive: true });
      s.write("sub/l", "theirs");
    }, "before", fsp);
    try {
      const err = await rejectsWith(s.backend.symlink("sub/l", "t", { kind: "absent" }), "E_CAS");
      assert.is(err.message, "sub/l: appeared on disk since the plan was made");
    } finally {
      hook.restore();
    }
    assert.ok(hook.fired);
    assert.is(s.read("sub/l"), "theirs");
  } finally {
    s.cleanup();
  }
});

/** Makes `path` immutable (chattr +i: even root cannot change its entries); returns the undo, or null where the file system has no such flag. */
function immutable(path) {
  try {
    execFileSync("chattr", ["+i", path], { stdio: "ignore" });
  } catch {
    return null;
  }
  return () => execFileSync("chattr", ["-i", path], { stdio: "ignore" });
}

test("a folder that refuses writes (immutable): each write, deletion, link, copy and move fails with E_BACKEND and the system's reason; nothing changes", async () => {
  const s = storage({ keep: "off" });
  let undo = [];
  try {
    mkdirSync(s.abs("ro"));
    s.write("ro/doc.txt", "v1");
    s.write("ro/mode.txt", "m");
    s.write("a.txt", "content");
    const file = immutable(s.abs("ro/mode.txt"));
    const dir = immutable(s.abs("ro"));
    undo = [dir, file];
    if (!dir || !file) {
      console.log("[not run] writes into an immutable folder: chattr +i does not work here");
      return;
    }
    const cases = [
      ["replaceWhole", () => s.backend.replaceWhole("ro/doc.txt", fileOf("v1"), Buffer.from("v2"), sha256("v2")), /^cannot write it on disk: /],
      ["replaceWhole (new)", () => s.backend.replaceWhole("ro/new.txt", { kind: "absent" }, Buffer.from("v2"), sha256("v2")), /^cannot write it on disk: /],
      ["openForSafeReplace", () => s.backend.openForSafeReplace("ro/doc.txt", fileOf("v1")), /^cannot write it on disk: /],
      ["openResumable", () => s.backend.openResumable("ro/doc.txt", fileOf("v1"), {}), /^cannot write it on disk: /],
      ["remove", () => s.backend.remove("ro/doc.txt", fileOf("v1")), /^cannot delete it on disk: /],
      ["symlink", () => s.backend.symlink("ro/l", "t", { kind: "absent" }), /^cannot create this symlink on disk: /],
      ["copyWithin", () => s.backend.copyWithin("a.txt", "ro/b.txt", { hash: sha256("content"), expected: { kind: "absent" } }), /^cannot copy a\.txt to ro\/b\.txt on disk: /],
      ["moveWithin", () => s.backend.moveWithin("a.txt", "ro/b.txt", { hash: sha256("content"), expected: { kind: "absent" } }), /^cannot move a\.txt to ro\/b\.txt on disk: /],
      ["setMode", async () => s.backend.setMode("ro/mode.txt", 0o600, await s.backend.stat("ro/mode.txt")), /^cannot change its permissions on disk: /],
    ];
    for (const [label, run, message] of cases) {
      const err = await rejectsWith(run(), "E_BACKEND");
      assert.match(err.message, message, label);
      assert.match(err.message, /operation not permitted|EPERM/i, label);
    }
    assert.equal(readdirSync(s.abs("ro")).sort(), ["doc.txt", "mode.txt"]);
    assert.is(s.read("ro/doc.txt"), "v1");
    assert.is(s.read("a.txt"), "content");
    assert.equal(s.temps(), []);
  } finally {
    for (const u of undo) u?.();
    s.cleanup();
  }
});

test("a versions store that refuses writes (immutable): a replacement or deletion fails with E_BACKEND naming the store; the file stays", async () => {
  for (const [label, hardLinks, run] of [
    ["remove", undefined, (s) => s.backend.remove("doc.txt", fileOf("v1"))],
    ["replaceWhole (kept by a link)", undefined, (s) => s.backend.replaceWhole("doc.txt", fileOf("v1"), Buffer.from("v2"), sha256("v2"))],
    ["replaceWhole (moved aside)", false, (s) => s.backend.replaceWhole("doc.txt", fileOf("v1"), Buffer.from("v2"), sha256("v2"))],
  ]) {
    const s = storage();
    let undo;
    try {
      if (hardLinks === false) s.backend.capabilities.hardLinks = false;
      s.write("doc.txt", "v1");
      mkdirSync(s.abs(".wlsync/versions"), { recursive: true });
      undo = immutable(s.abs(".wlsync/versions"));
      if (!undo) {
        console.log("[not run] an immutable versions store: chattr +i does not work here");
        return;
      }
      const err = await rejectsWith(run(s), "E_BACKEND");
      assert.ok(err.message.startsWith(`cannot keep the old version on disk (${s.abs(".wlsync/versions")}): `), `${label}: ${err.message}`);
      assert.is(s.read("doc.txt"), "v1", label);
      assert.equal(s.temps(), [], label);
    } finally {
      undo?.();
      s.cleanup();
    }
  }
});

test("a versions store on another mount (below the root): replacements and deletions go ahead without keeping the old version, still compare-and-swap", async () => {
  const other = mkdtempSync(join(tmpdir(), "wl-local-cas-store-"));
  try {
    for (const [label, hardLinks] of [
      ["with hard links", undefined],
      ["without hard links", false],
    ]) {
      const s = storage();
      const store = s.abs(".wlsync/versions");
      mkdirSync(store, { recursive: true });
      try {
        execFileSync("mount", ["--bind", other, store], { stdio: "ignore" });
      } catch {
        console.log("[not run] a versions store on another mount: mount --bind is not allowed here");
        s.cleanup();
        return;
      }
      try {
        if (hardLinks === false) s.backend.capabilities.hardLinks = false;
        s.write("doc.txt", "v1");
        s.write("gone.txt", "g1");
        s.write("edited.txt", "edited");
        await s.backend.replaceWhole("doc.txt", fileOf("v1"), Buffer.from("v2"), sha256("v2"));
        assert.is(s.read("doc.txt"), "v2", label);
        await s.backend.remove("gone.txt", fileOf("g1"));
        assert.not.ok(existsSync(s.abs("gone.txt")), label);
        await rejectsWith(s.backend.replaceWhole("edited.txt", fileOf("v1"), Buffer.from("v2"), sha256("v2")), "E_CAS");
        await rejectsWith(s.backend.remove("edited.txt", fileOf("v1")), "E_CAS");
        assert.is(s.read("edited.txt"), "edited", label);
        // A save landing while the version is being kept (and refused by the other mount) is still caught.
        s.write("raced.txt", "v1");
        const hook = onceAround(hardLinks === false ? "renameSync" : "linkSync", "raced.txt", () => s.write("raced.txt", "saved meanwhile"), "before");
        try {
          await rejectsWith(s.backend.replaceWhole("raced.txt", fileOf("v1"), Buffer.from("v2"), sha256("v2")), "E_CAS");
        } finally {
          hook.restore();
        }
        assert.ok(hook.fired, label);
        assert.is(s.read("raced.txt"), "saved meanwhile", label);
        assert.equal(readdirSync(other), [], `${label}: nothing kept`);
        assert.equal(s.temps(), [], label);
      } finally {
        execFileSync("umount", [store]);
        s.cleanup();
      }
    }
  } finally {
    rmSync(other, { recursive: true, force: true });
  }
});

test("with modes off (a file system without permission bits) no chmod is made: the file keeps the mode it was made with; setMode is refused", async () => {
  const s = storage();
  try {
    s.backend.capabilities.modes = false;
    for (const [label, put] of Object.entries(writers)) {
      await put(s.backend, `${label}.txt`, { kind: "absent" }, "x", { mode: 0o644 });
      assert.is(lstatSync(s.abs(`${label}.txt`)).mode & 0o777, 0o600, label);
    }
    s.write("src.txt", "content");
    chmodSync(s.abs("src.txt"), 0o604);
    await s.backend.copyWithin("src.txt", "copy.txt", { hash: sha256("content"), expected: { kind: "absent" }, mode: 0o640 });
    assert.is(lstatSync(s.abs("copy.txt")).mode & 0o777, 0o604, "copyWithin: the copy keeps the source's mode");
    await s.backend.moveWithin("src.txt", "moved.txt", { hash: sha256("content"), expected: { kind: "absent" }, mode: 0o640 });
    assert.is(lstatSync(s.abs("moved.txt")).mode & 0o777, 0o604, "moveWithin");
    const err = await rejectsWith(s.backend.setMode("moved.txt", 0o600, await s.backend.stat("moved.txt")), "E_BACKEND");
    assert.is(err.message, "moved.txt: disk (local) keeps no permission bits");
    assert.is(lstatSync(s.abs("moved.txt")).mode & 0o777, 0o604);
  } finally {
    s.cleanup();
  }
});

test("a written, copied or moved file with an mtime asked gets that mtime and the access time of now; a copy without a mode gets 0644", async () => {
  const s = storage();
  try {
    const atimeNow = (p, label) => assert.ok(Math.abs(lstatSync(s.abs(p)).atimeMs - Date.now()) < 60_000, `${label}: atime ${lstatSync(s.abs(p)).atimeMs}`);
    for (const [label, put] of Object.entries(writers)) {
      await put(s.backend, `${label}.txt`, { kind: "absent" }, "x", { mtimeMs: 1_600_000_000_000 });
      atimeNow(`${label}.txt`, label);
      assert.is(lstatSync(s.abs(`${label}.txt`)).mtimeMs, 1_600_000_000_000, label);
    }
    s.write("src.txt", "content");
    chmodSync(s.abs("src.txt"), 0o600);
    await s.backend.copyWithin("src.txt", "copy.txt", { hash: sha256("content"), expected: { kind: "absent" }, mtimeMs: 1_600_000_000_000 });
    atimeNow("copy.txt", "copyWithin");
    assert.is(lstatSync(s.abs("copy.txt")).mode & 0o777, 0o644, "copyWithin without a mode");
    await s.backend.moveWithin("src.txt", "moved.txt", { hash: sha256("content"), expected: { kind: "absent" }, mtimeMs: 1_600_000_000_000 });
    atimeNow("moved.txt", "moveWithin");
    assert.is(lstatSync(s.abs("moved.txt")).mode & 0o777, 0o600, "moveWithin without a mode keeps the file's");
  } finally {
    s.cleanup();
  }
});

test("openForSafeReplace and openResumable: abort and suspend with or without the stream in use leave the destination alone", async () => {
  const s = storage();
  try {
    s.write("doc.txt", "v1");
    const a = await s.backend.openForSafeReplace("doc.txt", fileOf("v1"));
    await a.writeAt(Buffer.from("ours"), 4, 0);
    await a.abort();
    const r = await s.backend.openResumable("doc.txt", fileOf("v1"), {});
    await new Promise((ok, ko) => r.stream.write("partial", (err) => (err ? ko(err) : ok())));
    await r.suspend();
    assert.is(readFileSync(join(s.dir, r.handle.name), "utf8"), "partial");
    const again = await s.backend.openResumable("doc.txt", fileOf("v1"), {}, { handle: r.handle, offset: 7, keep: true });
    await again.abort();
    assert.is(s.read("doc.txt"), "v1");
    assert.equal(s.temps(), []);
  } finally {
    s.cleanup();
  }
});

test("moveWithin: the old name unlinked by someone after the link is fine; an old name that cannot be unlinked (immutable folder) undoes the link (E_BACKEND)", async () => {
  const s = storage();
  let undo;
  try {
    s.write("a.txt", "content");
    const hook = onceAround("unlinkSync", "a.txt", () => rmSync(s.abs("a.txt")), "before");
    try {
      await s.backend.moveWithin("a.txt", "b.txt", { hash: sha256("content"), expected: { kind: "absent" } });
    } finally {
      hook.restore();
    }
    assert.ok(hook.fired);
    assert.is(s.read("b.txt"), "content");
    mkdirSync(s.abs("ro"));
    s.write("ro/c.txt", "content");
    undo = immutable(s.abs("ro"));
    if (!undo) {
      console.log("[not run] moveWithin out of an immutable folder: chattr +i does not work here");
      return;
    }
    const err = await rejectsWith(s.backend.moveWithin("ro/c.txt", "d.txt", { hash: sha256("content"), expected: { kind: "absent" } }), "E_BACKEND");
    assert.match(err.message, /^cannot move ro\/c\.txt on disk: /);
    assert.not.ok(existsSync(s.abs("d.txt")), "the new name is undone");
    assert.is(s.read("ro/c.txt"), "content");
  } finally {
    undo?.();
    s.cleanup();
  }
});

test("moveWithin: a source deleted between its check and the link is refused (E_BACKEND), nothing made", async () => {
  const s = storage();
  try {
    s.write("a.txt", "content");
    const hook = onceAround("linkSync", "b.txt", () => rmSync(s.abs("a.txt")), "before");
    try {
      const err = await rejectsWith(s.backend.moveWithin("a.txt", "b.txt", { hash: sha256("content"), expected: { kind: "absent" } }), "E_BACKEND");
      assert.match(err.message, /^cannot move it to b\.txt on disk: /);
    } finally {
      hook.restore();
    }
    assert.ok(hook.fired);
    assert.not.ok(existsSync(s.abs("b.txt")));
  } finally {
    s.cleanup();
  }
});

test("setMode: a file deleted right after its chmod is reported (E_CHANGED), not returned as changed", async () => {
  const s = storage();
  try {
    s.write("f.txt", "x");
    const hook = onceAround("chmodSync", "f.txt", () => rmSync(s.abs("f.txt")), "after");
    try {
      const err = await rejectsWith(s.backend.setMode("f.txt", 0o600, await s.backend.stat("f.txt")), "E_CHANGED");
      assert.is(err.message, "f.txt: disappeared from disk right after its permissions were changed");
    } finally {
      hook.restore();
    }
    assert.ok(hook.fired);
  } finally {
    s.cleanup();
  }
});

test("replaceWhole: a folder it had to make that then refuses the file (made immutable meanwhile) is E_BACKEND with the reason", async () => {
  const s = storage();
  let undo;
  try {
    mkdirSync(s.abs("probe"));
    const probe = immutable(s.abs("probe"));
    if (!probe) {
      console.log("[not run] a folder made immutable meanwhile: chattr +i does not work here");
      return;
    }
    probe();
    const hook = onceAround("mkdirSync", "sub", () => {
      undo = immutable(s.abs("sub"));
    }, "after");
    try {
      const err = await rejectsWith(s.backend.replaceWhole("sub/x.txt", { kind: "absent" }, Buffer.from("x"), sha256("x")), "E_BACKEND");
      assert.match(err.message, /^cannot write it on disk: .*(operation not permitted|EPERM)/i);
    } finally {
      hook.restore();
    }
    assert.equal(readdirSync(s.abs("sub")), []);
  } finally {
    undo?.();
    s.cleanup();
  }
});

test("a kept version removed from the store right after it was kept, or right before it is hashed, is not taken for the checked one (E_CAS); the file is not replaced", async () => {
  const inStore = (a) => a.includes("/.wlsync/versions/");
  for (const [label, call, when, mod, hardLinks, age] of [
    ["moved aside, removed at once", "renameSync", "after", fs, false, 60_000],
    ["linked, removed at once", "linkSync", "after", fs, undefined, 60_000],
    ["linked, removed before hashing", "open", "before", fs, undefined, 0],
  ]) {
    const s = storage();
    try {
      if (hardLinks === false) s.backend.capabilities.hardLinks = false;
      s.write("doc.txt", "v1", age);
      let kept;
      const hook = onceAround(call, (a) => inStore(a) && (kept = a), () => rmSync(kept), when, mod);
      try {
        const err = await rejectsWith(s.backend.replaceWhole("doc.txt", fileOf("v1"), Buffer.from("v2"), sha256("v2")), "E_CAS");
        assert.is(err.message, "doc.txt: changed on disk since the plan was made", label);
      } finally {
        hook.restore();
      }
      assert.ok(hook.fired, label);
      // (moved aside: the version removed from the store was the file itself; it is gone, not replaced)
      assert.is.not(existsSync(s.abs("doc.txt")) ? s.read("doc.txt") : null, "v2", label);
      assert.equal(s.temps(), [], label);
    } finally {
      s.cleanup();
    }
  }
});

test("a settled file is trusted by inode, size and mtime all three: a save keeping the mtime (set back) but not the size, or the size but not the inode, is caught (E_CAS)", async () => {
  const old = (Date.now() - 60_000) / 1000;
  for (const [label, edit] of [
    ["other size", (s) => s.write("doc.txt", "longer than v1 same size")],
    ["other inode", (s) => {
      s.write("new", "V1 SAME SIZE");
      fs.renameSync(s.abs("new"), s.abs("doc.txt"));
    }],
  ]) {
    for (const [how, call, hardLinks] of [
      ["linked", "linkSync", undefined],
      ["moved aside", "renameSync", false],
    ]) {
      const s = storage();
      try {
        if (hardLinks === false) s.backend.capabilities.hardLinks = false;
        s.write("doc.txt", "v1 same size");
        utimesSync(s.abs("doc.txt"), old, old);
        const hook = onceAround(call, (a) => a.endsWith("/doc.txt"), () => {
          edit(s);
          utimesSync(s.abs("doc.txt"), old, old);
        }, "before");
        try {
          const err = await rejectsWith(s.backend.replaceWhole("doc.txt", fileOf("v1 same size"), Buffer.from("ours"), sha256("ours")), "E_CAS");
          assert.is(err.message, "doc.txt: changed on disk since the plan was made", `${label}, ${how}`);
        } finally {
          hook.restore();
        }
        assert.ok(hook.fired, `${label}, ${how}`);
        assert.is.not(s.read("doc.txt"), "ours", `${label}, ${how}`);
        assert.equal(s.kept(), {}, `${label}, ${how}`);
      } finally {
        s.cleanup();
      }
    }
  }
});

test("the safe-replace writers close every descriptor they open: commit, abort, suspend, the prefix reader", async () => {
  const fds = () => readdirSync("/proc/self/fd").length;
  if (!existsSync("/proc/self/fd")) {
    console.log("[not run] descriptors closed by the writers: no /proc/self/fd here");
    return;
  }
  const s = storage();
  try {
    s.write("doc.txt", "v1");
    const before = fds();
    const a = await s.backend.openForSafeReplace("doc.txt", fileOf("v1"));
    await a.writeAt(Buffer.from("v2"), 2, 0);
    await a.commit();
    assert.is(fds(), before, "commit (writeAt)");
    const b = await s.backend.openForSafeReplace("doc.txt", fileOf("v2"));
    b.stream.write("hello ");
    await new Promise((ok, ko) => b.stream.end("world", (err) => (err ? ko(err) : ok())));
    await b.commit();
    assert.is(s.read("doc.txt"), "hello world", "one stream, however often it is asked for");
    assert.is(fds(), before, "commit (stream)");
    const c = await s.backend.openForSafeReplace("doc.txt", fileOf("hello world"));
    await c.writeAt(Buffer.from("x"), 1, 0);
    await c.abort();
    await c.abort();
    assert.is(fds(), before, "abort");
    const r = await s.backend.openResumable("doc.txt", fileOf("hello world"), {});
    await r.writeAt(Buffer.from("hello XXX"), 9, 0);
    await r.suspend();
    assert.is(fds(), before, "suspend");
    const again = await s.backend.openResumable("doc.txt", fileOf("hello world"), {}, { handle: r.handle, offset: 6, keep: true });
    const reader = await again.openPrefixReader();
    await reader.read(Buffer.alloc(8), 0);
    await reader.close();
    await new Promise((ok, ko) => again.stream.end("there", (err) => (err ? ko(err) : ok())));
    await again.commit();
    assert.is(s.read("doc.txt"), "hello there", "the stream of a continued write starts at its checkpoint");
    assert.is(fds(), before, "prefix reader and continued write");
  } finally {
    s.cleanup();
  }
});

test("openResumable: a previous write whose handle has no name is not continued", async () => {
  const s = storage();
  try {
    const w = await s.backend.openResumable("big.bin", { kind: "absent" }, {}, { handle: { name: 42, ino: "1" }, offset: 0, keep: true });
    assert.is(w.offset, 0);
    assert.ok(isPartialName(w.handle.name));
    await w.abort();
  } finally {
    s.cleanup();
  }
});

test("replaceWhole: a destination that no longer holds the expected version is refused before any temporary file is made", async () => {
  const s = storage();
  try {
    s.write("doc.txt", "edited");
    const hook = onceAround("openSync", isTemp, () => {}, "before");
    try {
      await rejectsWith(s.backend.replaceWhole("doc.txt", fileOf("v1"), Buffer.from("ours"), sha256("ours")), "E_CAS");
    } finally {
      hook.restore();
    }
    assert.not.ok(hook.fired, "no temporary file opened");
  } finally {
    s.cleanup();
  }
});

test("moveWithin and copyWithin: messages of a refused move or copy; a symlink source is not a file to copy (E_CAS); a move without an mtime keeps the file's", async () => {
  const s = storage();
  try {
    s.write("a.txt", "content");
    s.write("taken.txt", "theirs");
    for (const [op, word] of [
      ["moveWithin", "move"],
      ["copyWithin", "copy"],
    ]) {
      const err = await rejectsWith(s.backend[op]("a.txt", "taken.txt", { hash: sha256("content"), expected: fileOf("theirs") }), "E_BACKEND");
      assert.is(err.message, `taken.txt: a ${word} onto an existing file is not made on disk`);
    }
    symlinkSync(s.abs("a.txt"), s.abs("link"));
    const err = await rejectsWith(s.backend.copyWithin("link", "c.txt", { hash: sha256("content"), expected: { kind: "absent" } }), "E_CAS");
    assert.is(err.message, "link: is no longer a file on disk since the plan was made");
    assert.not.ok(existsSync(s.abs("c.txt")));
    utimesSync(s.abs("a.txt"), 1_300_000_000, 1_300_000_000);
    await s.backend.moveWithin("a.txt", "m.txt", { hash: sha256("content"), expected: { kind: "absent" } });
    assert.is(lstatSync(s.abs("m.txt")).mtimeMs, 1_300_000_000_000);
    // Changed after the check, while copied: refused by the copy's own hash, with the reason.
    const hook = onceAround("copyFile", "m.txt", () => writeFileSync(s.abs("m.txt"), "CONTENT"), "before", fsp);
    try {
      const changed = await rejectsWith(s.backend.copyWithin("m.txt", "d.txt", { hash: sha256("content"), expected: { kind: "absent" } }), "E_CAS");
      assert.is(changed.message, "m.txt: changed on disk since the plan was made");
    } finally {
      hook.restore();
    }
    s.write("e.txt", "content", 60_000);
    const moveHook = onceAround("linkSync", "f.txt", () => writeFileSync(s.abs("e.txt"), "CONTENT"), "before");
    try {
      const moved = await rejectsWith(s.backend.moveWithin("e.txt", "f.txt", { hash: sha256("content"), expected: { kind: "absent" } }), "E_CAS");
      assert.is(moved.message, "e.txt: changed on disk since the plan was made");
    } finally {
      moveHook.restore();
    }
  } finally {
    s.cleanup();
  }
});

test.run();

import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { SafeReplaceWriter, StorageBackend, StorageEntry } from "../storage-backend.js";
import type { WatchEvent } from "../storage-watcher.js";
import { isTempName } from "../temp-names.js";
import { sleep, waitFor, withEnvironment, type BackendFactory, type KitEnvironment } from "./harness.js";
import { kitSuite, type KitOptions, type KitSuite, type KitTest } from "./kit-suite.js";
import { expectedAt, listTree, readFileFrom, readTextFrom, sha256, writeFileTo } from "./storage-ops.js";

export interface BackendKitOptions extends KitOptions {
  /** Seconds between the polling watcher's scans (the storages' `watcher-interval`); default 0.1. */
  watcherInterval?: number;
  /** How long to wait for an expected watcher event, in ms; default 10 000. */
  eventTimeoutMs?: number;
}

interface Case {
  env: KitEnvironment;
  backend: StorageBackend;
  /** Changes a file behind the backend's back when the factory can, else through the backend. */
  changeFile(path: string, data: string): Promise<void>;
  outside: boolean;
}

/** Expects `action` to fail with an error whose `code` is `code` (checked by shape, never instanceof). */
export async function expectCode(what: string, code: string, action: () => Promise<unknown>): Promise<void> {
  let thrown: unknown;
  try {
    await action();
  } catch (err) {
    thrown = err;
  }
  if (thrown === undefined) assert.fail(`${what}: expected an error with code ${code}, but it went through`);
  const got = (thrown as { code?: unknown }).code;
  assert.equal(got, code, `${what}: expected an error with code ${code}, got ${String(got)}: ${(thrown as Error)?.message ?? String(thrown)}`);
}

async function writeAndCommit(writer: SafeReplaceWriter, data: string): Promise<void> {
  try {
    await pipeline(Readable.from([Buffer.from(data)]), writer.stream);
    await writer.commit(sha256(data));
  } catch (err) {
    await writer.abort().catch(() => {});
    throw err;
  }
}

async function tempLeftovers(backend: StorageBackend): Promise<string[]> {
  return [...(await listTree(backend, { withTemp: true })).keys()].filter((p) => isTempName(p));
}

/**
 * The StorageBackend contract (docs/plugins.md, "Backends"), as tests: content and sha256, file tokens,
 * compare-and-swap writes and removals, no partial files, folders, listings, awkward names,
 * symlinks, identity, and the watcher. `factory` builds a backend over an empty storage.
 *
 *   describeBackend((h) => new MyBackend(h.context({ type: "mine", root: h.dir }))).run();
 */
export function describeBackend(factory: BackendFactory, options?: BackendKitOptions & { suite?: undefined }): KitSuite;
export function describeBackend<T extends KitTest>(factory: BackendFactory, options: BackendKitOptions & { suite: T }): T;
export function describeBackend(factory: BackendFactory, options: BackendKitOptions = {}): KitTest {
  const test = kitSuite(options, "StorageBackend contract");
  const eventTimeout = options.eventTimeoutMs ?? 10_000;

  const it = (name: string, body: (c: Case) => Promise<void>) =>
    test(name, () =>
      withEnvironment({ watcherInterval: options.watcherInterval }, async (env) => {
        const under = await env.backend(factory, "a");
        const backend = under.backend;
        await backend.checkRoot();
        const changeFile = async (path: string, data: string) => {
          if (under.writeOutside) await under.writeOutside(path, Buffer.from(data));
          else await writeFileTo(backend, path, data);
        };
        await body({ env, backend, changeFile, outside: !!under.writeOutside });
      }),
    );

  it("an empty storage: checkRoot passes, walk lists nothing, TYPE, describe() and identity() are set", async ({ backend }) => {
    assert.equal((await listTree(backend, { withTemp: true })).size, 0, "walk lists entries in a new, empty storage");
    const declared = (backend.constructor as { TYPE?: unknown }).TYPE;
    assert.equal(typeof declared, "string", "static TYPE must be a string");
    assert.equal(backend.type, declared);
    assert.ok(backend.describe(), "describe() is empty");
    assert.ok(backend.identity(), "identity() is empty");
  });

  it("a written file reads back byte for byte; commit, stat, walk and getFileToken agree", async ({ backend }) => {
    const data = randomBytes(300_000);
    const written = await writeFileTo(backend, "doc.bin", data);
    assert.equal(written.kind, "file");
    assert.equal(written.size, data.length, "commit() returned the wrong size");
    assert.ok((await readFileFrom(backend, "doc.bin"))?.equals(data), "the bytes read back differ from the bytes written");
    const stat = await backend.stat("doc.bin");
    assert.equal(stat?.kind, "file");
    assert.equal(stat?.size, data.length);
    assert.equal(stat?.token, written.token, "stat() token differs from the entry commit() returned");
    assert.equal(await backend.getFileToken("doc.bin"), written.token, "getFileToken() differs from stat().token");
    const listed = [];
    for await (const e of backend.walk({ onWarning: () => {} })) listed.push(e);
    const entry = listed.find((e) => e.path === "doc.bin");
    assert.ok(entry, `walk did not list doc.bin (it listed ${listed.map((e) => e.path).join(", ") || "nothing"})`);
    assert.equal(entry.token, written.token, "walk() token differs from stat().token");
  });

  it("walkBatches lists exactly what walk lists (scans use walkBatches)", async ({ backend }) => {
    for (const path of ["a.txt", "sub/b.txt", "sub/deeper/c.txt", "other/d.txt"]) await writeFileTo(backend, path, path, { createParents: true });
    const byWalk = new Map<string, StorageEntry>();
    for await (const e of backend.walk({ onWarning: () => {} })) byWalk.set(e.path, e);
    const byBatches = new Map<string, StorageEntry>();
    for await (const batch of backend.walkBatches({ onWarning: () => {} })) {
      assert.ok(Array.isArray(batch), "walkBatches yielded something other than an array");
      for (const e of batch) {
        assert.ok(!byBatches.has(e.path), `walkBatches listed ${e.path} twice`);
        byBatches.set(e.path, e);
      }
    }
    assert.deepEqual([...byBatches.keys()].sort(), [...byWalk.keys()].sort());
    for (const [path, e] of byWalk) assert.equal(byBatches.get(path)?.token, e.token, `${path}: walkBatches token differs from walk`);
  });

  it("getHash is the sha256 of the bytes (an empty file, a small one, a 3 MB one), and stays so when cached", async ({ backend }) => {
    const files: Array<[string, Buffer]> = [
      ["empty.txt", Buffer.alloc(0)],
      ["small.txt", Buffer.from("hello, world\n")],
      ["big.bin", randomBytes(3 * 1024 * 1024)],
    ];
    for (const [path, data] of files) await writeFileTo(backend, path, data);
    for (const [path, data] of files) {
      assert.equal(await backend.getHash(path), sha256(data), `getHash(${path})`);
      const entry = await backend.stat(path);
      assert.equal(await backend.getHash(path, entry ?? undefined), sha256(data), `getHash(${path}, entry), second time`);
    }
  });

  it("the token changes when the content changes, even at the same size, and getHash follows", async ({ backend, changeFile, outside }) => {
    const first = await writeFileTo(backend, "x.txt", "aaaa");
    assert.equal(await backend.getHash("x.txt"), sha256("aaaa"));
    const second = await writeFileTo(backend, "x.txt", "bbbb");
    assert.notEqual(second.token, first.token, "same size, new content, same token");
    assert.equal(await backend.getHash("x.txt"), sha256("bbbb"), "getHash returned the old content's hash");
    let token = second.token;
    for (const data of ["cccc", "dddd"]) {
      await changeFile("x.txt", data);
      const now = await backend.getFileToken("x.txt");
      assert.notEqual(now, token, `a change${outside ? " made behind the backend's back" : ""} to the same size left the token as it was`);
      assert.equal((await backend.stat("x.txt"))?.token, now, "stat() and getFileToken() disagree");
      assert.equal(await backend.getHash("x.txt"), sha256(data), "getHash returned a stale (cached) hash");
      token = now!;
    }
  });

  it("a missing path: stat() and getFileToken() give null, also below a file", async ({ backend }) => {
    assert.equal(await backend.stat("nope.txt"), null);
    assert.equal(await backend.getFileToken("nope.txt"), null);
    assert.equal(await backend.stat("no/such/folder/file.txt"), null);
    await writeFileTo(backend, "plain.txt", "p");
    assert.equal(await backend.stat("plain.txt/child"), null);
  });

  it("create-if-absent refuses a file that exists (E_CAS) and leaves it untouched", async ({ backend }) => {
    await writeFileTo(backend, "x.txt", "mine");
    await expectCode("openForSafeReplace(absent) over an existing file", "E_CAS", () =>
      writeFileTo(backend, "x.txt", "theirs", { expected: { kind: "absent" } }),
    );
    assert.equal(await readTextFrom(backend, "x.txt"), "mine");
    assert.deepEqual(await tempLeftovers(backend), [], "a refused write left a temporary file");
  });

  it("replace: the expected hash goes through; a stale hash, a folder or a vanished file is refused (E_CAS)", async ({ backend }) => {
    await writeFileTo(backend, "x.txt", "v1");
    await writeFileTo(backend, "x.txt", "v2", { expected: { kind: "file", hash: sha256("v1") } });
    assert.equal(await readTextFrom(backend, "x.txt"), "v2");
    await expectCode("replace with a stale hash", "E_CAS", () => writeFileTo(backend, "x.txt", "v3", { expected: { kind: "file", hash: sha256("v1") } }));
    assert.equal(await readTextFrom(backend, "x.txt"), "v2", "a refused replace changed the file");
    await expectCode("replace expecting a folder where a file is", "E_CAS", () => writeFileTo(backend, "x.txt", "v4", { expected: { kind: "dir" } }));
    await expectCode("replace of a file that is gone", "E_CAS", () =>
      writeFileTo(backend, "gone.txt", "v5", { expected: { kind: "file", hash: sha256("v1") } }),
    );
    assert.equal(await backend.stat("gone.txt"), null, "a refused replace created the file");
    assert.deepEqual(await tempLeftovers(backend), [], "refused writes left temporary files");
  });

  it("a change made between open and commit is refused at commit (E_CAS), never overwritten", async ({ backend, changeFile }) => {
    await writeFileTo(backend, "x.txt", "v1");
    const writer = await backend.openForSafeReplace("x.txt", { kind: "file", hash: sha256("v1") });
    await changeFile("x.txt", "changed meanwhile");
    await expectCode("commit after the file changed", "E_CAS", () => writeAndCommit(writer, "from the syncer"));
    assert.equal(await readTextFrom(backend, "x.txt"), "changed meanwhile", "the change made meanwhile was overwritten");

    const creator = await backend.openForSafeReplace("new.txt", { kind: "absent" });
    await writeFileTo(backend, "new.txt", "created meanwhile");
    await expectCode("commit of a new file after someone created it", "E_CAS", () => writeAndCommit(creator, "from the syncer"));
    assert.equal(await readTextFrom(backend, "new.txt"), "created meanwhile", "a file created meanwhile was overwritten");
    assert.deepEqual(await tempLeftovers(backend), [], "refused commits left temporary files");
  });

  it("no partial files: until commit the name keeps its old content (or does not exist); abort leaves no trace", async ({ backend }) => {
    await writeFileTo(backend, "x.txt", "old");
    const replacing = await backend.openForSafeReplace("x.txt", { kind: "file", hash: sha256("old") });
    await pipeline(Readable.from([Buffer.from("new content")]), replacing.stream);
    assert.equal(await readTextFrom(backend, "x.txt"), "old", "new content was visible before commit()");
    await replacing.abort();
    assert.equal(await readTextFrom(backend, "x.txt"), "old", "abort() changed the file");

    const creating = await backend.openForSafeReplace("fresh.txt", { kind: "absent" });
    await pipeline(Readable.from([Buffer.from("fresh")]), creating.stream);
    assert.equal(await backend.stat("fresh.txt"), null, "a new file was visible before commit()");
    await creating.commit(sha256("fresh"));
    assert.equal(await readTextFrom(backend, "fresh.txt"), "fresh");
    assert.deepEqual(await tempLeftovers(backend), [], "temporary files were left behind");
  });

  it("remove: an unchanged file goes; a changed one is refused (E_CAS) and stays", async ({ backend, changeFile }) => {
    await writeFileTo(backend, "x.txt", "seen");
    await changeFile("x.txt", "edited since");
    await expectCode("remove of a changed file", "E_CAS", () => backend.remove("x.txt", { kind: "file", hash: sha256("seen") }));
    assert.equal(await readTextFrom(backend, "x.txt"), "edited since", "a refused remove deleted or changed the file");
    await backend.remove("x.txt", { kind: "file", hash: sha256("edited since") });
    assert.equal(await backend.stat("x.txt"), null, "remove with the right hash did not delete the file");
  });

  it("moveWithin, where offered: the file arrives at the new name byte for byte (parents made), the old name is gone, the entry returned is what stat() says", async ({
    backend,
  }) => {
    if (!backend.moveWithin) return;
    const data = randomBytes(200_000);
    await writeFileTo(backend, "old/m.bin", data);
    const entry = await backend.moveWithin("old/m.bin", "new/deeper/m.bin", { hash: sha256(data), expected: { kind: "absent" }, createParents: true });
    assert.equal(await backend.stat("old/m.bin"), null, "the old name is still there after moveWithin");
    assert.ok((await readFileFrom(backend, "new/deeper/m.bin"))?.equals(data), "the moved file's bytes differ");
    assert.equal(entry.kind, "file");
    assert.equal(entry.size, data.length);
    assert.equal((await backend.stat("new/deeper/m.bin"))?.token, entry.token, "the entry moveWithin returned differs from stat()");
    assert.equal(await backend.getHash("new/deeper/m.bin"), sha256(data));
  });

  it("moveWithin, where offered: a moved-from file that changed, or a new name that is taken, is refused (E_CAS) and both stay as they were", async ({
    backend,
    changeFile,
  }) => {
    if (!backend.moveWithin) return;
    await writeFileTo(backend, "m.txt", "planned");
    await changeFile("m.txt", "edited!");
    await expectCode("moveWithin of a file that changed since the plan", "E_CAS", () =>
      backend.moveWithin!("m.txt", "n.txt", { hash: sha256("planned"), expected: { kind: "absent" } }),
    );
    assert.equal(await readTextFrom(backend, "m.txt"), "edited!", "the changed file was moved or altered");
    assert.equal(await backend.stat("n.txt"), null, "a refused move left something at the new name");
    await writeFileTo(backend, "taken.txt", "theirs");
    await expectCode("moveWithin onto a name that is taken", "E_CAS", () =>
      backend.moveWithin!("m.txt", "taken.txt", { hash: sha256("edited!"), expected: { kind: "absent" } }),
    );
    assert.equal(await readTextFrom(backend, "taken.txt"), "theirs", "moveWithin overwrote a file at the new name");
    assert.equal(await readTextFrom(backend, "m.txt"), "edited!", "a refused move removed the old name");
    assert.deepEqual(await tempLeftovers(backend), [], "a refused move left a temporary file");
  });

  it("copyWithin, where offered: a byte-for-byte copy, the original stays; a changed original or a taken name is refused (E_CAS)", async ({
    backend,
    changeFile,
  }) => {
    if (!backend.copyWithin) return;
    const data = randomBytes(150_000);
    await writeFileTo(backend, "orig.bin", data);
    const entry = await backend.copyWithin("orig.bin", "copies/dup.bin", { hash: sha256(data), expected: { kind: "absent" }, createParents: true });
    assert.ok((await readFileFrom(backend, "copies/dup.bin"))?.equals(data), "the copy's bytes differ");
    assert.ok((await readFileFrom(backend, "orig.bin"))?.equals(data), "the original changed");
    assert.equal((await backend.stat("copies/dup.bin"))?.token, entry.token, "the entry copyWithin returned differs from stat()");
    await expectCode("copyWithin onto a name that is taken", "E_CAS", () =>
      backend.copyWithin!("orig.bin", "copies/dup.bin", { hash: sha256(data), expected: { kind: "absent" } }),
    );
    await changeFile("orig.bin", "edited");
    await expectCode("copyWithin of an original that changed", "E_CAS", () =>
      backend.copyWithin!("orig.bin", "again.bin", { hash: sha256(data), expected: { kind: "absent" } }),
    );
    assert.equal(await backend.stat("again.bin"), null, "a refused copy left something at the new name");
    assert.deepEqual(await tempLeftovers(backend), [], "a refused copy left a temporary file");
  });

  it("folders: mkdir makes nested folders and may repeat; remove deletes an empty folder, never one with content", async ({ backend }) => {
    await backend.mkdir("p/q/r");
    await backend.mkdir("p/q/r");
    await writeFileTo(backend, "p/q/kept.txt", "kept");
    if (backend.capabilities.emptyDirs) {
      assert.equal((await backend.stat("p/q/r"))?.kind, "dir", "mkdir did not make an empty folder (capabilities.emptyDirs is true)");
      const tree = await listTree(backend);
      for (const dir of ["p", "p/q", "p/q/r"]) assert.equal(tree.get(dir)?.kind, "dir", `walk does not list the folder ${dir}`);
      await backend.remove("p/q/r", { kind: "dir" });
      assert.equal(await backend.stat("p/q/r"), null, "the empty folder is still there");
    }
    assert.equal((await backend.stat("p/q"))?.kind, "dir", "a folder holding a file is not reported as a folder");
    await backend.remove("p/q", { kind: "dir" }).catch(() => {});
    assert.equal(await readTextFrom(backend, "p/q/kept.txt"), "kept", "removing a folder deleted the file inside it");
  });

  it("walk lists what was written, folders included, and include() prunes folders", async ({ backend }) => {
    const files: Record<string, string> = { "a.txt": "a", "d1/b.txt": "bb", "d1/d2/c.txt": "ccc", "d3/e.txt": "eeee" };
    for (const [path, data] of Object.entries(files)) await writeFileTo(backend, path, data);
    const tree = await listTree(backend);
    assert.deepEqual([...tree.keys()].sort(), ["a.txt", "d1", "d1/b.txt", "d1/d2", "d1/d2/c.txt", "d3", "d3/e.txt"]);
    for (const [path, data] of Object.entries(files)) {
      assert.equal(tree.get(path)?.size, data.length, `size of ${path}`);
      assert.equal(tree.get(path)?.hash, sha256(data), `hash of ${path}`);
    }
    const seen: string[] = [];
    const dirsAsked: string[] = [];
    for await (const e of backend.walk({
      onWarning: () => {},
      include: (path, isDir) => {
        if (isDir) dirsAsked.push(path);
        return path !== "d1";
      },
    })) {
      seen.push(e.path);
    }
    assert.ok(dirsAsked.includes("d1"), "include() was not asked about the folder d1 with isDir = true");
    assert.deepEqual(seen.sort(), ["a.txt", "d3", "d3/e.txt"], "include() returning false for a folder must leave it and its content out");
  });

  it("names with spaces, unicode, +, &, % and # round-trip through write, walk, stat, read, getHash and remove", async ({ backend }) => {
    const names = ["with space/file name.txt", "zażółć/日本語 ✓.txt", "plus+sign & co.txt", "100% sure#1.txt", "é-composé.txt", "a (1)/b [2].txt"];
    for (const name of names) await writeFileTo(backend, name, `content of ${name}`);
    const tree = await listTree(backend);
    for (const name of names) {
      assert.equal(tree.get(name)?.kind, "file", `walk did not list "${name}" (it listed ${[...tree.keys()].join(" | ")})`);
      assert.equal((await backend.stat(name))?.kind, "file", `stat("${name}")`);
      assert.equal(await readTextFrom(backend, name), `content of ${name}`, `content of "${name}"`);
      assert.equal(await backend.getHash(name), sha256(`content of ${name}`), `getHash("${name}")`);
    }
    for (const name of names) await backend.remove(name, await expectedAt(backend, name));
    for (const name of names) assert.equal(await backend.stat(name), null, `"${name}" is still there after remove`);
  });

  it("symlinks: made, listed with their target and removed where capabilities.symlinks; refused otherwise", async ({ backend }) => {
    if (!backend.capabilities.symlinks) {
      let refused = false;
      await backend.symlink("ln", "target.txt", { kind: "absent" }).catch(() => (refused = true));
      assert.ok(refused, "capabilities.symlinks is false but symlink() went through");
      assert.equal((await backend.stat("ln"))?.kind === "symlink", false);
      return;
    }
    await backend.symlink("ln", "target.txt", { kind: "absent" });
    await backend.symlink("sub/dangling", "/nonexistent/elsewhere", { kind: "absent" });
    const stat = await backend.stat("ln");
    assert.equal(stat?.kind, "symlink", "stat() of a link must report the link, not what it points to");
    assert.equal(stat?.linkTarget, "target.txt");
    const tree = await listTree(backend);
    assert.equal(tree.get("sub/dangling")?.target, "/nonexistent/elsewhere", "walk lists a dangling link with its target");
    await expectCode("symlink(absent) over an existing link", "E_CAS", () => backend.symlink("ln", "other.txt", { kind: "absent" }));
    await expectCode("remove of a link expected to point elsewhere", "E_CAS", () => backend.remove("ln", { kind: "symlink", target: "other.txt" }));
    await backend.remove("ln", { kind: "symlink", target: "target.txt" });
    assert.equal(await backend.stat("ln"), null);
  });

  it("permission bits: kept from the write and changed by setMode (compare-and-swap on token and mode) where capabilities.modes; refused otherwise", async ({
    backend,
  }) => {
    await backend.probeCapabilities();
    const written = await writeFileTo(backend, "run.sh", "#!/bin/sh\n", { mode: 0o640 });
    if (backend.capabilities.modes === false) {
      assert.equal(written.mode, undefined, "capabilities.modes is false but the entry carries a mode");
      await expectCode("setMode where capabilities.modes is false", "E_BACKEND", () => backend.setMode("run.sh", 0o755, written));
      return;
    }
    assert.equal((written.mode ?? 0) & 0o777, 0o640, "the mode given to the write was not kept");
    const after = await backend.setMode("run.sh", 0o755, written);
    assert.equal((after.mode ?? 0) & 0o777, 0o755, "setMode() returned another mode");
    assert.equal(((await backend.stat("run.sh"))?.mode ?? 0) & 0o777, 0o755, "stat() after setMode");
    assert.equal(await readTextFrom(backend, "run.sh"), "#!/bin/sh\n", "setMode changed the content");
    await expectCode("setMode expecting a mode that is no longer there", "E_CAS", () => backend.setMode("run.sh", 0o700, { token: after.token, mode: 0o640 }));
    await writeFileTo(backend, "run.sh", "#!/bin/sh\necho changed\n", { mode: 0o755 });
    await expectCode("setMode of a file whose content changed since", "E_CAS", () => backend.setMode("run.sh", 0o700, after));
    assert.equal(((await backend.stat("run.sh"))?.mode ?? 0) & 0o777, 0o755, "a refused setMode changed the mode");
  });

  it("identity(): the same for two backends over one storage, different for another storage", async ({ env, backend }) => {
    const again = await env.backend(factory, "a");
    const other = await env.backend(factory, "b");
    await other.backend.checkRoot();
    assert.equal(again.backend.identity(), backend.identity(), "two backends over the same storage must share identity() (it keys the sync state)");
    assert.notEqual(other.backend.identity(), backend.identity(), "two storages must not share identity()");
  });

  it("the watcher (watcher-interval set) reports create, modify and delete, and is quiet once stopped", async ({ env, backend }) => {
    const events: WatchEvent[] = [];
    const watcher = backend.watcher();
    await watcher.start((batch) => events.push(...batch));
    let stopped = false;
    env.onCleanup(() => (stopped ? undefined : watcher.stop()));
    const saw = (type: WatchEvent["type"], path: string) => () => events.some((e) => e.type === type && e.path === path);
    const list = () => events.map((e) => `${e.type} ${e.path}`).join(", ") || "none";
    await writeFileTo(backend, "w.txt", "one");
    await waitFor(() => `a create event for w.txt (events so far: ${list()})`, saw("create", "w.txt"), eventTimeout);
    await writeFileTo(backend, "w.txt", "two, longer");
    await waitFor(() => `a modify event for w.txt (events so far: ${list()})`, saw("modify", "w.txt"), eventTimeout);
    await backend.remove("w.txt", { kind: "file", hash: sha256("two, longer") });
    await waitFor(() => `a delete event for w.txt (events so far: ${list()})`, saw("delete", "w.txt"), eventTimeout);
    await watcher.stop();
    stopped = true;
    const before = events.length;
    await writeFileTo(backend, "after-stop.txt", "quiet");
    await sleep(Math.max(300, env.watcherInterval * 1000 * 4));
    assert.equal(
      events.length,
      before,
      `the watcher reported events after stop(): ${events
        .slice(before)
        .map((e) => `${e.type} ${e.path}`)
        .join(", ")}`,
    );
  });

  return test;
}

// Hostile and unusual trees, end to end through wl. Each case checks its documented behaviour
// (README "What is not a regular file" and "Hostile trees"), a clear message, and that every
// other file still syncs. Permission cases run wl as uid 65534 (setpriv or su: CI runs as root,
// which ignores permission bits). The full disk is a 2 MB tmpfs when this machine lets us mount
// one, else writes into the target fail with ENOSPC through a test-only preload
// (helpers/enospc-preload.mjs); the report says which.
// These fault-injection cases target core's engine and its streaming transfer (--syncer naive); the rsync
// syncer's own kill-recovery and race cases are in syncer-rsync.test.mjs.
import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { checkStateStore, handOver, mountTmpfs, readTree, sha256, wlAsOtherUser } from "./helpers/faults.mjs";
import { report } from "./helpers/report.mjs";
import { ROOT, assertSameTree, bytes, localConfig, snapshot, wl, workspace } from "./helpers/wl.mjs";

const test = suite("hostile trees");
let ws;
const sync = (...args) => wl(ws.dir, ["container", "sync", "--one-shot", "box", "--syncer", "naive", ...args]);
const syncAsOther = (...args) => wlAsOtherUser(ws.dir, ["container", "sync", "--one-shot", "box", "--syncer", "naive", ...args]);
const cases = { tried: 0, survived: 0, names: [] };
/** Counts a case for the report: `survived` once every check of `body` passed. */
async function hostileCase(name, body) {
  cases.tried++;
  await body();
  cases.survived++;
  cases.names.push(name);
}

test.before.each(() => {
  ws = workspace("wl-hostile-");
  localConfig(ws.dir);
});
test.after.each(() => {
  spawnSync("chmod", ["-R", "u+rwx", ws.dir]);
  spawnSync("rm", ["-rf", ws.dir]); // GNU rm copes with paths beyond PATH_MAX, rmSync does not
});

test("unreadable files and folders (as another user): named, skipped, never taken for deletions; the rest syncs", () =>
  hostileCase("permission-denied files and folders", async () => {
    ws.write("a/ok.txt", "ok");
    ws.write("a/secret.txt", "secret");
    ws.write("a/closed/inside.txt", "inside a folder that cannot be listed");
    ws.write("a/noexec/inside.txt", "inside a folder that can be listed but not entered");
    handOver(ws.dir);
    assert.is((await syncAsOther()).code, 0);
    chmodSync(ws.path("a/secret.txt"), 0o000);
    chmodSync(ws.path("a/closed"), 0o000);
    chmodSync(ws.path("a/noexec"), 0o644);
    ws.write("a/new.txt", "new");
    ws.write("a/secret.txt.new", "new secret");
    handOver(ws.dir);
    const r = await syncAsOther();
    assert.is(r.code, 2, `exit 2: some items failed\n${r.stdout}\n${r.stderr}`);
    assert.match(r.stderr, /closed: .*cannot list this folder \(EACCES\)/);
    assert.match(r.stderr, /noexec\/inside\.txt: .*(EACCES|permission denied)/);
    assert.not.match(r.stderr, /at .*\.js:\d+/, "no stack trace");
    // nothing was taken for a deletion: the copies on b are still there
    assert.is(ws.read("b/secret.txt"), "secret");
    assert.is(ws.read("b/closed/inside.txt"), "inside a folder that cannot be listed");
    assert.is(ws.read("b/noexec/inside.txt"), "inside a folder that can be listed but not entered");
    // the rest synced
    assert.is(ws.read("b/new.txt"), "new");
    assert.is(ws.read("b/secret.txt.new"), "new secret");
    spawnSync("chmod", ["-R", "u+rwx,go+rX", ws.path("a")]);
    chmodSync(ws.path("a/secret.txt"), 0o644);
    const after = await syncAsOther();
    assert.is(after.code, 0, after.stderr);
    assertSameTree(ws.path("a"), ws.path("b"));
  }));

test("a read-only target (as another user): each file named with the reason, nothing partial, all of it synced once writable", () =>
  hostileCase("read-only target", async () => {
    ws.write("a/base.txt", "base");
    handOver(ws.dir);
    assert.is((await syncAsOther()).code, 0);
    ws.write("a/one.txt", "1");
    ws.write("a/sub/two.txt", "2");
    ws.write("a/base.txt", "base, edited");
    handOver(ws.dir);
    chmodSync(ws.path("b"), 0o555);
    const r = await syncAsOther();
    assert.is(r.code, 2, r.stderr);
    for (const name of ["one.txt", "sub", "base.txt"]) assert.match(r.stderr, new RegExp(`${name.replace(".", "\\.")}: .*(permission denied|EACCES)`), `${name} is named`);
    assert.not.match(r.stderr, /\.wlsync-tmp-/, "the message names the file, not a temporary name");
    assert.equal(readTree(ws.path("b")).temps, []);
    assert.is(ws.read("b/base.txt"), "base");
    assert.is(checkStateStore(ws.state).synced.find((x) => x.path === "base.txt").hash, sha256("base"), "not recorded as synced");
    chmodSync(ws.path("b"), 0o755);
    const after = await syncAsOther();
    assert.is(after.code, 0, after.stderr);
    assertSameTree(ws.path("a"), ws.path("b"));
    // A read-only file in a writable folder is replaced like any other (as rsync does): the folder's permissions protect.
    chmodSync(ws.path("b/one.txt"), 0o444);
    ws.write("a/one.txt", "1, edited");
    handOver(ws.dir);
    assert.is((await syncAsOther()).code, 0);
    assert.is(ws.read("b/one.txt"), "1, edited");
  }));

test("a full disk: the file that does not fit is named, no partial file or temporary file stays, the rest syncs", () =>
  hostileCase("full disk", async () => {
    const mounted = mountTmpfs(ws.path("b"), "2m");
    const env = mounted
      ? {}
      : { NODE_OPTIONS: `--import=${pathToFileURL(join(ROOT, "test/helpers/enospc-preload.mjs")).href}`, WLSYNC_TEST_ENOSPC_DIR: ws.path("b"), WLSYNC_TEST_ENOSPC_BYTES: String(2 << 20) };
    cases.diskFull = mounted ? "a 2 MB tmpfs" : "injected ENOSPC (mount not permitted here)";
    try {
      ws.write("a/big.bin", bytes(3 << 20));
      ws.write("a/medium.bin", bytes(512 << 10));
      for (let i = 0; i < 5; i++) ws.write(`a/small${i}.txt`, `small ${i}`);
      const r = await wl(ws.dir, ["container", "sync", "--one-shot", "box", "--syncer", "naive", "--json"], { env });
      assert.is(r.code, 2, r.stderr);
      const failed = new Map(JSON.parse(r.stdout).errors.map((e) => [e.path, e.message]));
      assert.match(failed.get("big.bin") ?? "", /no space left on device/i);
      // A file written while the big one filled the disk may fail too; each failure says why.
      for (const [path, message] of failed) assert.match(message, /no space left on device/i, `${path}: ${message}`);
      assert.not.ok(existsSync(ws.path("b/big.bin")), "no partial file under the real name");
      assert.equal(readTree(ws.path("b")).temps, [], "the temporary file was removed");
      const landed = readTree(ws.path("b")).files;
      for (const [path, content] of readTree(ws.path("a")).files) {
        if (!failed.has(path)) assert.ok(landed.get(path)?.equals(content), `${path} did not fail, so it must have synced`);
        else assert.not.ok(landed.has(path), `${path} failed: nothing of it under its name`);
      }
      assert.ok(failed.size < 7, "the files that fit synced");
      const recorded = checkStateStore(ws.state).synced.map((x) => x.path);
      for (const path of failed.keys()) assert.not.ok(recorded.includes(path), `${path} recorded as synced`);
      if (mounted) execFileSync("mount", ["-o", "remount,size=16m", ws.path("b")]);
      const after = await wl(ws.dir, ["container", "sync", "--one-shot", "box", "--syncer", "naive"]);
      assert.is(after.code, 0, after.stderr);
      assertSameTree(ws.path("a"), ws.path("b"));
    } finally {
      if (mounted) spawnSync("umount", [ws.path("b")]);
    }
  }));

test("the state store's disk filling up mid-pass: the pass stops with a clear message, the next one recognises what was copied", async () => {
  const state = ws.state;
  mkdirSync(state, { recursive: true });
  if (!mountTmpfs(state, "4m")) {
    cases.stateFull = "not run (mount not permitted here)";
    return;
  }
  cases.tried++;
  try {
    for (let i = 0; i < 20; i++) ws.write(`a/f${i}.txt`, `${i}`);
    assert.is((await sync()).code, 0);
    const free = Number(execFileSync("df", ["--output=avail", "-k", state], { encoding: "utf8" }).trim().split("\n").pop());
    writeFileSync(join(state, "filler"), Buffer.alloc((free - 40) * 1024));
    for (let i = 0; i < 800; i++) ws.write(`a/many/n${i}.txt`, `new ${i}`);
    const r = await sync();
    assert.is(r.code, 3, r.stdout + r.stderr);
    assert.match(r.stderr, /wl: cannot update the state store in .*(disk is full|database or disk is full).*the next pass/);
    assert.not.match(r.stderr, /unexpected error/);
    assert.not.match(r.stderr, /many\/n\d+\.txt: .*disk is full/, "copies that landed are not reported as failed items");
    const landed = readTree(ws.path("b/many")).files;
    for (const [path, content] of landed) assert.is(content.toString(), `new ${path.slice(1, -4)}`, `b/many/${path} is whole`);
    rmSync(join(state, "filler"));
    const after = await sync();
    assert.is(after.code, 0, after.stderr);
    assert.match(after.stdout, new RegExp(`copy a → b: ${800 - landed.size} files?`), "what had landed is recorded, not copied again");
    assertSameTree(ws.path("a"), ws.path("b"));
    cases.survived++;
    cases.names.push("state store's disk full");
    cases.stateFull = "a 4 MB tmpfs";
  } finally {
    spawnSync("umount", [state]);
  }
});

test("long names, deep nesting, NFC and NFD, names differing in case, odd characters: byte-exact names; a path too long is named and kept", () =>
  hostileCase("names and nesting", async () => {
    const names = [
      "x".repeat(255), // the longest name ext4 holds
      `${"é".repeat(127)}x`, // 255 bytes of UTF-8
      "caf\u00e9.txt", // NFC
      "cafe\u0301.txt", // NFD of the same name: a different file on Linux
      "README.md",
      "Readme.md",
      "readme.md",
      " leading and trailing space ",
      "-starts-with-dash",
      "tab\tand\nnewline",
      "back\\slash*?<>|:\"",
    ];
    for (const name of names) ws.write(`a/${name}`, `content of ${JSON.stringify(name)}`);
    ws.write("b/caf\u00e9.txt", "content of \"café.txt\""); // the NFC name already on b, same content: recorded, not a conflict
    let deep = "a";
    for (let i = 0; i < 100; i++) deep += `/d${i}`;
    ws.write(`${deep}/deep.txt`, "100 levels down");
    const r = await sync();
    assert.is(r.code, 0, r.stderr);
    assertSameTree(ws.path("a"), ws.path("b"));
    assert.is(ws.read(`b${deep.slice(1)}/deep.txt`), "100 levels down");

    // A path longer than PATH_MAX (4096 bytes) cannot be looked at: named, left alone, never deleted.
    const segment = `level-${"x".repeat(40)}`;
    const makeDeep = `const fs = require("fs"); process.chdir(process.argv[1]); for (let i = 0; i < 95; i++) { fs.mkdirSync(${JSON.stringify(segment)}); process.chdir(${JSON.stringify(segment)}); } fs.writeFileSync("too-deep.txt", "deep");`;
    execFileSync(process.execPath, ["-e", makeDeep, ws.path("a")]);
    ws.write("a/after-long.txt", "still synced");
    const r2 = await sync();
    assert.is(r2.code, 2, `a path that cannot be synced fails the pass\n${r2.stderr.slice(-300)}`);
    assert.match(r2.stderr, /ENAMETOOLONG/);
    assert.is(ws.read("b/after-long.txt"), "still synced");
    const r3 = await sync();
    assert.is(r3.code, 2);
    assert.ok(existsSync(ws.path("b/after-long.txt")));
  }));

test("names that are not valid UTF-8 are named and skipped, never silently", () =>
  hostileCase("names not valid UTF-8", async () => {
    ws.write("a/ok.txt", "ok");
    execFileSync("sh", ["-c", `cd '${ws.path("a")}' && printf latin1 > "$(printf 'caf\\351.txt')" && mkdir "$(printf 'dir\\377')" && printf in > "$(printf 'dir\\377/in.txt')"`]);
    const r = await sync();
    assert.is(r.code, 2, r.stderr);
    assert.match(r.stderr, /caf\uFFFD\.txt: .*not valid UTF-8/);
    assert.match(r.stderr, /dir\uFFFD: .*not valid UTF-8/);
    assert.is(ws.read("b/ok.txt"), "ok");
  }));

test("symlink loops and links pointing outside sync as links, are never followed, and nothing is written through them", () =>
  hostileCase("symlinks: loops, outside, symlinked folders", async () => {
    const outside = workspace("wl-outside-");
    try {
      outside.write("secret.txt", "outside the storage");
      ws.write("a/real.txt", "r");
      symlinkSync("loop2", ws.path("a/loop1"));
      symlinkSync("loop1", ws.path("a/loop2"));
      symlinkSync(".", ws.path("a/self"));
      symlinkSync(outside.dir, ws.path("a/outside-dir"));
      symlinkSync(join(outside.dir, "secret.txt"), ws.path("a/outside-file"));
      symlinkSync("../../../etc/passwd", ws.path("a/escape"));
      const r = await sync();
      assert.is(r.code, 0, r.stderr);
      for (const link of ["loop1", "loop2", "self", "outside-dir", "outside-file", "escape"]) {
        assert.is(readlinkSync(ws.path(`b/${link}`)), readlinkSync(ws.path(`a/${link}`)), `${link} is a link with the same target`);
      }
      assert.not.ok(existsSync(ws.path("b/outside-dir/secret.txt")) && statSync(ws.path("b/outside-dir")).isDirectory() && !readlinkSync(ws.path("b/outside-dir")));
      assert.equal(snapshot(outside.dir).size, 1, "nothing was written outside");

      // b replaces a synced folder by a link to a folder outside; a adds to the folder: a conflict, nothing goes through the link.
      ws.write("a/shared/x.txt", "x");
      assert.is((await sync()).code, 0);
      rmSync(ws.path("b/shared"), { recursive: true });
      symlinkSync(outside.dir, ws.path("b/shared"));
      ws.write("a/shared/y.txt", "y, must not land outside");
      const r2 = await sync();
      assert.is(r2.code, 1, r2.stdout + r2.stderr);
      assert.match(r2.stderr, /shared: /);
      assert.equal([...snapshot(outside.dir).keys()], ["secret.txt"], "nothing was written through the link");
      assert.is(ws.read("a/shared/x.txt"), "x");
      assert.is(ws.read("a/shared/y.txt"), "y, must not land outside");
      // The same in one-way mode, where the target's own change (the link) stays where it is.
      ws.write("a/shared/z.txt", "z, must not land outside either");
      const r3 = await sync("--unidirectional");
      assert.is(r3.code, 1, r3.stdout + r3.stderr);
      assert.equal([...snapshot(outside.dir).keys()], ["secret.txt"], "nothing was written through the link in one-way mode");
    } finally {
      outside.cleanup();
    }
  }));

test("FIFOs and sockets are skipped with a warning; the other files sync and the pass succeeds", () =>
  hostileCase("FIFOs and sockets", async () => {
    ws.write("a/regular.txt", "regular");
    execFileSync("mkfifo", [ws.path("a/fifo"), ws.path("b/fifo-on-b")]);
    const server = createServer();
    await new Promise((resolve) => server.listen(ws.path("a/socket"), resolve));
    try {
      const r = await sync();
      assert.is(r.code, 0, r.stderr);
      assert.match(r.stderr, /fifo: skipped: a FIFO cannot be synced/);
      assert.match(r.stderr, /fifo-on-b: skipped: a FIFO cannot be synced/);
      assert.match(r.stderr, /socket: skipped: a socket cannot be synced/);
      assert.is(ws.read("b/regular.txt"), "regular");
      assert.not.ok(existsSync(ws.path("b/fifo")) || existsSync(ws.path("b/socket")) || existsSync(ws.path("a/fifo-on-b")));
    } finally {
      server.close();
    }
  }));

test("sparse and 0-byte files arrive byte for byte; 0 bytes to content and back propagate", () =>
  hostileCase("sparse and 0-byte files", async () => {
    const sparse = ws.path("a/sparse.img");
    execFileSync("truncate", ["-s", "32M", sparse]);
    execFileSync("sh", ["-c", `printf head | dd of='${sparse}' conv=notrunc status=none && printf tail | dd of='${sparse}' bs=1 seek=$((32*1024*1024-4)) conv=notrunc status=none`]);
    ws.write("a/empty", "");
    ws.write("a/empty-dir/.keep", "");
    const r = await sync();
    assert.is(r.code, 0, r.stderr);
    assertSameTree(ws.path("a"), ws.path("b"));
    ws.write("b/empty", "now with content");
    assert.is((await sync()).code, 0);
    assert.is(ws.read("a/empty"), "now with content");
    ws.write("a/empty", "");
    assert.is((await sync()).code, 0);
    assert.is(ws.read("b/empty"), "");
    rmSync(ws.path("a/empty"));
    assert.is((await sync()).code, 0);
    assert.not.ok(existsSync(ws.path("b/empty")));
  }));

test.after(() => {
  report("hostile trees", { tried: cases.tried, survived: cases.survived, detail: `${cases.names.join("; ")}; full disk by ${cases.diskFull ?? "not run"}; state store disk full by ${cases.stateFull ?? "not run"}`, test: "test/hostile-trees.test.mjs" });
});

test.run();

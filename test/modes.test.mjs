// Permission bits (issue 13, input 4): a chmod propagates like content (rsync -a, Unison's
// perms), an edit on the other side does not bring the old mode back, different chmods on both
// sides are a conflict that loses nothing, content and mode from different sides both land,
// one-way carries the source's mode, and storages without modes (exFAT, loop-mounted here) and
// sftp (a real sshd) behave. Runs the built `wl` on real folders, with both local syncers.
import { chmodSync, existsSync, renameSync, statSync, writeFileSync } from "node:fs";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { withFs } from "./helpers/filesystems.mjs";
import { report } from "./helpers/report.mjs";
import { sshdUnavailable, startSshd } from "./helpers/sshd.mjs";
import { assertSameTree, localConfig, wl, workspace } from "./helpers/wl.mjs";

const SYNCERS = ["rsync", "naive"];
const counts = { tried: 0, survived: 0, names: [], notRun: [] };

const modeOf = (file) => statSync(file).mode & 0o7777;
const octal = (m) => `0${m.toString(8)}`;

async function sync(ws, syncer, extra = []) {
  const r = await wl(ws.dir, ["container", "sync", "--one-shot", "box", "--json", ...(syncer ? ["--syncer", syncer] : []), ...extra]);
  try {
    r.json = JSON.parse(r.stdout);
  } catch {
    r.json = undefined;
  }
  return r;
}

function expectCode(r, code, what) {
  assert.is(r.code, code, `${what}: wl exited ${r.code}, expected ${code}\nconflicts: ${JSON.stringify(r.json?.conflicts)}\nerrors: ${JSON.stringify(r.json?.errors)}\nstderr: ${r.stderr}`);
}

function expectMode(file, mode, what) {
  assert.is(octal(modeOf(file)), octal(mode), `${what}: ${file} has mode ${octal(modeOf(file))}, expected ${octal(mode)}`);
}

/** A pass that must change nothing at all (no copies, deletions, chmods). */
async function expectQuiet(ws, syncer, what, extra = []) {
  const r = await sync(ws, syncer, extra);
  expectCode(r, 0, what);
  const c = r.json.counters;
  const moved = c.copiedToTarget + c.copiedToSource + c.deletedOnTarget + c.deletedOnSource + (c.modesChanged ?? 0);
  assert.is(moved, 0, `${what}: the pass changed something: ${JSON.stringify(c)}`);
}

/** One case, counted when it passes. */
async function counted(name, fn) {
  counts.tried++;
  await fn();
  counts.survived++;
  counts.names.push(name);
}

for (const syncer of SYNCERS) {
  test(`issue 13 input 4: chmod 755 on a propagates to b; an edit on b then keeps 755 on a (${syncer})`, async () => {
    await counted(`chmod then edit (${syncer})`, async () => {
      const ws = workspace("wl-modes-");
      try {
        localConfig(ws.dir);
        chmodSync(ws.write("a/run.sh", "#!/bin/sh\necho one\n"), 0o644);
        expectCode(await sync(ws, syncer), 0, "pass 1");
        expectMode(ws.path("b/run.sh"), 0o644, "pass 1");
        chmodSync(ws.path("a/run.sh"), 0o755);
        const second = await sync(ws, syncer);
        expectCode(second, 0, "pass 2");
        expectMode(ws.path("b/run.sh"), 0o755, "pass 2: the chmod on a did not reach b");
        assert.is(second.json.counters.modesChanged, 1, "pass 2: one chmod");
        assert.is(second.json.counters.copiedToTarget + second.json.counters.copiedToSource, 0, "pass 2: a chmod moved content");
        assert.equal(second.json.changes, [{ action: "chmod", path: "run.sh", on: "b", from: "a" }]);
        // The edit on b: written in place, b's mode (now 755) stays.
        writeFileSync(ws.path("b/run.sh"), "#!/bin/sh\necho two\n");
        expectCode(await sync(ws, syncer), 0, "pass 3");
        assert.is(ws.read("a/run.sh"), "#!/bin/sh\necho two\n", "pass 3: b's edit did not reach a");
        expectMode(ws.path("a/run.sh"), 0o755, "pass 3: the edit on b brought an old mode back to a");
        expectMode(ws.path("b/run.sh"), 0o755, "pass 3");
        await expectQuiet(ws, syncer, "pass 4");
      } finally {
        ws.cleanup();
      }
    });
  });

  // The conflict and its resolution go through the engine (a chmod), whatever the syncer.
  if (syncer === "rsync") test(`different chmods on both sides: a mode conflict, nothing lost, listed, resolved by --conflict-resolve (${syncer})`, async () => {
    await counted(`mode conflict (${syncer})`, async () => {
      const ws = workspace("wl-modes-");
      try {
        localConfig(ws.dir);
        chmodSync(ws.write("a/tool", "tool v1\n"), 0o644);
        expectCode(await sync(ws, syncer), 0, "pass 1");
        chmodSync(ws.path("a/tool"), 0o755);
        chmodSync(ws.path("b/tool"), 0o700);
        for (let pass = 2; pass <= 3; pass++) {
          const r = await sync(ws, syncer);
          expectCode(r, 1, `pass ${pass}`);
          assert.equal(r.json.conflicts.map((c) => `${c.path} ${c.reason}`), ["tool mode"], `pass ${pass}`);
          assert.match(r.json.conflicts[0].message, /permissions changed on both sides: 0755 on a, 0700 on b/);
          expectMode(ws.path("a/tool"), 0o755, `pass ${pass}: a was touched`);
          expectMode(ws.path("b/tool"), 0o700, `pass ${pass}: b was touched`);
          assert.is(ws.read("a/tool"), "tool v1\n");
          assert.is(ws.read("b/tool"), "tool v1\n");
        }
        const list = await wl(ws.dir, ["container", "list-conflicts", "box"]);
        assert.match(list.stdout, /tool: permissions changed on both sides/, `list-conflicts: ${list.stdout}\n${list.stderr}`);
        assert.match(list.stdout, /mode 0755/, `list-conflicts shows each side's mode: ${list.stdout}`);
        const resolved = await sync(ws, syncer, ["--conflict-resolve", "b"]);
        expectCode(resolved, 0, "resolved");
        assert.equal(resolved.json.conflicts, []);
        expectMode(ws.path("a/tool"), 0o700, "resolved: b's mode did not win");
        assert.is(ws.read("a/tool"), "tool v1\n");
        await expectQuiet(ws, syncer, "after the resolution");
      } finally {
        ws.cleanup();
      }
    });
  });

  test(`content edited on a, mode changed on b: both land in one pass, no conflict (${syncer})`, async () => {
    await counted(`content and mode from different sides (${syncer})`, async () => {
      const ws = workspace("wl-modes-");
      try {
        localConfig(ws.dir);
        chmodSync(ws.write("a/notes.txt", "v1\n"), 0o644);
        expectCode(await sync(ws, syncer), 0, "pass 1");
        writeFileSync(ws.path("a/notes.txt"), "v2, longer\n");
        chmodSync(ws.path("b/notes.txt"), 0o600);
        const r = await sync(ws, syncer);
        expectCode(r, 0, "pass 2");
        assert.is(ws.read("b/notes.txt"), "v2, longer\n", "a's content did not reach b");
        expectMode(ws.path("b/notes.txt"), 0o600, "b lost its own chmod to the copy");
        expectMode(ws.path("a/notes.txt"), 0o600, "b's chmod did not reach a");
        await expectQuiet(ws, syncer, "pass 3");
      } finally {
        ws.cleanup();
      }
    });
  });

  test(`class members: rename plus chmod, a recreated file with another mode, a read-only file replaced, new files and the umask (${syncer})`, async () => {
    await counted(`rename, recreate, read-only, umask (${syncer})`, async () => {
      const ws = workspace("wl-modes-");
      const umask = process.umask(0o077); // wl inherits it: a copied file keeps its source's mode all the same
      try {
        localConfig(ws.dir);
        chmodSync(ws.write("a/old-name.sh", "script\n"), 0o644);
        chmodSync(ws.write("a/recreated.txt", "same bytes\n"), 0o644);
        chmodSync(ws.write("a/readonly.txt", "first\n"), 0o444);
        chmodSync(ws.write("a/public.txt", "for all\n"), 0o644);
        expectCode(await sync(ws, syncer), 0, "pass 1");
        expectMode(ws.path("b/readonly.txt"), 0o444, "pass 1");
        expectMode(ws.path("b/public.txt"), 0o644, "pass 1: a new file got the umask, not its mode");
        // Renamed and made executable in one go; deleted and written again with the same bytes
        // and another mode; a read-only file edited (made writable, written, made read-only).
        renameSync(ws.path("a/old-name.sh"), ws.path("a/new-name.sh"));
        chmodSync(ws.path("a/new-name.sh"), 0o755);
        const recreated = ws.path("a/recreated.txt");
        writeFileSync(`${recreated}.tmp`, "same bytes\n");
        chmodSync(`${recreated}.tmp`, 0o640);
        renameSync(`${recreated}.tmp`, recreated);
        chmodSync(ws.path("a/readonly.txt"), 0o644);
        writeFileSync(ws.path("a/readonly.txt"), "second\n");
        chmodSync(ws.path("a/readonly.txt"), 0o444);
        // setuid is not propagated: with it, b gets the plain bits.
        chmodSync(ws.write("a/suid-tool", "tool\n"), 0o4755);
        expectCode(await sync(ws, syncer), 0, "pass 2");
        assert.not.ok(existsSync(ws.path("b/old-name.sh")), "the old name stayed on b");
        expectMode(ws.path("b/new-name.sh"), 0o755, "pass 2: rename plus chmod");
        expectMode(ws.path("b/recreated.txt"), 0o640, "pass 2: recreated with another mode");
        assert.is(ws.read("b/readonly.txt"), "second\n", "pass 2: the read-only file was not replaced");
        expectMode(ws.path("b/readonly.txt"), 0o444, "pass 2: the replaced read-only file");
        expectMode(ws.path("b/suid-tool"), 0o755, "pass 2: setuid went across");
        await expectQuiet(ws, syncer, "pass 3");
        assertSameTree(ws.path("a"), ws.path("b"));
      } finally {
        process.umask(umask);
        ws.cleanup();
      }
    });
  });

  test(`one-way: the source's chmod goes to the target; the target's own chmod stays there; both changed: a conflict (${syncer})`, async () => {
    await counted(`one-way (${syncer})`, async () => {
      const ws = workspace("wl-modes-");
      try {
        localConfig(ws.dir);
        chmodSync(ws.write("a/x", "x\n"), 0o644);
        const oneWay = ["--unidirectional"];
        expectCode(await sync(ws, syncer, oneWay), 0, "pass 1");
        chmodSync(ws.path("a/x"), 0o750);
        expectCode(await sync(ws, syncer, oneWay), 0, "pass 2");
        expectMode(ws.path("b/x"), 0o750, "pass 2: the source's chmod did not reach the target");
        chmodSync(ws.path("b/x"), 0o700);
        await expectQuiet(ws, syncer, "pass 3: the target's own chmod", oneWay);
        expectMode(ws.path("a/x"), 0o750, "pass 3: one-way wrote the source");
        expectMode(ws.path("b/x"), 0o700, "pass 3: the target's chmod was undone");
        // An edit of the source's content: copied, the target keeps its own mode.
        writeFileSync(ws.path("a/x"), "x, edited\n");
        expectCode(await sync(ws, syncer, oneWay), 0, "pass 4");
        assert.is(ws.read("b/x"), "x, edited\n");
        expectMode(ws.path("b/x"), 0o700, "pass 4: the copy undid the target's chmod");
        chmodSync(ws.path("a/x"), 0o755);
        const r = await sync(ws, syncer, oneWay);
        expectCode(r, 1, "pass 5: both changed the mode");
        assert.equal(r.json.conflicts.map((c) => c.reason), ["mode"]);
        expectMode(ws.path("b/x"), 0o700, "pass 5: the target was touched");
        expectCode(await sync(ws, syncer, [...oneWay, "--conflict-resolve", "a"]), 0, "pass 6: the mirror settles it");
        expectMode(ws.path("b/x"), 0o755, "pass 6");
      } finally {
        ws.cleanup();
      }
    });
  });

  test(`a storage without modes (exFAT): no errors, no endless chmods, content syncs, modes on the other side kept (${syncer})`, async () => {
    const ws = workspace("wl-modes-exfat-");
    const umask = process.umask(0o022);
    try {
      localConfig(ws.dir);
      const ran = await withFs("exfat", ws.path("b"), `modes with an exFAT storage (${syncer})`, async () => {
        await counted(`exFAT (${syncer})`, async () => {
          chmodSync(ws.write("a/run.sh", "run\n"), 0o755);
          chmodSync(ws.write("a/data.txt", "data\n"), 0o640);
          expectCode(await sync(ws, syncer), 0, "pass 1");
          assert.is(ws.read("b/run.sh"), "run\n");
          await expectQuiet(ws, syncer, "pass 2");
          chmodSync(ws.path("a/data.txt"), 0o600);
          await expectQuiet(ws, syncer, "pass 3: a chmod toward a storage without modes");
          await expectQuiet(ws, syncer, "pass 4");
          // Edits and a new file on the exFAT side: content comes back, a's modes stay, the new
          // file gets the default mode (0666 & ~umask), not exFAT's 0777.
          writeFileSync(ws.path("b/run.sh"), "run, edited on exFAT\n");
          writeFileSync(ws.path("b/data.txt"), "data, edited on exFAT\n");
          writeFileSync(ws.path("b/new.txt"), "made on exFAT\n");
          expectCode(await sync(ws, syncer), 0, "pass 5");
          assert.is(ws.read("a/run.sh"), "run, edited on exFAT\n");
          assert.is(ws.read("a/data.txt"), "data, edited on exFAT\n");
          expectMode(ws.path("a/run.sh"), 0o755, "pass 5: an edit from exFAT changed a's mode");
          expectMode(ws.path("a/data.txt"), 0o600, "pass 5: an edit from exFAT changed a's mode");
          expectMode(ws.path("a/new.txt"), 0o644, "pass 5: a new file from exFAT");
          await expectQuiet(ws, syncer, "pass 6");
          assertSameTree(ws.path("a"), ws.path("b"));
        });
      });
      if (!ran) counts.notRun.push(`exFAT (${syncer})`);
    } finally {
      process.umask(umask);
      ws.cleanup();
    }
  });
}

test("sftp: a chmod on either side crosses over SSH (setstat), an edit keeps the mode", async () => {
  const why = sshdUnavailable();
  const server = why ? null : await startSshd();
  if (!server) {
    console.log(`[not run] modes over sftp: ${why ?? "sshd did not start"}`);
    counts.notRun.push("sftp");
    return;
  }
  const ws = workspace("wl-modes-sftp-");
  try {
    await counted("sftp", async () => {
      localConfig(ws.dir, { storage: (id, folder) => (id === "b" ? server.storage(folder) : undefined) });
      chmodSync(ws.write("a/run.sh", "run\n"), 0o644);
      expectCode(await sync(ws), 0, "pass 1");
      expectMode(ws.path("b/run.sh"), 0o644, "pass 1");
      chmodSync(ws.path("a/run.sh"), 0o755);
      expectCode(await sync(ws), 0, "pass 2");
      expectMode(ws.path("b/run.sh"), 0o755, "pass 2: a's chmod did not reach the sftp side");
      chmodSync(ws.path("b/run.sh"), 0o700);
      expectCode(await sync(ws), 0, "pass 3");
      expectMode(ws.path("a/run.sh"), 0o700, "pass 3: the sftp side's chmod did not reach a");
      writeFileSync(ws.path("b/run.sh"), "run, edited over there\n");
      expectCode(await sync(ws), 0, "pass 4");
      assert.is(ws.read("a/run.sh"), "run, edited over there\n");
      expectMode(ws.path("a/run.sh"), 0o700, "pass 4");
      await expectQuiet(ws, undefined, "pass 5");
    });
  } finally {
    ws.cleanup();
    server.stop();
  }
});

test.after(() => {
  for (const n of counts.notRun) console.log(`[not run] ${n}`);
  report("permission bits (issue 13: 4)", { tried: counts.tried, survived: counts.survived, detail: counts.names.join("; "), test: "test/modes.test.mjs" });
});

test.run();

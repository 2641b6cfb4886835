// Renames that move nothing with an sftp storage, through a real OpenSSH sshd on 127.0.0.1
// (test/helpers/sshd.mjs) and the built `wl`: a folder renamed locally is renamed on the server
// (SFTP rename: 0 content bytes, the same inodes there), and one renamed on the server is renamed
// locally; with the naive syncer and with rsync (the engine moves first, rsync gets the rest).
// A copy within an sftp storage is transferred (SFTP has no copy request OpenSSH offers).
import { copyFileSync, lstatSync, renameSync } from "node:fs";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { startSshd } from "./helpers/sshd.mjs";
import { assertSameTree, bytes, localConfig, wl, workspace } from "./helpers/wl.mjs";

const server = await startSshd();
const test = suite("moves with an sftp storage");
let ws;
const MB = 1 << 20;

async function sync(args = []) {
  const r = await wl(ws.dir, ["container", "sync", "--one-shot", "box", "--json", ...args]);
  assert.is(r.code, 0, `wl exited ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

if (server) {
  test.before.each(() => {
    ws = workspace("wl-moves-sftp-");
    localConfig(ws.dir, { storage: (id, folder) => (id === "b" ? server.storage(folder) : undefined) });
  });
  test.after.each(() => ws.cleanup());
  test.after(() => server.stop());

  for (const syncer of ["naive", "rsync"]) {
    test(`[${syncer}] a folder renamed on either side is renamed on the other: 0 content bytes, same inodes`, async () => {
      for (let i = 0; i < 3; i++) ws.write(`a/album/f${i}.bin`, bytes(MB));
      ws.write("a/album/deep/g.bin", bytes(256 * 1024));
      await sync(["--syncer", syncer]);
      const ino = lstatSync(ws.path("b/album/f0.bin")).ino;
      renameSync(ws.path("a/album"), ws.path("a/renamed"));
      const up = await sync(["--syncer", syncer]);
      assert.is(up.counters.contentBytes, 0, JSON.stringify(up.counters));
      assert.is(up.counters.moved, 4);
      assert.is(lstatSync(ws.path("b/renamed/f0.bin")).ino, ino, "renamed on the server, not rewritten");
      assertSameTree(ws.path("a"), ws.path("b"));
      renameSync(ws.path("b/renamed"), ws.path("b/back"));
      const down = await sync(["--syncer", syncer]);
      assert.is(down.counters.contentBytes, 0, JSON.stringify(down.counters));
      assert.is(down.counters.moved, 4);
      assertSameTree(ws.path("a"), ws.path("b"));
    });
  }

  test("a copy within the sftp storage is transferred (no server-side copy over SFTP)", async () => {
    ws.write("a/x.bin", bytes(MB));
    await sync();
    copyFileSync(ws.path("a/x.bin"), ws.path("a/y.bin"));
    const r = await sync();
    assert.is(r.counters.copiedWithin, 0);
    assert.is(r.counters.contentBytes, MB);
    assertSameTree(ws.path("a"), ws.path("b"));
  });
} else {
  test("moves with an sftp storage", () => console.log("[not run] moves with an sftp storage: sshd cannot run here"));
}

test.run();

// Resumed transfers to (and one from) an sftp storage, through a real OpenSSH sshd on 127.0.0.1
// (test/helpers/sshd.mjs) and the built `wl` (naive syncer: the stream transfer, which resumes;
// rsync over ssh never leaves a partial file). A large copy killed (SIGKILL) or stopped (Ctrl-C)
// part-way leaves its partial file on the server and a checkpoint in the state folder; the next
// pass continues the partial file (opened for writing at the checkpoint) and sends only the
// rest. A source changed in between, or a partial file damaged, cut short or replaced on the
// server, makes the copy start over. Every result is checked byte for byte. The copy is slowed
// with --bwlimit so that the kill lands at a known size. With and without the remote shell
// (inodes known, or SFTP attributes alone).
import { closeSync, existsSync, openSync, readdirSync, readFileSync, statSync, truncateSync, unlinkSync, writeFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { startSshd } from "./helpers/sshd.mjs";
import { bytes, interruptCopy, localConfig, wl, workspace } from "./helpers/wl.mjs";

const server = await startSshd();
const test = suite("resume to an sftp storage");
const MiB = 1 << 20;
const SIZE = 16 * MiB; // the least size copied resumably (RESUMABLE_MIN_BYTES); checkpoints every 4 MiB (see checkpointStep)
let ws;

const env = () => ({ ...process.env, WLSYNC_STATE_DIR: ws.state, WLSYNC_DEBUG: "", XDG_RUNTIME_DIR: "", WLSYNC_SOCKET: "" });
const parts = () => readdirSync(ws.path("b")).filter((n) => n.startsWith(".wlsync-tmp-"));
const checkpoints = () => (existsSync(join(ws.state, "transfers")) ? readdirSync(join(ws.state, "transfers")) : []);

function setUp(shell) {
  ws = workspace("wl-resume-sftp-");
  localConfig(ws.dir, { extra: { syncer: "naive" }, storage: (id, folder) => (id === "b" ? server.storage(folder, { "remote-shell": shell }) : undefined) });
  ws.write("a/big.bin", bytes(SIZE));
}

/** Starts a pass at 16 MiB/s and stops it with `signal` once the partial file on the server holds `atLeast` bytes; returns its name and size then. */
async function interrupt(signal, atLeast = Math.ceil(SIZE * 0.6)) {
  const seen = await interruptCopy(ws, { env: env(), bwlimit: "16M", atLeast, signal });
  // What every case starts from: a resumable part on the server and its checkpoint here.
  assert.match(seen.name, /\.part$/, "the copy writes a resumable partial file");
  assert.is(checkpoints().length, 1, "the interrupted copy left its checkpoint");
  return seen;
}

/** The next pass, as JSON. */
async function finish() {
  const r = await wl(ws.dir, ["container", "sync", "--one-shot", "--json", "box"]);
  assert.is(r.code, 0, `${r.stdout}\n${r.stderr}`);
  return JSON.parse(r.stdout);
}

function assertDone(message) {
  assert.ok(readFileSync(ws.path("b", "big.bin")).equals(readFileSync(ws.path("a", "big.bin"))), `${message}: b/big.bin differs from a/big.bin`);
  assert.equal(parts(), [], `${message}: temporary files left on the server`);
  assert.equal(checkpoints(), [], `${message}: checkpoints left in the state folder`);
}

// Damage done to the partial file on the server between the kill and the next pass: each must be detected.
const damages = {
  "bytes overwritten inside the checkpointed part": (file) => {
    const fd = openSync(file, "r+");
    writeSync(fd, Buffer.alloc(4096, 0x5a), 0, 4096, 3 * MiB + 17);
    closeSync(fd);
  },
  "cut shorter than the checkpoint": (file) => truncateSync(file, 2 * MiB),
  // (the new file may get the old inode number back: then its bytes give it away)
  "replaced by another file of the same name and size": (file) => {
    const size = statSync(file).size;
    unlinkSync(file);
    writeFileSync(file, bytes(size));
  },
};

if (server) {
  test.after.each(() => ws.cleanup());
  test.after(() => server.stop());

  test("download: SIGKILL at 60% of a copy from the sftp storage: the next pass continues the local partial file and reads only the rest", async () => {
    ws = workspace("wl-resume-sftp-");
    localConfig(ws.dir, { extra: { syncer: "naive" }, storage: (id, folder) => (id === "a" ? server.storage(folder) : undefined) });
    ws.write("a/big.bin", bytes(SIZE));
    const killed = await interrupt("SIGKILL");
    const result = await finish();
    const resumed = result.counters.bytesResumed;
    assert.ok(resumed >= killed.size - 6 * MiB && resumed <= killed.size && resumed % MiB === 0, `resumed ${resumed} of a part of ${killed.size} bytes`);
    assert.is(result.counters.contentBytes, SIZE - resumed, "content bytes read: the rest only");
    assertDone("after the resumed download");
  });

  for (const shell of [true, false]) {
    const tag = `[remote-shell: ${shell}]`;

    test(`${tag} SIGKILL at 60%: the next pass keeps the checkpointed part on the server and sends only the rest`, async () => {
      setUp(shell);
      const killed = await interrupt("SIGKILL");
      assert.is(killed.run.code, null);
      assert.equal(parts(), [killed.name], "the partial file stays on the server for the next pass");
      const result = await finish();
      const resumed = result.counters.bytesResumed;
      // Checkpoints every 4 MiB: the last one before the kill is at most a step and a chunk behind.
      assert.ok(resumed >= killed.size - 6 * MiB && resumed <= killed.size && resumed % MiB === 0, `resumed ${resumed} of a part of ${killed.size} bytes`);
      assert.is(result.counters.bytesToTarget, SIZE);
      assert.is(result.counters.contentBytes, SIZE - resumed, "content bytes sent: the rest only");
      assertDone("after the resumed pass");
    });

    test(`${tag} partial file replaced on the server by another of the same name and size: detected, the copy starts over`, async () => {
      setUp(shell);
      const killed = await interrupt("SIGKILL");
      damages["replaced by another file of the same name and size"](ws.path("b", killed.name));
      const result = await finish();
      assert.is(result.counters.bytesResumed, 0, "nothing of a replaced part is kept");
      assertDone("after the part was replaced");
    });
  }

  test("Ctrl-C at 60%: the part stays on the server, the next pass resumes it", async () => {
    setUp(true);
    const stopped = await interrupt("SIGINT");
    assert.is(stopped.run.code, 130, stopped.run.stderr);
    assert.equal(parts(), [stopped.name]);
    const result = await finish();
    assert.ok(result.counters.bytesResumed >= stopped.size - 6 * MiB, `resumed ${result.counters.bytesResumed} of a part of ${stopped.size} bytes`);
    assertDone("after Ctrl-C and the next pass");
  });

  test("source changed between the kill and the next pass: the copy starts over, the old part is removed, the new content lands", async () => {
    setUp(true);
    const killed = await interrupt("SIGKILL");
    ws.write("a/big.bin", bytes(SIZE)); // same size, other bytes, new token
    const result = await finish();
    assert.is(result.counters.bytesResumed, 0);
    assert.ok(!existsSync(ws.path("b", killed.name)), "the stale part is gone");
    assertDone("after the source changed");
  });

  for (const what of ["bytes overwritten inside the checkpointed part", "cut shorter than the checkpoint"]) {
    test(`partial file ${what} on the server: detected, the copy starts over, the result is right`, async () => {
      setUp(true);
      const killed = await interrupt("SIGKILL");
      damages[what](ws.path("b", killed.name));
      const result = await finish();
      assert.is(result.counters.bytesResumed, 0, "nothing of a damaged part is kept");
      assertDone(`after the part was ${what}`);
    });
  }
} else {
  console.log("[not run] resume to an sftp storage: no sshd");
}

test.run();

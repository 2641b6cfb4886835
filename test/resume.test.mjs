// Resumed transfers: a large copy killed (SIGKILL) or stopped (Ctrl-C) part-way leaves its
// partial file and a checkpoint; the next pass sends only the rest, and only when the source is
// the same version and the partial file still holds what was copied. A source changed in
// between, or a partial file damaged, makes the copy start over. Every result is checked byte
// for byte. The copy is slowed with --bwlimit so that the kill lands at a known size.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, statSync, truncateSync, unlinkSync, writeFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { bytes, interruptCopy, localConfig, wl, workspace } from "./helpers/wl.mjs";

const test = suite("resume");
const MiB = 1 << 20;
const SIZE = 32 * MiB; // checkpoints every 4 MiB (see checkpointStep)
let ws;
test.before.each(() => {
  ws = workspace("wl-resume-");
  localConfig(ws.dir, { extra: { syncer: "naive" } });
  ws.write("a/big.bin", bytes(SIZE));
});
test.after.each(() => ws.cleanup());

const env = () => ({ ...process.env, WLSYNC_STATE_DIR: ws.state, WLSYNC_DEBUG: "", XDG_RUNTIME_DIR: "", WLSYNC_SOCKET: "" });
const parts = () => readdirSync(ws.path("b")).filter((n) => n.startsWith(".wlsync-tmp-"));
const checkpoints = () => (existsSync(join(ws.state, "transfers")) ? readdirSync(join(ws.state, "transfers")) : []);

/** Starts a pass at 32 MiB/s (see interruptCopy) and stops it with `signal` once the partial file holds `atLeast` bytes; returns the partial file's name and size then. */
async function interrupt(signal, atLeast = Math.ceil(SIZE * 0.6)) {
  return interruptCopy(ws, { env: env(), bwlimit: "32M", atLeast, signal });
}

/** The next pass, as JSON. */
async function finish() {
  const r = await wl(ws.dir, ["container", "sync", "--one-shot", "--json", "box"]);
  assert.is(r.code, 0, `${r.stdout}\n${r.stderr}`);
  return JSON.parse(r.stdout);
}

function assertDone(message) {
  assert.ok(readFileSync(ws.path("b", "big.bin")).equals(readFileSync(ws.path("a", "big.bin"))), `${message}: b/big.bin differs from a/big.bin`);
  assert.equal(parts(), [], `${message}: temporary files left in b`);
  assert.equal(checkpoints(), [], `${message}: checkpoints left in the state folder`);
}

test("SIGKILL at 60%: the next pass keeps the checkpointed part and sends only the rest", async () => {
  const killed = await interrupt("SIGKILL");
  assert.is(killed.run.code, null);
  assert.equal(parts(), [killed.name], "the partial file stays for the next pass");
  const result = await finish();
  const resumed = result.counters.bytesResumed;
  // Checkpoints every 4 MiB: the last one before the kill is at most a step and a chunk behind.
  assert.ok(resumed >= killed.size - 6 * MiB && resumed <= killed.size && resumed % MiB === 0, `resumed ${resumed} of a part of ${killed.size} bytes`);
  assert.is(result.counters.bytesToTarget, SIZE);
  assert.is(result.counters.contentBytes, SIZE - resumed, "content bytes sent: the rest only");
  assertDone("after the resumed pass");
});

test("Ctrl-C at 60%: the part stays, the next pass resumes it", async () => {
  const stopped = await interrupt("SIGINT");
  assert.is(stopped.run.code, 130, stopped.run.stderr);
  assert.equal(parts(), [stopped.name]);
  const result = await finish();
  assert.ok(result.counters.bytesResumed >= stopped.size - 6 * MiB, `resumed ${result.counters.bytesResumed} of a part of ${stopped.size} bytes`);
  assertDone("after Ctrl-C and the next pass");
});

test("source changed between the kill and the next pass: the copy starts over, the new content lands", async () => {
  await interrupt("SIGKILL");
  ws.write("a/big.bin", bytes(SIZE)); // same size, other bytes, new token
  const result = await finish();
  assert.is(result.counters.bytesResumed, 0);
  assertDone("after the source changed");
});

// Checkpoints are saved while the copy goes on (not waiting for the writes before them at each
// step): each must still claim only bytes already in the partial file, hashing to its sha256.
test("SIGKILL at 25%, 50% and 85%: the checkpoint left claims only written bytes, which hash to its sha256", async () => {
  const source = readFileSync(ws.path("a", "big.bin"));
  for (const at of [0.25, 0.5, 0.85]) {
    const killed = await interrupt("SIGKILL", Math.ceil(SIZE * at));
    const [name, ...more] = checkpoints();
    assert.equal(more, [], "one checkpoint");
    const checkpoint = JSON.parse(readFileSync(join(ws.state, "transfers", name), "utf8"));
    const part = readFileSync(ws.path("b", killed.name));
    assert.ok(checkpoint.offset > 0 && checkpoint.offset <= part.length, `killed at ${at}: checkpoint at ${checkpoint.offset}, partial file of ${part.length} bytes`);
    const sha = (buf) => createHash("sha256").update(buf).digest("hex");
    assert.is(sha(part.subarray(0, checkpoint.offset)), checkpoint.prefixSha256, `killed at ${at}: the partial file's first ${checkpoint.offset} bytes`);
    assert.is(sha(source.subarray(0, checkpoint.offset)), checkpoint.prefixSha256, `killed at ${at}: the source's first ${checkpoint.offset} bytes`);
    const result = await finish();
    assert.is(result.counters.bytesResumed, checkpoint.offset);
    assertDone(`after the kill at ${at}`);
    // The next round: deleted on b (the pass deletes it on a too), then new on a again.
    unlinkSync(ws.path("b", "big.bin"));
    await finish();
    assert.ok(!existsSync(ws.path("a", "big.bin")));
    ws.write("a/big.bin", source);
  }
});

// A pass killed between a checkpoint's write and its rename leaves `<name>.json.<pid>.tmp`
// (seen once in CI, under load): the next pass that saves a checkpoint removes it once its
// writer is gone; the temporary file of a writer that still runs stays.
test("a checkpoint's temporary file left by a killed pass is removed by the next pass; a live writer's stays", async () => {
  const dead = spawnSync("sh", ["-c", "echo $$"], { encoding: "utf8" });
  const deadPid = Number(dead.stdout.trim());
  const dir = join(ws.state, "transfers");
  mkdirSync(dir, { recursive: true });
  const leftover = `${"0".repeat(32)}.json.${deadPid}.tmp`;
  const live = `${"1".repeat(32)}.json.${process.pid}.tmp`;
  writeFileSync(join(dir, leftover), "{");
  writeFileSync(join(dir, live), "{");
  await finish();
  assert.equal(checkpoints(), [live], "the leftover of the dead pid is removed, the live writer's file stays");
  unlinkSync(join(dir, live));
  assertDone("after the pass");
});

// Damage done to the partial file between the kill and the next pass: each must be detected.
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
for (const [what, damage] of Object.entries(damages)) {
  test(`partial file ${what}: detected, the copy starts over, the result is right`, async () => {
    const killed = await interrupt("SIGKILL");
    damage(ws.path("b", killed.name));
    const result = await finish();
    assert.is(result.counters.bytesResumed, 0, "nothing of a damaged part is kept");
    assertDone(`after the part was ${what}`);
  });
}

test.run();

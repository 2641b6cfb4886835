// How many copies the streaming transfer runs at once between two local folders: large files
// (over 1 MiB) at most two at a time, so that they do not crowd the thread pool and the disk,
// while small files go on in the other slots. Every file still lands verified, byte for byte.
import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { WL, bytes, collect, localConfig, workspace } from "./helpers/wl.mjs";

const test = suite("transfer-limits");
const MiB = 1 << 20;
let ws;
test.before.each(() => {
  ws = workspace("wl-transfer-limits-");
  localConfig(ws.dir, { extra: { syncer: "naive" } });
});
test.after.each(() => ws.cleanup());

test("six large files and 300 small ones: at most two large copies at once; all land identical", async () => {
  const names = [];
  for (let i = 0; i < 6; i++) names.push(`big/f${i}.bin`);
  for (let i = 0; i < 300; i++) names.push(`small/d${i % 10}/s${i}.txt`);
  for (const name of names) ws.write(`a/${name}`, bytes(name.startsWith("big/") ? 17 * MiB : 100 + (name.length % 7) * 300));
  // 96 MiB/s for 102 MiB: about a second of copying, polled for the temporary files in b/big.
  const child = spawn(process.execPath, [WL, "container", "sync", "--one-shot", "--bwlimit", "96M", "--json", "box"], {
    cwd: ws.dir,
    env: { ...process.env, WLSYNC_STATE_DIR: ws.state, WLSYNC_DEBUG: "", XDG_RUNTIME_DIR: "", WLSYNC_SOCKET: "" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const done = collect(child);
  let finished = false;
  done.finally(() => (finished = true));
  let most = 0;
  let polls = 0;
  while (!finished) {
    let inFlight = 0;
    try {
      const seen = readdirSync(ws.path("b", "big"));
      inFlight = seen.filter((n) => n.startsWith(".wlsync-tmp-")).length;
    } catch {
      // not made yet
    }
    most = Math.max(most, inFlight);
    polls++;
    await new Promise((r) => setTimeout(r, 5));
  }
  const r = await done;
  assert.is(r.code, 0, `${r.stdout}\n${r.stderr}`);
  assert.ok(polls > 20, `the pass was watched (${polls} looks)`);
  assert.ok(most >= 1 && most <= 2, `large copies at once: at most ${most} seen, expected 1 or 2`);
  const result = JSON.parse(r.stdout);
  assert.is(result.counters.copiedToTarget, names.length);
  for (const name of names) assert.ok(readFileSync(ws.path("b", name)).equals(readFileSync(ws.path("a", name))), `${name} differs`);
});

test.run();

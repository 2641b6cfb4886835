// Ctrl-C: a one-shot pass stops cleanly (no temporary file left in the target but the parts of
// large copies that the next pass resumes, one summary line, exit 130) and the next pass finishes the job; on a continuous sync, Ctrl-C during the
// initial pass asks the daemon to stop that job.
import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { WL, bytes, collect, localConfig, wait, waitFor, wl, workspace } from "./helpers/wl.mjs";

const test = suite("Ctrl-C");
let ws;
test.before.each(() => {
  ws = workspace("wl-int-");
});
test.after.each(async () => {
  await wl(ws.dir, ["daemon", "stop"]).catch(() => {});
  ws.cleanup();
});

const env = () => ({ ...process.env, WLSYNC_STATE_DIR: ws.state, WLSYNC_DEBUG: "", XDG_RUNTIME_DIR: "", WLSYNC_SOCKET: "" });
/** Every name under `dir` (recursively) that is not one of `keep`. */
const stray = (dir, keep) => {
  const found = [];
  const walk = (rel) => {
    for (const name of readdirSync(join(dir, rel))) {
      const path = rel ? `${rel}/${name}` : name;
      if (!keep.includes(path)) found.push(path);
    }
  };
  walk("");
  return found;
};
const big = () => {
  ws.write("a/big1.bin", bytes(24_000_000));
  ws.write("a/big2.bin", bytes(24_000_000));
  ws.write("a/small.txt", "small");
};

for (const syncer of ["naive", "rsync"]) {
  test(`${syncer}: Ctrl-C (SIGINT to the process group, as a terminal sends it) stops the pass: exit 130, one summary line, no temporary file; the next pass finishes`, async () => {
    localConfig(ws.dir, { extra: { syncer } });
    big();
    // 48 MB at 4 MiB/s: about 12 s, interrupted after 2
    const child = spawn(process.execPath, [WL, "container", "sync", "--one-shot", "--bwlimit", "4M", "box"], { cwd: ws.dir, env: env(), detached: true, stdio: ["ignore", "pipe", "pipe"] });
    const done = collect(child);
    // Interrupt once the copying has begun (the small file is there, or a big file's temporary one).
    await waitFor(() => existsSync(ws.path("b")) && readdirSync(ws.path("b")).length > 0, "the pass to start copying", 30_000);
    await wait(1000);
    process.kill(-child.pid, "SIGINT");
    const r = await done;
    assert.is(r.code, 130, `exit ${r.code}\n${r.stdout}\n${r.stderr}`);
    const lines = r.stdout.trim().split("\n");
    assert.is(lines.length, 1, r.stdout);
    assert.match(lines[0], /^interrupted: copy a → b: \d+ files?, .*; run again to finish/);
    assert.not.match(r.stderr, /error:/, "abandoned copies are not reported as failures");
    // Only the parts of large copies that a next pass resumes (`.wlsync-tmp-*.part`) may stay.
    const left = stray(ws.path("b"), ["big1.bin", "big2.bin", "small.txt", ".wlsync"]).filter((n) => !(syncer === "naive" && /^\.wlsync-tmp-.*\.part$/.test(n)));
    assert.equal(left, [], `left in the target: ${left}`);
    for (const name of ["big1.bin", "big2.bin"]) {
      if (existsSync(ws.path("b", name))) assert.ok(readFileSync(ws.path("b", name)).equals(readFileSync(ws.path("a", name))), `${name} is whole or absent`);
    }
    const again = await wl(ws.dir, ["container", "sync", "--one-shot", "box"]);
    assert.is(again.code, 0, again.stderr);
    for (const name of ["big1.bin", "big2.bin", "small.txt"]) assert.ok(readFileSync(ws.path("b", name)).equals(readFileSync(ws.path("a", name))));
    assert.equal(stray(ws.path("b"), ["big1.bin", "big2.bin", "small.txt", ".wlsync"]), [], "nothing left after the next pass");
  });
}

test("continuous sync: Ctrl-C during the initial pass asks the daemon to stop that job; exit 130", async () => {
  localConfig(ws.dir, { extra: { syncer: "naive" } });
  const config = JSON.parse(ws.read(".wlsyncrc"));
  config.containers.box.storages[1].bwlimit = "4M";
  writeFileSync(ws.path(".wlsyncrc"), JSON.stringify(config));
  big();
  const child = spawn(process.execPath, [WL, "container", "sync", "box"], { cwd: ws.dir, env: env(), stdio: ["ignore", "pipe", "pipe"] });
  const done = collect(child);
  await waitFor(async () => {
    const s = await wl(ws.dir, ["status", "--json"]);
    return s.code === 0 && JSON.parse(s.stdout).jobs.length > 0;
  }, "the job to appear in wl status", 15_000).catch(() => {});
  child.kill("SIGINT");
  const r = await done;
  assert.is(r.code, 130, `exit ${r.code}\n${r.stdout}\n${r.stderr}`);
  assert.match(r.stdout, /^interrupted: stopped /m);
  await waitFor(async () => {
    const s = await wl(ws.dir, ["status", "--json"]);
    const jobs = s.code === 0 ? JSON.parse(s.stdout).jobs : [];
    return jobs.every((j) => j.container !== "box" || ["stopped", "idle"].includes(j.state)) && jobs.filter((j) => j.container === "box" && j.state !== "stopped").length === 0;
  }, "the daemon to drop the job", 20_000);
});

test.run();

// sftp storages end to end, through a real OpenSSH sshd on 127.0.0.1 (test/helpers/sshd.mjs):
// host keys (unknown, changed, accepted explicitly), a connection cut in the middle of a
// transfer, a 64 MiB file with a 4 KiB edit sent as a delta by rsync, counted on the wire.
import { execFileSync } from "node:child_process";
import { readFileSync, readdirSync, writeFileSync, appendFileSync, openSync, writeSync, closeSync } from "node:fs";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { startCountingProxy, startSshd } from "./helpers/sshd.mjs";
import { assertSameTree, bytes, localConfig, snapshot, wl, workspace } from "./helpers/wl.mjs";

const server = await startSshd();
const test = suite("sftp storages: host keys, cut connections, delta transfer");
let ws;

/** The config: a local, b on sftp through `port` (the server's, or a proxy's) checked against `knownHosts`. */
function config(extra = {}) {
  localConfig(ws.dir, { storage: (id, folder) => (id === "b" ? server.storage(folder, extra) : undefined) });
}
const sync = (...args) => wl(ws.dir, ["container", "sync", "--one-shot", "box", ...args]);
const ok = async (...args) => {
  const r = await sync(...args);
  assert.is(r.code, 0, `wl exited ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  return r;
};
const fingerprint = () => execFileSync("ssh-keygen", ["-lf", join(server.dir, "host_key.pub")], { encoding: "utf8" }).split(" ")[1];
const tempLeftovers = (dir) => readdirSync(dir, { recursive: true }).filter((p) => /\.wlsync-tmp-/.test(p));

if (server) {
  test.before.each(() => {
    ws = workspace("wl-sftp-");
  });
  test.after.each(() => ws.cleanup());
  test.after(() => server.stop());

  test("a host key that is not in known_hosts: exit 3, its fingerprint and how to accept it, nothing changed; accepted with ssh-keyscan, it syncs", async () => {
    const knownHosts = ws.path("known_hosts");
    writeFileSync(knownHosts, "");
    config({ "known-hosts": knownHosts });
    ws.write("a/x.txt", "x");
    const r = await sync();
    assert.is(r.code, 3, r.stderr);
    assert.match(r.stderr, /host key of \[127\.0\.0\.1\]:\d+ is not in/);
    assert.ok(r.stderr.includes(fingerprint()), `the offered fingerprint ${fingerprint()} is shown: ${r.stderr}`);
    assert.match(r.stderr, /ssh-keyscan -p \d+ 127\.0\.0\.1 >> /);
    assert.equal([...snapshot(ws.path("b")).keys()], [], "nothing reached b");
    // What the message says to do, done.
    appendFileSync(knownHosts, execFileSync("ssh-keyscan", ["-p", String(server.port), "-t", "ed25519", "127.0.0.1"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }));
    await ok();
    assert.is(ws.read("b/x.txt"), "x");
  });

  test("a changed host key: exit 3 with the new fingerprint and the known_hosts line, nothing changed on either side", async () => {
    config();
    ws.write("a/x.txt", "x");
    await ok();
    ws.write("a/x.txt", "edited");
    ws.write("b/y.txt", "y");
    const before = [snapshot(ws.path("a")), snapshot(ws.path("b"))];
    // known_hosts now holds another key for this host: the server looks like an impostor.
    const knownHosts = ws.path("known_hosts");
    execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", ws.path("other_key")]);
    writeFileSync(knownHosts, `[127.0.0.1]:${server.port} ${readFileSync(ws.path("other_key.pub"), "utf8").split(" ").slice(0, 2).join(" ")}\n`);
    config({ "known-hosts": knownHosts });
    const r = await sync();
    assert.is(r.code, 3, r.stderr);
    assert.match(r.stderr, /HOST KEY OF \[127\.0\.0\.1\]:\d+ HAS CHANGED/);
    assert.ok(r.stderr.includes(fingerprint()), `the offered fingerprint is shown: ${r.stderr}`);
    assert.match(r.stderr, /line 1/);
    assert.match(r.stderr, /ssh-keygen -R/);
    assert.equal(snapshot(ws.path("a")), before[0]);
    assert.equal(snapshot(ws.path("b")), before[1]);
  });

  for (const syncer of ["naive", "rsync"]) {
    test(`a connection cut in the middle of a transfer (${syncer}): no partial file; the next pass completes`, async () => {
      const proxy = await startCountingProxy(server.port);
      try {
        const knownHosts = ws.path("known_hosts");
        writeFileSync(knownHosts, `[127.0.0.1]:${proxy.port} ${server.hostKeyPub}\n`);
        config({ port: proxy.port, "known-hosts": knownHosts });
        ws.write("a/small.txt", "small");
        await ok("--syncer", syncer);
        const big = [bytes(6 << 20), bytes(6 << 20), bytes(6 << 20)];
        big.forEach((data, i) => writeFileSync(ws.path(`a/big${i}.bin`), data));
        ws.write("a/small.txt", "small, edited");
        proxy.cutAfter(8 << 20); // in the middle of the second file
        const cut = await sync("--syncer", syncer);
        assert.ok(cut.code === 2 || cut.code === 3, `the cut pass reports failed items (exit ${cut.code})\n${cut.stdout}\n${cut.stderr}`);
        // Every file on b is either absent or complete: never a partial one.
        for (let i = 0; i < 3; i++) {
          const there = snapshot(ws.path("b")).get(`big${i}.bin`);
          if (there) assert.ok(there.bytes.equals(big[i]), `big${i}.bin on b is complete if present`);
        }
        assert.ok(["small", "small, edited"].includes(ws.read("b/small.txt")));
        await ok("--syncer", syncer);
        assertSameTree(ws.path("a"), ws.path("b"));
        assert.equal(tempLeftovers(ws.path("b")), [], "no temporary files left after the next pass");
      } finally {
        await proxy.stop();
      }
    });
  }

  test("a 64 MiB file with a 4 KiB edit: rsync sends the changed blocks only (counted on the wire), and the copy is exact", async () => {
    const proxy = await startCountingProxy(server.port);
    try {
      const knownHosts = ws.path("known_hosts");
      writeFileSync(knownHosts, `[127.0.0.1]:${proxy.port} ${server.hostKeyPub}\n`);
      config({ port: proxy.port, "known-hosts": knownHosts });
      const size = 64 << 20;
      writeFileSync(ws.path("a/large.bin"), bytes(size));
      await ok("--syncer", "rsync");
      const fd = openSync(ws.path("a/large.bin"), "r+");
      writeSync(fd, bytes(4096), 0, 4096, 33_000_000);
      closeSync(fd);
      proxy.reset();
      const r = await ok("--syncer", "rsync");
      const wire = proxy.counts.up + proxy.counts.down;
      console.log(`[sftp] 64 MiB file, 4 KiB edit: ${wire} bytes on the wire (${((100 * wire) / size).toFixed(2)}% of the file), ${r.stdout.trim()}`);
      assert.ok(wire < size * 0.02, `sent ${wire} bytes, more than 2% of ${size}`);
      assert.ok(readFileSync(ws.path("b/large.bin")).equals(readFileSync(ws.path("a/large.bin"))), "b holds the edited file");
    } finally {
      await proxy.stop();
    }
  });

  test("wl syncers --container explains the choice: rsync for local ↔ sftp, never for sftp → sftp", async () => {
    localConfig(ws.dir, { storages: ["a", "b", "c"], storage: (id, folder) => (id !== "a" ? server.storage(folder) : undefined) });
    const r = await wl(ws.dir, ["syncers", "--container", "box", "--one-shot"]);
    assert.is(r.code, 0, r.stderr);
    assert.match(r.stdout, /selection for box \(a → b\): rsync/);
    assert.match(r.stdout, /rsync +local → local, local → sftp, sftp → local/);
    const rr = await wl(ws.dir, ["syncers", "--container", "box", "--one-shot", "--source-storage", "b", "--target-storage", "c"]);
    assert.match(rr.stdout, /selection for box \(b → c\): naive/);
    assert.match(rr.stdout, /rsync: pair sftp → sftp not in PAIRS/);
  });
} else {
  console.log("[not run] sftp storages: no sshd");
}
test.run();

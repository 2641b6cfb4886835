// Hostile input to the daemon, beyond test/continuous.test.mjs (garbage, wrong types, unknown
// commands, one oversized message): odd bytes and framing, a client that never reads its
// replies, connections that never finish a line, bad `start` arguments, racing starts and
// stops, and the socket's permissions checked as another user. Every case must leave the
// daemon answering and its job syncing. (Node cannot read SO_PEERCRED, so the daemon cannot
// check a peer's uid itself: the socket's mode 0600 inside a 0700 folder is the guard.)
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, readFileSync, statSync } from "node:fs";
import { createConnection } from "node:net";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { dropPrivilegesCommand } from "./helpers/faults.mjs";
import { report } from "./helpers/report.mjs";
import { localConfig, wait, waitFor, wl, workspace } from "./helpers/wl.mjs";

const test = suite("daemon input");
let ws;
const counts = { tried: 0, survived: 0, kinds: [] };
const socketPath = () => join(ws.state, "wlsync.sock");
/** The daemon's status over a fresh connection (as `wl status` asks it, without starting a process). */
async function status() {
  const c = await connect();
  await c.send(`${JSON.stringify({ id: 1, cmd: "status" })}\n`);
  await waitFor(() => c.replies().length, "a status reply");
  c.socket.destroy();
  const reply = c.replies()[0];
  assert.ok(reply.ok, JSON.stringify(reply));
  return { daemon: { pid: reply.result.pid }, jobs: reply.result.jobs };
}
const readOr = (rel) => (existsSync(ws.path(rel)) ? readFileSync(ws.path(rel), "utf8") : undefined);

/** After each hostile input: the daemon answers, its job still syncs. */
async function stillServing(what) {
  const s = await status();
  assert.ok(s.daemon, `${what}: the daemon no longer answers`);
  assert.is(s.jobs.length, 1, `${what}: jobs ${JSON.stringify(s.jobs.map((j) => j.id))}`);
  const name = `alive-${counts.tried}.txt`;
  ws.write(`a/${name}`, what);
  await waitFor(() => readOr(`b/${name}`) === what, `${what}: a file to sync after it`);
}

async function hostile(kind, body) {
  counts.tried++;
  await body();
  await stillServing(kind);
  counts.survived++;
  counts.kinds.push(kind);
}

/** Opens a connection; `send` writes raw bytes; `replies()` parses what came back so far. */
function connect() {
  return new Promise((resolve, reject) => {
    const socket = createConnection(socketPath());
    let data = "";
    socket.setEncoding("utf8");
    socket.on("data", (d) => (data += d));
    socket.once("error", reject);
    socket.once("connect", () =>
      resolve({
        socket,
        send: (bytes) => new Promise((ok) => socket.write(bytes, ok)),
        replies: () => data.split("\n").filter(Boolean).map((l) => JSON.parse(l)),
        closed: () => socket.destroyed || socket.readableEnded,
      }),
    );
  });
}

// One daemon for the whole suite: each case must leave it serving for the next.
test.before(async () => {
  ws = workspace("wl-daemon-");
  localConfig(ws.dir);
  const r = await wl(ws.dir, ["container", "sync", "box"]);
  assert.is(r.code, 0, r.stderr);
});
test.after(async () => {
  await wl(ws.dir, ["daemon", "stop"]);
  ws.cleanup();
});

test("odd bytes and framing: invalid UTF-8, NUL, CRLF, deep nesting, huge numbers, __proto__, a message in 1-byte pieces", () =>
  hostile("odd bytes and framing", async () => {
    const c = await connect();
    const lines = [
      Buffer.from([0xff, 0xfe, 0x7b, 0x0a]), // invalid UTF-8, then a newline
      Buffer.from('{"id":1,"cmd":"sta\u0000tus"}\n'),
      Buffer.from('{"id":2,"cmd":"status"}\r\n'),
      Buffer.from(`${"[".repeat(100_000)}${"]".repeat(100_000)}\n`),
      Buffer.from(`{"id":3,"cmd":"status","args":${"{\"a\":".repeat(5000)}1${"}".repeat(5000)}}\n`),
      Buffer.from('{"id":1e400,"cmd":"status"}\n'),
      Buffer.from('{"id":-1,"cmd":"status"}\n'),
      Buffer.from('{"id":4,"cmd":"status","__proto__":{"polluted":true}}\n'),
      Buffer.from('{"id":5,"cmd":"job-state","args":{"job":"box:a->b","constructor":{"prototype":{"x":1}}}}\n'),
      Buffer.from("\n   \n\t\n"),
      Buffer.from('{"id":6,"cmd":["status"]}\n{"id":7,"cmd":null}\n[]\n"status"\n42\nnull\n'),
    ];
    for (const line of lines) await c.send(line);
    for (const ch of '{"id":8,"cmd":"status"}\n') await c.send(ch);
    await waitFor(() => c.replies().some((r) => r.id === 8), "the reply to the message sent byte by byte");
    const replies = c.replies();
    assert.is(replies.filter((r) => r.ok).length, 2, `only the CRLF and byte-by-byte status requests succeed: ${JSON.stringify(replies.map((r) => [r.id, r.ok, r.error?.code]))}`);
    assert.ok(replies.find((r) => r.id === 2)?.ok, "a CRLF line is one message");
    for (const r of replies.filter((x) => !x.ok)) assert.ok(["E_PARSE", "E_INVALID"].includes(r.error.code), JSON.stringify(r));
    assert.is(replies.length, 16, `one reply per non-empty line: ${replies.length}`);
    assert.is({}.polluted, undefined);
    c.socket.destroy();
  }));

test("a client that sends without ever reading is disconnected once its replies pile up; the others are served", () =>
  hostile("a client that never reads", async () => {
    const pid = (await status()).daemon.pid;
    const rss = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))[1]);
    const before = rss();
    const slow = createConnection(socketPath());
    await new Promise((r) => slow.once("connect", r));
    slow.pause(); // never read
    let closed = false;
    slow.on("close", () => (closed = true));
    slow.on("error", () => {});
    const request = `${JSON.stringify({ id: 1, cmd: "status" })}\n`.repeat(1000);
    for (let i = 0; i < 40 && !closed; i++) {
      slow.write(request);
      await wait(20);
      assert.ok((await status()).daemon, "another client is served meanwhile");
    }
    await waitFor(() => closed, "the daemon to drop the client that does not read");
    const grown = rss() - before;
    assert.ok(grown < 64 * 1024, `the daemon's memory grew by ${grown} KB`);
  }));

test("connections that never finish a line, by the hundred, do not block anyone", () =>
  hostile("half-sent messages from 200 connections", async () => {
    const idle = [];
    for (let i = 0; i < 200; i++) {
      const c = await connect();
      await c.send('{"id":1,"cmd":"sta');
      idle.push(c);
    }
    const s = await status();
    assert.is(s.jobs.length, 1);
    for (const c of idle) c.socket.destroy();
  }));

test("start with bad arguments: a missing, relative, folder or broken config, an unknown container, a missing root: errors, no job left behind", () =>
  hostile("bad start arguments", async () => {
    ws.write("broken.yaml", "containers: [unclosed\n");
    ws.write("missing-root.json", JSON.stringify({ containers: { x: { storages: [{ "backend-id": "a", type: "local", path: "./nope" }, { "backend-id": "b", type: "local", path: "./b" }] } } }));
    const start = (args) => ({ cmd: "start", args: { container: "box", source: "a", target: "b", ...args } });
    const bad = [
      start({ config: ws.path("no-such-file.json") }),
      start({ config: "relative/.wlsyncrc" }),
      start({ config: ws.path("a") }),
      start({ config: ws.path("broken.yaml") }),
      start({ config: ws.path(".wlsyncrc"), container: "nope" }),
      start({ config: ws.path(".wlsyncrc"), source: "zz" }),
      start({ config: ws.path("missing-root.json"), container: "x" }),
      start({ config: ws.path(".wlsyncrc"), source: "b", target: "a", syncer: "no-such-syncer" }),
    ];
    const c = await connect();
    for (const [i, message] of bad.entries()) await c.send(`${JSON.stringify({ id: 100 + i, ...message })}\n`);
    await waitFor(() => c.replies().length === bad.length, "a reply to every start", 20_000);
    for (const r of c.replies()) {
      assert.is(r.ok, false, JSON.stringify(r));
      assert.is(r.error.exitCode, 3, JSON.stringify(r));
      assert.not.match(r.error.message, /\n\s+at /, "no stack trace");
    }
    assert.match(c.replies().find((r) => r.id === 106).error.message, /does not exist/);
    c.socket.destroy();
    assert.is((await status()).jobs.length, 1, "no job left behind");
  }));

test("two starts of the same job racing, then stop: one job, and after stop nothing propagates", () =>
  hostile("racing start and stop", async () => {
    await wl(ws.dir, ["container", "stop-sync", "box"]);
    const message = (id) => `${JSON.stringify({ id, cmd: "start", args: { config: ws.path(".wlsyncrc"), "state-dir": ws.state, container: "box", source: "a", target: "b" } })}\n`;
    const one = await connect();
    const two = await connect();
    await Promise.all([one.send(message(1)), two.send(message(2))]);
    await waitFor(() => one.replies().length && two.replies().length, "both starts to answer", 20_000);
    assert.is((await status()).jobs.length, 1);
    const stopped = await wl(ws.dir, ["container", "stop-sync", "box"]);
    assert.match(stopped.stdout, /stopped box:a->b/);
    ws.write("a/after-stop.txt", "must not propagate");
    await wait(500);
    assert.not.ok(existsSync(ws.path("b/after-stop.txt")), "a job kept syncing after stop-sync (orphaned by the racing start)");
    one.socket.destroy();
    two.socket.destroy();
    assert.is((await wl(ws.dir, ["container", "sync", "box"])).code, 0, "and it starts again");
  }));

test("the socket is 0600 in a 0700 folder, and another user cannot connect even with the folder opened", async () => {
  counts.tried++;
  const mode = statSync(socketPath()).mode & 0o777;
  assert.is(mode, 0o600, `socket mode ${mode.toString(8)}`);
  assert.is(statSync(ws.state).mode & 0o777, 0o700);
  const drop = dropPrivilegesCommand();
  if (drop) {
    // Let another user through the folders, to test the socket's own mode.
    for (const dir of [ws.dir, ws.state]) chmodSync(dir, 0o755);
    const probe = `require("net").createConnection(${JSON.stringify(socketPath())}).on("connect", () => { console.log("CONNECTED"); process.exit(0); }).on("error", (e) => { console.log(e.code); process.exit(0); })`;
    const [cmd, argv] = drop([process.execPath, "-e", probe]);
    const r = spawnSync(cmd, argv, { encoding: "utf8" });
    chmodSync(ws.state, 0o700);
    assert.is(r.stdout.trim(), "EACCES", `another user connecting: ${r.stdout} ${r.stderr}`);
  }
  counts.survived++;
  counts.kinds.push(drop ? "socket refused to uid 65534" : "socket mode checked (already not root)");
});

test.after(() => report("daemon: hostile input", { tried: counts.tried, survived: counts.survived, detail: counts.kinds.join("; "), test: "test/daemon-input.test.mjs" }));

test.run();

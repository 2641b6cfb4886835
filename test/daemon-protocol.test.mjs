// The daemon protocol as packages/core/schemas/sync-commands.json describes it, on both ends:
// every reply the real daemon gives to every command matches the schema (DaemonMessage, then
// the command's result in CommandResults); a request that is not a command gets a reply that
// names the problem; and `wl` talking to something that answers outside the protocol (a daemon
// of another version, or not a daemon) fails with one clear line and exit code 3, not a crash.
import { createServer, createConnection } from "node:net";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { ROOT, localConfig, waitFor, wl, workspace } from "./helpers/wl.mjs";

const replies = await import(pathToFileURL(join(ROOT, "packages/core/dist/daemon/sync-replies.validate.generated.js")).href);
const RESULT = {
  start: replies.result_start,
  stop: replies.result_stop,
  "stop-all": replies.result_stop_all,
  status: replies.result_status,
  "job-state": replies.result_job_state,
  "active-events": replies.result_active_events,
  resume: replies.result_resume,
  shutdown: replies.result_shutdown,
};

/** A raw connection: `ask(message)` sends one line and resolves with the reply carrying its id (events are collected apart). */
function connect(socketPath) {
  return new Promise((resolve, reject) => {
    const socket = createConnection(socketPath);
    let buffer = "";
    const lines = [];
    socket.setEncoding("utf8");
    socket.on("data", (d) => {
      buffer += d;
      for (let i; (i = buffer.indexOf("\n")) >= 0; ) {
        lines.push(JSON.parse(buffer.slice(0, i)));
        buffer = buffer.slice(i + 1);
      }
    });
    socket.once("error", reject);
    socket.once("connect", () =>
      resolve({
        lines,
        async ask(message, raw) {
          const before = lines.length;
          socket.write(raw ?? `${JSON.stringify(message)}\n`);
          const id = message?.id ?? null;
          await waitFor(() => lines.slice(before).some((l) => !("event" in l) && l.id === id), `a reply to ${raw ?? JSON.stringify(message)}`, 30_000);
          return lines.slice(before).find((l) => !("event" in l) && l.id === id);
        },
        close: () => socket.destroy(),
      }),
    );
  });
}

/** Asserts `reply` is a DaemonMessage and, when ok, that its result is `cmd`'s. */
function conforms(reply, cmd) {
  assert.ok(replies.validateMessage(reply), `${cmd}: not a DaemonMessage: ${JSON.stringify(replies.validateMessage.errors)} in ${JSON.stringify(reply)}`);
  if (reply.ok) assert.ok(RESULT[cmd](reply.result), `${cmd}: result does not match the schema: ${JSON.stringify(RESULT[cmd].errors)} in ${JSON.stringify(reply.result)}`);
}

const real = suite("daemon protocol: the real daemon");

real("every command's reply matches sync-commands.json; bad requests get a reply that names the problem", async () => {
  const ws = workspace("wl-proto-");
  const sock = join(ws.dir, "d.sock");
  const env = { WLSYNC_SOCKET: sock };
  try {
    localConfig(ws.dir);
    ws.write("a/x.txt", "x");
    const started = await wl(ws.dir, ["container", "sync", "box"], { env });
    assert.is(started.code, 0, started.stderr);
    const c = await connect(sock);
    const config = ws.path(".wlsyncrc");
    const status = await c.ask({ id: 1, cmd: "status", args: { config } });
    conforms(status, "status");
    assert.is(status.result.jobs.length, 1);
    const job = status.result.jobs[0].id;
    conforms(await c.ask({ id: 2, cmd: "job-state", args: { job } }), "job-state");
    conforms(await c.ask({ id: 3, cmd: "active-events", args: { subscribe: true } }), "active-events");
    // Running already: the reply without a pass.
    const again = await c.ask({ id: 4, cmd: "start", args: { config, "state-dir": ws.state, container: "box", source: "a", target: "b" } });
    conforms(again, "start");
    assert.is(again.result.alreadyRunning, true);
    ws.write("a/y.txt", "y");
    await waitFor(() => c.lines.some((l) => "event" in l), "an event on the subscribed connection");
    for (const event of c.lines.filter((l) => "event" in l)) assert.ok(replies.validateMessage(event), `event: ${JSON.stringify(replies.validateMessage.errors)}`);

    // Requests that are not commands: an unknown command, a missing argument, a wrong type, not JSON.
    const unknown = await c.ask({ id: 5, cmd: "frobnicate" });
    conforms(unknown, "status");
    assert.is(unknown.ok, false);
    assert.is(unknown.error.code, "E_INVALID");
    assert.match(unknown.error.message, /^invalid command: .*cmd/);
    const missing = await c.ask({ id: 6, cmd: "job-state", args: {} });
    assert.is(missing.error.code, "E_INVALID");
    assert.match(missing.error.message, /missing required property "job"/);
    const wrongType = await c.ask({ id: 7, cmd: "stop", args: { job: 42 } });
    assert.is(wrongType.error.code, "E_INVALID");
    assert.match(wrongType.error.message, /job: must be string/);
    const notJson = await c.ask(null, "{id: 8, cmd: status}\n");
    conforms(notJson, "status");
    assert.is(notJson.error.code, "E_PARSE");
    const noJob = await c.ask({ id: 9, cmd: "job-state", args: { job: "nope" } });
    conforms(noJob, "job-state");
    assert.match(noJob.error.message, /no job "nope"/);

    conforms(await c.ask({ id: 10, cmd: "stop", args: { job } }), "stop");
    conforms(await c.ask({ id: 11, cmd: "resume", args: { job } }), "resume");
    conforms(await c.ask({ id: 12, cmd: "stop-all" }), "stop-all");
    conforms(await c.ask({ id: 13, cmd: "shutdown" }), "shutdown");
    c.close();
  } finally {
    await wl(ws.dir, ["daemon", "stop"], { env });
    ws.cleanup();
  }
});

real.run();

const fake = suite("daemon protocol: wl against a daemon that answers outside it");

/** A Unix socket that answers every request line with `answer(request)` (a string: written as is). */
async function fakeDaemon(path, answer) {
  const server = createServer((socket) => {
    let buffer = "";
    socket.setEncoding("utf8");
    socket.on("data", (d) => {
      buffer += d;
      for (let i; (i = buffer.indexOf("\n")) >= 0; ) {
        const request = JSON.parse(buffer.slice(0, i));
        buffer = buffer.slice(i + 1);
        const out = answer(request);
        socket.write(typeof out === "string" ? out : `${JSON.stringify(out)}\n`);
      }
    });
    socket.on("error", () => {});
  });
  await new Promise((ok) => server.listen(path, ok));
  return { close: () => new Promise((ok) => server.close(ok)) };
}

const goodStatus = { pid: 1, socket: "/x", startedAt: "2026-01-01T00:00:00.000Z", notes: [], jobs: [] };
for (const [name, answer, expected] of [
  ["a line that is not JSON", () => "<html>hello</html>\n", /does not follow wl's protocol \(not JSON: "<html>hello<\/html>"\)/],
  ["a reply without ok", (r) => ({ id: r.id, result: goodStatus }), /does not follow wl's protocol \(.*\)/],
  ["a result of the wrong shape (pid a string, jobs missing)", (r) => ({ id: r.id, ok: true, result: { ...goodStatus, pid: "one", jobs: undefined } }), /does not follow wl's protocol \(status: result: missing required property "jobs"|result\.pid: must be integer/],
  ["a job status without its counters", (r) => ({ id: r.id, ok: true, result: { ...goodStatus, jobs: [{ id: "box:a->b" }] } }), /does not follow wl's protocol \(status: result\.jobs\[0\]: missing required property/],
  ["an error reply without a message", (r) => ({ id: r.id, ok: false, error: { code: "E_X" } }), /does not follow wl's protocol \(error: missing required property "message"/],
]) {
  fake(`${name}: one clear line, exit code 3`, async () => {
    const ws = workspace("wl-proto-fake-");
    const sock = join(ws.dir, "d.sock");
    const server = await fakeDaemon(sock, answer);
    try {
      const r = await wl(ws.dir, ["daemon", "status"], { env: { WLSYNC_SOCKET: sock } });
      assert.is(r.code, 3, `exit ${r.code}\n${r.stdout}\n${r.stderr}`);
      assert.match(r.stderr, expected);
      assert.match(r.stderr, /is a daemon of another wl version running\?/);
      assert.not.match(r.stderr, /\n\s+at /, "a stack trace");
      assert.is(r.stderr.trim().split("\n").length, 1, r.stderr);
    } finally {
      await server.close();
      ws.cleanup();
    }
  });
}

fake("a well-formed refusal is passed on as is: its message and its exit code", async () => {
  const ws = workspace("wl-proto-fake-");
  const sock = join(ws.dir, "d.sock");
  const server = await fakeDaemon(sock, (r) => ({ id: r.id, ok: false, error: { code: "E_USAGE", message: "not today", exitCode: 2 } }));
  try {
    const r = await wl(ws.dir, ["daemon", "status"], { env: { WLSYNC_SOCKET: sock } });
    assert.is(r.code, 2, r.stderr);
    assert.match(r.stderr, /not today/);
  } finally {
    await server.close();
    ws.cleanup();
  }
});

fake.run();

import { spawn } from "node:child_process";
import { openSync } from "node:fs";
import { createConnection, type Socket } from "node:net";
import { WlError } from "@wlsync/plugin-api";
import { formatAjvErrors } from "../config/format-errors.js";
import type { CommandResults, DaemonEvent, ErrorReply, OkReply, SyncCommand } from "./sync-commands.generated.js";
import * as replies from "./sync-replies.validate.generated.js";
import { daemonLogPath } from "./socket-path.js";
import { readLines, writeLine } from "./line-framing.js";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";

/** The daemon's commands (sync-commands.json), each with its arguments and its result. */
export type DaemonCommand = keyof CommandResults;
/** A command's `args` as sync-commands.json describes them. */
export type ArgsOf<C extends DaemonCommand> = Extract<SyncCommand, { cmd: C }>["args"];

const RESULT_VALIDATORS: { [C in DaemonCommand]: ((data: unknown) => data is CommandResults[C]) & { errors?: Parameters<typeof formatAjvErrors>[0] } } = {
  start: replies.result_start,
  stop: replies.result_stop,
  "stop-all": replies.result_stop_all,
  status: replies.result_status,
  "job-state": replies.result_job_state,
  "active-events": replies.result_active_events,
  resume: replies.result_resume,
  shutdown: replies.result_shutdown,
  flush: replies.result_flush,
};

/** An answer that does not follow the protocol: a daemon of another wl version, or not a wl daemon at all. */
function protocolError(what: string): ErrorReply {
  return {
    id: null,
    ok: false,
    error: { code: "E_DAEMON", message: `the daemon's reply does not follow wl's protocol (${what}); is a daemon of another wl version running? (wl daemon stop, then try again)`, exitCode: 3 },
  };
}

/**
 * A connection to the daemon: requests with ids, replies matched by id, events to listeners.
 * Every message from the daemon is checked against sync-commands.json (DaemonMessage, then the
 * command's result): one that is not JSON or does not match fails the waiting requests with
 * E_DAEMON and a message that says what was wrong, and the connection is closed.
 */
export class DaemonClient {
  private nextId = 1;
  private readonly waiting = new Map<number, { cmd: DaemonCommand; resolve: (reply: OkReply | ErrorReply) => void }>();
  private readonly listeners = new Set<(event: DaemonEvent) => void>();

  private constructor(private readonly socket: Socket) {
    readLines(socket, (line) => this.onLine(line));
    socket.on("close", () => this.failAll({ id: null, ok: false, error: { code: "E_DAEMON", message: "the daemon closed the connection (did it crash? see its log)", exitCode: 3 } }));
  }

  static connect(path: string): Promise<DaemonClient | null> {
    return new Promise((resolve) => {
      const socket = createConnection(path);
      socket.once("connect", () => resolve(new DaemonClient(socket)));
      socket.once("error", () => resolve(null));
    });
  }

  private failAll(reply: ErrorReply): void {
    for (const { resolve } of this.waiting.values()) resolve(reply);
    this.waiting.clear();
  }

  private onLine(line: string): void {
    let message: unknown;
    try {
      message = JSON.parse(line);
    } catch {
      this.breakOff(protocolError(`not JSON: ${JSON.stringify(line.slice(0, 80))}`));
      return;
    }
    if (!replies.validateMessage(message)) {
      // Judged as the kind of message it claims to be, for a message that names what is wrong.
      const claims = message as { ok?: unknown; event?: unknown } | null;
      const kind = typeof claims !== "object" || claims === null ? null : "event" in claims ? replies.validateEvent : claims.ok === true ? replies.validateOkReply : claims.ok === false ? replies.validateErrorReply : null;
      const problems = kind && !kind(message) ? formatAjvErrors(kind.errors).join("; ") : 'neither a reply ("ok": true or false) nor an event';
      this.breakOff(protocolError(`${problems}: ${line.slice(0, 80)}`));
      return;
    }
    if ("event" in message) {
      for (const listener of this.listeners) listener(message);
      return;
    }
    if (message.id === null) {
      // An answer to no request in particular (a line it could not read): every request waits in vain.
      if (!message.ok) this.failAll(message);
      return;
    }
    const pending = this.waiting.get(message.id);
    if (!pending) return;
    this.waiting.delete(message.id);
    if (message.ok) {
      const valid = RESULT_VALIDATORS[pending.cmd];
      if (!valid(message.result)) {
        const problems = formatAjvErrors(valid.errors).map((p) => (p.startsWith("(top level)") ? `result${p.slice("(top level)".length)}` : `result.${p}`));
        // Not the result this wl knows: the daemon speaks another version of the protocol.
        this.waiting.set(message.id, pending);
        this.breakOff(protocolError(`${pending.cmd}: ${problems.join("; ")}`));
        return;
      }
    }
    pending.resolve(message);
  }

  /** Fails every waiting request with `reply` and closes the connection. */
  private breakOff(reply: ErrorReply): void {
    this.failAll(reply);
    this.socket.destroy();
  }

  /** Sends a command; resolves with the daemon's reply, its result checked against the command's. */
  request<C extends DaemonCommand>(cmd: C, args?: ArgsOf<C>): Promise<OkReply | ErrorReply> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      if (this.socket.destroyed) return resolve({ id, ok: false, error: { code: "E_DAEMON", message: "the connection to the daemon is closed", exitCode: 3 } });
      this.waiting.set(id, { cmd, resolve });
      writeLine(this.socket, args === undefined ? { id, cmd } : { id, cmd, args });
    });
  }

  /** Like request, but a refused command becomes a WlError with the daemon's message and exit code. */
  async call<C extends DaemonCommand>(cmd: C, args?: ArgsOf<C>): Promise<CommandResults[C]> {
    const reply = await this.request(cmd, args);
    if (!reply.ok) throw new WlError("E_DAEMON", reply.error.message, { exitCode: reply.error.exitCode });
    return reply.result as CommandResults[C];
  }

  onEvent(listener: (event: DaemonEvent) => void): void {
    this.listeners.add(listener);
  }

  close(): void {
    this.socket.end();
  }

  /** Resolves when the daemon closes the connection (or after `timeoutMs`). */
  closed(timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      if (this.socket.destroyed) return resolve();
      this.socket.once("close", () => resolve());
      setTimeout(resolve, timeoutMs).unref();
    });
  }
}

/** Connects to the daemon, starting it in the background when none answers. */
export async function connectOrStartDaemon(socket: string, wlScript: string): Promise<DaemonClient> {
  const existing = await DaemonClient.connect(socket);
  if (existing) return existing;
  const log = daemonLogPath();
  mkdirSync(dirname(log), { recursive: true, mode: 0o700 });
  const out = openSync(log, "a");
  const child = spawn(process.execPath, [wlScript, "daemon", "run"], { detached: true, stdio: ["ignore", out, out], env: process.env });
  child.unref();
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
    const client = await DaemonClient.connect(socket);
    if (client) return client;
    if (child.exitCode !== null) break;
  }
  throw new WlError("E_DAEMON", `the sync daemon did not start (see ${log})`);
}

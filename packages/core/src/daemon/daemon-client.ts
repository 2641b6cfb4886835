import { spawn } from "node:child_process";
import { openSync } from "node:fs";
import { createConnection, type Socket } from "node:net";
import { WlError } from "@wlsync/plugin-api";
import type { Reply } from "./sync-daemon.js";
import { daemonLogPath } from "./socket-path.js";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";

/** A connection to the daemon: requests with ids, replies matched by id, events to listeners. */
export class DaemonClient {
  private nextId = 1;
  private buffer = "";
  private readonly waiting = new Map<number, (reply: Reply) => void>();
  private readonly listeners = new Set<(event: { event: string; job: string; data: unknown }) => void>();

  private constructor(private readonly socket: Socket) {
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => {
      this.buffer += chunk;
      let newline: number;
      while ((newline = this.buffer.indexOf("\n")) >= 0) {
        const line = this.buffer.slice(0, newline);
        this.buffer = this.buffer.slice(newline + 1);
        this.onMessage(JSON.parse(line) as Reply & { event?: string; job: string; data: unknown });
      }
    });
    socket.on("close", () => {
      for (const resolve of this.waiting.values()) {
        resolve({ id: null, ok: false, error: { code: "E_DAEMON", message: "the daemon closed the connection (did it crash? see its log)", exitCode: 3 } });
      }
      this.waiting.clear();
    });
  }

  static connect(path: string): Promise<DaemonClient | null> {
    return new Promise((resolve) => {
      const socket = createConnection(path);
      socket.once("connect", () => resolve(new DaemonClient(socket)));
      socket.once("error", () => resolve(null));
    });
  }

  private onMessage(message: Reply & { event?: string; job: string; data: unknown }): void {
    if (message.event) {
      for (const listener of this.listeners) listener(message as { event: string; job: string; data: unknown });
      return;
    }
    if (message.id === null) return;
    const resolve = this.waiting.get(message.id);
    this.waiting.delete(message.id);
    resolve?.(message);
  }

  request(cmd: string, args?: unknown): Promise<Reply> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      this.socket.write(`${JSON.stringify(args === undefined ? { id, cmd } : { id, cmd, args })}\n`);
    });
  }

  /** Like request, but a refused command becomes a WlError with the daemon's message and exit code. */
  async call<T>(cmd: string, args?: unknown): Promise<T> {
    const reply = await this.request(cmd, args);
    if (!reply.ok) throw new WlError("E_DAEMON", reply.error?.message ?? "the daemon refused the command", { exitCode: reply.error?.exitCode ?? 3 });
    return reply.result as T;
  }

  onEvent(listener: (event: { event: string; job: string; data: unknown }) => void): void {
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

import { chmodSync, mkdirSync, unlinkSync } from "node:fs";
import { createConnection, createServer, type Server, type Socket } from "node:net";
import { dirname } from "node:path";
import type { DependencyContainer } from "tsyringe";
import { readConfig } from "../config/read-config.js";
import { formatAjvErrors } from "../config/format-errors.js";
import { ContainerService } from "../containers/container-service.js";
import { errorMessage, isWlError, WlError } from "@wlsync/plugin-api";
import type { Logger } from "@wlsync/plugin-api";
import { createAppContainer } from "../di/container.js";
import { SyncEngine } from "../engine/sync-engine.js";
import type { SyncEvent } from "@wlsync/plugin-api";
import { MAX_MESSAGE_BYTES } from "./socket-path.js";
import type { StartArgs, SyncCommand } from "./sync-commands.generated.js";
import { validate as validateCommand } from "./sync-commands.validate.generated.js";
import { summarize, SyncJob } from "./sync-job.js";

/** A client whose unread replies and events pile up beyond this is disconnected. */
const MAX_BACKLOG_BYTES = 8 * 1024 * 1024;

export interface Reply {
  id: number | null;
  ok: boolean;
  result?: unknown;
  error?: { code: string; message: string; exitCode: number };
}

/**
 * The sync daemon: one per user, a Unix socket (0600) speaking one JSON object per line.
 * Requests are validated against sync-commands.json; every reply carries the request id.
 * A malformed message gets an error reply; a failing job reports its error and can be
 * restarted; neither takes the daemon or the other jobs down.
 */
export class SyncDaemon {
  private readonly jobs = new Map<string, SyncJob>();
  /** Jobs being set up (config read, backends built), by key. */
  private readonly starting = new Map<string, { config: string; container: string; cancelled: boolean; done: Promise<unknown> }>();
  private readonly subscribers = new Set<Socket>();
  private readonly clients = new Set<Socket>();
  private readonly apps = new Map<string, DependencyContainer>();
  /** Against schemas/sync-commands.json, compiled ahead of time (scripts/gen-validators.mjs). */
  private readonly validate = validateCommand;
  private server?: Server;
  private readonly startedAt = new Date().toISOString();
  onShutdown?: () => void;

  constructor(
    readonly socketPath: string,
    private readonly logger: Logger,
  ) {}

  async listen(): Promise<void> {
    mkdirSync(dirname(this.socketPath), { recursive: true, mode: 0o700 });
    if (await this.answers()) throw new WlError("E_DAEMON", `a wl daemon is already listening on ${this.socketPath}`);
    try {
      unlinkSync(this.socketPath); // a socket file left by a daemon that died
    } catch {
      // none
    }
    this.server = createServer((socket) => this.accept(socket));
    const umask = process.umask(0o177); // the socket is created 0600, with no window
    try {
      await new Promise<void>((resolve, reject) => {
        this.server!.once("error", reject);
        this.server!.listen(this.socketPath, () => resolve());
      });
    } finally {
      process.umask(umask);
    }
    chmodSync(this.socketPath, 0o600);
    this.logger.info(`daemon ${process.pid} listening on ${this.socketPath}`);
  }

  private answers(): Promise<boolean> {
    return new Promise((resolve) => {
      const probe = createConnection(this.socketPath);
      probe.once("connect", () => {
        probe.destroy();
        resolve(true);
      });
      probe.once("error", () => resolve(false));
    });
  }

  private accept(socket: Socket): void {
    this.clients.add(socket);
    let buffer = "";
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => {
      buffer += chunk;
      let newline: number;
      while ((newline = buffer.indexOf("\n")) >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        if (line.trim()) void this.handleLine(socket, line);
      }
      if (Buffer.byteLength(buffer) > MAX_MESSAGE_BYTES) {
        this.send(socket, { id: null, ok: false, error: { code: "E_TOO_LARGE", message: `message longer than ${MAX_MESSAGE_BYTES} bytes; closing the connection`, exitCode: 3 } });
        buffer = "";
        socket.end();
      }
    });
    const drop = () => {
      this.clients.delete(socket);
      this.subscribers.delete(socket);
    };
    socket.on("close", drop);
    socket.on("error", drop);
  }

  private send(socket: Socket, message: unknown): void {
    if (socket.destroyed) return;
    if (socket.writableLength > MAX_BACKLOG_BYTES) {
      this.logger.warn("a client stopped reading; disconnecting it");
      socket.destroy();
      return;
    }
    socket.write(`${JSON.stringify(message)}\n`);
  }

  private async handleLine(socket: Socket, line: string): Promise<void> {
    let message: unknown;
    try {
      message = JSON.parse(line);
    } catch (err) {
      this.send(socket, { id: null, ok: false, error: { code: "E_PARSE", message: `not JSON: ${errorMessage(err)}`, exitCode: 3 } });
      return;
    }
    const id = typeof (message as { id?: unknown })?.id === "number" ? (message as { id: number }).id : null;
    if (!this.validate(message)) {
      const problems = formatAjvErrors(this.validate.errors).join("; ");
      this.send(socket, { id, ok: false, error: { code: "E_INVALID", message: `invalid command: ${problems}`, exitCode: 3 } });
      return;
    }
    try {
      const result = await this.dispatch(socket, message);
      this.send(socket, { id, ok: true, result });
    } catch (err) {
      this.logger.error(`${message.cmd}: ${errorMessage(err)}`);
      const code = isWlError(err) ? err.code : "E_INTERNAL";
      const exitCode = isWlError(err) ? err.exitCode : 3;
      this.send(socket, { id, ok: false, error: { code, message: errorMessage(err), exitCode } });
    }
  }

  private async dispatch(socket: Socket, command: SyncCommand): Promise<unknown> {
    switch (command.cmd) {
      case "start":
        return this.start(command.args);
      case "stop":
        return this.stop((job) => job.config === command.args.config && job.container === command.args.container);
      case "stop-all":
        return this.stop(() => true);
      case "status":
        return { pid: process.pid, socket: this.socketPath, startedAt: this.startedAt, jobs: [...this.jobs.values()].map((j) => j.status) };
      case "job-state": {
        const job = [...this.jobs.values()].find((j) => j.status.id === command.args.job || j.key === command.args.job);
        if (!job) throw new WlError("E_DAEMON", `no job "${command.args.job}"`);
        return job.status;
      }
      case "active-events":
        if (command.args?.subscribe) this.subscribers.add(socket);
        return { subscribed: this.subscribers.has(socket), active: [...this.jobs.values()].filter((j) => j.status.current).map((j) => ({ job: j.status.id, state: j.status.state, current: j.status.current })) };
      case "shutdown":
        setImmediate(() => void this.shutdown());
        return { stopping: [...this.jobs.values()].map((j) => j.status.id) };
    }
  }

  private broadcast(job: string, event: SyncEvent | { type: "stopped" }): void {
    if (this.subscribers.size === 0) return;
    const payload = event.type === "pass" ? { type: "pass", result: summarize(event.result) } : event;
    for (const socket of this.subscribers) this.send(socket, { event: event.type, job, data: payload });
  }

  private app(args: StartArgs, config: Awaited<ReturnType<typeof readConfig>>): DependencyContainer {
    const key = `${config.filepath}\u0000${args["state-dir"] ?? ""}`;
    let app = this.apps.get(key);
    if (!app) {
      app = createAppContainer({ cwd: dirname(config.filepath), logger: this.logger, config, stateDir: args["state-dir"] });
      this.apps.set(key, app);
    }
    return app;
  }

  /**
   * Starts a continuous job for one pair and replies after its initial pass. Requests are
   * handled concurrently: a second start of the same job waits for the first (two would both
   * pass the check below, and the first job, overwritten in the map, would sync on unstoppable),
   * and a stop that comes while a job is being set up cancels it.
   */
  private async start(args: StartArgs) {
    const key = `${args.config}\u0000${args.container}\u0000${args.source}\u0000${args.target}`;
    for (let pending = this.starting.get(key); pending; pending = this.starting.get(key)) await pending.done.catch(() => {});
    const existing = this.jobs.get(key);
    if (existing?.isRunning()) return { job: existing.status.id, alreadyRunning: true, status: existing.status };
    if (existing) this.jobs.delete(key);
    const starting = { config: args.config, container: args.container, cancelled: false, done: Promise.resolve() as Promise<unknown> };
    starting.done = this.startJob(key, args, starting);
    this.starting.set(key, starting);
    try {
      return await starting.done;
    } finally {
      this.starting.delete(key);
    }
  }

  private async startJob(key: string, args: StartArgs, starting: { cancelled: boolean }) {
    const config = await readConfig(dirname(args.config), args.config);
    const app = this.app(args, config);
    const service = app.resolve(ContainerService);
    const { syncer, pair, backends, warnings } = await service.prepare(args.container, {
      source: args.source,
      target: args.target,
      unidirectional: args.unidirectional,
      syncer: args.syncer,
      force: args.force,
      continuous: true,
    });
    const id = `${args.container}:${pair.source["backend-id"]}->${pair.target["backend-id"]}`;
    if (starting.cancelled) {
      await Promise.all(backends.map((b) => b.close().catch(() => {})));
      throw new WlError("E_DAEMON", `${id} was stopped before it started`);
    }
    const job = new SyncJob(
      key,
      syncer,
      backends,
      app.resolve(SyncEngine),
      {
        id,
        container: args.container,
        config: args.config,
        source: pair.source["backend-id"],
        target: pair.target["backend-id"],
        direction: args.unidirectional ? "one-way" : "two-way",
        syncer: syncer.name,
      },
      (jobId, event) => this.broadcast(jobId, event),
    );
    this.jobs.set(key, job);
    this.logger.info(`job ${id} starting (${syncer.name})`);
    try {
      const result = await job.start();
      this.logger.info(`job ${id} watching after its initial pass`);
      return { job: id, alreadyRunning: false, warnings, result: summarize(result), status: job.status };
    } catch (err) {
      job.status.state = "error";
      job.status.lastError = errorMessage(err);
      this.logger.error(`job ${id} failed to start: ${errorMessage(err)}`);
      await job.stop().catch(() => {});
      this.jobs.delete(key);
      throw err;
    }
  }

  private async stop(which: (job: { config: string; container: string }) => boolean) {
    const stopped: string[] = [];
    for (const pending of this.starting.values()) if (which(pending)) pending.cancelled = true;
    for (const [key, job] of this.jobs) {
      if (!which(job.status)) continue;
      await job.stop().catch((err) => this.logger.error(`stopping ${job.status.id}: ${errorMessage(err)}`));
      this.jobs.delete(key);
      stopped.push(job.status.id);
      this.logger.info(`job ${job.status.id} stopped`);
    }
    return { stopped };
  }

  async shutdown(): Promise<void> {
    this.logger.info("shutting down");
    await this.stop(() => true);
    for (const socket of this.clients) socket.end();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    try {
      unlinkSync(this.socketPath);
    } catch {
      // already gone
    }
    this.onShutdown?.();
  }
}

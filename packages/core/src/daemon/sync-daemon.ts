import { chmodSync, mkdirSync, readdirSync, readFileSync, statSync, unlinkSync } from "node:fs";
import { createConnection, createServer, type Server, type Socket } from "node:net";
import { dirname, join } from "node:path";
import type { DependencyContainer } from "tsyringe";
import { readConfig, resolveFrom, stateDirOf, type LoadedConfig } from "../config/read-config.js";
import type { StorageConfig } from "../config/wlsyncrc.generated.js";
import { formatAjvErrors } from "../config/format-errors.js";
import { ContainerService } from "../containers/container-service.js";
import { errorMessage, isWlError, StorageUnavailableError, WlError } from "@wlsync/plugin-api";
import type { Logger } from "@wlsync/plugin-api";
import { createAppContainer } from "../di/container.js";
import { SyncEngine } from "../engine/sync-engine.js";
import { STORAGE_ID_PATH } from "../engine/storage-identity.js";
import type { AppliedChange, SyncEvent, SyncResult } from "@wlsync/plugin-api";
import { JobStore, type PauseInfo } from "./job-store.js";
import { MAX_MESSAGE_BYTES } from "./socket-path.js";
import { readLines, writeLine } from "./line-framing.js";
import type { CommandResults, DaemonMessage, FlushArgs, FlushResult, ResumeArgs, ResumeResult, StartArgs, StartResult, StopResult, SyncCommand } from "./sync-commands.generated.js";
import { validate as validateCommand } from "./sync-commands.validate.generated.js";
import { combinePasses, idleStatus, summarize, SyncJob, type JobStatus } from "./sync-job.js";

/** A client whose unread replies and events pile up beyond this is disconnected. */
const MAX_BACKLOG_BYTES = 8 * 1024 * 1024;

/**
 * The sync daemon: one per user, a Unix socket (0600) speaking one JSON object per line.
 * Requests are validated against sync-commands.json; every reply carries the request id.
 * A malformed message gets an error reply; a failing job reports its error and can be
 * restarted; neither takes the daemon or the other jobs down.
 */
/** A job the daemon knows: running (`job`), or paused / waiting for its storage (no `job`). */
interface JobEntry {
  key: string;
  /** How to start it again. */
  args: StartArgs;
  /** Its part of the config when it started (see fingerprintOf). */
  fingerprint: string;
  roots: Record<string, string>;
  job?: SyncJob;
  /** The running job's status, or the last one it had. */
  status: JobStatus;
  paused: PauseInfo | null;
  notes: string[];
  retry?: NodeJS.Timeout;
}

/** How often a job whose storage is gone looks for it (ms). Env WLSYNC_STORAGE_POLL_MS. */
const STORAGE_POLL_MS = Number(process.env.WLSYNC_STORAGE_POLL_MS) || 2000;

function jobKey(args: StartArgs): string {
  return `${args.config}\u0000${args.container}\u0000${args.source}\u0000${args.target}`;
}

/** What a job runs on: its container's entry and the file's top-level settings (not the other containers). */
function fingerprintOf(config: LoadedConfig, container: string): string {
  const { containers, ...top } = config.config;
  return JSON.stringify({ top, container: containers && Object.hasOwn(containers, container) ? containers[container] : null });
}

/**
 * Each local storage root's identity, by backend-id and path (a changed path is another root):
 * `id:<id>` from its marker (`.wlsync/storage-id`, which every pass keeps, see
 * engine/storage-identity.ts), else `dev:<device>:<inode>` (a root wl cannot write, or one it
 * has not synced yet); `empty` when the root holds nothing at all (an empty mount point).
 * Roots that do not exist are left out (checked when they are back).
 */
function rootIdentities(config: LoadedConfig, storages: StorageConfig[]): Record<string, { identity: string; empty: boolean }> {
  const out: Record<string, { identity: string; empty: boolean }> = {};
  for (const storage of storages) {
    if (storage.type !== "local" || typeof storage.path !== "string") continue;
    const path = resolveFrom(config.dir, storage.path);
    let st;
    try {
      st = statSync(path);
    } catch {
      continue; // gone: checked when it is back
    }
    let identity = `dev:${st.dev}:${st.ino}`;
    try {
      const marker = JSON.parse(readFileSync(join(path, ...STORAGE_ID_PATH.split("/")), "utf8")) as { id?: unknown };
      if (typeof marker.id === "string" && marker.id) identity = `id:${marker.id}`;
    } catch {
      // no marker (yet): device and inode
    }
    let empty = false;
    try {
      empty = readdirSync(path).length === 0;
    } catch {
      // unreadable: the pass says why
    }
    out[`${storage["backend-id"]}\u0000${path}`] = { identity, empty };
  }
  return out;
}

/**
 * A root as found now against the identity recorded for it: the same storage, its disk not
 * mounted (an empty folder where a marked storage was), or another storage. A root recorded by
 * device and inode that has a marker now got it from a pass since: the same.
 */
export function judgeRoot(known: string | undefined, now: { identity: string; empty: boolean }): "same" | "absent" | "other" {
  if (!known) return "same";
  const recorded = /^\d+:\d+$/.test(known) ? `dev:${known}` : known; // written by an earlier daemon
  if (recorded === now.identity) return "same";
  if (now.empty && !now.identity.startsWith("id:")) return "absent";
  if (recorded.startsWith("dev:") && now.identity.startsWith("id:")) return "same";
  return "other";
}

/** How to release a job paused because a storage is not the one it was. */
function identityRelease(container: string): string[] {
  return [`wl container resume ${container}`];
}

/** One line per pass for the log. */
export function passLine(result: SyncResult): string {
  const c = result.counters;
  return `copied ${c.copiedToTarget} → ${c.copiedToSource} ←, deleted ${c.deletedOnTarget + c.deletedOnSource}, conflicts ${result.conflicts.length}, errors ${result.errors.length}, ${result.durationMs} ms`;
}

export class SyncDaemon {
  private readonly jobs = new Map<string, JobEntry>();
  /** Jobs being set up (config read, backends built), by key. */
  private readonly starting = new Map<string, { config: string; container: string; cancelled: boolean; done: Promise<unknown> }>();
  private readonly subscribers = new Set<Socket>();
  /** In-process listeners to every job event (a flush collects the changes its passes apply). */
  private readonly taps = new Set<(job: string, event: SyncEvent | { type: "stopped" }) => void>();
  private readonly clients = new Set<Socket>();
  private readonly apps = new Map<string, DependencyContainer>();
  /** Against schemas/sync-commands.json, compiled ahead of time (scripts/gen-validators.mjs). */
  private readonly validate = validateCommand;
  private server?: Server;
  private readonly startedAt = new Date().toISOString();
  onShutdown?: () => void;

  private readonly store: JobStore;

  /** `baseDir`: where the daemon keeps its job store (daemon.db). */
  constructor(
    readonly socketPath: string,
    private readonly logger: Logger,
    baseDir: string,
  ) {
    this.store = new JobStore(baseDir);
  }

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
    readLines(socket, (line) => void this.handleLine(socket, line), {
      maxBytes: MAX_MESSAGE_BYTES,
      onOverflow: () => {
        this.send(socket, { id: null, ok: false, error: { code: "E_TOO_LARGE", message: `message longer than ${MAX_MESSAGE_BYTES} bytes; closing the connection`, exitCode: 3 } });
        socket.end();
      },
    });
    const drop = () => {
      this.clients.delete(socket);
      this.subscribers.delete(socket);
    };
    socket.on("close", drop);
    socket.on("error", drop);
  }

  /** Writes one reply or event (DaemonMessage in sync-commands.json; the client checks it against that). */
  private send(socket: Socket, message: DaemonMessage): void {
    if (socket.destroyed) return;
    if (socket.writableLength > MAX_BACKLOG_BYTES) {
      this.logger.warn("a client stopped reading; disconnecting it");
      socket.destroy();
      return;
    }
    writeLine(socket, message);
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

  private async dispatch(socket: Socket, command: SyncCommand): Promise<CommandResults[keyof CommandResults]> {
    switch (command.cmd) {
      case "start":
        return this.start(command.args);
      case "stop": {
        const { config, container, job } = command.args;
        if (!job && !(config && container)) throw new WlError("E_USAGE", "stop needs a job id, or a config and a container");
        return this.stop((j) => (job ? j.id === job || j.key === job : j.config === config && j.container === container), true);
      }
      case "stop-all":
        return this.stop(() => true, true);
      case "resume":
        return this.resume(command.args);
      case "flush":
        return this.flush(command.args);
      case "status": {
        const notes = command.args?.config ? await this.refresh(command.args.config) : [];
        return { pid: process.pid, socket: this.socketPath, startedAt: this.startedAt, notes, jobs: [...this.jobs.values()].map((e) => this.statusOf(e)) };
      }
      case "job-state": {
        const entry = [...this.jobs.values()].find((e) => e.status.id === command.args.job || e.key === command.args.job);
        if (!entry) throw new WlError("E_DAEMON", `no job "${command.args.job}"`);
        return this.statusOf(entry);
      }
      case "active-events":
        if (command.args?.subscribe) this.subscribers.add(socket);
        return {
          subscribed: this.subscribers.has(socket),
          active: [...this.jobs.values()].map((e) => this.statusOf(e)).filter((s) => s.current).map((s) => ({ job: s.id, state: s.state, current: s.current })),
        };
      case "shutdown":
        setImmediate(() => void this.shutdown());
        return { stopping: [...this.jobs.values()].map((e) => e.status.id) };
    }
  }

  private statusOf(entry: JobEntry): JobStatus {
    const status = entry.job ? entry.job.status : entry.status;
    status.paused = entry.paused ?? (entry.job ? status.paused : null);
    if (entry.paused) status.state = "paused";
    status.notes = entry.notes;
    return status;
  }

  private broadcast(job: string, event: SyncEvent | { type: "stopped" }): void {
    // One log line per pass and per item error.
    if (event.type === "pass") this.logger.info(`job ${job}: ${event.scope ? `pass over ${event.scope.length} path${event.scope.length === 1 ? "" : "s"}` : "full pass"}: ${passLine(event.result)}`);
    else if (event.type === "error" && event.error.path) this.logger.warn(`job ${job}: ${event.error.path}: ${event.error.message} (${event.error.code})`);
    // With WLSYNC_DEBUG=1, also one line per change made and per conflict: where a file went, for post-mortems.
    else if (event.type === "applied") this.logger.debug(`job ${job}: ${event.change.path}: ${event.change.type} on the ${event.change.to} (${event.change.size} bytes)`);
    else if (event.type === "conflict") this.logger.debug(`job ${job}: ${event.conflict.path}: conflict (${event.conflict.reason}): ${event.conflict.message}`);
    for (const tap of this.taps) tap(job, event);
    if (this.subscribers.size === 0) return;
    const payload = event.type === "pass" ? { type: "pass", result: summarize(event.result) } : event;
    for (const socket of this.subscribers) this.send(socket, { event: event.type, job, data: payload });
  }

  /** The DI container for a config as it is now (a changed config gets a new one: nothing stale is kept). */
  private app(args: StartArgs, config: LoadedConfig): DependencyContainer {
    const key = `${config.filepath}\u0000${args["state-dir"] ?? ""}\u0000${JSON.stringify(config.config)}`;
    let app = this.apps.get(key);
    if (!app) {
      app = createAppContainer({ cwd: dirname(config.filepath), logger: this.logger, config, stateDir: args["state-dir"] });
      this.apps.set(key, app);
    }
    return app;
  }

  private note(entry: JobEntry, message: string): void {
    this.logger.info(`job ${entry.status.id}: ${message}`);
    entry.notes.push(`${new Date().toISOString()} ${message}`);
    if (entry.notes.length > 20) entry.notes.shift();
  }

  /**
   * Starts a continuous job for one pair and replies after its initial pass. Requests are
   * handled concurrently: a second start of the same job waits for the first (two would both
   * pass the check below, and the first job, overwritten in the map, would sync on unstoppable),
   * and a stop that comes while a job is being set up cancels it. A running job whose part of
   * the config changed is restarted on it; a paused job is restarted (its gates judge again).
   */
  private async start(args: StartArgs): Promise<StartResult> {
    const key = jobKey(args);
    for (let pending = this.starting.get(key); pending; pending = this.starting.get(key)) await pending.done.catch(() => {});
    const existing = this.jobs.get(key);
    if (existing?.job?.isRunning()) {
      const config = await readConfig(dirname(args.config), args.config);
      if (fingerprintOf(config, args.container) === existing.fingerprint && !args.force) {
        return { job: existing.status.id, alreadyRunning: true, status: this.statusOf(existing) };
      }
      this.note(existing, args.force ? "restarted for a forced pass" : "restarted: its config changed");
      await this.halt(existing);
    }
    return this.launch(key, args, existing);
  }

  /** Sets up and starts a job (the initial pass included); the reply of `start`. */
  private async launch(key: string, args: StartArgs, previous?: JobEntry, opts: { acceptRoots?: boolean; acceptStorages?: boolean; quiet?: boolean } = {}): Promise<StartResult> {
    // One object, shared with startJob: a stop meanwhile sets its `cancelled`.
    const starting = { config: args.config, container: args.container, cancelled: false, done: Promise.resolve() as Promise<unknown> };
    const done = this.startJob(key, args, starting, previous, opts);
    starting.done = done;
    this.starting.set(key, starting);
    try {
      return await done;
    } finally {
      this.starting.delete(key);
    }
  }

  private async startJob(key: string, args: StartArgs, starting: { cancelled: boolean }, previous: JobEntry | undefined, opts: { acceptRoots?: boolean; acceptStorages?: boolean }): Promise<StartResult> {
    const config = await readConfig(dirname(args.config), args.config);
    const app = this.app(args, config);
    const service = app.resolve(ContainerService);
    const pair = service.resolvePair(args.container, { source: args.source, target: args.target });
    const id = `${args.container}:${pair.source["backend-id"]}->${pair.target["backend-id"]}`;
    const meta = {
      id,
      container: args.container,
      config: args.config,
      source: pair.source["backend-id"],
      target: pair.target["backend-id"],
      direction: (args.unidirectional ? "one-way" : "two-way") as "one-way" | "two-way",
      syncer: args.syncer ?? "",
    };
    const entry: JobEntry = previous ?? { key, args, fingerprint: "", roots: {}, notes: [], paused: null, status: idleStatus(meta, "starting") };
    entry.args = args;
    entry.fingerprint = fingerprintOf(config, args.container);
    this.jobs.set(key, entry);
    // The same disks as when the job first ran (an empty mount point or another disk at the path is not synced into).
    const roots = rootIdentities(config, [pair.source, pair.target]);
    for (const [root, now] of Object.entries(roots)) {
      const judged = opts.acceptRoots ? "same" : judgeRoot(entry.roots[root], now);
      const [backendId, path] = root.split("\u0000");
      if (judged === "absent" && previous) {
        // An empty folder where a marked storage was: its disk is not mounted. Wait for it.
        const reason = `storage ${backendId} (${path}) is an empty folder without its identity marker: is its disk mounted?`;
        this.waitForStorage(entry, reason);
        throw new StorageUnavailableError(reason);
      }
      if (judged === "other") {
        this.pause(entry, {
          kind: "identity",
          reason: `storage ${backendId} (${path}) is not the storage it was when the job started (another disk at that path, or the folder replaced?); nothing is synced until you confirm it: wl container resume ${args.container} (the pair then starts over as at a first meeting: files that differ become conflicts, nothing is overwritten)`,
          since: new Date().toISOString(),
          release: identityRelease(args.container),
        });
        throw new StorageUnavailableError(entry.paused!.reason);
      }
    }
    let prepared;
    try {
      prepared = await service.prepare(args.container, {
        source: args.source,
        target: args.target,
        unidirectional: args.unidirectional,
        syncer: args.syncer,
        force: args.force,
        continuous: true,
        // Confirmed by `wl container resume` after an identity pause: the first pass accepts the storages as they are.
        ...(opts.acceptStorages ? { acceptStorages: [pair.source["backend-id"], pair.target["backend-id"]] } : {}),
      });
    } catch (err) {
      // A job that ran before waits for its storage; a new one fails as a one-shot pass would.
      if (previous && isWlError(err) && err.code === "E_STORAGE_UNAVAILABLE") this.waitForStorage(entry, errorMessage(err));
      else if (!previous) this.jobs.delete(key);
      throw err;
    }
    const { syncer, backends, warnings } = prepared;
    for (const [root, now] of Object.entries(roots)) if (!entry.roots[root] || opts.acceptRoots) entry.roots[root] = now.identity;
    if (starting.cancelled) {
      await Promise.all(backends.map((b) => b.close().catch(() => {})));
      if (!previous) this.jobs.delete(key);
      throw new WlError("E_DAEMON", `${id} was stopped before it started`);
    }
    const job = new SyncJob(key, syncer, backends, app.resolve(SyncEngine), { ...meta, syncer: syncer.name }, (jobId, event) => this.broadcast(jobId, event), (_job, code, message) =>
      code === "E_MAX_DELETE" ? this.pauseForGate(entry, message) : this.pauseForIdentity(entry, message),
    );
    if (previous) job.carryOver(previous.status);
    entry.job = job;
    entry.paused = null;
    entry.status = job.status;
    this.store.save({ key, args, roots: entry.roots, paused: null });
    this.logger.info(`job ${id} starting (${syncer.name})${args.force ? " with its first pass forced" : ""}`);
    try {
      const result = await job.start();
      this.logger.info(`job ${id} watching after its initial pass: ${passLine(result)}`);
      // The initial pass wrote the storages' markers where they had none: identities from now on.
      for (const [root, now] of Object.entries(rootIdentities(config, [pair.source, pair.target]))) entry.roots[root] = now.identity;
      if (!entry.paused) this.store.save({ key, args, roots: entry.roots, paused: null });
      return { job: id, alreadyRunning: false, warnings, result: summarize(result), status: this.statusOf(entry) };
    } catch (err) {
      if (entry.paused) throw err; // a gate tripped on the initial pass: the job stays, paused
      job.status.state = "error";
      job.status.lastError = errorMessage(err);
      this.logger.error(`job ${id} failed to start: ${errorMessage(err)}`);
      await job.stop().catch(() => {});
      entry.job = undefined;
      if (previous && isWlError(err) && err.code === "E_STORAGE_UNAVAILABLE") this.waitForStorage(entry, errorMessage(err));
      else {
        this.jobs.delete(key);
        this.store.remove(key);
      }
      throw err;
    }
  }

  private pause(entry: JobEntry, info: PauseInfo): void {
    entry.paused = info;
    entry.status.state = "paused";
    this.store.save({ key: entry.key, args: entry.args, roots: entry.roots, paused: info });
    this.logger.warn(`job ${entry.status.id} paused: ${info.reason}`);
  }

  /** A safety gate stopped the job's passes: it is paused (and stays so across daemon restarts) until released. */
  private pauseForGate(entry: JobEntry, message: string): void {
    const name = entry.args.container;
    // The emptied-storage gate's message starts with the storage's id (sync-engine.ts,
    // checkEmptied): refilling it from the other side is the release that deletes nothing.
    const emptied = /^storage (\S+) is empty, /.exec(message)?.[1];
    this.pause(entry, {
      kind: "gate",
      reason: message,
      since: new Date().toISOString(),
      release: [...(emptied ? [`wl container sync --one-shot --accept-storage ${emptied} ${name}`] : []), `wl container resume ${name} --force`, `wl container sync --one-shot --force ${name}`],
    });
    this.stopHalted(entry);
  }

  /**
   * A pass found a storage that is not the one the pair synced with (another disk at its path,
   * an older copy of itself): paused until the user confirms it; never resumed by itself.
   */
  private pauseForIdentity(entry: JobEntry, message: string): void {
    // The engine's message ends with the one-shot way to confirm; a job is confirmed by resuming it.
    const reason = `${message.split(" Nothing was changed.")[0]} Nothing is synced until you confirm it: wl container resume ${entry.args.container} (the pair then starts over as at a first meeting: files that differ become conflicts, nothing is overwritten).`;
    this.pause(entry, { kind: "identity", reason, since: new Date().toISOString(), release: identityRelease(entry.args.container) });
    this.stopHalted(entry);
  }

  private stopHalted(entry: JobEntry): void {
    const job = entry.job;
    if (!job) return;
    entry.status = job.status;
    setImmediate(() => {
      if (entry.job !== job) return;
      entry.job = undefined;
      void job.stop().catch((err) => this.logger.error(`stopping ${entry.status.id}: ${errorMessage(err)}`));
    });
  }

  /** A storage root that is gone: the job waits, paused, and starts again by itself when the root is back. */
  private waitForStorage(entry: JobEntry, reason: string): void {
    if (entry.paused?.kind !== "storage") {
      this.pause(entry, { kind: "storage", reason, since: new Date().toISOString(), release: ["resumes by itself when the storage is back", `wl container stop-sync --job ${entry.status.id}`] });
    }
    if (entry.retry) return;
    entry.retry = setTimeout(() => {
      entry.retry = undefined;
      if (this.jobs.get(entry.key) !== entry || entry.paused?.kind !== "storage") return;
      void this.launch(entry.key, entry.args, entry, { quiet: true }).then(
        () => this.note(entry, "its storage is back: resumed"),
        () => {},
      );
    }, STORAGE_POLL_MS);
    entry.retry.unref?.();
  }

  /**
   * `wl container sync --one-shot` for a pair this daemon watches: answered from what the job's
   * watchers reported (SyncJob.flush), with the changes its passes applied (for `-v`/`--json`).
   * The config is found from the client's folder as the client would find it; a job whose part
   * of it changed is restarted on it first (its initial pass is then part of the answer). Not
   * answered, with the reason, when the pair is not watched here (or in another direction or
   * state dir), the job is paused or failing, or its watchers cannot vouch for knowing every
   * change: the client then runs the pass itself.
   */
  private async flush(args: FlushArgs): Promise<FlushResult> {
    const no = (reason: string) => ({ answered: false as const, reason });
    let config: LoadedConfig;
    try {
      config = await readConfig(args.cwd, args.config);
    } catch (err) {
      return no(`the config cannot be read here: ${errorMessage(err)}`);
    }
    let key: string;
    try {
      const stateDir = args["state-dir"] ?? stateDirOf(config);
      const service = this.app({ config: config.filepath, container: args.container, source: "-", target: "-", "state-dir": stateDir }, config).resolve(ContainerService);
      const pair = service.resolvePair(args.container, { source: args.source, target: args.target });
      key = jobKey({ config: config.filepath, container: args.container, source: pair.source["backend-id"], target: pair.target["backend-id"] });
      const entry = this.jobs.get(key);
      if (!entry?.job?.isRunning()) return no(entry ? `the job ${entry.status.id} is ${entry.paused ? "paused" : "not running"}` : "the daemon does not watch this pair");
      if (entry.paused) return no(`the job ${entry.status.id} is paused: ${entry.paused.reason}`);
      if (!!entry.args.unidirectional !== !!args.unidirectional) return no(`the job ${entry.status.id} syncs ${entry.args.unidirectional ? "one way" : "both ways"}`);
      if ((entry.args["state-dir"] ?? "") !== stateDir) return no(`the job ${entry.status.id} keeps its state in ${entry.args["state-dir"]}, not ${stateDir}`);
      if (entry.status.state === "error" || entry.job.status.lastError) return no(`the job ${entry.status.id} is failing: ${entry.job.status.lastError ?? "see wl status"}`);
    } catch (err) {
      return no(errorMessage(err));
    }
    const entry = this.jobs.get(key)!;
    const applied: AppliedChange[] = [];
    const id = entry.status.id;
    const tap = (job: string, event: SyncEvent | { type: "stopped" }) => {
      if (job === id && event.type === "applied") applied.push(event.change);
    };
    this.taps.add(tap);
    try {
      let restart: ReturnType<typeof summarize> | undefined;
      if (fingerprintOf(config, args.container) !== entry.fingerprint) {
        // The rule of `wl container sync`: a job whose part of the config changed runs on the new one.
        this.note(entry, "restarted: its config changed");
        await this.halt(entry);
        entry.paused = null;
        const started = (await this.launch(key, entry.args, entry)) as { result: ReturnType<typeof summarize> };
        restart = started.result;
      }
      const job = entry.job;
      if (!job) return no(`the job ${id} did not start again`);
      const reply = await job.flush();
      if (!reply.answered) return restart ? { answered: true, result: restart, applied, job: id, restarted: true } : reply;
      const result = restart ? combinePasses([restart, reply.result], { ...reply.result, durationMs: reply.result.durationMs + restart.durationMs }, reply.result.conflicts) : reply.result;
      this.logger.info(`job ${id}: one-shot pass answered: ${passLine({ ...result, plan: { actions: [], conflicts: [] } } as unknown as SyncResult)}`);
      return { answered: true, result, applied, job: id, ...(restart ? { restarted: true } : {}), ...(reply.rescanned ? { rescanned: true } : {}) };
    } finally {
      this.taps.delete(tap);
    }
  }

  private async resume(args: ResumeArgs): Promise<ResumeResult> {
    const { config, container, job, force } = args;
    if (!job && !(config && container)) throw new WlError("E_USAGE", "resume needs a job id, or a config and a container");
    const which = (e: JobEntry) => (job ? e.status.id === job || e.key === job : e.args.config === config && e.args.container === container);
    const resumed: ResumeResult["resumed"] = [];
    for (const entry of [...this.jobs.values()].filter(which)) {
      if (entry.job?.isRunning() && !force) continue;
      if (entry.job) await this.halt(entry);
      const confirmsStorage = entry.paused?.kind === "identity";
      entry.paused = null;
      if (entry.retry) clearTimeout(entry.retry);
      entry.retry = undefined;
      this.note(entry, force ? "resumed with its first pass forced" : "resumed");
      try {
        const reply = await this.launch(entry.key, { ...entry.args, force: !!force }, entry, { acceptRoots: true, acceptStorages: confirmsStorage });
        resumed.push({ job: entry.status.id, result: reply.result });
      } catch (err) {
        resumed.push({ job: entry.status.id, error: errorMessage(err) });
      }
    }
    return { resumed };
  }

  /**
   * Re-reads a config a client found and brings the jobs started from it in line: a job whose
   * container is gone is stopped, one whose part of the config changed is restarted on it.
   */
  private async refresh(configPath: string): Promise<string[]> {
    const notes: string[] = [];
    const entries = [...this.jobs.values()].filter((e) => e.args.config === configPath && (e.job?.isRunning() || e.paused?.kind !== "gate"));
    if (!entries.length) return notes;
    let config: LoadedConfig;
    try {
      config = await readConfig(dirname(configPath), configPath);
    } catch (err) {
      return [`cannot read ${configPath}: ${errorMessage(err)}; its jobs keep running on the config they started with`];
    }
    for (const entry of entries) {
      const containers = config.config.containers ?? {};
      if (!Object.hasOwn(containers, entry.args.container)) {
        notes.push(`${entry.status.id}: container ${entry.args.container} is no longer in ${configPath}: job stopped`);
        this.logger.info(notes[notes.length - 1]!);
        await this.stop((j) => j.key === entry.key, true);
        continue;
      }
      if (fingerprintOf(config, entry.args.container) === entry.fingerprint) continue;
      notes.push(`${entry.status.id}: its config changed: restarted`);
      this.note(entry, "restarted: its config changed");
      await this.halt(entry);
      entry.paused = null;
      void this.launch(entry.key, entry.args, entry).catch((err) => this.logger.error(`job ${entry.status.id}: restart failed: ${errorMessage(err)}`));
    }
    return notes;
  }

  /** Stops a job's syncer, keeping its entry. */
  private async halt(entry: JobEntry): Promise<void> {
    const job = entry.job;
    entry.job = undefined;
    if (job) {
      entry.status = job.status;
      await job.stop().catch((err) => this.logger.error(`stopping ${entry.status.id}: ${errorMessage(err)}`));
    }
  }

  private async stop(which: (job: { id: string; config: string; container: string; key?: string }) => boolean, forget: boolean): Promise<StopResult> {
    const stopped: string[] = [];
    for (const pending of this.starting.values()) if (which({ id: "", ...pending })) pending.cancelled = true;
    for (const [key, entry] of this.jobs) {
      const status = this.statusOf(entry);
      if (!which({ id: status.id, config: entry.args.config, container: entry.args.container, key })) continue;
      if (entry.retry) clearTimeout(entry.retry);
      await this.halt(entry);
      this.jobs.delete(key);
      if (forget) this.store.remove(key);
      stopped.push(status.id);
      this.logger.info(`job ${status.id} stopped`);
    }
    return { stopped };
  }

  /** Starts the jobs the store remembers (not awaited: the daemon answers meanwhile); paused ones stay paused. */
  resumeStored(): void {
    for (const stored of this.store.list()) {
      const meta = {
        id: `${stored.args.container}:${stored.args.source}->${stored.args.target}`,
        container: stored.args.container,
        config: stored.args.config,
        source: stored.args.source,
        target: stored.args.target,
        direction: (stored.args.unidirectional ? "one-way" : "two-way") as "one-way" | "two-way",
        syncer: stored.args.syncer ?? "",
      };
      const entry: JobEntry = { key: stored.key, args: stored.args, fingerprint: "", roots: stored.roots, notes: [], paused: stored.paused, status: idleStatus(meta, stored.paused ? "paused" : "starting") };
      this.jobs.set(stored.key, entry);
      if (stored.paused?.kind === "gate" || stored.paused?.kind === "identity") {
        this.logger.info(`job ${meta.id} stays paused: ${stored.paused.reason}`);
        continue;
      }
      this.note(entry, "resumed after a daemon restart");
      void this.launch(stored.key, stored.args, entry).catch((err) => {
        entry.status.lastError = errorMessage(err);
        if (!entry.paused) entry.status.state = "error";
        this.logger.error(`job ${meta.id}: cannot resume: ${errorMessage(err)}`);
      });
    }
  }

  async shutdown(): Promise<void> {
    this.logger.info("shutting down");
    await this.stop(() => true, false); // remembered: the next daemon resumes them
    for (const socket of this.clients) socket.end();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    try {
      unlinkSync(this.socketPath);
    } catch {
      // already gone
    }
    this.store.close();
    this.onShutdown?.();
  }
}

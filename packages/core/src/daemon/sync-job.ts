import type { BaseSyncer } from "@wlsync/plugin-api";
import type { StorageBackend } from "@wlsync/plugin-api";
import type { SyncEngine } from "../engine/sync-engine.js";
import { emptyCounters, type Conflict, type ItemError, type SyncCounters, type SyncEvent, type SyncResult } from "@wlsync/plugin-api";
import type { JobStatus, PassSummary } from "./sync-commands.generated.js";

/** A job's status as the daemon reports it (JobStatus in sync-commands.json). */
export type { JobStatus } from "./sync-commands.generated.js";

/** What the daemon answers for `wl container sync --one-shot` (see SyncJob.flush). */
export type FlushReply = { answered: false; reason: string } | { answered: true; result: ReturnType<typeof summarize> };

/**
 * The result of the passes a flush ran (or of none: nothing changed), as one pass's result:
 * counters added up, the pair's open conflicts as the state records them (a pass over a few
 * paths sees only theirs), item errors by path (the latest pass wins).
 */
export function combinePasses(
  passes: ReadonlyArray<Omit<SyncResult, "plan"> & { plan: SyncResult["plan"] | { actions: number; conflicts: number } }>,
  base: Pick<SyncResult, "source" | "target" | "syncer" | "direction" | "durationMs">,
  conflicts: Conflict[] | undefined,
) {
  const counters = emptyCounters();
  const errors = new Map<string, ItemError>();
  const warnings: string[] = [];
  const resolved: NonNullable<SyncResult["resolved"]> = [];
  let actions = 0;
  for (const pass of passes) {
    for (const [k, v] of Object.entries(pass.counters)) counters[k as keyof SyncCounters] += v;
    for (const e of pass.errors) errors.set(e.path, e);
    for (const w of pass.warnings) if (!warnings.includes(w)) warnings.push(w);
    resolved.push(...(pass.resolved ?? []));
    actions += typeof pass.plan.actions === "number" ? pass.plan.actions : pass.plan.actions.length;
  }
  const open = conflicts ?? passes[passes.length - 1]?.conflicts ?? [];
  return {
    ...base,
    dryRun: false,
    counters,
    conflicts: open,
    errors: [...errors.values()],
    warnings,
    ...(resolved.length ? { resolved } : {}),
    plan: { actions, conflicts: open.length },
  };
}

/** A slimmer SyncResult for the wire: the plan's actions are counted, not listed. */
export function summarize(result: SyncResult): PassSummary {
  const { plan, ...rest } = result;
  return { ...rest, plan: { actions: plan.actions.length, conflicts: plan.conflicts.length } };
}

const MAX_ERRORS = 100;

/** A status for a job that is not running (paused, or waiting for its storage). */
export function idleStatus(meta: Pick<JobStatus, "id" | "container" | "config" | "source" | "target" | "direction" | "syncer">, state: string): JobStatus {
  return {
    ...meta,
    state,
    current: null,
    passes: 0,
    counters: emptyCounters(),
    conflicts: [],
    errors: [],
    lastError: null,
    startedAt: new Date().toISOString(),
    lastPassAt: null,
    lastCleanPassAt: null,
    queued: 0,
    paused: null,
    notes: [],
    watchers: { source: "", target: "" },
  };
}

/** One continuous sync of a pair inside the daemon: its syncer, its status, its events. */
export class SyncJob {
  private readonly status_: JobStatus;
  private readonly errorsByPath = new Map<string, ItemError>();

  constructor(
    readonly key: string,
    private readonly syncer: BaseSyncer,
    private readonly backends: StorageBackend[],
    private readonly engine: SyncEngine,
    meta: Pick<JobStatus, "id" | "container" | "config" | "source" | "target" | "direction" | "syncer">,
    private readonly broadcast: (job: string, event: SyncEvent | { type: "stopped" }) => void,
    /** Called when a safety gate (E_MAX_DELETE) or a changed storage (E_STORAGE_CHANGED) stopped the job's passes (the daemon pauses it). */
    private readonly onHalt: (job: SyncJob, code: string, message: string) => void,
  ) {
    this.status_ = {
      ...idleStatus(meta, "starting"),
      watchers: { source: backends[0]!.watcher().constructor.name, target: backends[1]!.watcher().constructor.name },
    };
    syncer.on((event) => this.onEvent(event));
  }

  /**
   * Goes on counting from an earlier run of the same job (restarted on a resume, a config
   * change or a storage that came back): passes, counters and the last pass times survive.
   */
  carryOver(previous: JobStatus): void {
    const s = this.status_;
    s.passes += previous.passes;
    for (const [k, v] of Object.entries(previous.counters)) s.counters[k as keyof SyncCounters] += v;
    s.lastPassAt ??= previous.lastPassAt;
    s.lastCleanPassAt ??= previous.lastCleanPassAt;
  }

  get status(): JobStatus {
    this.status_.queued = this.syncer.queued();
    this.status_.errors = [...this.errorsByPath.values()].slice(0, MAX_ERRORS);
    return this.status_;
  }

  private onEvent(event: SyncEvent): void {
    const s = this.status_;
    switch (event.type) {
      case "state":
        s.state = event.state;
        if (event.state !== "applying") s.current = null;
        if (event.state === "paused" && s.lastError && !s.paused) {
          s.paused = { kind: "storage", reason: s.lastError, since: new Date().toISOString(), release: ["resumes by itself when the storage is back"] };
        }
        break;
      case "progress":
        s.current = event.progress.current ?? s.current;
        break;
      case "error":
        if (event.error.path) this.errorsByPath.set(event.error.path, event.error);
        else {
          s.lastError = event.error.message;
          if (event.error.code === "E_MAX_DELETE" || event.error.code === "E_STORAGE_CHANGED") this.onHalt(this, event.error.code, event.error.message);
        }
        break;
      case "pass": {
        s.passes++;
        s.lastPassAt = new Date().toISOString();
        if (!event.result.errors.length) s.lastCleanPassAt = s.lastPassAt;
        s.lastError = null;
        if (s.paused?.kind === "storage") s.paused = null;
        for (const [k, v] of Object.entries(event.result.counters)) s.counters[k as keyof SyncCounters] += v;
        // The pair's open conflicts, across passes (a change-driven pass sees only its paths).
        s.conflicts = this.engine.storedConflicts(this.backends[0]!, this.backends[1]!) ?? event.result.conflicts;
        // Item errors stay listed until a pass that looked at their path gets it through.
        const scope = event.scope;
        for (const path of [...this.errorsByPath.keys()]) {
          if (!scope || scope.some((p) => p === "" || path === p || path.startsWith(`${p}/`) || p.startsWith(`${path}/`))) this.errorsByPath.delete(path);
        }
        for (const e of event.result.errors) this.errorsByPath.set(e.path, e);
        this.broadcast(s.id, event);
        return;
      }
      case "conflict":
        break;
    }
    this.broadcast(s.id, event);
  }

  /**
   * Brings the pair up to date from what its watchers reported (BaseSyncer.flush) and answers as
   * one pass would; not answered when the job cannot vouch for knowing every change.
   */
  async flush(): Promise<FlushReply> {
    const started = Date.now();
    const flush = (this.syncer as Partial<Pick<BaseSyncer, "flush">>).flush;
    if (typeof flush !== "function") return { answered: false, reason: `syncer ${this.syncer.name} cannot be asked for a pass (its plugin API is older)` };
    const outcome = await flush.call(this.syncer);
    if (!outcome.answered) return outcome;
    const s = this.status_;
    const base = { source: s.source, target: s.target, syncer: this.syncer.name, direction: s.direction, durationMs: Date.now() - started };
    return { answered: true, result: combinePasses(outcome.passes, base, this.engine.storedConflicts(this.backends[0]!, this.backends[1]!)) };
  }

  async start(): Promise<SyncResult> {
    return this.syncer.startSync();
  }

  isRunning(): boolean {
    return this.syncer.isRunning();
  }

  async stop(): Promise<void> {
    try {
      await this.syncer.stopSync();
    } finally {
      await Promise.all(this.backends.map((b) => b.close().catch(() => {})));
      if (this.status_.state !== "paused") this.status_.state = "stopped";
      this.broadcast(this.status_.id, { type: "stopped" });
    }
  }
}

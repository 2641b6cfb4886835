import type { BaseSyncer } from "@wlsync/plugin-api";
import type { StorageBackend } from "@wlsync/plugin-api";
import type { SyncEngine } from "../engine/sync-engine.js";
import { emptyCounters, type Conflict, type ItemError, type SyncCounters, type SyncEvent, type SyncResult } from "@wlsync/plugin-api";

export interface JobStatus {
  id: string;
  container: string;
  config: string;
  source: string;
  target: string;
  direction: "two-way" | "one-way";
  syncer: string;
  state: string;
  /** The item being transferred right now, if any. */
  current: string | null;
  passes: number;
  counters: SyncCounters;
  conflicts: Conflict[];
  errors: ItemError[];
  lastError: string | null;
  startedAt: string;
  lastPassAt: string | null;
  /** Which watcher serves each side (kernel events or polling). */
  watchers: { source: string; target: string };
}

/** A slimmer SyncResult for the wire: the plan's actions are counted, not listed. */
export function summarize(result: SyncResult) {
  const { plan, ...rest } = result;
  return { ...rest, plan: { actions: plan.actions.length, conflicts: plan.conflicts.length } };
}

const MAX_ERRORS = 100;

/** One continuous sync of a pair inside the daemon: its syncer, its status, its events. */
export class SyncJob {
  readonly status: JobStatus;

  constructor(
    readonly key: string,
    private readonly syncer: BaseSyncer,
    private readonly backends: StorageBackend[],
    private readonly engine: SyncEngine,
    meta: Pick<JobStatus, "id" | "container" | "config" | "source" | "target" | "direction" | "syncer">,
    private readonly broadcast: (job: string, event: SyncEvent | { type: "stopped" }) => void,
  ) {
    this.status = {
      ...meta,
      state: "starting",
      current: null,
      passes: 0,
      counters: emptyCounters(),
      conflicts: [],
      errors: [],
      lastError: null,
      startedAt: new Date().toISOString(),
      lastPassAt: null,
      watchers: { source: backends[0]!.watcher().constructor.name, target: backends[1]!.watcher().constructor.name },
    };
    syncer.on((event) => this.onEvent(event));
  }

  private onEvent(event: SyncEvent): void {
    const s = this.status;
    switch (event.type) {
      case "state":
        s.state = event.state;
        if (event.state !== "applying") s.current = null;
        break;
      case "progress":
        s.current = event.progress.current ?? s.current;
        break;
      case "error":
        if (!event.error.path) s.lastError = event.error.message;
        break;
      case "pass": {
        s.passes++;
        s.lastPassAt = new Date().toISOString();
        s.lastError = null;
        for (const [k, v] of Object.entries(event.result.counters)) s.counters[k as keyof SyncCounters] += v;
        // The pair's open conflicts, across passes (a change-driven pass sees only its paths).
        s.conflicts = this.engine.storedConflicts(this.backends[0]!, this.backends[1]!) ?? event.result.conflicts;
        // Item errors of the last pass (a failed item is retried by the next event or rescan).
        s.errors = event.result.errors.slice(0, MAX_ERRORS);
        this.broadcast(s.id, { type: "pass", result: event.result });
        return;
      }
      case "conflict":
        break;
    }
    this.broadcast(s.id, event);
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
      this.status.state = "stopped";
      this.broadcast(this.status.id, { type: "stopped" });
    }
  }
}

/* Generated from the JSON Schema by scripts/gen-types.mjs (json-schema-to-typescript). Do not edit. */

import type {AppliedChange, Conflict, ItemError, ResolvedConflict, SyncCounters} from "@wlsync/plugin-api";

/**
 * A request to the sync daemon: one JSON object per line on its Unix socket.
 */
export type SyncCommand = {
  cmd: string;
} & (
  | StartCommand
  | StopCommand
  | StopAllCommand
  | StatusCommand
  | JobStateCommand
  | ActiveEventsCommand
  | FlushCommand
  | ResumeCommand
  | ShutdownCommand
);
/**
 * Echoed in the reply.
 *
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "requestId".
 */
export type RequestId = number;
/**
 * What the daemon writes on its socket, one JSON object per line: a reply to a request (matched by id) or, on a subscribed connection, an event.
 *
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "DaemonMessage".
 */
export type DaemonMessage = OkReply | ErrorReply | DaemonEvent;
/**
 * The request's id; null when the request could not be read (not JSON, too long, no id).
 *
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "replyId".
 */
export type ReplyId = number | null;

/**
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "noArgs".
 */
export interface NoArgs {}
/**
 * The command was carried out; `result` is the command's result (see CommandResults).
 *
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "OkReply".
 */
export interface OkReply {
  id: ReplyId;
  ok: true;
  result: unknown;
}
/**
 * The command was refused or failed.
 *
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "ErrorReply".
 */
export interface ErrorReply {
  id: ReplyId;
  ok: false;
  error: ReplyError;
}
/**
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "ReplyError".
 */
export interface ReplyError {
  /**
   * E_PARSE (not JSON), E_INVALID (not a valid command), E_TOO_LARGE, E_USAGE, E_DAEMON, or the failing operation's error code.
   */
  code: string;
  /**
   * One line for the user.
   */
  message: string;
  /**
   * The exit code wl exits with (README, Exit codes).
   */
  exitCode: number;
}
/**
 * A job's event on a subscribed connection (active-events with subscribe).
 *
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "DaemonEvent".
 */
export interface DaemonEvent {
  /**
   * The event's type: state, progress, pass, conflict, error, stopped...
   */
  event: string;
  /**
   * The job id (container:source->target).
   */
  job: string;
  /**
   * The event itself (its `type` is `event`).
   */
  data: {
    [k: string]: unknown;
  };
}
/**
 * The result of an OkReply, per command.
 *
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "CommandResults".
 */
export interface CommandResults {
  start: StartResult;
  stop: StopResult;
  "stop-all": StopResult;
  status: StatusResult;
  "job-state": JobStatus;
  "active-events": ActiveEventsResult;
  resume: ResumeResult;
  shutdown: ShutdownResult;
  flush: FlushResult;
}
/**
 * A job started (`result`: its initial pass), or found running already (no `result`).
 *
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "StartResult".
 */
export interface StartResult {
  job: string;
  alreadyRunning: boolean;
  /**
   * About the start (storages, syncer choice).
   */
  warnings?: string[];
  result?: PassSummary;
  status: JobStatus;
}
/**
 * A pass's result for the wire (the plugin API's SyncResult with the plan's actions and conflicts counted, not listed). Counters, conflicts and errors have the plugin API's types.
 *
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "PassSummary".
 */
export interface PassSummary {
  source: string;
  target: string;
  syncer: string;
  direction: "two-way" | "one-way";
  dryRun: boolean;
  plan: {
    actions: number;
    conflicts: number;
  };
  counters: SyncCounters;
  conflicts: Conflict[];
  errors: ItemError[];
  warnings: string[];
  /**
   * Milliseconds.
   */
  durationMs: number;
  /**
   * Conflicts the pass settled by a policy.
   */
  resolved?: ResolvedConflict[];
}
/**
 * A continuous job as the daemon sees it.
 *
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "JobStatus".
 */
export interface JobStatus {
  /**
   * container:source->target.
   */
  id: string;
  container: string;
  /**
   * Absolute path of the config file.
   */
  config: string;
  source: string;
  target: string;
  direction: "two-way" | "one-way";
  syncer: string;
  /**
   * starting, syncing, idle, paused, waiting, error, stopped...
   */
  state: string;
  /**
   * The item being transferred right now, if any.
   */
  current: string | null;
  passes: number;
  counters: SyncCounters;
  conflicts: Conflict[];
  /**
   * Current item errors, one per path, until a pass gets the path through (failed items are retried with a backoff).
   */
  errors: ItemError[];
  lastError: string | null;
  /**
   * ISO time.
   */
  startedAt: string;
  /**
   * When the last pass finished (ISO time).
   */
  lastPassAt: string | null;
  /**
   * When the last pass without item errors finished (ISO time).
   */
  lastCleanPassAt: string | null;
  /**
   * Changes reported and not yet synced, plus failed items waiting for their retry.
   */
  queued: number;
  /**
   * Set while the job does not sync.
   */
  paused: PauseInfo | null;
  /**
   * What the daemon did to the job on its own (restarted on a config change...), newest last.
   */
  notes: string[];
  /**
   * Which watcher serves each side (kernel events or polling).
   */
  watchers: {
    source: string;
    target: string;
  };
}
/**
 * Why a job does not sync, and how to release it.
 *
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "PauseInfo".
 */
export interface PauseInfo {
  kind: "gate" | "storage" | "identity";
  reason: string;
  /**
   * ISO time.
   */
  since: string;
  /**
   * Commands that release the pause.
   */
  release: string[];
}
/**
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "StopResult".
 */
export interface StopResult {
  /**
   * Ids of the jobs stopped.
   */
  stopped: string[];
}
/**
 * The daemon and its jobs.
 *
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "StatusResult".
 */
export interface StatusResult {
  pid: number;
  socket: string;
  /**
   * ISO time.
   */
  startedAt: string;
  /**
   * What the daemon did after re-reading the client's config (jobs restarted or stopped).
   */
  notes?: string[];
  jobs: JobStatus[];
}
/**
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "ActiveEventsResult".
 */
export interface ActiveEventsResult {
  subscribed: boolean;
  active: ActiveJob[];
}
export interface ActiveJob {
  job: string;
  state: string;
  current: string | null;
}
/**
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "ResumeResult".
 */
export interface ResumeResult {
  resumed: ResumedJob[];
}
export interface ResumedJob {
  job: string;
  result?: PassSummary;
  /**
   * Why the restart failed (the job stays paused).
   */
  error?: string;
}
/**
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "ShutdownResult".
 */
export interface ShutdownResult {
  /**
   * Ids of the jobs the daemon stops before it exits.
   */
  stopping: string[];
}
/**
 * The daemon's answer to `flush` (`wl container sync --one-shot` for a pair it watches): answered with the pass's result, or not answered with the reason (the client then runs the pass itself).
 *
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "FlushResult".
 */
export interface FlushResult {
  answered: boolean;
  /**
   * Why the daemon did not answer (answered: false).
   */
  reason?: string;
  result?: PassSummary;
  /**
   * The changes the daemon's passes made for this answer, for -v and --json.
   */
  applied?: AppliedChange[];
  /**
   * The id of the job that answered.
   */
  job?: string;
  /**
   * The job was restarted on a changed config first; its initial pass is part of the result.
   */
  restarted?: boolean;
}
export interface StartCommand {
  id: RequestId;
  cmd: "start";
  args: StartArgs;
}
export interface StartArgs {
  /**
   * Absolute path of the config file.
   */
  config: string;
  /**
   * State dir the client resolved (env WLSYNC_STATE_DIR or the config).
   */
  "state-dir"?: string;
  container: string;
  /**
   * backend-id of the source storage.
   */
  source: string;
  /**
   * backend-id of the target storage.
   */
  target: string;
  unidirectional?: boolean;
  syncer?: string;
  force?: boolean;
}
export interface StopCommand {
  id: RequestId;
  cmd: "stop";
  args: StopArgs;
}
/**
 * Which jobs: those of a container in a config file, or one job by its id (works even when its config file is gone).
 */
export interface StopArgs {
  config?: string;
  container?: string;
  /**
   * A job id as wl status shows it (container:source->target).
   */
  job?: string;
}
export interface StopAllCommand {
  id: RequestId;
  cmd: "stop-all";
  args?: NoArgs;
}
export interface StatusCommand {
  id: RequestId;
  cmd: "status";
  args?: StatusArgs;
}
export interface StatusArgs {
  /**
   * Absolute path of the config file the client found: the daemon re-reads it and restarts (or stops) the jobs it started from it whose part of it changed (or is gone).
   */
  config?: string;
}
export interface JobStateCommand {
  id: RequestId;
  cmd: "job-state";
  args: JobStateArgs;
}
export interface JobStateArgs {
  job: string;
}
export interface ActiveEventsCommand {
  id: RequestId;
  cmd: "active-events";
  args?: ActiveEventsArgs;
}
export interface ActiveEventsArgs {
  /**
   * Receive events (state, progress, conflict, error) on this connection from now on.
   */
  subscribe?: boolean;
}
/**
 * wl container sync --one-shot, answered by the daemon when it watches the pair: it makes sure its watchers have delivered every change made before the request, syncs what changed (or nothing), and replies with the pass's result; answered false (with the reason) when it cannot vouch for the pair, and the client runs the pass itself.
 */
export interface FlushCommand {
  id: RequestId;
  cmd: "flush";
  args: FlushArgs;
}
export interface FlushArgs {
  /**
   * The client's working directory: the daemon finds the config from there as the client would (cosmiconfig, upwards), and reads it again only when the file changed.
   */
  cwd: string;
  /**
   * The config file given with --config (relative to cwd), if any.
   */
  config?: string;
  /**
   * WLSYNC_STATE_DIR of the client, if set (it beats the config's state-dir).
   */
  "state-dir"?: string;
  container: string;
  /**
   * --source-storage as given (backend-id or type).
   */
  source?: string;
  /**
   * --target-storage as given (backend-id or type).
   */
  target?: string;
  unidirectional?: boolean;
}
export interface ResumeCommand {
  id: RequestId;
  cmd: "resume";
  args: ResumeArgs;
}
/**
 * Restart paused jobs: those of a container in a config file, or one job by its id.
 */
export interface ResumeArgs {
  config?: string;
  container?: string;
  job?: string;
  /**
   * Let the first pass after the restart through the safety gates (that pass only).
   */
  force?: boolean;
}
export interface ShutdownCommand {
  id: RequestId;
  cmd: "shutdown";
  args?: NoArgs;
}

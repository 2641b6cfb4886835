/* Generated from the JSON Schema by scripts/gen-types.mjs (json-schema-to-typescript). Do not edit. */

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
 */
export type RequestId = number;

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
export interface NoArgs {}
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

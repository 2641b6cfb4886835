import { existsSync } from "node:fs";
import type { ContainerService, SyncRunOptions } from "../../containers/container-service.js";
import type { Logger } from "@wlsync/plugin-api";
import { TOKENS } from "../../di/tokens.js";
import { socketPath } from "../../daemon/socket-path.js";
import { stateDirOf } from "../../config/state-dir.js";
import { StderrLogger } from "../stderr-logger.js";
import type { FlushResult } from "../../daemon/sync-commands.generated.js";
import type { SyncEvent, SyncResult } from "@wlsync/plugin-api";
import type { Command } from "../commander.js";
import { allTargets, daemonClient, examples, globalsOf, loadApp, out, WL_SCRIPT, type GlobalOptions } from "../context.js";
import { exitCodeOf, formatAction, formatConflict, formatItemError, formatResolved, formatSummary } from "../format.js";
import { ProgressDisplay } from "../progress.js";
import { formatChange, formatConflictLine, jsonResult } from "../output.js";
import { UsageError, type AppliedChange } from "@wlsync/plugin-api";

/** Options of `wl container sync NAME`. */
export interface ContainerSyncOptions {
  oneShot?: boolean;
  sourceStorage?: string;
  targetStorage?: string;
  unidirectional?: boolean;
  all?: boolean;
  syncer?: string;
  dryRun?: boolean;
  force?: boolean;
  acceptStorage?: string[];
  conflictResolve?: string;
  json?: boolean;
  verbose?: boolean;
  exclude?: string[];
  include?: string[];
  bwlimit?: string;
  /** false with --no-daemon. */
  daemon?: boolean;
}

/** Commander option parser that collects a repeated option into a list. */
const collect = (value: string, previous: string[]) => [...previous, value];

export function register(container: Command): void {
  container
    .command("sync")
    .description("sync a container's source and target storages")
    .argument("<name>", "container name")
    .option("--one-shot", "one pass in the foreground, then exit")
    .option("--source-storage <id|type>", "source storage (default: the first listed)")
    .option("--target-storage <id|type>", "target storage (default: the first other non-local storage, else the next listed)")
    .option("--unidirectional", "source to target only")
    .option("--all", "pair the source with every other storage (flood sync)")
    .option("--syncer <name>", "force a syncer by SYNCER_NAME")
    .option("--dry-run", "print the plan of the pass that would run and change nothing (the safety gates stop it as they would the pass: exit 3)")
    .option("--force", "pass the safety gates (max-delete, emptied storage); it settles no conflict (see --conflict-resolve); to refill an emptied disk use --accept-storage")
    .option("--conflict-resolve <policy>", "settle conflicts: newer, older, larger, smaller, both, or a storage's backend-id (the loser is kept as a version)")
    .option(
      "--accept-storage <id>",
      "accept this storage as new to the pair (another disk, an older copy, a new or emptied disk to refill): a first meeting, nothing deleted, files that differ are conflicts; repeatable; with --one-shot",
      collect,
      [],
    )
    .option("--json", "machine-readable output: one JSON document with paths, sizes, actions, conflicts and errors")
    .option("--exclude <pattern>", "leave out paths matching this gitignore-style pattern, for this pass (repeatable)", collect, [])
    .option("--include <pattern>", "take part whatever ignore files and --exclude say (repeatable; cannot reach into an excluded folder)", collect, [])
    .option("--bwlimit <rate>", "bandwidth limit for this pass: KiB/s, or with a unit (500K, 2.5M, 1G); storages' own bwlimit: applies too")
    .option("-v, --verbose", "list each change as it is made: + a→b path SIZE (copied), - b path (deleted), ! conflict path")
    .option("--no-daemon", "with --one-shot: run the pass in this process even when the daemon watches the pair")
    .addHelpText(
      "after",
      examples(
        ["wl container sync photos", "start continuous two-way sync in the background daemon"],
        ["wl container sync --one-shot photos", "one pass in the foreground, then exit"],
        ["wl container sync --dry-run photos", "show what a pass would copy, delete or leave in conflict"],
        ["wl container sync --one-shot -v photos", "one pass, listing every file copied or deleted (like rsync -i)"],
        ["wl container sync --one-shot --exclude '*.iso' --exclude 'cache/' photos", "one pass leaving out ISO images and cache folders"],
        ["wl container sync --one-shot --bwlimit 2M photos", "one pass moving at most 2 MiB per second"],
        ["wl container sync --one-shot --unidirectional --target-storage nas photos", "mirror the first storage onto nas only"],
        ["wl container sync --dry-run --conflict-resolve newer photos", "show how the newer side would settle each conflict"],
        ["wl container sync --one-shot --accept-storage nas photos", "refill a new, empty disk at nas's path from the other storage (deletes nothing)"],
      ),
    )
    .action(async (name: string, opts: ContainerSyncOptions, cmd: Command) => {
      const globals = globalsOf(cmd);
      if (!opts.oneShot && !opts.dryRun) {
        if (opts.acceptStorage?.length) throw new UsageError("--accept-storage goes with --one-shot: accept the storage in one pass, then start continuous sync again");
        if (opts.exclude?.length || opts.include?.length)
          throw new UsageError("--exclude and --include apply to one pass: add --one-shot or --dry-run (for continuous sync, write the patterns in a .wlsyncignore file)");
        if (opts.bwlimit !== undefined) throw new UsageError("--bwlimit applies to one pass: add --one-shot (for continuous sync, set bwlimit: on the storage in the config)");
        if (opts.conflictResolve) throw new UsageError(`--conflict-resolve applies to --one-shot and --dry-run passes; for continuous sync set "conflict-resolve: ${opts.conflictResolve}" in the container's config`);
        return continuousSync(name, opts, globals);
      }
      return oneShotSync(name, opts, globals);
    });
}

/** Routes a pass's events to the progress display, `-v` lines and stderr; collects applied changes for --json. */
function onEventsFor(opts: ContainerSyncOptions, progress: ProgressDisplay, logger: Logger, applied: AppliedChange[], names: () => { source: string; target: string } | undefined) {
  return (event: SyncEvent) => {
    if (event.type === "applied") {
      if (opts.json) applied.push(event.change);
      else if (opts.verbose) {
        const pair = names();
        if (!pair) return;
        progress.clear();
        out(formatChange(event.change, pair));
      }
      return;
    }
    if (opts.json) return;
    if (event.type === "progress") progress.update(event.progress);
    else if (event.type === "state" && event.state !== "idle") progress.status(`${event.state}…`);
    else if (event.type === "conflict" && opts.verbose && !opts.dryRun) {
      progress.clear();
      out(formatConflictLine(event.conflict));
    } else if (event.type === "error") {
      progress.clear();
      logger.error(formatItemError(event.error));
    }
  };
}

/** Exit code of a pass stopped by Ctrl-C (128 + SIGINT, as shells report it). */
const INTERRUPTED = 130;

/**
 * Ctrl-C during a pass: the first asks the pass to stop (no new change starts, copies in
 * flight are abandoned and their temporary files removed, what was done is recorded); a second
 * quits at once (temporary files are then cleaned up by the next pass). Returns a function
 * that removes the handler.
 */
function stopOnInterrupt(controller: AbortController, progress: ProgressDisplay, json: boolean): () => void {
  const onSigint = () => {
    if (controller.signal.aborted) process.exit(INTERRUPTED);
    controller.abort();
    progress.clear();
    if (!json) process.stderr.write("stopping: no new change starts, copies in progress are abandoned (Ctrl-C again to quit at once)\n");
  };
  process.on("SIGINT", onSigint);
  return () => process.off("SIGINT", onSigint);
}

/** `--one-shot` or `--dry-run`: one pass per pair in this process. */
async function oneShotSync(name: string, opts: ContainerSyncOptions, globals: GlobalOptions): Promise<void> {
  const json = !!opts.json;
  if (daemonMayAnswer(opts) && (await answeredByDaemon(name, opts, globals))) return;
  const progress = new ProgressDisplay();
  // Before anything slow (config, plugins): a Ctrl-C from now on stops the pass, never kills it.
  const controller = new AbortController();
  const release = stopOnInterrupt(controller, progress, json);
  try {
    const { app, logger } = await loadApp(globals, true);
    const service = app.resolve((await import("../../containers/container-service.js")).ContainerService);
    await oneShotPasses(name, opts, { service, logger, progress, signal: controller.signal });
  } finally {
    release();
  }
}

async function oneShotPasses(
  name: string,
  opts: ContainerSyncOptions,
  { service, logger, progress, signal }: { service: ContainerService; logger: Logger; progress: ProgressDisplay; signal: AbortSignal },
): Promise<void> {
  const json = !!opts.json;
  const runOptions: SyncRunOptions = {
    source: opts.sourceStorage,
    target: opts.targetStorage,
    unidirectional: !!opts.unidirectional,
    dryRun: !!opts.dryRun,
    force: !!opts.force,
    acceptStorages: opts.acceptStorage,
    syncer: opts.syncer,
    exclude: opts.exclude,
    include: opts.include,
    bwlimit: opts.bwlimit,
    signal,
    conflictResolve: opts.conflictResolve,
  };
  const pairs = opts.all ? allTargets(service, name, runOptions) : [runOptions];
  let exitCode = 0;
  const results = [];
  // --all: a change in one target reaches the others only through the source, one round later;
  // rounds repeat until one moves nothing (a dry run shows one round).
  const rounds = opts.all && !runOptions.dryRun ? ALL_MAX_ROUNDS : 1;
  let moving = true;
  for (let round = 1; round <= rounds && moving && !signal.aborted; round++) {
    moving = false;
    exitCode = 0;
    for (const pairOptions of pairs) {
      if (signal.aborted) break;
      const pair = service.resolvePair(name, pairOptions);
      const names = { source: pair.source["backend-id"], target: pair.target["backend-id"] };
      const applied: AppliedChange[] = [];
      let result;
      try {
        result = await service.oneShot(name, pairOptions, onEventsFor(opts, progress, logger, applied, () => names));
      } finally {
        progress.done();
      }
      results.push({ ...jsonResult(result, applied), ...(signal.aborted ? { interrupted: true } : {}) });
      if (movedSomething(result)) moving = true;
      exitCode = signal.aborted ? INTERRUPTED : Math.max(exitCode, exitCodeOf(result));
      process.exitCode = exitCode; // what a closed pipe (| head) leaves as the exit code
      if (json) continue;
      if (signal.aborted) {
        // One line: what was done before the stop; the next pass does the rest.
        out(`interrupted: ${formatSummary(result)}; run again to finish [${result.syncer}, ${(result.durationMs / 1000).toFixed(2)} s]`);
        continue;
      }
      for (const w of result.warnings) logger.warn(w);
      for (const r of result.resolved ?? []) out(formatResolved(r, result.dryRun));
      if (result.dryRun) {
        for (const action of result.plan.actions) out(`${formatAction(action, names)}`);
        for (const c of result.conflicts) out(`conflict: ${formatConflict(c).join("\n")}`);
      } else if (!opts.verbose) {
        for (const c of result.conflicts) process.stderr.write(`conflict: ${formatConflict(c).join("\n")}\n`);
      }
      if (opts.verbose && result.syncerReason) out(`syncer ${result.syncer}: ${result.syncerReason}`);
      out(`${round > 1 ? `round ${round}: ` : ""}${result.dryRun ? "dry run: " : ""}${summaryLine(result)}`);
    }
    if (pairs.length < 2) moving = false;
  }
  if (moving && rounds > 1 && !signal.aborted) {
    // Still changing after the last round (someone writing meanwhile): not known to be in sync.
    logger.error(`--all: the storages were still changing after ${rounds} rounds of passes; run again to finish`);
    exitCode = Math.max(exitCode, 2);
  }
  if (json) out(JSON.stringify(opts.all ? results : results[0]));
  process.exitCode = exitCode;
  // A forced pass, or one that accepted a storage (an emptied one refilled), is the documented
  // release of a job the daemon paused at a safety gate.
  if ((opts.force || opts.acceptStorage?.length) && !opts.dryRun && exitCode < 3) await releasePaused(name, results, json);
}

/** The last line of a pass: what moved, then [syncer, direction, seconds]. */
function summaryLine(result: Pick<SyncResult, "counters" | "conflicts" | "errors" | "syncer" | "direction" | "durationMs">): string {
  return `${formatSummary(result as SyncResult)} [${result.syncer}, ${result.direction}, ${(result.durationMs / 1000).toFixed(2)} s]`;
}

/**
 * Whether the daemon may answer this one-shot pass: a plain pass of one pair (with -v, --json,
 * --unidirectional, --source/--target-storage). Options that change what one pass does
 * (--dry-run, --force, --exclude, --include, --bwlimit, --conflict-resolve, --accept-storage,
 * --syncer, --all) run it here, as does --no-daemon.
 */
function daemonMayAnswer(opts: ContainerSyncOptions): boolean {
  return (
    opts.daemon !== false &&
    !opts.dryRun &&
    !opts.force &&
    !opts.all &&
    !opts.syncer &&
    !opts.exclude?.length &&
    !opts.include?.length &&
    opts.bwlimit === undefined &&
    !opts.conflictResolve &&
    !opts.acceptStorage?.length
  );
}


/**
 * Asks the daemon for the pass when it watches the pair (the request names the container, the
 * pair as given and where this process found its config; the daemon re-reads a config that
 * changed). It makes sure its watchers have delivered every change made before the request, then
 * syncs what changed (usually nothing) and replies with the result, printed here exactly as a
 * pass run here prints it (same lines, same exit code; `-v` adds one line on stderr saying who
 * answered, `--json` a field "answeredBy"). False when no daemon runs or it cannot answer for
 * the pair: the pass then runs here. No config, plugin or state-store code is loaded for it.
 */
async function answeredByDaemon(name: string, opts: ContainerSyncOptions, globals: GlobalOptions): Promise<boolean> {
  const socket = socketPath();
  // No socket, no daemon: the client's code (its reply validators, node:net) is not even loaded.
  if (!existsSync(socket)) return false;
  const { DaemonClient } = await daemonClient();
  const client = await DaemonClient.connect(socket);
  if (!client) return false;
  const said = (line: string) => {
    if (opts.verbose) process.stderr.write(`${line}\n`);
  };
  let answer: FlushResult;
  try {
    answer = await client.call("flush", {
      cwd: process.cwd(),
      ...(globals.config ? { config: globals.config } : {}),
      ...(process.env.WLSYNC_STATE_DIR ? { "state-dir": stateDirOf(undefined) } : {}),
      container: name,
      ...(opts.sourceStorage ? { source: opts.sourceStorage } : {}),
      ...(opts.targetStorage ? { target: opts.targetStorage } : {}),
      unidirectional: !!opts.unidirectional,
    });
  } catch (err) {
    said(`the daemon cannot answer (${(err as Error).message}); running the pass here`);
    return false;
  } finally {
    client.close();
  }
  if (!answer.answered || !answer.result) {
    said(`the daemon did not answer (${answer.reason ?? "no reason given"}); running the pass here`);
    return false;
  }
  const result = answer.result;
  const applied = answer.applied ?? [];
  const names = { source: result.source, target: result.target };
  const exitCode = exitCodeOf(result);
  process.exitCode = exitCode;
  if (opts.json) {
    out(JSON.stringify({ ...jsonResult(result, applied), answeredBy: "daemon", job: answer.job }));
    return true;
  }
  const logger = new StderrLogger(globals.debug || process.env.WLSYNC_DEBUG === "1");
  if (opts.verbose) {
    for (const change of applied) out(formatChange(change, names));
    for (const c of result.conflicts) out(formatConflictLine(c));
  }
  for (const e of result.errors) logger.error(formatItemError(e));
  for (const w of result.warnings) logger.warn(w);
  for (const r of result.resolved ?? []) out(formatResolved(r, false));
  if (!opts.verbose) for (const c of result.conflicts) process.stderr.write(`conflict: ${formatConflict(c).join("\n")}\n`);
  out(summaryLine(result));
  const how = answer.restarted ? ", restarted on the changed config" : answer.rescanned ? ", after the full rescan that was due" : "";
  said(`answered by the daemon (job ${answer.job}${how}): its watchers had seen every change`);
  return true;
}

/** After a forced (or storage-accepting) one-shot pass: a job of the container that the daemon paused at a gate is resumed (unforced). */
async function releasePaused(name: string, results: Array<Pick<SyncResult, "source" | "target">>, json: boolean): Promise<void> {
  const client = await (await daemonClient()).DaemonClient.connect(socketPath());
  if (!client) return;
  try {
    const status = await client.call("status");
    for (const job of status.jobs) {
      if (job.container !== name || job.paused?.kind !== "gate") continue;
      if (!results.some((r) => (r.source === job.source && r.target === job.target) || (r.source === job.target && r.target === job.source))) continue;
      const { resumed } = await client.call("resume", { job: job.id });
      for (const r of resumed) if (!json) process.stderr.write(r.error ? `wl: ${r.job} is still paused: ${r.error}\n` : `${r.job}: resumed in the daemon\n`);
    }
  } finally {
    client.close();
  }
}

/** Rounds of `--all` passes at most: a star of storages settles in two; the third shows it is quiet. */
const ALL_MAX_ROUNDS = 4;

/** Whether a pass changed anything on either side. */
function movedSomething(result: SyncResult): boolean {
  const c = result.counters;
  return c.copiedToSource + c.copiedToTarget + c.deletedOnSource + c.deletedOnTarget + c.dirsCreated + c.linksCreated + c.modesChanged > 0;
}

/** `wl container sync NAME`: a continuous job per pair in the daemon; returns after the initial passes. */
async function continuousSync(name: string, opts: ContainerSyncOptions, globals: GlobalOptions): Promise<void> {
  const { app, config } = await loadApp(globals, true);
  const service = app.resolve((await import("../../containers/container-service.js")).ContainerService);
  const base: SyncRunOptions = { source: opts.sourceStorage, target: opts.targetStorage };
  const pairs = (opts.all ? allTargets(service, name, base) : [base]).map((p) => service.resolvePair(name, p));
  // Every storage's options are checked here, before a daemon is started for a config it would refuse.
  await service.checkStorages(name);
  const client = await (await daemonClient()).connectOrStartDaemon(socketPath(), WL_SCRIPT);
  let exitCode = 0;
  const results: unknown[] = [];
  // Ctrl-C while the initial pass runs: the job is the daemon's, so ask it to stop the job
  // (rather than leave it syncing after the user said stop), then exit 130.
  const onSigint = () => {
    process.off("SIGINT", onSigint);
    process.once("SIGINT", () => process.exit(INTERRUPTED));
    if (!opts.json) process.stderr.write(`stopping the sync of ${name} in the daemon (Ctrl-C again to leave it running)\n`);
    void (async () => {
      const other = await (await daemonClient()).DaemonClient.connect(socketPath());
      try {
        const reply = await other?.call("stop", { config: config!.filepath, container: name });
        if (opts.json) out(JSON.stringify({ interrupted: true, stopped: reply?.stopped ?? [] }));
        else out(`interrupted: stopped ${reply?.stopped.length ? reply.stopped.join(", ") : "nothing (no job was running)"}`);
      } catch (err) {
        process.stderr.write(`wl: could not stop the job: ${(err as Error).message}\n`);
      } finally {
        other?.close();
        process.exit(INTERRUPTED);
      }
    })();
  };
  process.on("SIGINT", onSigint);
  try {
    for (const pair of pairs) {
      const reply = await client.call("start", {
        config: config!.filepath,
        "state-dir": app.resolve<string>(TOKENS.StateDir),
        container: name,
        source: pair.source["backend-id"],
        target: pair.target["backend-id"],
        unidirectional: !!opts.unidirectional,
        force: !!opts.force,
        ...(opts.syncer ? { syncer: opts.syncer } : {}),
      });
      results.push(reply.result ? { ...reply, result: jsonResult(reply.result) } : reply);
      if (reply.alreadyRunning || !reply.result) {
        exitCode = Math.max(exitCode, reply.status.conflicts.length ? 1 : 0);
        if (!opts.json) out(`${reply.job}: already syncing (${reply.status.state}); see wl status`);
        continue;
      }
      exitCode = Math.max(exitCode, exitCodeOf(reply.result));
      if (opts.json) continue;
      for (const w of [...(reply.warnings ?? []), ...reply.result.warnings]) process.stderr.write(`warning: ${w}\n`);
      for (const c of reply.result.conflicts) process.stderr.write(`conflict: ${formatConflict(c).join("\n")}\n`);
      for (const e of reply.result.errors) process.stderr.write(`error: ${formatItemError(e)}\n`);
      out(`${formatSummary(reply.result)} [${reply.result.syncer}, ${reply.result.direction}, ${(reply.result.durationMs / 1000).toFixed(2)} s]`);
      out(`${reply.job}: syncing continuously in the background (wl status, wl container stop-sync ${name})`);
    }
  } finally {
    process.off("SIGINT", onSigint);
    client.close();
  }
  if (opts.json) out(JSON.stringify(opts.all ? results : results[0]));
  process.exitCode = exitCode;
}

import { UsageError } from "@wlsync/plugin-api";
import { ContainerService, type SyncRunOptions } from "../../containers/container-service.js";
import type { Logger } from "@wlsync/plugin-api";
import { TOKENS } from "../../di/tokens.js";
import { socketPath } from "../../daemon/socket-path.js";
import type { JobStatus } from "../../daemon/sync-job.js";
import type { SyncEvent, SyncResult } from "@wlsync/plugin-api";
import type { Command } from "../commander.js";
import { allTargets, daemonClient, examples, globalsOf, loadApp, out, WL_SCRIPT, type GlobalOptions } from "../context.js";
import { exitCodeOf, formatAction, formatConflict, formatItemError, formatResolved, formatSummary } from "../format.js";
import { ProgressLine } from "../progress.js";

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
  conflictResolve?: string;
  json?: boolean;
}

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
    .option("--dry-run", "print the plan and change nothing")
    .option("--force", "pass the max-delete safety gate (one-way: also make the target a copy of the source, as rclone sync)")
    .option("--conflict-resolve <policy>", "settle conflicts: newer, older, larger, smaller, both, or a storage's backend-id (the loser is kept as a version)")
    .option("--json", "machine-readable output")
    .addHelpText(
      "after",
      examples(
        ["wl container sync photos", "start continuous two-way sync in the background daemon"],
        ["wl container sync --one-shot photos", "one pass in the foreground, then exit"],
        ["wl container sync --dry-run photos", "show what a pass would copy, delete or leave in conflict"],
        ["wl container sync --one-shot --unidirectional --target-storage nas photos", "mirror the first storage onto nas only"],
        ["wl container sync --dry-run --conflict-resolve newer photos", "show how the newer side would settle each conflict"],
      ),
    )
    .action(async (name: string, opts: ContainerSyncOptions, cmd: Command) => {
      const globals = globalsOf(cmd);
      if (!opts.oneShot && !opts.dryRun) {
        if (opts.conflictResolve) throw new UsageError(`--conflict-resolve applies to --one-shot and --dry-run passes; for continuous sync set "conflict-resolve: ${opts.conflictResolve}" in the container's config`);
        return continuousSync(name, opts, globals);
      }
      return oneShotSync(name, opts, globals);
    });
}

function onEventsFor(json: boolean, progress: ProgressLine, logger: Logger) {
  return (event: SyncEvent) => {
    if (json) return;
    if (event.type === "progress") progress.update(event.progress);
    else if (event.type === "state" && event.state !== "idle") progress.status(`${event.state}…`);
    else if (event.type === "error") {
      progress.done();
      logger.error(formatItemError(event.error));
    }
  };
}

/** `--one-shot` or `--dry-run`: one pass per pair in this process. */
async function oneShotSync(name: string, opts: ContainerSyncOptions, globals: GlobalOptions): Promise<void> {
  const { app, logger } = await loadApp(globals, true);
  const service = app.resolve(ContainerService);
  const json = !!opts.json;
  const progress = new ProgressLine();
  const runOptions: SyncRunOptions = {
    source: opts.sourceStorage,
    target: opts.targetStorage,
    unidirectional: !!opts.unidirectional,
    dryRun: !!opts.dryRun,
    force: !!opts.force,
    syncer: opts.syncer,
    conflictResolve: opts.conflictResolve,
  };
  const pairs = opts.all ? allTargets(service, name, runOptions) : [runOptions];
  let exitCode = 0;
  const results = [];
  for (const pairOptions of pairs) {
    let result;
    try {
      result = await service.oneShot(name, pairOptions, onEventsFor(json, progress, logger));
    } finally {
      progress.done();
    }
    results.push(result);
    exitCode = Math.max(exitCode, exitCodeOf(result));
    if (json) continue;
    for (const w of result.warnings) logger.warn(w);
    const names = { source: result.source, target: result.target };
    for (const r of result.resolved ?? []) out(formatResolved(r, result.dryRun));
    if (result.dryRun) {
      for (const action of result.plan.actions) out(`${formatAction(action, names)}`);
      for (const c of result.conflicts) out(`conflict: ${formatConflict(c).join("\n")}`);
    } else {
      for (const c of result.conflicts) process.stderr.write(`conflict: ${formatConflict(c).join("\n")}\n`);
    }
    out(`${result.dryRun ? "dry run: " : ""}${formatSummary(result)} [${result.syncer}, ${result.direction}, ${(result.durationMs / 1000).toFixed(2)} s]`);
  }
  if (json) out(JSON.stringify(opts.all ? results : results[0], null, 2));
  process.exitCode = exitCode;
}

interface StartReply {
  job: string;
  alreadyRunning: boolean;
  warnings?: string[];
  result?: Omit<SyncResult, "plan">;
  status: JobStatus;
}

/** `wl container sync NAME`: a continuous job per pair in the daemon; returns after the initial passes. */
async function continuousSync(name: string, opts: ContainerSyncOptions, globals: GlobalOptions): Promise<void> {
  const { app, config } = await loadApp(globals, true);
  const service = app.resolve(ContainerService);
  const base: SyncRunOptions = { source: opts.sourceStorage, target: opts.targetStorage };
  const pairs = (opts.all ? allTargets(service, name, base) : [base]).map((p) => service.resolvePair(name, p));
  const client = await (await daemonClient()).connectOrStartDaemon(socketPath(), WL_SCRIPT);
  let exitCode = 0;
  const results: unknown[] = [];
  try {
    for (const pair of pairs) {
      const reply = await client.call<StartReply>("start", {
        config: config!.filepath,
        "state-dir": app.resolve<string>(TOKENS.StateDir),
        container: name,
        source: pair.source["backend-id"],
        target: pair.target["backend-id"],
        unidirectional: !!opts.unidirectional,
        force: !!opts.force,
        ...(opts.syncer ? { syncer: opts.syncer } : {}),
      });
      results.push(reply);
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
      out(`${formatSummary(reply.result as unknown as SyncResult)} [${reply.result.syncer}, ${reply.result.direction}, ${(reply.result.durationMs / 1000).toFixed(2)} s]`);
      out(`${reply.job}: syncing continuously in the background (wl status, wl container stop-sync ${name})`);
    }
  } finally {
    client.close();
  }
  if (opts.json) out(JSON.stringify(opts.all ? results : results[0], null, 2));
  process.exitCode = exitCode;
}

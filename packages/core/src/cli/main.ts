import { Command, CommanderError, Option } from "./commander.js";
import { readConfig, type LoadedConfig } from "../config/read-config.js";
import { ContainerService, type SyncRunOptions } from "../containers/container-service.js";
import { errorMessage, isWlError } from "../contracts/errors.js";
import { StderrLogger, type Logger } from "../contracts/logger.js";
import { createAppContainer } from "../di/container.js";
import { PluginRegistry } from "../plugins/plugin-registry.js";
import { rankSyncers } from "../plugins/select-syncer.js";
import type { SyncEvent } from "../engine/types.js";
import { exitCodeOf, formatAction, formatBytes, formatConflict, formatItemError, formatResolved, formatSummary } from "./format.js";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { TOKENS } from "../di/tokens.js";
import { daemonLogPath, socketPath } from "../daemon/socket-path.js";
import type { JobStatus } from "../daemon/sync-job.js";
import type { SyncResult } from "../engine/types.js";
import { ProgressLine } from "./progress.js";
import { registerVersionCommands } from "./versions-commands.js";
import { registerResolveCommand } from "./resolve-command.js";

interface GlobalOptions {
  config?: string;
  debug?: boolean;
}

const out = (line: string) => process.stdout.write(`${line}\n`);

/** Daemon code loads only for the commands that talk to or run the daemon: one-shot passes start faster. */
const daemonClient = () => import("../daemon/daemon-client.js");

/** Reads the config (required for container commands, optional for `wl syncers`) and builds the DI container. */
async function loadApp(globals: GlobalOptions, needConfig: boolean) {
  const logger = new StderrLogger(globals.debug || process.env.WLSYNC_DEBUG === "1");
  let config: LoadedConfig | undefined;
  if (needConfig || globals.config) config = await readConfig(process.cwd(), globals.config);
  else config = await readConfig(process.cwd()).catch(() => undefined);
  return { app: createAppContainer({ cwd: process.cwd(), logger, config }), config, logger };
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

export function buildProgram(): Command {
  const program = new Command("wl")
    .description("wlsync: keep folders in sync across local disks and S3 buckets")
    .option("-c, --config <file>", "config file (default: .wlsyncrc found from the working directory upwards)")
    .option("--debug", "verbose logs and stack traces")
    .showHelpAfterError()
    .exitOverride();

  const containerCmd = program.command("container").description("sync and inspect containers");

  containerCmd
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
    .option("--force", "pass the max-delete safety gate (one-way: also make the target a copy of the source)")
    .option("--conflict-resolve <policy>", "settle conflicts: newer, older, larger, smaller, both, or a storage's backend-id")
    .option("--json", "machine-readable output")
    .action(async (name: string, opts: Record<string, unknown>, cmd: Command) => {
      const globals = cmd.optsWithGlobals() as GlobalOptions;
      if (!opts.oneShot && !opts.dryRun) return continuousSync(name, opts, globals);
      const { app, logger } = await loadApp(globals, true);
      const service = app.resolve(ContainerService);
      const json = !!opts.json;
      const progress = new ProgressLine();
      const runOptions: SyncRunOptions = {
        source: opts.sourceStorage as string | undefined,
        target: opts.targetStorage as string | undefined,
        unidirectional: !!opts.unidirectional,
        dryRun: !!opts.dryRun,
        force: !!opts.force,
        syncer: opts.syncer as string | undefined,
        conflictResolve: opts.conflictResolve as string | undefined,
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
    });

  containerCmd
    .command("list-conflicts")
    .description("conflicts between every pair of the container's storages")
    .argument("<name>", "container name")
    .option("--force-scan", "scan the storages now instead of reporting the last pass")
    .option("--json", "machine-readable output")
    .action(async (name: string, opts: { forceScan?: boolean; json?: boolean }, cmd: Command) => {
      const { app } = await loadApp(cmd.optsWithGlobals() as GlobalOptions, true);
      const pairs = await app.resolve(ContainerService).listConflicts(name, !!opts.forceScan);
      const total = pairs.reduce((n, p) => n + p.conflicts.length, 0);
      if (opts.json) out(JSON.stringify(pairs, null, 2));
      else {
        for (const pair of pairs) {
          const note = pair.scanned ? "scanned now" : "as of the last pass";
          out(`${pair.source} ↔ ${pair.target} (${note}): ${pair.conflicts.length} conflict${pair.conflicts.length === 1 ? "" : "s"}`);
          for (const c of pair.conflicts) for (const line of formatConflict(c)) out(`  ${line}`);
        }
      }
      process.exitCode = total ? 1 : 0;
    });

  registerVersionCommands(containerCmd, (cmd) => loadApp(cmd.optsWithGlobals() as GlobalOptions, true));
  registerResolveCommand(containerCmd, (cmd) => loadApp(cmd.optsWithGlobals() as GlobalOptions, true));

  containerCmd
    .command("stop-sync")
    .description("stop the container's continuous sync jobs")
    .argument("<name>", "container name")
    .action(async (name: string, _opts: unknown, cmd: Command) => {
      const { app, config } = await loadApp(cmd.optsWithGlobals() as GlobalOptions, true);
      app.resolve(ContainerService).container(name);
      const client = await (await daemonClient()).DaemonClient.connect(socketPath());
      if (!client) {
        out(`${name} is not being synced (no daemon is running)`);
        return;
      }
      try {
        const { stopped } = await client.call<{ stopped: string[] }>("stop", { config: config!.filepath, container: name });
        out(stopped.length ? `stopped ${stopped.join(", ")}` : `${name} is not being synced`);
      } finally {
        client.close();
      }
    });

  program
    .command("status")
    .description("the daemon's sync jobs: pair, state, current item, conflicts, errors, counters")
    .option("--json", "machine-readable output")
    .action(async (opts: { json?: boolean }) => {
      const client = await (await daemonClient()).DaemonClient.connect(socketPath());
      if (!client) {
        if (opts.json) out(JSON.stringify({ daemon: null, jobs: [] }, null, 2));
        else out("no sync daemon is running (start one with wl container sync NAME)");
        return;
      }
      try {
        const status = await client.call<DaemonStatus>("status");
        if (opts.json) out(JSON.stringify({ daemon: { pid: status.pid, socket: status.socket, startedAt: status.startedAt }, jobs: status.jobs }, null, 2));
        else printStatus(status);
      } finally {
        client.close();
      }
    });

  const daemonCmd = program.command("daemon").description("manage the background sync daemon");
  daemonCmd
    .command("start")
    .description("start the daemon if none is running")
    .action(async () => {
      const client = await (await daemonClient()).connectOrStartDaemon(socketPath(), WL_SCRIPT);
      const status = await client.call<DaemonStatus>("status");
      client.close();
      out(`daemon running (pid ${status.pid}, socket ${status.socket})`);
    });
  daemonCmd
    .command("stop")
    .description("stop every job and the daemon")
    .action(async () => {
      const client = await (await daemonClient()).DaemonClient.connect(socketPath());
      if (!client) {
        out("no daemon is running");
        return;
      }
      const { stopping } = await client.call<{ stopping: string[] }>("shutdown");
      await client.closed(10_000);
      out(`daemon stopped${stopping.length ? ` (jobs stopped: ${stopping.join(", ")})` : ""}`);
    });
  daemonCmd
    .command("status")
    .description("whether the daemon runs, and its jobs")
    .option("--json", "machine-readable output")
    .action(async (opts: { json?: boolean }) => {
      const client = await (await daemonClient()).DaemonClient.connect(socketPath());
      if (!client) {
        if (opts.json) out(JSON.stringify({ running: false, socket: socketPath() }));
        else out(`no daemon is running (socket ${socketPath()})`);
        return;
      }
      const status = await client.call<DaemonStatus>("status");
      client.close();
      if (opts.json) out(JSON.stringify({ running: true, pid: status.pid, socket: status.socket, startedAt: status.startedAt, jobs: status.jobs.length }));
      else out(`daemon running: pid ${status.pid}, socket ${status.socket}, since ${status.startedAt}, ${status.jobs.length} job${status.jobs.length === 1 ? "" : "s"}; log ${daemonLogPath()}`);
    });
  daemonCmd
    .command("run", { hidden: true })
    .description("run the daemon in the foreground")
    .action(async () => runDaemon());

  program
    .command("syncers")
    .description("the syncers found, their traits, and why any package was skipped")
    .option("--json", "machine-readable output")
    .option("--container <name>", "explain which syncer this container's pair would use")
    .option("--one-shot", "with --container: for a one-shot pass (default: continuous)")
    .option("--unidirectional", "with --container: for one-way sync")
    .option("--source-storage <id|type>", "with --container: the source storage")
    .option("--target-storage <id|type>", "with --container: the target storage")
    .option("--syncer <name>", "with --container: as if this syncer were forced")
    .action(async (opts: Record<string, unknown>, cmd: Command) => {
      const { app } = await loadApp(cmd.optsWithGlobals() as GlobalOptions, !!opts.container);
      const registry = app.resolve(PluginRegistry);
      const syncers = await registry.syncers();
      const backends = await registry.backends();
      const skipped = await registry.skipped();
      const describe = syncers.map(({ cls, pkg }) => ({
        name: cls.SYNCER_NAME,
        package: pkg.name,
        version: pkg.version,
        path: pkg.dir,
        traits: {
          SOURCE_TYPES: cls.SOURCE_TYPES,
          TARGET_TYPES: cls.TARGET_TYPES,
          ONE_SHOT: cls.ONE_SHOT,
          CONTINUOUS: cls.CONTINUOUS,
          UNIDIRECTIONAL: cls.UNIDIRECTIONAL,
          REQUIRES_MOUNT: !!cls.REQUIRES_MOUNT,
        },
      }));
      let selection: unknown;
      if (opts.container) {
        const service = app.resolve(ContainerService);
        const pair = service.resolvePair(opts.container as string, { source: opts.sourceStorage as string, target: opts.targetStorage as string });
        const forced = service.forcedSyncer(pair, opts.syncer as string | undefined);
        const req = { sourceType: pair.source.type, targetType: pair.target.type, continuous: !opts.oneShot, unidirectional: !!opts.unidirectional, forced };
        const verdicts = rankSyncers(syncers, req);
        let chosen: string | null = null;
        const explained = [];
        for (const v of verdicts) {
          let reason = v.reason;
          let eligible = v.eligible;
          if (eligible && !chosen) {
            const unavailable = await (v.syncer.cls.checkAvailable?.() ?? Promise.resolve(null));
            if (unavailable) {
              eligible = false;
              reason = `unavailable: ${unavailable}`;
            } else chosen = v.syncer.cls.SYNCER_NAME;
          } else if (eligible) reason = `${reason}, but ${chosen} ranks higher`;
          explained.push({ name: v.syncer.cls.SYNCER_NAME, eligible, reason });
        }
        selection = { container: opts.container, source: pair.source["backend-id"], target: pair.target["backend-id"], request: req, chosen, syncers: explained };
      }
      if (opts.json) {
        out(JSON.stringify({ syncers: describe, backends: backends.map(({ cls, pkg }) => ({ type: cls.TYPE, package: pkg.name, version: pkg.version, path: pkg.dir })), skipped, selection }, null, 2));
        return;
      }
      out("syncers:");
      for (const s of describe) {
        const t = s.traits;
        const modes = [t.ONE_SHOT && "one-shot", t.CONTINUOUS && "continuous", t.UNIDIRECTIONAL && "one-way"].filter(Boolean).join(", ");
        out(`  ${s.name.padEnd(10)} ${t.SOURCE_TYPES.join("|")} → ${t.TARGET_TYPES.join("|")}  (${modes})  ${s.package}@${s.version}`);
      }
      if (!describe.length) out("  (none found)");
      out("backends:");
      for (const b of backends) out(`  ${b.cls.TYPE.padEnd(10)} ${b.pkg.name}@${b.pkg.version}`);
      if (skipped.length) {
        out("skipped:");
        for (const s of skipped) out(`  ${s.name}${s.version ? `@${s.version}` : ""}: ${s.reason}`);
      }
      if (selection) {
        const sel = selection as { container: string; source: string; target: string; chosen: string | null; syncers: Array<{ name: string; eligible: boolean; reason: string }> };
        out(`selection for ${sel.container} (${sel.source} → ${sel.target}): ${sel.chosen ?? "none"}`);
        for (const s of sel.syncers) out(`  ${s.name === sel.chosen ? "*" : " "} ${s.name}: ${s.reason}`);
      }
    });

  return program;
}

interface DaemonStatus {
  pid: number;
  socket: string;
  startedAt: string;
  jobs: JobStatus[];
}

const WL_SCRIPT = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "bin", "wl.js");

function printStatus(status: DaemonStatus): void {
  if (!status.jobs.length) {
    out(`daemon ${status.pid}: no sync jobs`);
    return;
  }
  for (const job of status.jobs) {
    const c = job.counters;
    const arrow = job.direction === "one-way" ? "→" : "↔";
    out(`${job.container}: ${job.source} ${arrow} ${job.target}  ${job.state}${job.current ? ` (${job.current})` : ""}  [${job.syncer}]`);
    out(`  passes ${job.passes}; copied ${c.copiedToTarget} → and ${c.copiedToSource} ←, ${formatBytes(c.bytesToTarget + c.bytesToSource)}; deleted ${c.deletedOnTarget + c.deletedOnSource}; conflicts ${job.conflicts.length}; errors ${job.errors.length}`);
    for (const conflict of job.conflicts) out(`  conflict: ${conflict.path}: ${conflict.message}`);
    for (const error of job.errors) out(`  error: ${error.path}: ${error.message}`);
    if (job.lastError) out(`  last error: ${job.lastError}`);
  }
}

/** `wl container sync NAME`: a continuous job per pair in the daemon; returns after the initial passes. */
async function continuousSync(name: string, opts: Record<string, unknown>, globals: GlobalOptions): Promise<void> {
  const { app, config } = await loadApp(globals, true);
  const service = app.resolve(ContainerService);
  const base: SyncRunOptions = { source: opts.sourceStorage as string | undefined, target: opts.targetStorage as string | undefined };
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
        ...(opts.syncer ? { syncer: opts.syncer as string } : {}),
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
      for (const c of reply.result.conflicts) process.stderr.write(`conflict: ${c.path}: ${c.message} (left untouched)\n`);
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

interface StartReply {
  job: string;
  alreadyRunning: boolean;
  warnings?: string[];
  result?: Omit<SyncResult, "plan">;
  status: JobStatus;
}

async function runDaemon(): Promise<void> {
  const [{ FileLogger }, { SyncDaemon }] = await Promise.all([import("../daemon/file-logger.js"), import("../daemon/sync-daemon.js")]);
  const logger = new FileLogger(daemonLogPath());
  const daemon = new SyncDaemon(socketPath(), logger);
  process.on("uncaughtException", (err) => logger.error(`uncaught: ${err.stack ?? err.message}`));
  process.on("unhandledRejection", (err) => logger.error(`unhandled rejection: ${errorMessage(err)}`));
  const exit = () => void daemon.shutdown().finally(() => process.exit(0));
  process.on("SIGTERM", exit);
  process.on("SIGINT", exit);
  daemon.onShutdown = () => setImmediate(() => process.exit(0));
  await daemon.listen();
  await new Promise(() => {}); // serve until shutdown
}

function allTargets(service: ContainerService, name: string, options: SyncRunOptions): SyncRunOptions[] {
  const container = service.container(name);
  const source = service.resolvePair(name, { source: options.source, target: options.target }).source;
  return container.storages.filter((s) => s !== source).map((s) => ({ ...options, source: source["backend-id"], target: s["backend-id"] }));
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  const debug = argv.includes("--debug");
  try {
    await program.parseAsync(argv, { from: "user" });
    return typeof process.exitCode === "number" ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === "commander.helpDisplayed" || err.code === "commander.version" || err.exitCode === 0) return 0;
      return 3; // commander already printed what was wrong
    }
    if (isWlError(err)) {
      process.stderr.write(`wl: ${err.message}\n`);
      if (debug && err.stack) process.stderr.write(`${err.stack}\n`);
      return err.exitCode;
    }
    process.stderr.write(`wl: unexpected error: ${errorMessage(err)}\n`);
    if (debug && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
    else process.stderr.write("(run with --debug for details)\n");
    return 3;
  }
}

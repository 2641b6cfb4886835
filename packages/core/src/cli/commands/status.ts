import { socketPath } from "../../daemon/socket-path.js";
import type { StatusResult } from "../../daemon/sync-commands.generated.js";
import type { Command } from "../commander.js";
import { UsageError } from "@wlsync/plugin-api";
import { daemonClient, examples, globalsOf, out } from "../context.js";
import { formatBytes, formatItemError, oneLine, showPath } from "../format.js";

/** Options of `wl status`. */
export interface StatusOptions {
  json?: boolean;
  /** Refresh every this many seconds (true: 2), until interrupted. */
  watch?: boolean | string;
}

/** The daemon's reply to `status` (StatusResult in sync-commands.json). */
export type DaemonStatus = StatusResult;

export function register(program: Command): void {
  program
    .command("status")
    .description("the daemon's sync jobs: pair, state, current item, conflicts, errors, counters")
    .option("--json", "machine-readable output (with --watch: one JSON document per line and refresh)")
    .option("--watch [seconds]", "show it again every few seconds (default 2) until Ctrl-C")
    .addHelpText(
      "after",
      examples(["wl status", "every continuous job: pair, state, counters, conflicts, errors"], ["wl status --json", "the same as one JSON document"]),
    )
    .action(async (opts: StatusOptions, cmd: Command) => {
      const client = await (await daemonClient()).DaemonClient.connect(socketPath());
      if (!client) {
        if (opts.json) out(JSON.stringify({ daemon: null, jobs: [] }, null, 2));
        else out("no sync daemon is running (start one with wl container sync NAME)");
        return;
      }
      try {
        // The config found from here goes along: the daemon restarts jobs whose part of it changed.
        const { readConfig } = await import("../../config/read-config.js");
        const found = await readConfig(process.cwd(), globalsOf(cmd).config).catch(() => undefined);
        const seconds = opts.watch === undefined || opts.watch === false ? 0 : opts.watch === true ? 2 : Number(opts.watch);
        if (!(seconds >= 0) || (opts.watch !== undefined && opts.watch !== true && !(seconds > 0))) throw new UsageError(`--watch takes a number of seconds above 0, not "${String(opts.watch)}"`);
        for (;;) {
          const status = await client.call("status", found ? { config: found.filepath } : undefined);
          const json = { daemon: { pid: status.pid, socket: status.socket, startedAt: status.startedAt }, notes: status.notes, jobs: status.jobs };
          if (opts.json) out(seconds ? JSON.stringify(json) : JSON.stringify(json, null, 2));
          else {
            if (seconds && process.stdout.isTTY) process.stdout.write("\x1b[2J\x1b[H");
            if (seconds) out(`${new Date().toISOString()} (every ${seconds} s; Ctrl-C to stop)`);
            printStatus(status);
          }
          if (!seconds) break;
          await new Promise((r) => setTimeout(r, seconds * 1000));
        }
      } finally {
        client.close();
      }
    });
}

function printStatus(status: DaemonStatus): void {
  for (const note of status.notes ?? []) out(`note: ${note}`);
  if (!status.jobs.length) {
    out(`daemon ${status.pid}: no sync jobs`);
    return;
  }
  for (const job of status.jobs) {
    const c = job.counters;
    const arrow = job.direction === "one-way" ? "→" : "↔";
    out(`${job.container}: ${job.source} ${arrow} ${job.target}  ${job.state}${job.current ? ` (${job.current})` : ""}  [${job.syncer}]  id ${job.id}`);
    if (job.paused) {
      out(`  PAUSED since ${job.paused.since}: ${job.paused.reason}`);
      for (const how of job.paused.release) out(`  to release: ${how}`);
    }
    out(`  last pass ${job.lastPassAt ?? "never"}${job.lastCleanPassAt && job.lastCleanPassAt !== job.lastPassAt ? ` (last without errors ${job.lastCleanPassAt})` : ""}; queued ${job.queued ?? 0}`);
    for (const note of job.notes ?? []) out(`  note: ${note}`);
    out(`  passes ${job.passes}; copied ${c.copiedToTarget} → and ${c.copiedToSource} ←, ${formatBytes(c.bytesToTarget + c.bytesToSource)}; deleted ${c.deletedOnTarget + c.deletedOnSource}; conflicts ${job.conflicts.length}; errors ${job.errors.length}`);
    for (const conflict of job.conflicts) out(`  conflict: ${showPath(conflict.path)}: ${oneLine(conflict.message)}`);
    for (const error of job.errors) out(`  error: ${formatItemError(error)}`);
    if (job.lastError) out(`  last error: ${job.lastError}`);
  }
}

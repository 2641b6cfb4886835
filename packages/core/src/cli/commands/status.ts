import { socketPath } from "../../daemon/socket-path.js";
import type { JobStatus } from "../../daemon/sync-job.js";
import type { Command } from "../commander.js";
import { daemonClient, examples, out } from "../context.js";
import { formatBytes } from "../format.js";

/** Options of `wl status`. */
export interface StatusOptions {
  json?: boolean;
}

/** The daemon's reply to `status`. */
export interface DaemonStatus {
  pid: number;
  socket: string;
  startedAt: string;
  jobs: JobStatus[];
}

export function register(program: Command): void {
  program
    .command("status")
    .description("the daemon's sync jobs: pair, state, current item, conflicts, errors, counters")
    .option("--json", "machine-readable output")
    .addHelpText(
      "after",
      examples(["wl status", "every continuous job: pair, state, counters, conflicts, errors"], ["wl status --json", "the same as one JSON document"]),
    )
    .action(async (opts: StatusOptions) => {
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
}

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

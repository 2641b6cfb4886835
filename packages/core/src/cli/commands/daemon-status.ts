import { daemonLogPath, socketPath } from "../../daemon/socket-path.js";
import type { Command } from "../commander.js";
import { daemonClient, examples, out } from "../context.js";

/** Options of `wl daemon status`. */
export interface DaemonStatusOptions {
  json?: boolean;
}

export function register(daemon: Command): void {
  daemon
    .command("status")
    .description("whether the daemon runs, and its jobs")
    .option("--json", "machine-readable output")
    .addHelpText("after", examples(["wl daemon status", "pid, socket, start time, number of jobs and the log file"]))
    .action(async (opts: DaemonStatusOptions) => {
      const client = await (await daemonClient()).DaemonClient.connect(socketPath());
      if (!client) {
        if (opts.json) out(JSON.stringify({ running: false, socket: socketPath() }));
        else out(`no daemon is running (socket ${socketPath()})`);
        return;
      }
      let status;
      try {
        status = await client.call("status");
      } finally {
        client.close();
      }
      if (opts.json) out(JSON.stringify({ running: true, pid: status.pid, socket: status.socket, startedAt: status.startedAt, jobs: status.jobs.length }));
      else out(`daemon running: pid ${status.pid}, socket ${status.socket}, since ${status.startedAt}, ${status.jobs.length} job${status.jobs.length === 1 ? "" : "s"}; log ${daemonLogPath()}`);
    });
}

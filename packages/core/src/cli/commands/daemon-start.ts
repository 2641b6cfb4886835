import { resolve } from "node:path";
import { daemonLogPath, socketPath } from "../../daemon/socket-path.js";
import type { Command } from "../commander.js";
import { daemonClient, examples, out, WL_SCRIPT } from "../context.js";

/** Where the daemon keeps its things (`wl daemon start` and `wl daemon run`). */
export interface DaemonStartOptions {
  baseDir?: string;
  logPath?: string;
  socketPath?: string;
}

/** The daemon's places from the command line, as the environment its child (and socketPath()) reads. */
export function applyDaemonPlace(opts: DaemonStartOptions): void {
  if (opts.baseDir) process.env.WLSYNC_DAEMON_DIR = resolve(opts.baseDir);
  if (opts.logPath) process.env.WLSYNC_DAEMON_LOG = resolve(opts.logPath);
  if (opts.socketPath) process.env.WLSYNC_SOCKET = resolve(opts.socketPath);
}

export function placeOptions(command: Command): Command {
  return command
    .option("--base-dir <dir>", "the daemon's own folder: its job store, and by default its log and socket (env WLSYNC_DAEMON_DIR)")
    .option("--log-path <file>", "the daemon's log file (env WLSYNC_DAEMON_LOG; default daemon.log in the base dir)")
    .option("--socket-path <file>", "the daemon's socket (env WLSYNC_SOCKET; clients need the same)");
}

export function register(daemon: Command): void {
  placeOptions(daemon.command("start").description("start the daemon if none is running; it resumes the jobs it ran before (paused ones stay paused)"))
    .addHelpText("after", examples(["wl daemon start", "start the background daemon (wl container sync starts it on demand too)"]))
    .action(async (opts: DaemonStartOptions) => {
      applyDaemonPlace(opts);
      const client = await (await daemonClient()).connectOrStartDaemon(socketPath(), WL_SCRIPT);
      let status;
      try {
        status = await client.call("status");
      } finally {
        client.close();
      }
      out(`daemon running (pid ${status.pid}, socket ${status.socket}, log ${daemonLogPath()}); ${status.jobs.length} job${status.jobs.length === 1 ? "" : "s"}`);
      for (const job of status.jobs) out(`  ${job.id}: ${job.paused ? `paused (${job.paused.reason.split("\n")[0]})` : job.state}`);
    });
}

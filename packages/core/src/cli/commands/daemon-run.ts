import { errorMessage } from "@wlsync/plugin-api";
import { daemonBaseDir, daemonLogPath, socketPath } from "../../daemon/socket-path.js";
import { applyDaemonPlace, placeOptions, type DaemonStartOptions } from "./daemon-start.js";
import type { Command } from "../commander.js";

/** `wl daemon run` (hidden): the daemon in the foreground; what `wl daemon start` spawns. */
export function register(daemon: Command): void {
  const run = daemon
    .command("run", { hidden: true })
    .description("run the daemon in the foreground (what the systemd unit starts)");
  placeOptions(run).action(async (opts: DaemonStartOptions) => {
    applyDaemonPlace(opts);
    await runDaemon();
  });
}

async function runDaemon(): Promise<void> {
  const [{ FileLogger }, { SyncDaemon }] = await Promise.all([import("../../daemon/file-logger.js"), import("../../daemon/sync-daemon.js")]);
  const logger = new FileLogger(daemonLogPath());
  const daemon = new SyncDaemon(socketPath(), logger, daemonBaseDir());
  process.on("uncaughtException", (err) => logger.error(`uncaught: ${err.stack ?? err.message}`));
  process.on("unhandledRejection", (err) => logger.error(`unhandled rejection: ${errorMessage(err)}`));
  const exit = () => void daemon.shutdown().finally(() => logger.flush().finally(() => process.exit(0)));
  process.on("SIGTERM", exit);
  process.on("SIGINT", exit);
  daemon.onShutdown = () => void logger.flush().finally(() => process.exit(0));
  await daemon.listen();
  daemon.resumeStored();
  await new Promise(() => {}); // serve until shutdown
}

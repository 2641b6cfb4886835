import { errorMessage } from "@wlsync/plugin-api";
import { daemonLogPath, socketPath } from "../../daemon/socket-path.js";
import type { Command } from "../commander.js";

/** `wl daemon run` (hidden): the daemon in the foreground; what `wl daemon start` spawns. */
export function register(daemon: Command): void {
  daemon
    .command("run", { hidden: true })
    .description("run the daemon in the foreground")
    .action(async () => runDaemon());
}

async function runDaemon(): Promise<void> {
  const [{ FileLogger }, { SyncDaemon }] = await Promise.all([import("../../daemon/file-logger.js"), import("../../daemon/sync-daemon.js")]);
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

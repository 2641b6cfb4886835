import { socketPath } from "../../daemon/socket-path.js";
import type { Command } from "../commander.js";
import { daemonClient, examples, out, WL_SCRIPT } from "../context.js";
import type { DaemonStatus } from "./status.js";

/** `wl daemon start` has no options of its own. */
export type DaemonStartOptions = Record<string, never>;

export function register(daemon: Command): void {
  daemon
    .command("start")
    .description("start the daemon if none is running")
    .addHelpText("after", examples(["wl daemon start", "start the background daemon (wl container sync starts it on demand too)"]))
    .action(async () => {
      const client = await (await daemonClient()).connectOrStartDaemon(socketPath(), WL_SCRIPT);
      const status = await client.call<DaemonStatus>("status");
      client.close();
      out(`daemon running (pid ${status.pid}, socket ${status.socket})`);
    });
}

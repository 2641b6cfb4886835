import { socketPath } from "../../daemon/socket-path.js";
import type { Command } from "../commander.js";
import { daemonClient, examples, out } from "../context.js";

/** `wl daemon stop` has no options of its own. */
export type DaemonStopOptions = Record<string, never>;

export function register(daemon: Command): void {
  daemon
    .command("stop")
    .description("stop every job and the daemon")
    .addHelpText("after", examples(["wl daemon stop", "stop every continuous job, then the daemon"]))
    .action(async () => {
      const client = await (await daemonClient()).DaemonClient.connect(socketPath());
      if (!client) {
        out("no daemon is running");
        return;
      }
      let stopping: string[];
      try {
        ({ stopping } = await client.call("shutdown"));
      } catch (err) {
        client.close();
        throw err;
      }
      await client.closed(10_000);
      out(`daemon stopped${stopping.length ? ` (jobs stopped: ${stopping.join(", ")})` : ""}`);
    });
}

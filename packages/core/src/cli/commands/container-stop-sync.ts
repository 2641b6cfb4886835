import { UsageError } from "@wlsync/plugin-api";
import { socketPath } from "../../daemon/socket-path.js";
import type { Command } from "../commander.js";
import { daemonClient, examples, globalsOf, loadApp, out } from "../context.js";

/** Options of `wl container stop-sync`. */
export interface StopSyncOptions {
  job?: string;
}

export function register(container: Command): void {
  container
    .command("stop-sync")
    .description("stop the container's continuous sync jobs (the daemon forgets them)")
    .argument("[name]", "container name")
    .option("--job <id>", "stop one job by its id, as wl status shows it; works without the config (even when its file is gone)")
    .addHelpText("after", examples(["wl container stop-sync photos", "stop every continuous job of photos in the daemon"], ["wl container stop-sync --job photos:laptop->nas", "stop one job by its id"]))
    .action(async (name: string | undefined, opts: StopSyncOptions, cmd: Command) => {
      if (!name && !opts.job) throw new UsageError("name a container, or a job with --job ID");
      let args: Record<string, unknown> = { job: opts.job };
      if (!opts.job) {
        const { app, config } = await loadApp(globalsOf(cmd), true);
        app.resolve((await import("../../containers/container-service.js")).ContainerService).container(name!);
        args = { config: config!.filepath, container: name };
      }
      const client = await (await daemonClient()).DaemonClient.connect(socketPath());
      if (!client) {
        out(`${opts.job ?? name} is not being synced (no daemon is running)`);
        return;
      }
      try {
        const { stopped } = await client.call("stop", args);
        out(stopped.length ? `stopped ${stopped.join(", ")}` : `${opts.job ?? name} is not being synced`);
      } finally {
        client.close();
      }
    });
}

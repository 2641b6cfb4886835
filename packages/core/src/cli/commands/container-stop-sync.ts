import { ContainerService } from "../../containers/container-service.js";
import { socketPath } from "../../daemon/socket-path.js";
import type { Command } from "../commander.js";
import { daemonClient, examples, globalsOf, loadApp, out } from "../context.js";

/** `wl container stop-sync NAME` has no options of its own. */
export type StopSyncOptions = Record<string, never>;

export function register(container: Command): void {
  container
    .command("stop-sync")
    .description("stop the container's continuous sync jobs")
    .argument("<name>", "container name")
    .addHelpText("after", examples(["wl container stop-sync photos", "stop every continuous job of photos in the daemon"]))
    .action(async (name: string, _opts: StopSyncOptions, cmd: Command) => {
      const { app, config } = await loadApp(globalsOf(cmd), true);
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
}

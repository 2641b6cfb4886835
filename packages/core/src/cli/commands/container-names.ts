import type { Command } from "../commander.js";
import { globalsOf, loadApp, out } from "../context.js";

/** `wl container names` (hidden): one container name per line, for shell completion. */
export function register(container: Command): void {
  container
    .command("names", { hidden: true })
    .description("the containers of the config, one per line")
    .action(async (_opts: unknown, cmd: Command) => {
      const { config } = await loadApp(globalsOf(cmd), false);
      for (const name of Object.keys(config?.config.containers ?? {})) out(name);
    });
}

import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { LoadedConfig } from "../config/read-config.js";
import type { ContainerService, SyncRunOptions } from "../containers/container-service.js";
import { StderrLogger } from "./stderr-logger.js";
import type { Command } from "./commander.js";

/** Options every command inherits from `wl` itself (read with `cmd.optsWithGlobals()`). */
export interface GlobalOptions {
  config?: string;
  debug?: boolean;
}

/** One line on stdout (dropped once the reader has gone: see output.ts guardPipes). */
export { writeLine as out } from "./output.js";

/** Daemon code loads only for the commands that talk to or run the daemon: one-shot passes start faster. */
export const daemonClient = () => import("../daemon/daemon-client.js");

/** The `wl` script the daemon is started with (`wl daemon run`). */
export const WL_SCRIPT = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "bin", "wl.js");

/** The global options of the command being run. */
export function globalsOf(cmd: Command): GlobalOptions {
  return cmd.optsWithGlobals() as GlobalOptions;
}

/**
 * Reads the config (required for container commands, optional for `wl syncers`) and builds the
 * DI container. Throws the config's WlError (exit 3) when `needConfig` and it cannot be read.
 */
export async function loadApp(globals: GlobalOptions, needConfig: boolean) {
  const logger = new StderrLogger(globals.debug || process.env.WLSYNC_DEBUG === "1");
  // Loaded here, not at start: wl --help and the commands that only talk to the daemon skip them.
  const [{ readConfig }, { createAppContainer }] = await Promise.all([import("../config/read-config.js"), import("../di/container.js")]);
  let config: LoadedConfig | undefined;
  if (needConfig || globals.config) config = await readConfig(process.cwd(), globals.config);
  else config = await readConfig(process.cwd()).catch(() => undefined);
  return { app: createAppContainer({ cwd: process.cwd(), logger, config }), config, logger };
}

/** `--all`: the source paired with every other storage of the container, in config order. */
export function allTargets(service: ContainerService, name: string, options: SyncRunOptions): SyncRunOptions[] {
  const container = service.container(name);
  const source = service.resolvePair(name, { source: options.source, target: options.target }).source;
  return container.storages.filter((s) => s !== source).map((s) => ({ ...options, source: source["backend-id"], target: s["backend-id"] }));
}

/** Help text listing examples, shown after a command's options (`wl CMD --help`). */
export function examples(...lines: Array<[command: string, what: string]>): string {
  return `\nExamples:\n${lines.map(([command, what]) => `  $ ${command}\n      ${what}`).join("\n")}\n`;
}

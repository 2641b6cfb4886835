import { realpathSync } from "node:fs";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { container as rootContainer, instanceCachingFactory, type DependencyContainer } from "./tsyringe.js";
import { stateDirOf, type LoadedConfig } from "../config/read-config.js";
import type { Logger } from "@wlsync/plugin-api";
import { StateStore } from "../state/state-store.js";
import { TOKENS } from "./tokens.js";

export interface ContainerOptions {
  cwd: string;
  logger: Logger;
  config?: LoadedConfig;
  /** Extra folders to search for plugins (tests, embedding). */
  pluginRoots?: string[];
  /** State dir decided by the caller (the daemon gets it from the client). */
  stateDir?: string;
}

/**
 * Where plugins are looked for: the user's project (cwd and its parents), then wherever `wl`
 * itself is installed (its own package folder and parents: the workspace root, or the global
 * node_modules next to a globally installed wl).
 */
export function defaultPluginRoots(cwd: string): string[] {
  const here = dirname(fileURLToPath(import.meta.url));
  const roots = [cwd, realpathSync(here)];
  if (process.argv[1]) {
    try {
      roots.push(dirname(realpathSync(process.argv[1])));
    } catch {
      // the entry script may be gone (tests); nothing to add
    }
  }
  return roots;
}

/** The application's DI container: core services as singletons, collaborators by token. */
export function createAppContainer(options: ContainerOptions): DependencyContainer {
  const c = rootContainer.createChildContainer();
  c.register(TOKENS.Container, { useValue: c });
  c.register(TOKENS.Logger, { useValue: options.logger });
  c.register(TOKENS.Config, { useValue: options.config });
  c.register(TOKENS.PluginRoots, { useValue: [...(options.pluginRoots ?? []), ...defaultPluginRoots(options.cwd)] });
  c.register(TOKENS.PluginPolicy, { useValue: options.config?.config.plugins ?? {} });
  c.register(TOKENS.StateDir, { useValue: options.stateDir ?? stateDirOf(options.config) });
  // Opened on first use: `wl syncers` never touches the state store.
  c.register(TOKENS.StateStore, { useFactory: instanceCachingFactory((dc) => new StateStore(dc.resolve<string>(TOKENS.StateDir))) });
  return c;
}

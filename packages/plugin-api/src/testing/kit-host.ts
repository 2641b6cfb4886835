import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { ContinuousRunnerFactory, PathFilter, SyncEngine } from "../engine.js";
import type { Logger } from "../logger.js";
import type { HashCache } from "../storage-backend.js";

/**
 * The host services the conformance kit runs plugins on: the same state store, engine and
 * continuous runner `wl` uses. This package has no dependency on the host; the kit loads it
 * from `@wlsync/core/kit-host` when a test first needs it, so a plugin's tests need
 * `@wlsync/core` as a devDependency (its dependencies stay on `@wlsync/plugin-api` alone).
 */
export interface KitHost {
  /** A state store in folder `dir` (created): the hash cache backends get, and the engine's stored base. */
  openStateStore(dir: string): KitStateStore;
  /** The host's engine over that store. */
  engine(store: KitStateStore, logger: Logger): SyncEngine;
  continuous: ContinuousRunnerFactory;
  /** The host's filter for gitignore-style patterns. */
  pathFilter(patterns: readonly string[]): PathFilter;
  /** Why discovery would reject this syncer class (a missing trait or method), or null. */
  syncerShapeProblem(cls: unknown): string | null;
}

export interface KitStateStore {
  /** The sha256 cache backends get (keyed by storage and path, validated by the file token). */
  readonly hashes: HashCache;
  close(): void;
}

const HOST_MODULE = "@wlsync/core/kit-host";

/** Imports the host: from where this package is installed, else from the current project (pnpm keeps dev tools apart). */
async function importHost(): Promise<KitHost> {
  const specifier: string = HOST_MODULE; // a variable: tsc must not look for the host's types
  let first: unknown;
  try {
    return ((await import(specifier)) as { kitHost: KitHost }).kitHost;
  } catch (err) {
    first = err;
  }
  try {
    const resolved = createRequire(join(process.cwd(), "package.json")).resolve(HOST_MODULE);
    return ((await import(pathToFileURL(resolved).href)) as { kitHost: KitHost }).kitHost;
  } catch {
    throw new Error(
      `@wlsync/plugin-api/testing: the conformance kit runs plugins on wl's own engine; install it as a devDependency (npm install -D @wlsync/core) (${(first as Error)?.message ?? first})`,
    );
  }
}

let loading: Promise<KitHost> | undefined;

/** The host, imported once. */
export function loadKitHost(): Promise<KitHost> {
  loading ??= importHost();
  return loading;
}

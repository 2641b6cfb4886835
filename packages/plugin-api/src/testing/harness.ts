import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Logger } from "../logger.js";
import type { BackendContext, StorageBackend } from "../storage-backend.js";
import { loadKitHost, type KitHost, type KitStateStore } from "./kit-host.js";

/** What a backend factory gets for each storage the kit needs. */
export interface BackendHarness {
  /** An empty folder that exists, for this storage alone (a local backend uses it as its root). */
  readonly dir: string;
  /** Unique to this storage in this run: use it for a bucket prefix and the like. */
  readonly id: string;
  /** The backend-id the kit gives this storage ("a", "b"...). */
  readonly backendId: string;
  /**
   * The BackendContext the host would build: your params merged over `backend-id` and the kit's
   * `watcher-interval`, a real hash cache (the state store) and a logger that keeps quiet.
   */
  context(params: { type: string; [key: string]: unknown }): BackendContext;
  /** Runs when the test is over (remove a bucket prefix...); the kit removes `dir` itself. */
  onCleanup(fn: () => unknown): void;
}

/** A backend plus optional powers the kit uses when given. */
export interface BackendUnderTest {
  backend: StorageBackend;
  /**
   * Writes bytes at a path behind the backend's back, the way a user or another program would
   * (in place, where the storage allows). With it the kit also checks file tokens and
   * compare-and-swap against changes the backend did not make itself.
   */
  writeOutside?(path: string, data: Uint8Array): unknown;
}

/** Builds a backend over an empty storage; called once per storage per test. */
export type BackendFactory = (harness: BackendHarness) => StorageBackend | BackendUnderTest | Promise<StorageBackend | BackendUnderTest>;

/** Collects log lines instead of printing them. */
export class MemoryLogger implements Logger {
  readonly lines: string[] = [];
  debug(message: string): void {
    this.lines.push(`debug: ${message}`);
  }
  info(message: string): void {
    this.lines.push(message);
  }
  warn(message: string): void {
    this.lines.push(`warning: ${message}`);
  }
  error(message: string): void {
    this.lines.push(`error: ${message}`);
  }
}

function isBackend(value: unknown): value is StorageBackend {
  return !!value && typeof (value as StorageBackend).walk === "function" && typeof (value as StorageBackend).openForSafeReplace === "function";
}

/**
 * One test's world: a temporary folder, a state store in it, a logger, and the storages built
 * by the factory. `close()` undoes it all.
 */
export class KitEnvironment {
  readonly root: string;
  readonly logger = new MemoryLogger();
  readonly watcherInterval: number;
  private storeInstance?: KitStateStore;
  private readonly cleanups: Array<() => unknown> = [];
  private readonly harnesses = new Map<string, BackendHarness>();

  /** The host services (engine, state store...): see KitHost. */
  readonly host: KitHost;

  constructor(host: KitHost, options: { watcherInterval?: number } = {}) {
    this.host = host;
    this.root = mkdtempSync(join(tmpdir(), "wlsync-kit-"));
    this.watcherInterval = options.watcherInterval ?? 0.1;
  }

  get store(): KitStateStore {
    this.storeInstance ??= this.host.openStateStore(join(this.root, "state"));
    return this.storeInstance;
  }

  /** The harness of one storage; the same backendId gives the same storage (same dir and id). */
  harness(backendId: string): BackendHarness {
    let h = this.harnesses.get(backendId);
    if (h) return h;
    const dir = join(this.root, "storages", backendId);
    mkdirSync(dir, { recursive: true });
    const id = `wlsync-kit-${randomBytes(4).toString("hex")}-${backendId}`;
    h = {
      dir,
      id,
      backendId,
      context: (params) => ({
        params: { "backend-id": backendId, "watcher-interval": this.watcherInterval, ...params },
        configDir: this.root,
        hashCache: this.store.hashes,
        logger: this.logger,
      }),
      onCleanup: (fn) => this.cleanups.push(fn),
    };
    this.harnesses.set(backendId, h);
    return h;
  }

  async backend(factory: BackendFactory, backendId: string): Promise<BackendUnderTest> {
    const made = await factory(this.harness(backendId));
    const under = isBackend(made) ? { backend: made } : made;
    if (!isBackend(under?.backend)) throw new Error(`the backend factory returned ${String(made)}, not a StorageBackend (or { backend })`);
    this.cleanups.push(() => under.backend.close());
    return under;
  }

  onCleanup(fn: () => unknown): void {
    this.cleanups.push(fn);
  }

  async close(): Promise<void> {
    for (const fn of this.cleanups.reverse()) {
      try {
        await fn();
      } catch {
        // keep cleaning up
      }
    }
    this.storeInstance?.close();
    rmSync(this.root, { recursive: true, force: true });
  }
}

/** Runs `body` in a fresh environment and always cleans up. */
export async function withEnvironment<T>(options: { watcherInterval?: number }, body: (env: KitEnvironment) => Promise<T>): Promise<T> {
  const env = new KitEnvironment(await loadKitHost(), options);
  try {
    return await body(env);
  } finally {
    await env.close();
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `check` until it returns a truthy value; fails with `what` after `timeoutMs`. */
export async function waitFor<T>(what: string | (() => string), check: () => T | Promise<T>, timeoutMs = 10_000, everyMs = 25): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value as NonNullable<T>;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) {
      const described = typeof what === "function" ? what() : what;
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${described}${last ? ` (last error: ${(last as Error).message})` : ""}`);
    }
    await sleep(everyMs);
  }
}

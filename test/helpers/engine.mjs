// Runs passes through core's API (SyncEngine + LocalBackend + StateStore) instead of the wl
// binary: the same engine, without a process start per pass. For the fast property tests.
import { createHash } from "node:crypto";
import { join } from "node:path";
import { PathFilter, StateStore, SyncEngine, startContinuous } from "./core-internals.mjs";
const { LocalBackend } = await import("@wlsync/backend-local");

const quiet = { debug() {}, info() {}, warn() {}, error() {} };

/** A pair of local storages at `dir/a` and `dir/b` with a state store in `dir/.state`. */
export function enginePair(dir, { maxDelete = 100 } = {}) {
  const state = new StateStore(join(dir, ".state"));
  const engine = new SyncEngine(state, quiet);
  const backend = (id) => new LocalBackend({ params: { "backend-id": id, type: "local", path: `./${id}` }, configDir: dir, hashCache: state.hashes, logger: quiet });
  const a = backend("a");
  const b = backend("b");
  return {
    state,
    engine,
    logger: quiet,
    a,
    b,
    /** One pass; `flip` swaps source and target (the stored state must not care). */
    async pass({ unidirectional = false, flip = false, force = true, dryRun = false, transferer } = {}) {
      const [source, target] = flip ? [b, a] : [a, b];
      const ctx = { container: "box", source, target, options: { unidirectional, dryRun, force, maxDelete: maxDelete }, filter: new PathFilter(), engine, continuous: startContinuous, logger: quiet };
      return engine.run(ctx, { syncer: transferer ? "rsync" : "naive", transferer, emit: () => {} });
    },
    /** Every synced record of the pair (path → record). */
    synced() {
      return state.pair(a.identity(), b.identity()).loadSynced();
    },
    close: () => state.close(),
  };
}

export const sha256 = (buf) => createHash("sha256").update(buf).digest("hex");

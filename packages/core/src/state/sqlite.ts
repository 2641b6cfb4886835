import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import type BetterSqlite3 from "better-sqlite3";
import { requireCjs } from "../util/require-cjs.js";

const Database = requireCjs("better-sqlite3") as typeof BetterSqlite3;

let addon: string | null | undefined;

/**
 * better-sqlite3's compiled addon (`build/Release`, or `build/Debug` for a debug build), given to
 * it as `nativeBinding`: the way better-sqlite3 documents for bundled code (wl's start-up path is
 * bundled, scripts/bundle.mjs), and faster than its `bindings` helper, which finds its caller from
 * a stack trace and probes a dozen folders. Null when neither is there: better-sqlite3 then looks
 * for itself (and says where it looked if it cannot find one).
 */
function nativeBinding(): string | null {
  if (addon === undefined) {
    const root = dirname(requireCjs.resolve("better-sqlite3/package.json"));
    addon = ["Release", "Debug"].map((build) => join(root, "build", build, "better_sqlite3.node")).find((file) => existsSync(file)) ?? null;
  }
  return addon;
}

/** Opens (creating it if needed) the SQLite database `file`; `options` as better-sqlite3's. */
export function openDatabase(file: string, options: BetterSqlite3.Options = {}): BetterSqlite3.Database {
  const binding = nativeBinding();
  return new Database(file, binding ? { ...options, nativeBinding: binding } : options);
}

// Small pieces the in-process tests of backends and transferers share: a logger that says
// nothing, an in-memory hash cache (the state store's HashCache interface), and an assertion
// that a promise rejects with a given wl error code.
import fs from "node:fs";
import { syncBuiltinESMExports } from "node:module";
import { suite } from "uvu";
import * as assert from "uvu/assert";

export const quietLogger = { debug() {}, info() {}, warn() {}, error() {} };

/** A HashCache in memory: `get(storage, path, token)` answers only for the token the hash was put with. */
export function memoryHashCache() {
  const map = new Map();
  return {
    get: (storage, path, token) => {
      const hit = map.get(`${storage}\0${path}`);
      return hit && hit.token === token ? hit.hash : undefined;
    },
    put: (storage, path, token, hash) => map.set(`${storage}\0${path}`, { token, hash }),
    forget: (storage, path) => map.delete(`${storage}\0${path}`),
  };
}

/** Awaits `promise`, which must reject with an error whose `code` is `code`; returns the error. */
export async function rejectsWith(promise, code) {
  try {
    await promise;
  } catch (err) {
    assert.is(err.code, code, `expected ${code}, got ${err.code}: ${err.message}`);
    return err;
  }
  assert.unreachable(`expected a ${code} error`);
}

/**
 * A race made real: runs `edit` (which changes files on disk) once, around the first call of
 * `mod[name]` (node:fs by default) with an argument ending in `suffix` (or, when `suffix` is a
 * function, an argument it accepts), right after it, or right before it with `when: "before"`. The module's named exports are synced, so code that imported
 * the function by name sees the wrapper. Returns { fired, restore() }.
 */
export function onceAround(name, suffix, edit, when = "after", mod = fs) {
  const saved = mod[name];
  const state = { fired: false };
  mod[name] = function (...args) {
    const hit = !state.fired && args.some((a) => (typeof suffix === "function" ? suffix(String(a)) : String(a).endsWith(suffix)));
    if (hit && when === "before") {
      state.fired = true;
      edit();
    }
    const out = saved.apply(mod, args);
    if (hit && when === "after") {
      state.fired = true;
      edit();
    }
    return out;
  };
  syncBuiltinESMExports();
  state.restore = () => {
    mod[name] = saved;
    syncBuiltinESMExports();
  };
  return state;
}

/**
 * uvu's `suite(name)`, except that in a mutation run (WLSYNC_MUTATION_RUN, set by `pnpm mutate`)
 * the process exits at the first failing test: uvu's --bail waits for the end of the suite, and
 * one failure is all a mutant needs to be killed. Elsewhere it is uvu's suite as it is.
 */
export function bailingSuite(name) {
  const s = suite(name);
  if (!process.env.WLSYNC_MUTATION_RUN) return s;
  const test = (title, handler) =>
    s(title, async (ctx) => {
      try {
        await handler(ctx);
      } catch (err) {
        console.error(`FAIL ${name}: ${title}: ${err?.message}`);
        process.exit(1);
      }
    });
  test.run = () => s.run();
  return test;
}

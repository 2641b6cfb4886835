import { pathToFileURL } from "node:url";
import type { SyncerClass } from "@wlsync/plugin-api";
import type { StorageBackendClass } from "@wlsync/plugin-api";
import type { PluginPackage } from "./find-packages.js";

export type LoadResult<T> = { ok: true; classes: T[] } | { ok: false; reason: string };

const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === "string");

export function syncerShapeProblem(value: unknown): string | null {
  if (typeof value !== "function") return "the export is not a class";
  const c = value as unknown as Record<string, unknown> & { prototype: Record<string, unknown> };
  if (typeof c.SYNCER_NAME !== "string" || c.SYNCER_NAME === "") return "static SYNCER_NAME is missing";
  if (!isStringArray(c.SOURCE_TYPES)) return "static SOURCE_TYPES must be a non-empty array of strings";
  if (!isStringArray(c.TARGET_TYPES)) return "static TARGET_TYPES must be a non-empty array of strings";
  for (const trait of ["ONE_SHOT", "CONTINUOUS", "UNIDIRECTIONAL"]) {
    if (typeof c[trait] !== "boolean") return `static ${trait} must be a boolean`;
  }
  if (c.ONE_SHOT && typeof c.prototype.oneShotSync !== "function") return "ONE_SHOT is set but oneShotSync() is missing";
  if (c.CONTINUOUS && (typeof c.prototype.startSync !== "function" || typeof c.prototype.stopSync !== "function" || typeof c.prototype.isRunning !== "function")) {
    return "CONTINUOUS is set but startSync()/stopSync()/isRunning() are missing";
  }
  // The host calls these on every syncer (BaseSyncer has them).
  for (const method of ["on", "iterErrors", "iterConflicts"]) {
    if (typeof c.prototype[method] !== "function") return `${method}() is missing (extend BaseSyncer from @wlsync/core, or implement it)`;
  }
  return null;
}

export function backendShapeProblem(value: unknown): string | null {
  if (typeof value !== "function") return "the export is not a class";
  const c = value as unknown as Record<string, unknown> & { prototype: Record<string, unknown> };
  if (typeof c.TYPE !== "string" || c.TYPE === "") return "static TYPE is missing";
  for (const method of ["walk", "stat", "createReadStream", "openForSafeReplace", "mkdir", "remove", "getHash", "getFileToken", "watcher"]) {
    if (typeof c.prototype[method] !== "function") return `method ${method}() is missing`;
  }
  return null;
}

/** The exported classes: `default` (unwrapped twice for CJS interop), or named `syncer(s)`/`backend(s)`. */
function exportedCandidates(mod: Record<string, unknown>, kind: PluginPackage["kind"]): unknown[] {
  const named = kind === "syncer" ? ["syncers", "syncer"] : ["backends", "backend"];
  let def: unknown = mod.default;
  if (def && typeof def === "object" && "default" in (def as object)) def = (def as Record<string, unknown>).default;
  for (const key of named) {
    const v = mod[key] ?? (def && typeof def === "object" ? (def as Record<string, unknown>)[key] : undefined);
    if (v !== undefined) return Array.isArray(v) ? v : [v];
  }
  return def === undefined ? [] : [def];
}

function describeImportError(err: unknown, pkg: PluginPackage): string {
  const e = err as NodeJS.ErrnoException;
  const message = (e?.message ?? String(err)).split("\n")[0] ?? "";
  if (e?.code === "ERR_MODULE_NOT_FOUND" || e?.code === "MODULE_NOT_FOUND") {
    const missing = /Cannot find (?:package|module) '([^']+)'/.exec(message)?.[1];
    if (missing && !missing.startsWith(pkg.dir) && !missing.startsWith("/")) {
      return `installed but broken: its dependency "${missing}" is missing (reinstall ${pkg.name})`;
    }
    return `installed but broken: ${message}`;
  }
  return `failed to load: ${message}`;
}

/** Imports a plugin package once and checks the shape of what it exports. */
export async function loadPlugin<T extends SyncerClass | StorageBackendClass>(pkg: PluginPackage): Promise<LoadResult<T>> {
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(pkg.entry).href)) as Record<string, unknown>;
  } catch (err) {
    return { ok: false, reason: describeImportError(err, pkg) };
  }
  const candidates = exportedCandidates(mod, pkg.kind);
  if (candidates.length === 0) return { ok: false, reason: `exports no ${pkg.kind} class (expected a default export)` };
  const check = pkg.kind === "syncer" ? syncerShapeProblem : backendShapeProblem;
  for (const candidate of candidates) {
    const problem = check(candidate);
    if (problem) return { ok: false, reason: `wrong shape: ${problem}` };
  }
  return { ok: true, classes: candidates as T[] };
}

import type { SyncerTraits } from "./base-syncer.js";

/**
 * What a plugin package declares in its package.json under `wlsyncPlugin`, so that the host can
 * discover and choose plugins without importing their code: the static traits of each syncer
 * class it exports, and the `TYPE` of each backend class. Only the plugins a command uses are
 * then imported. When a class is imported its statics must equal what the manifest says (the
 * host refuses a plugin whose manifest and class disagree; `checkManifest` tells the author).
 *
 * ```json
 * "wlsyncPlugin": {
 *   "syncers": [{ "SYNCER_NAME": "naive", "SOURCE_TYPES": ["*"], "TARGET_TYPES": ["*"],
 *                 "ONE_SHOT": true, "CONTINUOUS": true, "UNIDIRECTIONAL": true, "REQUIRES_MOUNT": false }],
 *   "backends": [{ "TYPE": "local" }]
 * }
 * ```
 *
 * The key is not `wlsync`: that one is a config location (a `wlsync` key in package.json).
 */
export interface PluginManifest {
  syncers?: SyncerTraits[];
  backends?: Array<{ TYPE: string }>;
}

/** The package.json key holding a PluginManifest. */
export const PLUGIN_MANIFEST_KEY = "wlsyncPlugin";

const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === "string");
const isPairs = (v: unknown) => Array.isArray(v) && v.every((p) => Array.isArray(p) && p.length === 2 && p.every((x) => typeof x === "string"));

/**
 * Checks the shape of a package.json's `wlsyncPlugin` value. Returns the manifest, or the first
 * problem as one line (`syncers[0].ONE_SHOT must be a boolean`); `undefined` when absent.
 */
export function parsePluginManifest(value: unknown): { manifest?: PluginManifest; problem?: string } {
  if (value === undefined) return {};
  if (!value || typeof value !== "object" || Array.isArray(value)) return { problem: `${PLUGIN_MANIFEST_KEY} must be an object` };
  const { syncers, backends } = value as Record<string, unknown>;
  if (syncers !== undefined) {
    if (!Array.isArray(syncers)) return { problem: `${PLUGIN_MANIFEST_KEY}.syncers must be an array` };
    for (const [i, s] of syncers.entries()) {
      const at = `${PLUGIN_MANIFEST_KEY}.syncers[${i}]`;
      if (!s || typeof s !== "object") return { problem: `${at} must be an object` };
      const t = s as Record<string, unknown>;
      if (typeof t.SYNCER_NAME !== "string" || t.SYNCER_NAME === "") return { problem: `${at}.SYNCER_NAME must be a non-empty string` };
      for (const key of ["SOURCE_TYPES", "TARGET_TYPES"]) if (!isStringArray(t[key])) return { problem: `${at}.${key} must be a non-empty array of strings` };
      for (const key of ["ONE_SHOT", "CONTINUOUS", "UNIDIRECTIONAL", "REQUIRES_MOUNT"])
        if (typeof t[key] !== "boolean") return { problem: `${at}.${key} must be a boolean` };
      if (t.PAIRS !== undefined && !isPairs(t.PAIRS)) return { problem: `${at}.PAIRS must be an array of [source type, target type] pairs` };
      if (t.DELTA_TRANSFER !== undefined && t.DELTA_TRANSFER !== "none" && t.DELTA_TRANSFER !== "remote")
        return { problem: `${at}.DELTA_TRANSFER must be "none" or "remote"` };
    }
  }
  if (backends !== undefined) {
    if (!Array.isArray(backends)) return { problem: `${PLUGIN_MANIFEST_KEY}.backends must be an array` };
    for (const [i, b] of backends.entries()) {
      if (!b || typeof b !== "object" || typeof (b as Record<string, unknown>).TYPE !== "string" || (b as { TYPE: string }).TYPE === "") {
        return { problem: `${PLUGIN_MANIFEST_KEY}.backends[${i}].TYPE must be a non-empty string` };
      }
    }
  }
  return { manifest: value as PluginManifest };
}

/**
 * The traits a manifest entry and a syncer class are compared on (PAIRS: absent and undefined
 * are alike; DELTA_TRANSFER: absent and "none", BaseSyncer's default, are alike).
 */
export const SYNCER_TRAIT_KEYS = [
  "SYNCER_NAME",
  "SOURCE_TYPES",
  "TARGET_TYPES",
  "ONE_SHOT",
  "CONTINUOUS",
  "UNIDIRECTIONAL",
  "REQUIRES_MOUNT",
  "PAIRS",
  "DELTA_TRANSFER",
] as const;

/** The syncer traits of a class (or any object with those statics), as a manifest entry would hold them. */
export function syncerTraitsOf(cls: SyncerTraits): SyncerTraits {
  const out: Record<string, unknown> = {};
  for (const key of SYNCER_TRAIT_KEYS) {
    const v = (cls as unknown as Record<string, unknown>)[key];
    if (key === "DELTA_TRANSFER" && v === "none") continue;
    if (v !== undefined) out[key] = Array.isArray(v) ? v.map((x) => (Array.isArray(x) ? [...x] : x)) : v;
  }
  return out as unknown as SyncerTraits;
}

/**
 * Where a package's manifest and the classes it exports disagree, one line each (empty: they
 * agree). `syncers` and `backends` are the exported classes; each must be declared, with equal
 * traits, and each declared one must be exported. A kind left out of `exported` is not compared
 * (a package that holds both kinds is loaded once per kind).
 */
export function checkManifest(
  manifest: PluginManifest | undefined,
  exported: { syncers?: readonly SyncerTraits[]; backends?: ReadonlyArray<{ TYPE: string }> },
): string[] {
  const problems: string[] = [];
  if (exported.syncers) problems.push(...syncerProblems(manifest?.syncers ?? [], exported.syncers));
  if (exported.backends) problems.push(...backendProblems(manifest?.backends ?? [], exported.backends));
  return problems;
}

function syncerProblems(declared: readonly SyncerTraits[], exported: readonly SyncerTraits[]): string[] {
  const problems: string[] = [];
  for (const cls of exported) {
    const entry = declared.find((s) => s.SYNCER_NAME === cls.SYNCER_NAME);
    if (!entry) {
      problems.push(`syncer "${cls.SYNCER_NAME}" is exported but not declared in ${PLUGIN_MANIFEST_KEY}.syncers`);
      continue;
    }
    const have = syncerTraitsOf(cls) as unknown as Record<string, unknown>;
    const said = syncerTraitsOf(entry) as unknown as Record<string, unknown>;
    for (const key of SYNCER_TRAIT_KEYS) {
      if (JSON.stringify(have[key]) !== JSON.stringify(said[key])) {
        problems.push(
          `syncer "${cls.SYNCER_NAME}": ${key} is ${JSON.stringify(have[key]) ?? "absent"} in the class but ${JSON.stringify(said[key]) ?? "absent"} in ${PLUGIN_MANIFEST_KEY}`,
        );
      }
    }
  }
  for (const entry of declared) {
    if (!exported.some((c) => c.SYNCER_NAME === entry.SYNCER_NAME))
      problems.push(`syncer "${entry.SYNCER_NAME}" is declared in ${PLUGIN_MANIFEST_KEY}.syncers but not exported`);
  }
  return problems;
}

function backendProblems(declared: ReadonlyArray<{ TYPE: string }>, exported: ReadonlyArray<{ TYPE: string }>): string[] {
  const problems: string[] = [];
  const types = declared.map((b) => b.TYPE);
  for (const cls of exported)
    if (!types.includes(cls.TYPE)) problems.push(`backend "${cls.TYPE}" is exported but not declared in ${PLUGIN_MANIFEST_KEY}.backends`);
  for (const type of types)
    if (!exported.some((c) => c.TYPE === type)) problems.push(`backend "${type}" is declared in ${PLUGIN_MANIFEST_KEY}.backends but not exported`);
  return problems;
}

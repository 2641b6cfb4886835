import { ConfigError } from "./errors.js";
import type { StoredVersion } from "./version-names.js";

/** How long versions are kept: none, by age, or the newest N per path. */
export type KeepPolicy = { kind: "off" } | { kind: "age"; ms: number } | { kind: "count"; n: number };

/** The default when neither the storage nor its container says: 30 days. */
export const DEFAULT_KEEP: KeepPolicy = { kind: "age", ms: 30 * 86_400_000 };

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };

/**
 * The policy of a `versions: {keep: ...}` value: `"30d"` (s, m, h, d, w), a whole number of
 * versions per path, or `"off"`. Absent: DEFAULT_KEEP. Throws ConfigError on anything else
 * (the config schema refuses it first).
 */
export function parseKeepPolicy(value: unknown): KeepPolicy {
  if (value === undefined || value === null) return DEFAULT_KEEP;
  const keep = typeof value === "object" ? (value as { keep?: unknown }).keep : value;
  if (keep === "off") return { kind: "off" };
  if (typeof keep === "number" && Number.isInteger(keep) && keep >= 1) return { kind: "count", n: keep };
  if (typeof keep === "string") {
    const m = /^([1-9][0-9]*)([smhdw])$/.exec(keep);
    if (m) return { kind: "age", ms: Number(m[1]) * UNIT_MS[m[2]!]! };
  }
  throw new ConfigError(`versions.keep: must be an age such as "30d", a number of versions, or "off" (got ${JSON.stringify(keep)})`);
}

/** Human form of a policy, for messages: "30d", "3 per file", "off". */
export function describeKeepPolicy(policy: KeepPolicy): string {
  if (policy.kind === "off") return "off";
  if (policy.kind === "count") return `${policy.n} per file`;
  for (const unit of ["w", "d", "h", "m"]) if (policy.ms % UNIT_MS[unit]! === 0) return `${policy.ms / UNIT_MS[unit]!}${unit}`;
  return `${policy.ms / 1000}s`;
}

/**
 * The versions a policy lets go at `now` (ms): by age, those made before now - age; by count,
 * all but the newest N of each path. With "off", none are pruned: turning versions off stops
 * keeping new ones, it does not delete what was kept.
 */
export function expiredVersions<V extends Pick<StoredVersion, "path" | "timeMs" | "name">>(versions: readonly V[], policy: KeepPolicy, now: number): V[] {
  if (policy.kind === "off") return [];
  if (policy.kind === "age") return versions.filter((v) => v.timeMs < now - policy.ms);
  const byPath = new Map<string, V[]>();
  for (const v of versions) {
    const list = byPath.get(v.path) ?? [];
    list.push(v);
    byPath.set(v.path, list);
  }
  const out: V[] = [];
  for (const list of byPath.values()) {
    list.sort((a, b) => b.timeMs - a.timeMs || (a.name < b.name ? 1 : -1));
    out.push(...list.slice(policy.n));
  }
  return out;
}

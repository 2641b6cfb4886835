/**
 * Names in the versions store. A version of `path` replaced or deleted at time T lives at
 * `.wlsync/versions/<path>~<T>` below the storage root (local folder or bucket prefix), where T is
 * UTC in ISO 8601 basic form with milliseconds (`20261130T134939.123Z`: no `:`, which FAT and
 * exFAT refuse); a second version in the same millisecond gets `-1`, `-2`... after T.
 */

import { OWN_DIR } from "./temp-names.js";

/** Where versions live, relative to the storage root (inside wl's own folder: never synced, hidden from scans). */
export const VERSIONS_DIR = `${OWN_DIR}/versions`;

/** One kept version of a file (or symlink), as a backend lists it. */
export interface StoredVersion {
  /** The storage path whose content this was (relative, `/`-separated). */
  path: string;
  /** When a pass replaced or deleted it: ISO 8601 UTC with milliseconds (`2026-11-30T13:49:39.123Z`). */
  time: string;
  /** `time` in ms since the epoch. */
  timeMs: number;
  /** Name of the version below VERSIONS_DIR (`<path>~<T>[-n]`): identifies it within its storage. */
  name: string;
  kind: "file" | "symlink";
  /** Bytes (0 for a symlink). */
  size: number;
  linkTarget?: string;
  /** sha256 (hex) where the backend knows it without reading (S3 metadata). */
  hash?: string;
}

/** `20261130T134939.123Z` for a time in ms. */
export function versionStamp(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, "");
}

/** The version name for `path` replaced at `ms`, with a collision counter when `n` > 0. */
export function versionName(path: string, ms: number, n = 0): string {
  return `${path}~${versionStamp(ms)}${n > 0 ? `-${n}` : ""}`;
}

const NAME = /^(.+)~(\d{8}T\d{6}\.\d{3}Z)(?:-\d+)?$/;

/** The path and time of a version name, or null if it is not one (a stray file in the store). */
export function parseVersionName(name: string): { path: string; time: string; timeMs: number } | null {
  const m = NAME.exec(name);
  if (!m) return null;
  const s = m[2]!;
  const time = `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}T${s.slice(9, 11)}:${s.slice(11, 13)}:${s.slice(13)}`;
  const timeMs = Date.parse(time);
  if (Number.isNaN(timeMs)) return null;
  return { path: m[1]!, time, timeMs };
}

/**
 * Whether a version's time matches what a user typed for `--version`: the ISO form or the
 * compact form of the file name, whole or as a prefix (`2026-11-30T13:49`, `20261130T1349`).
 */
export function versionTimeMatches(version: Pick<StoredVersion, "time" | "name">, wanted: string): boolean {
  const w = wanted.trim();
  if (!w) return false;
  const compact = version.name.slice(version.name.lastIndexOf("~") + 1);
  return version.time.startsWith(w) || compact.startsWith(w) || version.time.startsWith(w.replace(/Z$/, ""));
}

/** Whether `path` is at or below `under` ("" = everything). */
export function isAtOrBelow(path: string, under: string): boolean {
  return under === "" || path === under || path.startsWith(`${under}/`);
}

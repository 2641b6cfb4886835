import type { default as IgnoreFactory, Ignore } from "ignore";
import { requireCjs } from "../util/require-cjs.js";

const ignore = requireCjs("ignore") as typeof IgnoreFactory;

/** Names the tool writes while transferring: never synced, never reported. */
export const TEMP_PREFIX = ".wlsync-tmp-";

export function isTempName(path: string): boolean {
  const slash = path.lastIndexOf("/");
  return path.startsWith(TEMP_PREFIX, slash + 1);
}

/**
 * wl's own folder at a storage root (`.wlsync/`): the storage-id marker, kept versions. It is
 * never synced, never listed by scans or watchers, and never taken for a deletion.
 */
export const OWN_DIR = ".wlsync";

/** Whether a relative path is wl's own: a temporary name anywhere, or `.wlsync` at the root and anything below it. */
export function isOwnPath(path: string): boolean {
  return path === OWN_DIR || path.startsWith(`${OWN_DIR}/`) || isTempName(path);
}

/** gitignore-syntax filter over relative paths (config `ignore` plus `.wlsyncignore` files). */
export class PathFilter {
  private readonly matcher: Ignore;
  readonly patterns: readonly string[];

  constructor(patterns: readonly string[] = []) {
    this.patterns = patterns;
    this.matcher = ignore({ allowRelativePaths: true }).add([...patterns]);
  }

  includes(path: string, isDir: boolean): boolean {
    if (isOwnPath(path)) return false;
    if (this.patterns.length === 0) return true;
    return !this.matcher.ignores(isDir ? `${path}/` : path);
  }

  static parseIgnoreFile(text: string): string[] {
    return text
      .split(/\r?\n/)
      .map((line) => line.replace(/\s+$/, ""))
      .filter((line) => line !== "" && !line.startsWith("#"));
  }
}

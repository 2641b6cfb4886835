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
 * The tool's own folder at a storage root (`.wlsync/`: versions, storage markers): never synced,
 * hidden from scans, whatever the ignore patterns say. One place for everyone who needs it.
 */
export function isToolPath(path: string): boolean {
  return path.startsWith(".wlsync") && (path.length === 7 || path.charCodeAt(7) === 47);
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
    if (isTempName(path) || isToolPath(path)) return false;
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

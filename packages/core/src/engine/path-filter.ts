import type { default as IgnoreFactory, Ignore } from "ignore";
import { isOwnPath, type PathFilter as PathFilterContract } from "@wlsync/plugin-api";
import { requireCjs } from "../util/require-cjs.js";

const ignore = requireCjs("ignore") as typeof IgnoreFactory;

/** gitignore-syntax filter over relative paths (config `ignore` plus `.wlsyncignore` files). */
export class PathFilter implements PathFilterContract {
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

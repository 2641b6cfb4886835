import type { default as IgnoreFactory, Ignore } from "ignore";
import { isOwnPath, type PathFilter as PathFilterContract } from "@wlsync/plugin-api";
import { requireCjs } from "../util/require-cjs.js";

const ignore = requireCjs("ignore") as typeof IgnoreFactory;

/** The name of wl's own ignore files; `.gitignore` joins it with `ignore-gitignore: true`. */
export const WLSYNC_IGNORE = ".wlsyncignore";

/** One gitignore-syntax line and where it came from (1-based line; absent for config and command line). */
export interface IgnorePattern {
  pattern: string;
  line?: number;
}

/**
 * A set of rules that apply below one folder: an ignore file (`origin` = its path, e.g.
 * `photos/.wlsyncignore`), the config's `ignore` list, or the command line's `--exclude`.
 * `include` sources hold `--include` patterns: what they match is taken part in whatever else says.
 */
export interface IgnoreSource {
  /** The folder the patterns are relative to ("" = storage root). */
  base: string;
  origin: string;
  patterns: IgnorePattern[];
  kind?: "exclude" | "include";
}

/** Which rule decided about a path (`wl container check-ignore`). */
export interface FilterVerdict {
  included: boolean;
  /** The deciding rule; absent when no rule matched (included) or for wl's own files. */
  rule?: { origin: string; line?: number; pattern: string; negative: boolean };
  /** Set when a parent folder's exclusion decided (that folder's path). */
  viaFolder?: string;
  /** wl's own files (.wlsync/, temp names, the state dir): never synced, no rule can change it. */
  own?: boolean;
}

export interface PathFilterOptions {
  /** Rule sets; later ones beat earlier ones where both match (deeper ignore files beat shallower). */
  sources?: IgnoreSource[];
  /** Paths that never take part and that no `--include` can bring back (the state dir inside a storage). */
  internal?: string[];
  /** Ignore file names read in every folder (default `.wlsyncignore`). */
  ignoreFileNames?: string[];
}

interface Compiled {
  source: IgnoreSource;
  matcher: Ignore;
  depth: number;
}

const markOf = (p: IgnorePattern) => (p.line === undefined ? "" : String(p.line));

/**
 * gitignore-syntax filter over relative paths, as git applies .gitignore files: the config's
 * `ignore` list and the root ignore file apply to the whole storage; an ignore file in a
 * folder applies below that folder (its patterns relative to it) and beats shallower ones;
 * `--exclude` beats ignore files, `--include` beats everything except wl's own files; a path
 * in an excluded folder is excluded (a folder's exclusion cannot be undone below it).
 *
 * Immutable: the daemon rebuilds it (`withIgnoreFiles`, or a new PathFilter) when ignore
 * files change.
 */
export class PathFilter implements PathFilterContract {
  readonly sources: readonly IgnoreSource[];
  readonly ignoreFileNames: readonly string[];
  private readonly compiled: Compiled[];
  private readonly internal?: Ignore;
  private readonly internalPatterns: readonly string[];
  private readonly folderCache = new Map<string, FilterVerdict>();

  /** `new PathFilter(["*.tmp"])`: patterns for the whole storage; or the full options. */
  constructor(input: readonly string[] | PathFilterOptions = []) {
    const options: PathFilterOptions = Array.isArray(input)
      ? { sources: input.length ? [{ base: "", origin: "patterns", patterns: (input as string[]).map((pattern) => ({ pattern })) }] : [] }
      : (input as PathFilterOptions);
    this.ignoreFileNames = options.ignoreFileNames ?? [WLSYNC_IGNORE];
    this.internalPatterns = options.internal ?? [];
    if (this.internalPatterns.length) this.internal = ignore({ allowRelativePaths: true }).add([...this.internalPatterns]);
    const order = (s: IgnoreSource) => (s.kind === "include" ? 2 : s.origin === "--exclude" ? 1 : 0);
    this.sources = [...(options.sources ?? [])].sort((x, y) => order(x) - order(y) || depth(x.base) - depth(y.base));
    this.compiled = this.sources.map((source) => ({
      source,
      depth: depth(source.base),
      matcher: ignore({ allowRelativePaths: true }).add(source.patterns.map((p) => ({ pattern: p.pattern, mark: markOf(p) }))),
    }));
  }

  /** The patterns of the sources, flattened (for messages and tests). */
  get patterns(): string[] {
    return this.sources.flatMap((s) => s.patterns.map((p) => p.pattern));
  }

  includes(path: string, isDir: boolean): boolean {
    if (isOwnPath(path)) return false;
    if (!this.compiled.length && !this.internal) return true;
    return this.explain(path, isDir).included;
  }

  /** Whether `path` takes part, and the rule (file and line) that decided. */
  explain(path: string, isDir: boolean): FilterVerdict {
    if (isOwnPath(path)) return { included: false, own: true };
    if (this.internal?.ignores(isDir ? `${path}/` : path)) return { included: false, own: true };
    const slash = path.lastIndexOf("/");
    if (slash > 0) {
      const parent = path.slice(0, slash);
      const folder = this.folderVerdict(parent);
      if (!folder.included) return { ...folder, viaFolder: folder.viaFolder ?? parent };
    }
    return this.decide(path, isDir);
  }

  private folderVerdict(folder: string): FilterVerdict {
    let verdict = this.folderCache.get(folder);
    if (!verdict) {
      verdict = this.explain(folder, true);
      if (this.folderCache.size > 100_000) this.folderCache.clear();
      this.folderCache.set(folder, verdict);
    }
    return verdict;
  }

  /** The path's own verdict, parents aside: the last source that matches it decides. */
  private decide(path: string, isDir: boolean): FilterVerdict {
    let verdict: FilterVerdict = { included: true };
    for (const { source, matcher } of this.compiled) {
      if (source.base && !path.startsWith(`${source.base}/`)) continue;
      const rel = source.base ? path.slice(source.base.length + 1) : path;
      const result = matcher.test(isDir ? `${rel}/` : rel);
      if (!result.ignored && !result.unignored) continue;
      const rule = result.rule ?? (result.unignored ? lastNegativeMatch(source, isDir ? `${rel}/` : rel) : undefined);
      const found = { origin: source.origin, pattern: rule?.pattern ?? "", negative: !!rule?.negative, ...(rule?.mark ? { line: Number(rule.mark) } : {}) };
      if (source.kind === "include") {
        if (result.ignored) verdict = { included: true, rule: found };
      } else verdict = { included: !result.ignored, rule: found };
    }
    return verdict;
  }

  /**
   * This filter plus (or with replaced) ignore files: `files` are `{path, text}` of ignore files
   * found in the storages (`sub/.wlsyncignore`). A file at a path this filter already has
   * replaces the old rules; `gone` lists ignore files that no longer exist.
   */
  withIgnoreFiles(files: ReadonlyArray<{ path: string; text: string }>, gone: readonly string[] = []): PathFilter {
    const replaced = new Set([...files.map((f) => f.path), ...gone]);
    const kept = this.sources.filter((s) => !replaced.has(s.origin));
    const added = files.map((f) => {
      const slash = f.path.lastIndexOf("/");
      return { base: slash < 0 ? "" : f.path.slice(0, slash), origin: f.path, patterns: PathFilter.parseIgnoreLines(f.text) };
    });
    // Two storages may hold the same ignore file: the rules of both apply.
    const merged = new Map<string, IgnoreSource>();
    for (const s of added) {
      const same = merged.get(s.origin);
      if (same) same.patterns.push(...s.patterns);
      else merged.set(s.origin, s);
    }
    return new PathFilter({ sources: [...kept, ...merged.values()], internal: [...this.internalPatterns], ignoreFileNames: [...this.ignoreFileNames] });
  }

  /** Whether `path` is an ignore file this filter reads (`sub/.wlsyncignore`). */
  isIgnoreFile(path: string): boolean {
    const name = path.slice(path.lastIndexOf("/") + 1);
    return this.ignoreFileNames.includes(name);
  }

  /** The pattern lines of an ignore file with their line numbers (blank lines and `#` comments dropped). */
  static parseIgnoreLines(text: string): IgnorePattern[] {
    const out: IgnorePattern[] = [];
    text.split(/\r?\n/).forEach((raw, i) => {
      const pattern = raw.replace(/(?<!\\)\s+$/, "");
      if (pattern !== "" && !pattern.startsWith("#")) out.push({ pattern, line: i + 1 });
    });
    return out;
  }

  static parseIgnoreFile(text: string): string[] {
    return PathFilter.parseIgnoreLines(text).map((p) => p.pattern);
  }
}

/** The `!pattern` line of `source` that re-included `rel` (ignore reports a rule only for ignored paths). */
function lastNegativeMatch(source: IgnoreSource, rel: string): { pattern: string; negative: boolean; mark?: string } | undefined {
  for (let i = source.patterns.length - 1; i >= 0; i--) {
    const p = source.patterns[i]!;
    if (p.pattern.startsWith("!") && ignore({ allowRelativePaths: true }).add(p.pattern.slice(1)).ignores(rel)) return { pattern: p.pattern, negative: true, mark: markOf(p) };
  }
  return undefined;
}

function depth(base: string): number {
  return base === "" ? 0 : base.split("/").length;
}

/**
 * Mapping between storage paths ("a/b.txt") and object keys ("<prefix>a/b.txt"). Folders are
 * key prefixes; an empty folder is kept as a zero-byte "<prefix>a/" marker key.
 */
export class KeyMap {
  constructor(readonly prefix: string) {}

  fileKey(path: string): string {
    return this.prefix + path;
  }

  dirKey(path: string): string {
    return path === "" ? this.prefix : `${this.prefix}${path}/`;
  }

  /** The storage path of a key below the prefix, and whether it is a folder marker. */
  pathOf(key: string): { path: string; marker: boolean } | null {
    if (!key.startsWith(this.prefix)) return null;
    const rel = key.slice(this.prefix.length);
    if (rel === "") return null;
    if (rel.endsWith("/")) return { path: rel.slice(0, -1), marker: true };
    return { path: rel, marker: false };
  }
}

/**
 * Why a key cannot be a path on a disk, or null when it can. Keys may hold anything; a path
 * must not have empty, "." or ".." segments (that would escape the root of a local storage).
 */
export function unsafePathReason(path: string): string | null {
  if (path === "") return "empty name";
  if (path.includes("\u0000")) return "NUL character";
  for (const segment of path.split("/")) {
    if (segment === "") return "empty path segment (// or a leading /)";
    if (segment === "." || segment === "..") return `"${segment}" path segment`;
  }
  return null;
}

/** ETags come quoted ("\"abc\""); tokens use the bare value. */
export function etagOf(raw: string | undefined): string {
  return (raw ?? "").replace(/"/g, "");
}

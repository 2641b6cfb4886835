import { createHash } from "node:crypto";
import {
  constants,
  copyFileSync,
  createReadStream,
  linkSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readlinkSync,
  renameSync,
  rmdirSync,
  unlinkSync,
} from "node:fs";
import { pipeline } from "node:stream/promises";
import { dirname, join } from "node:path";
import { parseVersionName, versionName, isAtOrBelow, VERSIONS_DIR, type StoredVersion } from "./version-names.js";

/** sha256 (hex) of a local file, streamed. */
export async function sha256OfFile(abs: string): Promise<string> {
  const hash = createHash("sha256");
  await pipeline(createReadStream(abs, { highWaterMark: 1 << 20 }), hash);
  return hash.digest("hex");
}

const code = (err: unknown) => (err as NodeJS.ErrnoException)?.code;

/**
 * The versions store of a local storage: `<root>/.wlsync/versions/<path>~<UTC time>`. Versions
 * get there by rename(2) from their place in the storage (same file system: no copy), so
 * keeping one costs what deleting it did. Used by the local backend and by syncers that write
 * into local folders themselves (rsync).
 */
export class LocalVersionStore {
  readonly dir: string;

  constructor(readonly root: string) {
    this.dir = join(root, ...VERSIONS_DIR.split("/"));
  }

  absOf(name: string): string {
    return join(this.dir, name);
  }

  /**
   * Moves `abs` (the content `path` had until now) into the store under a new version name, and
   * returns that name. Throws the rename's error: ENOENT when `abs` is gone, EXDEV when the store
   * is on another file system (a mount below the root).
   */
  moveIn(path: string, abs: string, now = Date.now()): string {
    mkdirSync(dirname(this.absOf(path)), { recursive: true });
    for (let n = 0; ; n++) {
      const name = versionName(path, now, n);
      // rename(2) replaces silently: a name taken in the same millisecond gets a counter.
      if (lstatSync(this.absOf(name), { throwIfNoEntry: false })) continue;
      renameSync(abs, this.absOf(name));
      return name;
    }
  }

  /**
   * Keeps `abs` (the content `path` has now, and keeps) in the store under a new version name,
   * as a second hard link (no copy, and the file stays in place), or as a copy where the file
   * system has no hard links. Returns the name.
   */
  linkIn(path: string, abs: string, now = Date.now()): string {
    mkdirSync(dirname(this.absOf(path)), { recursive: true });
    for (let n = 0; ; n++) {
      const name = versionName(path, now, n);
      try {
        linkSync(abs, this.absOf(name));
        return name;
      } catch (err) {
        if (code(err) === "EEXIST") continue;
        if (code(err) !== "EPERM" && code(err) !== "ENOTSUP" && code(err) !== "EOPNOTSUPP" && code(err) !== "EMLINK") throw err;
      }
      copyFileSync(abs, this.absOf(name), constants.COPYFILE_EXCL);
      return name;
    }
  }

  /** Every version at or below `under` ("" = all), oldest first per path. Stray names are skipped. */
  list(under = ""): StoredVersion[] {
    const out: StoredVersion[] = [];
    const walk = (rel: string): void => {
      let names: string[];
      try {
        names = readdirSync(rel ? join(this.dir, rel) : this.dir);
      } catch (err) {
        if (code(err) === "ENOENT" || code(err) === "ENOTDIR") return;
        throw err;
      }
      for (const n of names) {
        const name = rel ? `${rel}/${n}` : n;
        const st = lstatSync(this.absOf(name), { throwIfNoEntry: false });
        if (!st) continue;
        if (st.isDirectory()) {
          walk(name);
          continue;
        }
        const parsed = parseVersionName(name);
        if (!parsed || !isAtOrBelow(parsed.path, under)) continue;
        if (st.isFile()) out.push({ ...parsed, name, kind: "file", size: st.size });
        else if (st.isSymbolicLink()) out.push({ ...parsed, name, kind: "symlink", size: 0, linkTarget: readlinkSync(this.absOf(name)) });
      }
    };
    walk("");
    return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.timeMs - b.timeMs));
  }

  /** Deletes one version, and the folders of the store it leaves empty. */
  remove(name: string): void {
    try {
      unlinkSync(this.absOf(name));
    } catch (err) {
      if (code(err) !== "ENOENT") throw err;
    }
    for (let dir = dirname(this.absOf(name)); dir.startsWith(`${this.dir}/`); dir = dirname(dir)) {
      try {
        rmdirSync(dir);
      } catch {
        break; // not empty (or gone): its parents are not empty either
      }
    }
  }
}

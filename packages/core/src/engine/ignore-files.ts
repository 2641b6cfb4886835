import type { StorageBackend } from "@wlsync/plugin-api";
import type { PathFilter } from "./path-filter.js";

/** Ignore files larger than this are not read (a mistake, not rules): 1 MiB. */
const MAX_IGNORE_FILE_BYTES = 1 << 20;

/** The text of a file of `backend`, or undefined when it cannot be read or is too large. */
export async function readSmallText(backend: StorageBackend, path: string): Promise<string | undefined> {
  try {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of await backend.createReadStream(path)) {
      size += (chunk as Buffer).length;
      if (size > MAX_IGNORE_FILE_BYTES) return undefined;
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks).toString("utf8");
  } catch {
    return undefined;
  }
}

/**
 * The filter with the rules of every ignore file found below the root in a scan's listings
 * (`sub/.wlsyncignore` applies below `sub/`, on both storages). After a full scan (`complete`),
 * rules of ignore files that are gone from both storages are dropped. Returns `filter` itself
 * when nothing changes. Root ignore files are read before the scan (ContainerService.loadFilter).
 */
export async function withNestedIgnoreFiles(
  filter: PathFilter,
  sides: ReadonlyArray<{ backend: StorageBackend; listing: ReadonlyMap<string, { kind: string }> }>,
  complete: boolean,
): Promise<PathFilter> {
  const found: Array<{ backend: StorageBackend; path: string }> = [];
  for (const { backend, listing } of sides) {
    for (const [path, entry] of listing) if (entry.kind === "file" && path.includes("/") && filter.isIgnoreFile(path)) found.push({ backend, path });
  }
  const nested = filter.sources.filter((s) => s.base !== "" && filter.isIgnoreFile(s.origin));
  const present = new Set(found.map((f) => f.path));
  const gone = complete ? nested.filter((s) => !present.has(s.origin)).map((s) => s.origin) : [];
  if (!found.length && !gone.length) return filter;
  const files: Array<{ path: string; text: string }> = [];
  for (const { backend, path } of found) {
    const text = await readSmallText(backend, path);
    if (text !== undefined) files.push({ path, text });
  }
  return filter.withIgnoreFiles(files, gone);
}

/** Drops from `listing` what `filter` excludes (found by a walk that did not know the nested rules yet). */
export function pruneListing(listing: Map<string, { kind: string }>, filter: PathFilter): void {
  for (const [path, entry] of listing) if (!filter.includes(path, entry.kind === "dir")) listing.delete(path);
}

import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { EntryKind, Expected, StorageBackend, StorageEntry, WriteOptions } from "../storage-backend.js";
import { isTempName } from "../temp-names.js";

/** Files, folders and links of a storage as the kit compares them. */
export interface TreeEntry {
  kind: EntryKind;
  size: number;
  /** sha256 of a file. */
  hash?: string;
  /** Target of a symlink. */
  target?: string;
}

export function sha256(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

function parentOf(path: string): string {
  const slash = path.lastIndexOf("/");
  return slash < 0 ? "" : path.slice(0, slash);
}

/** What is at `path` now, in the form compare-and-swap operations expect. */
export async function expectedAt(backend: StorageBackend, path: string): Promise<Expected> {
  const entry = await backend.stat(path);
  if (!entry) return { kind: "absent" };
  if (entry.kind === "file") return { kind: "file", hash: await backend.getHash(path, entry) };
  if (entry.kind === "dir") return { kind: "dir" };
  return { kind: "symlink", target: entry.linkTarget ?? "" };
}

/**
 * Writes a whole file through the backend's safe-replace writer, as a syncer does: the parent
 * folder is made first, and `expected` defaults to whatever is there now.
 */
export async function writeFileTo(
  backend: StorageBackend,
  path: string,
  data: string | Uint8Array,
  options: WriteOptions & { expected?: Expected } = {},
): Promise<StorageEntry> {
  const bytes = typeof data === "string" ? Buffer.from(data) : Buffer.from(data);
  const parent = parentOf(path);
  if (parent) await backend.mkdir(parent);
  const { expected: given, ...writeOptions } = options;
  const expected = given ?? (await expectedAt(backend, path));
  const hash = sha256(bytes);
  const writer = await backend.openForSafeReplace(path, expected, { size: bytes.length, hash, ...writeOptions });
  try {
    await pipeline(Readable.from([bytes]), writer.stream);
    return await writer.commit(hash);
  } catch (err) {
    await writer.abort().catch(() => {});
    throw err;
  }
}

/** The bytes of a file, or null when nothing is there. */
export async function readFileFrom(backend: StorageBackend, path: string): Promise<Buffer | null> {
  const entry = await backend.stat(path);
  if (!entry) return null;
  if (entry.kind !== "file") throw new Error(`${path} is a ${entry.kind}, not a file`);
  const chunks: Buffer[] = [];
  for await (const chunk of await backend.createReadStream(path)) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

/** The text of a file, or null when nothing is there. */
export async function readTextFrom(backend: StorageBackend, path: string): Promise<string | null> {
  return (await readFileFrom(backend, path))?.toString("utf8") ?? null;
}

/** Every entry of a storage (the tool's temporary files left out), hashes included. */
export async function listTree(backend: StorageBackend, options: { withTemp?: boolean } = {}): Promise<Map<string, TreeEntry>> {
  const out = new Map<string, TreeEntry>();
  const entries: StorageEntry[] = [];
  for await (const entry of backend.walk({ onWarning: () => {} })) {
    if (!options.withTemp && isTempName(entry.path)) continue;
    entries.push(entry);
  }
  for (const entry of entries.sort((x, y) => (x.path < y.path ? -1 : 1))) {
    const item: TreeEntry = { kind: entry.kind, size: entry.kind === "file" ? entry.size : 0 };
    if (entry.kind === "file") item.hash = await backend.getHash(entry.path, entry);
    if (entry.kind === "symlink") item.target = entry.linkTarget;
    out.set(entry.path, item);
  }
  return out;
}

/** Removes a file, link or folder (with everything below it) through compare-and-swap removals. */
export async function removeFrom(backend: StorageBackend, path: string): Promise<void> {
  const entry = await backend.stat(path);
  if (!entry) return;
  if (entry.kind === "dir") {
    const below: StorageEntry[] = [];
    for await (const e of backend.walk({ onWarning: () => {} })) if (e.path.startsWith(`${path}/`)) below.push(e);
    below.sort((x, y) => y.path.length - x.path.length);
    for (const e of below) await backend.remove(e.path, await expectedAt(backend, e.path));
  }
  await backend.remove(path, await expectedAt(backend, path));
}

/** A readable description of the first difference between two trees, or null when they agree. */
export function treeDifference(a: Map<string, TreeEntry>, b: Map<string, TreeEntry>, names: [string, string] = ["source", "target"]): string | null {
  for (const path of [...new Set([...a.keys(), ...b.keys()])].sort()) {
    const x = a.get(path);
    const y = b.get(path);
    if (!x || !y) return `${path} is only on the ${x ? names[0] : names[1]}`;
    if (x.kind !== y.kind) return `${path} is a ${x.kind} on the ${names[0]}, a ${y.kind} on the ${names[1]}`;
    if (x.kind === "file" && x.hash !== y.hash) return `${path} has different content`;
    if (x.kind === "symlink" && x.target !== y.target) return `${path} links to ${x.target} on the ${names[0]}, to ${y.target} on the ${names[1]}`;
  }
  return null;
}

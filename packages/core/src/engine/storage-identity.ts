import { createHash, randomUUID } from "node:crypto";
import { ChangedDuringSyncError, OWN_DIR, StorageChangedError, StorageUnavailableError, hasCode, isOwnPath, type Logger, type StorageBackend } from "@wlsync/plugin-api";
import type { PairState } from "../state/pair-state.js";

/** The identity marker at a storage's root (never synced: `.wlsync/` is wl's own). */
export const STORAGE_ID_PATH = `${OWN_DIR}/storage-id`;

/** What `.wlsync/storage-id` holds (JSON): the storage's id and a generation every pass advances. */
export interface StorageMarker {
  id: string;
  generation: number;
}

const sha256 = (data: Buffer): string => createHash("sha256").update(data).digest("hex");

/** The marker and the sha256 of its bytes (for a compare-and-swap rewrite); null when absent. */
async function readMarker(backend: StorageBackend): Promise<{ marker: StorageMarker; hash: string } | null> {
  const entry = await backend.stat(STORAGE_ID_PATH);
  if (!entry) return null;
  const bad = (why: string) =>
    new StorageChangedError(
      `storage ${backend.backendId}: its identity marker ${STORAGE_ID_PATH} (in ${backend.describe()}) ${why}; nothing was changed. ` +
        `If this is the right storage, delete that file and run again with --accept-storage ${backend.backendId}.`,
    );
  if (entry.kind !== "file") throw bad("is not a file");
  const { data } = await backend.readWhole(STORAGE_ID_PATH);
  let parsed: unknown;
  try {
    parsed = JSON.parse(data.toString("utf8"));
  } catch {
    throw bad("is not valid JSON");
  }
  const m = parsed as Partial<StorageMarker>;
  if (typeof m?.id !== "string" || m.id === "" || !Number.isSafeInteger(m.generation) || (m.generation as number) < 0) throw bad("does not hold an id and a generation");
  return { marker: { id: m.id, generation: m.generation as number }, hash: sha256(data) };
}

async function writeMarker(backend: StorageBackend, marker: StorageMarker, previousHash: string | null): Promise<void> {
  const data = Buffer.from(`${JSON.stringify({ ...marker, about: "wlsync storage identity; do not edit or copy (see wlsync's README)" })}\n`);
  await backend.replaceWhole(STORAGE_ID_PATH, previousHash ? { kind: "file", hash: previousHash } : { kind: "absent" }, data, sha256(data), { createParents: true });
}

/** Whether the storage holds nothing (wl's own files aside). */
async function isEmpty(backend: StorageBackend): Promise<boolean> {
  for await (const batch of backend.walkBatches({ onWarning: () => {}, include: (path) => !isOwnPath(path) })) if (batch.length) return false;
  return true;
}

/** The safe way to refill a new, replaced or emptied storage from the other one (see refillAdvice). */
export function refillHint(emptied: string, other: string): string {
  return `If it is a new or replaced disk, run once with --one-shot --accept-storage ${emptied} to refill it from ${other}`;
}

/**
 * What to do about a storage found empty where the last pass left files (a disk not mounted, a
 * new or replaced disk, a folder emptied by hand): the safe way first (accept it as a new
 * storage: a first meeting, which deletes nothing and refills it from the other side), then
 * --force. `emptied` and `other` are backend-ids; `oneWay` the pass's direction and the emptied
 * storage's role in it (a one-way pass never writes its source nor deletes there).
 */
export function refillAdvice(emptied: string, other: string, oneWay?: "source" | "target"): string {
  const accept = `run once with --one-shot --accept-storage ${emptied}`;
  if (oneWay === "source") {
    return `If it is a new or replaced disk, ${accept}: nothing is deleted on ${other} (a one-way pass copies nothing back; to refill ${emptied} from ${other}, sync once two-way or with ${other} as the source); if you emptied it on purpose, run again with --force to delete the same files on ${other}.`;
  }
  const refill = `${refillHint(emptied, other)} (a first meeting: nothing is deleted on either side)`;
  if (oneWay === "target") return `${refill}; if you emptied it on purpose, --force lets the pass leave it as it is (a one-way pass never deletes on ${other}).`;
  return `${refill}; if you emptied it on purpose, run again with --force to delete the same files on ${other}.`;
}

export interface IdentityCheck {
  /**
   * The base must be forgotten (the pass is a first meeting): the user accepted a storage
   * (`--accept-storage`: another disk, an older copy, a new or replaced disk, an emptied one) of
   * a pair that has a base.
   */
  forgetBase: boolean;
  /**
   * The marker holds exactly the id and generation this pair recorded for it at its last
   * advance: the generation need not advance until this pass writes something (see
   * checkStorageIdentity). Always false once the marker was advanced.
   */
  current: boolean;
}

/**
 * A storage is what it was: its marker (`.wlsync/storage-id`: an id and a generation) must carry
 * the id this pair last recorded for it, and a generation not behind the recorded one. Another
 * disk at the same path (another id, or no marker where there was one) and an older copy of the
 * same storage (a restored `cp -a` backup or disk image: its generation is behind) stop the pass
 * with StorageChangedError (exit 3) unless the user accepts the storage (`accept`). An accepted
 * storage of a pair with a base always makes the pass a first meeting (`forgetBase`), whatever
 * its marker says: also a new, replaced or emptied disk (marker kept or gone), which that pass
 * refills from the other side without deleting anything. Unless `dryRun`, the generation is then advanced
 * (marker first, then the state: a crash between leaves the marker ahead, never behind) and
 * recorded. The engine advances it before the first write of a pass (to either storage or to the
 * pair's base), not at the start of every pass: a pass that changes nothing writes nothing, and
 * a copy taken since the last write holds what the base describes. An older copy is one taken
 * before a pass that wrote, and its generation is behind. `emptiedIsUnmounted` (passes that may change something, unforced): a
 * storage that holds nothing, not even the marker it had, is a disk that is not mounted
 * (StorageUnavailableError, its message naming --accept-storage to refill it, then --force)
 * rather than one emptied by hand. Where the marker cannot be written
 * (a read-only root), the root's own identity (device and inode) is recorded instead, and
 * rollbacks cannot be told.
 */
export async function checkStorageIdentity(
  backend: StorageBackend,
  pair: PairState,
  options: IdentityOptions,
): Promise<IdentityCheck> {
  // Another machine's pass over the same storage (a bucket two hosts sync with) may advance the
  // marker between our read and our write: that is no other disk. Read it again and retry; only
  // a marker that keeps changing gives up, as a pass to run again (never an identity pause).
  for (let attempt = 1; ; attempt++) {
    try {
      return await checkOnce(backend, pair, options);
    } catch (err) {
      // A marker that does not parse may be one being written by that other pass right now, on a
      // server whose writes are not atomic (s3rver): read again before calling it damaged.
      const unreadable = hasCode(err, "E_STORAGE_CHANGED") && (err as Error).message.includes("is not valid JSON");
      if (unreadable && attempt < MARKER_ATTEMPTS) {
        await new Promise((r) => setTimeout(r, 50 + Math.random() * 200 * attempt));
        continue;
      }
      if (!(err instanceof MarkerRace)) throw err;
      if (attempt >= MARKER_ATTEMPTS) throw new ChangedDuringSyncError(`storage ${backend.backendId} (${backend.describe()}): its identity marker was changed by another pass ${attempt} times in a row; the pass will run again`);
      await new Promise((r) => setTimeout(r, 50 + Math.random() * 200 * attempt));
    }
  }
}

/**
 * `accept`: the user accepted this storage (`--accept-storage`). `other`: the other storage's
 * backend-id and `oneWay` this storage's role in a one-way pass (for the emptied-storage advice).
 */
export interface IdentityOptions {
  accept: boolean;
  dryRun: boolean;
  logger: Logger;
  emptiedIsUnmounted?: boolean;
  other?: string;
  oneWay?: "source" | "target";
}

/** How often a marker advanced by a concurrent pass is read and written again. */
const MARKER_ATTEMPTS = 5;

/** The marker was replaced between this pass's read and its compare-and-swap write. */
class MarkerRace extends Error {}

async function checkOnce(
  backend: StorageBackend,
  pair: PairState,
  options: IdentityOptions,
): Promise<IdentityCheck> {
  const key = backend.identity();
  const known = pair.storageMark(key);
  const found = await readMarker(backend);
  const where = `storage ${backend.backendId} (${backend.describe()})`;
  const confirm = `Nothing was changed. If this is the storage you want to sync, run again with --accept-storage ${backend.backendId}: the pair then starts over as at a first meeting (files that differ become conflicts, nothing is overwritten).`;
  let mismatch: string | undefined;
  if (known && !known.storageId.startsWith("dev:")) {
    if (!found) {
      if (!(await isEmpty(backend))) {
        mismatch = `${where} has no identity marker (${STORAGE_ID_PATH}), but this pair's last pass found storage ${known.storageId} there: is another disk at that path?`;
      } else if (options.emptiedIsUnmounted && !options.accept) {
        // Nothing at all, not even its marker: the disk is not mounted (its empty mount point).
        // Nothing is written there (a continuous job waits and resumes when the disk is back);
        // --force lets an intended emptying through to the emptied-storage gate, which it passes.
        const synced = pair.countSyncedFiles();
        throw new StorageUnavailableError(
          `storage ${backend.backendId} is empty, but ${synced} file${synced === 1 ? " was" : "s were"} synced with it at the last pass and its identity marker is gone: is its disk mounted (${backend.describe()})? ` +
            `Nothing was changed. ${refillAdvice(backend.backendId, options.other ?? "the other side", options.oneWay)}`,
        );
      }
    } else if (found.marker.id !== known.storageId) mismatch = `${where} is storage ${found.marker.id}, not storage ${known.storageId} that this pair synced with: is another disk at that path?`;
    else if (found.marker.generation < known.generation) {
      mismatch = `${where} is an older copy of itself: its generation ${found.marker.generation} is behind ${known.generation}, seen by this pair's last pass (a restored backup or disk image?); syncing it would bring old versions back over newer ones.`;
    }
  }
  if (mismatch && !options.accept) throw new StorageChangedError(`${mismatch} ${confirm}`);
  // An accepted storage makes the pass a first meeting whatever its marker says: a disk found
  // empty (its marker kept or gone) is refilled from the other side, never emptied to match it.
  const accepted = options.accept && (!!known || pair.countSyncedFiles() > 0);
  const current = !mismatch && !accepted && !!found && !!known && found.marker.id === known.storageId && found.marker.generation === known.generation;
  const check: IdentityCheck = { forgetBase: !!mismatch || accepted, current };
  if (options.dryRun) return check;
  check.current = false;

  const next: StorageMarker = {
    id: found?.marker.id ?? randomUUID(),
    generation: Math.max(found?.marker.generation ?? 0, mismatch ? 0 : (known?.generation ?? 0)) + 1,
  };
  try {
    await writeMarker(backend, next, found?.hash ?? null);
  } catch (err) {
    if (hasCode(err, "E_CAS")) throw new MarkerRace(where);
    if (found) {
      // A marker that cannot be advanced (read-only media): it still tells disks apart.
      options.logger.debug(`${backend.backendId}: cannot advance ${STORAGE_ID_PATH}: ${(err as Error).message}`);
      pair.recordStorageMark(key, found.marker.id, found.marker.generation);
      return check;
    }
    const root = await backend.rootIdentity().catch(() => null);
    if (!root) {
      options.logger.warn(`${where}: cannot write ${STORAGE_ID_PATH} (${(err as Error).message}); another disk at the same path would not be noticed`);
      return check;
    }
    if (known?.storageId.startsWith("dev:") && known.storageId !== root && !options.accept) {
      throw new StorageChangedError(`${where} is not the folder this pair synced with (its device and inode changed; no marker could be written there): is another disk at that path? ${confirm}`);
    }
    pair.recordStorageMark(key, root, 0);
    return { forgetBase: check.forgetBase || (!!known && known.storageId !== root), current: false };
  }
  pair.recordStorageMark(key, next.id, next.generation);
  return check;
}

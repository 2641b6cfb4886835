import { createHash, type Hash } from "node:crypto";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { BackendError, ChangedDuringSyncError, describeSystemError, isWlError } from "@wlsync/plugin-api";
import { SMALL_FILE_BYTES, type CopyDone, type FileReader, type ResumableWriter, type SafeReplaceWriter, type WriteOptions } from "@wlsync/plugin-api";
import { forEachLimit, modeOfCopy } from "@wlsync/plugin-api";
import type { CopyTask, TransferHooks, Transferer } from "@wlsync/plugin-api";
import { other } from "./side.js";
import type { ByteThrottle } from "./throttle.js";
import type { TransferCheckpoints } from "./transfer-checkpoints.js";

/**
 * The default transfer: read the source once, hashing the bytes as they stream into the
 * destination's safe-replace writer; the source must not have changed while it was read, and
 * the bytes must hash to what the plan saw, before the new content is swapped into place.
 * Small files take the same steps with their content in memory (readWhole, replaceWhole).
 */
export class StreamTransferer implements Transferer {
  /**
   * `throttle`: the pass's bandwidth limit, shared by all its copies (--bwlimit, bwlimit:).
   * `checkpoints`: where large copies record how far they got, so that a later pass can resume
   * them (absent: every copy starts from the first byte).
   */
  constructor(
    private readonly concurrency = 8,
    private readonly throttle?: ByteThrottle,
    private readonly signal?: AbortSignal,
    private readonly checkpoints?: TransferCheckpoints,
  ) {}

  async copy(tasks: CopyTask[], hooks: TransferHooks): Promise<void> {
    let sliceStarted = Date.now(); // not performance.now(): see backend-local's walk
    const one = async (task: CopyTask) => {
      if (this.signal?.aborted) return; // stopped by the user: the rest is for the next pass
      try {
        hooks.onDone(task, await copyOne(task, { onBytes: hooks.onBytes, throttle: this.throttle, signal: this.signal, checkpoints: this.checkpoints }));
      } catch (err) {
        hooks.onError(task, err);
      }
      // A backend that answers small files without waiting on I/O would otherwise keep the
      // event loop (streams of large files, timers, the daemon's socket) from running.
      if (Date.now() - sliceStarted > 10) {
        await new Promise((resolve) => setImmediate(resolve));
        sliceStarted = Date.now();
      }
    };
    // Large copies between local folders get at most LOCAL_LARGE_IN_FLIGHT of the slots, the
    // other copies the rest, so that small files are copied while large ones wait on the disk.
    const largeLimit = Math.min(LOCAL_LARGE_IN_FLIGHT, this.concurrency - 1);
    const large = largeLimit > 0 ? tasks.filter(isLargeLocal) : [];
    if (large.length === 0) return forEachLimit(tasks, this.concurrency, one);
    const rest = tasks.filter((task) => !isLargeLocal(task));
    await Promise.all([forEachLimit(large, largeLimit, one), forEachLimit(rest, this.concurrency - largeLimit, one)]);
  }
}

/**
 * Large local-to-local copies at once: each keeps up to three 1 MiB reads and writes in the
 * thread pool (4 threads), so more of them only queue there and interleave the disk's writes;
 * see bench/README.md, "Measurements behind code choices".
 */
export const LOCAL_LARGE_IN_FLIGHT = 2;

const isLargeLocal = (task: CopyTask): boolean => task.action.entry.size > SMALL_FILE_BYTES && task.from.localPath() !== null && task.to.localPath() !== null;

/** A system error of one side of a copy, said in words (named errors pass through unchanged). */
function ioError(err: unknown, what: string): unknown {
  if (isWlError(err) || !(err as NodeJS.ErrnoException)?.code) return err;
  return new BackendError(`${what}: ${describeSystemError(err)}`, err);
}

/** What a copy reports its bytes to, the bandwidth limit it keeps (if any), and where large copies keep their checkpoints (if anywhere). */
type CopyHooks = Pick<TransferHooks, "onBytes"> & { throttle?: ByteThrottle; signal?: AbortSignal; checkpoints?: TransferCheckpoints };

/** Files at least this large are copied resumably where the destination can (StorageBackend.openResumable). */
export const RESUMABLE_MIN_BYTES = 16 << 20;

/** Bytes between two checkpoints of a resumable copy: a sixteenth of the file, within 4 to 64 MiB. */
export function checkpointStep(size: number): number {
  const mib = 1 << 20;
  return Math.min(64 * mib, Math.max(4 * mib, Math.floor(size / 16 / mib) * mib));
}

const writeOptionsOf = (task: CopyTask): WriteOptions => ({
  size: task.action.entry.size,
  mtimeMs: task.action.entry.mtimeMs,
  mode: modeOfCopy(task.action),
  hash: task.action.hash,
  createParents: task.action.createParents ?? true,
});

export async function copyOne(task: CopyTask, hooks: CopyHooks): Promise<CopyDone> {
  if (task.action.entry.size <= SMALL_FILE_BYTES) return copyWhole(task, hooks);
  if (hooks.checkpoints && task.to.openResumable && task.action.entry.size >= RESUMABLE_MIN_BYTES) {
    const reader = await task.from.openReader(task.action.path).catch((err: unknown) => {
      throw ioError(err, `cannot read it on ${task.from.backendId}`);
    });
    if (reader) return copyResumable(task, hooks, hooks.checkpoints, reader);
  }
  const writer = await task.to.openForSafeReplace(task.action.path, task.action.expected, writeOptionsOf(task));
  return finishCopy(task, writer, hooks);
}

/** Moves the bytes into `writer` (positionally where it can) and commits them; drops the write on failure. */
async function finishCopy(task: CopyTask, writer: SafeReplaceWriter, hooks: CopyHooks): Promise<CopyDone> {
  const { action, from } = task;
  try {
    const reader = writer.writeAt
      ? await from.openReader(action.path).catch((err: unknown) => {
          throw ioError(err, `cannot read it on ${from.backendId}`);
        })
      : undefined;
    const digest = reader ? await copyInChunks(reader, writer, task, hooks) : await copyStreamed(writer, task, hooks);
    return await commitCopy(task, writer, digest);
  } catch (err) {
    await writer.abort().catch(() => {});
    throw err;
  }
}

/**
 * The end of every streamed copy: the source must still have the token the plan saw and the
 * bytes (`digest`) the planned sha256, before the new content is swapped into place.
 */
async function commitCopy(task: CopyTask, writer: SafeReplaceWriter, digest: string): Promise<CopyDone> {
  const { action, from, to } = task;
  const { entry } = action;
  const tokenAfter = await from.getFileToken(action.path);
  if (tokenAfter !== entry.token) throw changedOnSource(task);
  if (action.hash && action.hash !== digest) throw new ChangedDuringSyncError(`${action.path}: content differs from what was planned; it will be synced on the next pass`);
  const written = await writer.commit(digest);
  from.rememberHash(action.path, entry, digest);
  to.rememberHash(action.path, written, digest);
  return { hash: digest, entry: written };
}

const changedOnSource = (task: CopyTask) =>
  new ChangedDuringSyncError(`${task.action.path}: changed on the ${other(task.action.to)} while it was copied; it will be synced on the next pass`);

/** copyOne for a small file: the same checks, with the bytes in memory instead of streamed. */
async function copyWhole(task: CopyTask, hooks: CopyHooks) {
  const { action, from, to } = task;
  const { entry } = action;
  const { data, token } = await from.readWhole(action.path).catch((err: unknown) => {
    throw ioError(err, `cannot read it on ${from.backendId}`);
  });
  if (token !== entry.token) throw changedOnSource(task);
  const digest = createHash("sha256").update(data).digest("hex");
  if (action.hash && action.hash !== digest) throw new ChangedDuringSyncError(`${action.path}: content differs from what was planned; it will be synced on the next pass`);
  await hooks.throttle?.take(data.length);
  hooks.onBytes(data.length, task);
  const written = await to
    .replaceWhole(action.path, action.expected, data, digest, {
      size: entry.size,
      mtimeMs: entry.mtimeMs,
      mode: modeOfCopy(action),
      createParents: action.createParents ?? true,
    })
    .catch((err: unknown) => {
      throw ioError(err, `cannot write it on ${to.backendId}`);
    });
  from.rememberHash(action.path, entry, digest);
  to.rememberHash(action.path, written, digest);
  return { hash: digest, entry: written };
}

async function copyStreamed(writer: SafeReplaceWriter, task: CopyTask, hooks: CopyHooks): Promise<string> {
  const hash = createHash("sha256");
  const throttle = hooks.throttle;
  const tap = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      hooks.onBytes(chunk.length, task);
      if (!throttle) return callback(null, chunk);
      throttle.take(chunk.length).then(() => callback(null, chunk), callback);
    },
  });
  const source = await task.from.createReadStream(task.action.path).catch((err: unknown) => {
    throw ioError(err, `cannot read it on ${task.from.backendId}`);
  });
  await pipeline(source, tap, writer.stream, ...(hooks.signal ? [{ signal: hooks.signal }] : [])).catch((err: unknown) => {
    if ((err as Error)?.name === "AbortError") throw err;
    throw ioError(err, writer.stream.errored ? `cannot write it on ${task.to.backendId}` : `cannot read it on ${task.from.backendId}`);
  });
  return hash.digest("hex");
}

const CHUNK_BYTES = 1 << 20;
const EMPTY_SHA256 = createHash("sha256").digest("hex");

/**
 * A chunked copy that continues at `start` (hash: the sha256 of the bytes before it) and
 * reports a checkpoint about every `step` bytes, at multiples of `alignment`, once every byte
 * before it is written.
 */
interface ChunkResume {
  start: number;
  hash: Hash;
  step: number;
  alignment: number;
  onCheckpoint(offset: number, prefixSha256: string): Promise<void>;
  /**
   * true: the copy goes on while a checkpoint waits for the writes before it and is saved
   * (they are saved in order, each once every byte before its offset is written); false: the
   * copy waits (a writer whose checkpoint() stores what was written, as S3's parts).
   */
  overlap: boolean;
}

/**
 * A large copy that a later pass can continue where this one stopped (killed, crashed, Ctrl-C).
 * Every checkpointStep bytes, once all bytes before it are written, it records the offset and
 * the sha256 of those bytes as read from the source (TransferCheckpoints). A later pass
 * continues only the same copy: same source storage, path, token and size, and a destination
 * that still holds its own partial file with at least the checkpoint's bytes. Those bytes are
 * read back from the destination and must hash to the recorded sha256 (anything else, such as a
 * corrupted or truncated partial file, starts the copy over); they also feed the whole file's
 * sha256, which is checked as for any copy. Node's sha256 cannot save and load its state, so
 * this reading back is the price of resuming (about a third of a full copy on a local disk;
 * little next to a network transfer).
 */
async function copyResumable(task: CopyTask, hooks: CopyHooks, store: TransferCheckpoints, reader: FileReader): Promise<CopyDone> {
  const { action, from, to } = task;
  const { entry } = action;
  const source = from.identity();
  const target = to.identity();
  const found = store.load(target, action.path);
  if (found?.live) {
    // Another running wl may be writing this very file: neither continue nor remove its part.
    await reader.close();
    const writer = await to.openForSafeReplace(action.path, action.expected, writeOptionsOf(task));
    return finishCopy(task, writer, hooks);
  }
  const checkpoint = found?.checkpoint;
  const usable = !!checkpoint && checkpoint.source === source && checkpoint.token === entry.token && checkpoint.size === entry.size && checkpoint.offset > 0 && checkpoint.offset <= entry.size;
  const options = writeOptionsOf(task);
  let writer: ResumableWriter;
  try {
    writer = await to.openResumable!(action.path, action.expected, options, checkpoint ? { handle: checkpoint.handle, offset: checkpoint.offset, keep: usable, prefixSha256: checkpoint.prefixSha256 } : undefined);
  } catch (err) {
    await reader.close();
    throw err;
  }
  if (checkpoint && !writer.offset) store.remove(target, action.path);
  let saved = 0; // the offset of the last checkpoint saved by this copy
  try {
    let hash = createHash("sha256");
    let start = 0;
    if (writer.offset > 0 && checkpoint) {
      // The kept bytes themselves where they can be read back (a local partial file); else the
      // source's, the backend having checked its stored parts against the handle.
      const prefix = writer.openPrefixReader ? await writer.openPrefixReader() : undefined;
      const digest = await hashPrefix(prefix ?? reader, writer.offset, hash)
        .catch(() => undefined)
        .finally(() => prefix?.close());
      if (digest === checkpoint.prefixSha256) start = writer.offset;
      else {
        // The kept bytes are not what was copied (damaged, or written by someone else): start over.
        await writer.abort();
        store.remove(target, action.path);
        hash = createHash("sha256");
        writer = await to.openResumable!(action.path, action.expected, options);
      }
    }
    if (start) hooks.onBytes(start, task); // progress: those bytes are there
    const save = (offset: number, prefixSha256: string, handle = writer.handle) => {
      store.save({ source, target, path: action.path, token: entry.token, size: entry.size, offset, prefixSha256, handle });
      saved = offset;
    };
    // A checkpoint at once, even at 0: a pass killed before the first real one still tells the
    // next pass which partial file (or upload) is its own to remove.
    if (start) saved = start;
    else save(0, EMPTY_SHA256);
    const alignment = writer.alignment ?? 1;
    const step = Math.ceil(Math.max(checkpointStep(entry.size), alignment) / alignment) * alignment;
    const digest = await copyInChunks(reader, writer, task, hooks, {
      start,
      hash,
      step,
      alignment,
      overlap: !writer.checkpoint,
      onCheckpoint: async (offset, prefixSha256) => {
        const handle = writer.checkpoint ? await writer.checkpoint(offset) : writer.handle;
        if (handle) save(offset, prefixSha256, handle);
      },
    });
    const done = await commitCopy(task, writer, digest);
    store.remove(target, action.path);
    return start ? { ...done, resumed: start } : done;
  } catch (err) {
    await reader.close().catch(() => {}); // closed already unless it failed before the copy
    if (((err as Error)?.name === "AbortError" || hooks.signal?.aborted) && saved > 0) {
      // Stopped by the user: the part written stays for the next pass (its checkpoint is saved).
      await writer.suspend().catch(() => {});
    } else {
      await writer.abort().catch(() => {});
      store.remove(target, action.path);
    }
    throw err;
  }
}

/**
 * Feeds the first `length` bytes read through `reader` into `hash` (two buffers: the next read
 * runs while the current chunk is hashed); returns the sha256 of those bytes.
 */
async function hashPrefix(reader: FileReader, length: number, hash: Hash): Promise<string> {
  const buffers = [Buffer.allocUnsafeSlow(CHUNK_BYTES), Buffer.allocUnsafeSlow(CHUNK_BYTES)];
  const readAt = (i: number, position: number): Promise<number> => {
    const p = reader.read(buffers[i % 2]!.subarray(0, Math.min(CHUNK_BYTES, length - position)), position);
    p.catch(() => {}); // awaited on the next turn; no unhandled rejection meanwhile
    return p;
  };
  let position = 0;
  let reading = length > 0 ? readAt(0, 0) : undefined;
  for (let i = 0; reading; i++) {
    const n = await reading;
    if (n === 0) throw new Error("shorter than its checkpoint");
    position += n;
    reading = position < length ? readAt(i + 1, position) : undefined;
    hash.update(buffers[i % 2]!.subarray(0, n));
  }
  return hash.copy().digest("hex");
}

/**
 * A large file between backends with positional I/O: three buffers in turn, the next chunk
 * read while the current one is hashed and written, and no buffer allocated per chunk (a
 * stream allocates one per chunk, markedly slower: bench/README.md, "Measurements behind code choices").
 */
async function copyInChunks(reader: FileReader, writer: SafeReplaceWriter, task: CopyTask, hooks: CopyHooks, resume?: ChunkResume): Promise<string> {
  const writeAt = writer.writeAt!;
  const hash = resume?.hash ?? createHash("sha256");
  let nextCheckpoint = resume ? resume.start + resume.step : Number.POSITIVE_INFINITY;
  const buffers = [Buffer.allocUnsafeSlow(CHUNK_BYTES), Buffer.allocUnsafeSlow(CHUNK_BYTES), Buffer.allocUnsafeSlow(CHUNK_BYTES)];
  const writes: Array<Promise<void> | undefined> = [undefined, undefined, undefined];
  // Every promise gets a handler at once (the loop awaits it later): a failure while the loop
  // waits for something else must not surface as an unhandled rejection.
  const started = <T>(p: Promise<T>): Promise<T> => (p.catch(() => {}), p);
  let position = resume?.start ?? 0;
  // Checkpoints saved while the copy goes on (resume.overlap), one after the other.
  let checkpoints: Promise<void> = Promise.resolve();
  try {
    let reading = started(reader.read(buffers[0]!, position));
    for (let i = 0; ; i++) {
      const n = await reading;
      if (n === 0) break;
      hooks.signal?.throwIfAborted();
      const current = buffers[i % 3]!;
      const at = position;
      position += n;
      const next = (i + 1) % 3;
      await writes[next]; // its buffer is free again
      reading = started(reader.read(buffers[next]!, position));
      hash.update(current.subarray(0, n));
      await hooks.throttle?.take(n);
      hooks.onBytes(n, task);
      writes[i % 3] = started(writeAt(current, n, at));
      if (resume && position >= nextCheckpoint && position % resume.alignment === 0) {
        const offset = position;
        const prefixSha256 = hash.copy().digest("hex");
        const before = Promise.all(writes); // every byte before `offset` is written once these are
        const { onCheckpoint } = resume;
        if (resume.overlap) checkpoints = started(checkpoints.then(() => before).then(() => onCheckpoint(offset, prefixSha256)));
        else {
          await before;
          await onCheckpoint(offset, prefixSha256);
        }
        nextCheckpoint = position + resume.step;
      }
    }
    await Promise.all(writes);
    await checkpoints;
  } catch (err) {
    if ((err as Error)?.name === "AbortError") throw err;
    throw ioError(err, `cannot copy it from ${task.from.backendId} to ${task.to.backendId}`);
  } finally {
    await Promise.allSettled([...writes, checkpoints]); // a checkpoint saved on the way out is known to the caller
    await reader.close();
  }
  return hash.digest("hex");
}

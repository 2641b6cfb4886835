import { createHash } from "node:crypto";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { BackendError, ChangedDuringSyncError, describeSystemError, isWlError } from "@wlsync/plugin-api";
import { SMALL_FILE_BYTES, type FileReader, type SafeReplaceWriter } from "@wlsync/plugin-api";
import { forEachLimit, modeOfCopy } from "@wlsync/plugin-api";
import type { CopyTask, TransferHooks, Transferer } from "@wlsync/plugin-api";
import { other } from "./side.js";
import type { ByteThrottle } from "./throttle.js";

/**
 * The default transfer: read the source once, hashing the bytes as they stream into the
 * destination's safe-replace writer; the source must not have changed while it was read, and
 * the bytes must hash to what the plan saw, before the new content is swapped into place.
 * Small files take the same steps with their content in memory (readWhole, replaceWhole).
 */
export class StreamTransferer implements Transferer {
  /** `throttle`: the pass's bandwidth limit, shared by all its copies (--bwlimit, bwlimit:). */
  constructor(
    private readonly concurrency = 8,
    private readonly throttle?: ByteThrottle,
    private readonly signal?: AbortSignal,
  ) {}

  async copy(tasks: CopyTask[], hooks: TransferHooks): Promise<void> {
    let sliceStarted = performance.now();
    await forEachLimit(tasks, this.concurrency, async (task) => {
      if (this.signal?.aborted) return; // stopped by the user: the rest is for the next pass
      try {
        hooks.onDone(task, await copyOne(task, this.throttle || this.signal ? { onBytes: hooks.onBytes, throttle: this.throttle, signal: this.signal } : hooks));
      } catch (err) {
        hooks.onError(task, err);
      }
      // A backend that answers small files without waiting on I/O would otherwise keep the
      // event loop (streams of large files, timers, the daemon's socket) from running.
      if (performance.now() - sliceStarted > 10) {
        await new Promise((resolve) => setImmediate(resolve));
        sliceStarted = performance.now();
      }
    });
  }
}

/** A system error of one side of a copy, said in words (named errors pass through unchanged). */
function ioError(err: unknown, what: string): unknown {
  if (isWlError(err) || !(err as NodeJS.ErrnoException)?.code) return err;
  return new BackendError(`${what}: ${describeSystemError(err)}`, err);
}

/** What a copy reports its bytes to, and the bandwidth limit it keeps (if any). */
type CopyHooks = Pick<TransferHooks, "onBytes"> & { throttle?: ByteThrottle; signal?: AbortSignal };

export async function copyOne(task: CopyTask, hooks: CopyHooks) {
  if (task.action.entry.size <= SMALL_FILE_BYTES) return copyWhole(task, hooks);
  const { action, from, to } = task;
  const { entry } = action;
  const writer = await to.openForSafeReplace(action.path, action.expected, {
    size: entry.size,
    mtimeMs: entry.mtimeMs,
    mode: entry.mode,
    hash: action.hash,
    createParents: action.createParents ?? true,
  });
  try {
    const reader = writer.writeAt
      ? await from.openReader(action.path).catch((err: unknown) => {
          throw ioError(err, `cannot read it on ${from.backendId}`);
        })
      : undefined;
    const digest = reader ? await copyInChunks(reader, writer, task, hooks) : await copyStreamed(writer, task, hooks);
    const tokenAfter = await from.getFileToken(action.path);
    if (tokenAfter !== entry.token) throw changedOnSource(task);
    if (action.hash && action.hash !== digest) throw new ChangedDuringSyncError(`${action.path}: content differs from what was planned; it will be synced on the next pass`);
    const written = await writer.commit(digest);
    from.rememberHash(action.path, entry, digest);
    to.rememberHash(action.path, written, digest);
    return { hash: digest, entry: written };
  } catch (err) {
    await writer.abort().catch(() => {});
    throw err;
  }
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

/**
 * A large file between backends with positional I/O: three buffers in turn, the next chunk
 * read while the current one is hashed and written, and no buffer allocated per chunk (a
 * stream allocates one per chunk, markedly slower: bench/README.md, "Measurements behind code choices").
 */
async function copyInChunks(reader: FileReader, writer: SafeReplaceWriter, task: CopyTask, hooks: CopyHooks): Promise<string> {
  const writeAt = writer.writeAt!;
  const hash = createHash("sha256");
  const buffers = [Buffer.allocUnsafeSlow(CHUNK_BYTES), Buffer.allocUnsafeSlow(CHUNK_BYTES), Buffer.allocUnsafeSlow(CHUNK_BYTES)];
  const writes: Array<Promise<void> | undefined> = [undefined, undefined, undefined];
  // Every promise gets a handler at once (the loop awaits it later): a failure while the loop
  // waits for something else must not surface as an unhandled rejection.
  const started = <T>(p: Promise<T>): Promise<T> => (p.catch(() => {}), p);
  let position = 0;
  try {
    let reading = started(reader.read(buffers[0]!, 0));
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
    }
    await Promise.all(writes);
  } catch (err) {
    if ((err as Error)?.name === "AbortError") throw err;
    throw ioError(err, `cannot copy it from ${task.from.backendId} to ${task.to.backendId}`);
  } finally {
    await Promise.allSettled(writes);
    await reader.close();
  }
  return hash.digest("hex");
}

import { createHash } from "node:crypto";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { ChangedDuringSyncError } from "../contracts/errors.js";
import { forEachLimit } from "../util/pool.js";
import type { CopyTask, TransferHooks, Transferer } from "./transferer.js";

/**
 * The default transfer: read the source once, hashing the bytes as they stream into the
 * destination's safe-replace writer; the source must not have changed while it was read, and
 * the bytes must hash to what the plan saw, before the new content is swapped into place.
 */
export class StreamTransferer implements Transferer {
  constructor(private readonly concurrency = 8) {}

  async copy(tasks: CopyTask[], hooks: TransferHooks): Promise<void> {
    await forEachLimit(tasks, this.concurrency, async (task) => {
      try {
        hooks.onDone(task, await copyOne(task, hooks));
      } catch (err) {
        hooks.onError(task, err);
      }
    });
  }
}

export async function copyOne(task: CopyTask, hooks: Pick<TransferHooks, "onBytes">) {
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
    const hash = createHash("sha256");
    const tap = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        hash.update(chunk);
        hooks.onBytes(chunk.length, task);
        callback(null, chunk);
      },
    });
    await pipeline(await from.createReadStream(action.path), tap, writer.stream);
    const digest = hash.digest("hex");
    const tokenAfter = await from.getFileToken(action.path);
    if (tokenAfter !== entry.token) throw new ChangedDuringSyncError(`${action.path}: changed on the ${action.to === "target" ? "source" : "target"} while it was copied; it will be synced on the next pass`);
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

import { createHash } from "node:crypto";
import { open } from "node:fs/promises";

const CHUNK = 1 << 20;

/**
 * sha256 of a local file, read with one buffer sized to the file (at most 1 MiB): hashing ten
 * thousand small files should not allocate ten thousand 1 MiB stream buffers.
 */
export async function sha256File(path: string, sizeHint = CHUNK): Promise<string> {
  const handle = await open(path, "r");
  try {
    const hash = createHash("sha256");
    const buffer = Buffer.allocUnsafe(Math.min(Math.max(sizeHint, 0) + 1, CHUNK));
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      hash.update(buffer.subarray(0, bytesRead));
    }
    return hash.digest("hex");
  } finally {
    await handle.close();
  }
}

import type { Socket } from "node:net";

/**
 * The daemon protocol's framing, for both ends: one JSON value per line (UTF-8, `\n`-ended).
 * `readLines` calls `onLine` with each complete, non-blank line as it arrives; when a line
 * grows past `maxBytes` without its newline, the partial line is dropped and `onOverflow` runs
 * (the daemon answers with an error and closes the connection). `writeLine` sends one value.
 */
export function readLines(socket: Socket, onLine: (line: string) => void, options: { maxBytes?: number; onOverflow?: () => void } = {}): void {
  let buffer = "";
  socket.setEncoding("utf8");
  socket.on("data", (chunk: string) => {
    buffer += chunk;
    let newline: number;
    while ((newline = buffer.indexOf("\n")) >= 0) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      if (line.trim()) onLine(line);
    }
    if (options.maxBytes !== undefined && Buffer.byteLength(buffer) > options.maxBytes) {
      buffer = "";
      options.onOverflow?.();
    }
  });
}

/** Sends `message` as one line of JSON. */
export function writeLine(socket: Socket, message: unknown): void {
  socket.write(`${JSON.stringify(message)}\n`);
}

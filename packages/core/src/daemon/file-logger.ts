import { appendFileSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import type { Logger } from "@wlsync/plugin-api";

/** The daemon's log: one timestamped line per message, appended to a file under the state dir. */
export class FileLogger implements Logger {
  constructor(
    private readonly file: string,
    private readonly verbose = process.env.WLSYNC_DEBUG === "1",
  ) {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  }
  private write(level: string, message: string): void {
    try {
      appendFileSync(this.file, `${new Date().toISOString()} ${level} ${message}\n`);
    } catch {
      // a full disk must not take the daemon down
    }
  }
  debug(message: string): void {
    if (this.verbose) this.write("debug", message);
  }
  info(message: string): void {
    this.write("info", message);
  }
  warn(message: string): void {
    this.write("warn", message);
  }
  error(message: string): void {
    this.write("error", message);
  }
}

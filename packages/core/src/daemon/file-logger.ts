import { mkdirSync } from "node:fs";
import { basename, dirname } from "node:path";
import type { Logger } from "@wlsync/plugin-api";
import winston from "winston";

/** Size at which the daemon's log is rotated (bytes). Env WLSYNC_LOG_MAX_BYTES. */
const MAX_BYTES = Number(process.env.WLSYNC_LOG_MAX_BYTES) || 10 * 1024 * 1024;
/** Rotated files kept besides the current one. */
const KEEP_FILES = 5;

/**
 * The daemon's log: one timestamped line per message (`2026-11-30T14:00:00.000Z info job …`),
 * written by winston to a file rotated by size: `daemon.log` is the newest, `daemon1.log` the
 * one before, up to `daemon5.log` (older ones are deleted). A full disk never takes the daemon
 * down: write errors are dropped.
 */
export class FileLogger implements Logger {
  private readonly logger: winston.Logger;

  constructor(
    file: string,
    private readonly verbose = process.env.WLSYNC_DEBUG === "1",
  ) {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    const transport = new winston.transports.File({ dirname: dirname(file), filename: basename(file), maxsize: MAX_BYTES, maxFiles: KEEP_FILES + 1, tailable: true });
    transport.on("error", () => {});
    this.logger = winston.createLogger({
      level: verbose ? "debug" : "info",
      format: winston.format.combine(
        winston.format.timestamp(),
        winston.format.printf((info) => `${String(info.timestamp)} ${info.level} ${String(info.message)}`),
      ),
      transports: [transport],
      exitOnError: false,
    });
    this.logger.on("error", () => {});
  }
  debug(message: string): void {
    if (this.verbose) this.logger.debug(message);
  }
  info(message: string): void {
    this.logger.info(message);
  }
  warn(message: string): void {
    this.logger.warn(message);
  }
  error(message: string): void {
    this.logger.error(message);
  }
  /** Resolves once everything logged so far is written (before the process exits). */
  flush(): Promise<void> {
    return new Promise((resolve) => {
      this.logger.once("finish", () => resolve());
      this.logger.end();
      setTimeout(resolve, 2000).unref();
    });
  }
}

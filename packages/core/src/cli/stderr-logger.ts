import type { Logger } from "@wlsync/plugin-api";

/** Debug output is enabled by WLSYNC_DEBUG=1 or `--debug`; warnings and errors always reach stderr. */
export class StderrLogger implements Logger {
  constructor(private readonly verbose = process.env.WLSYNC_DEBUG === "1") {}
  debug(message: string): void {
    if (this.verbose) process.stderr.write(`debug: ${message}\n`);
  }
  info(message: string): void {
    if (this.verbose) process.stderr.write(`${message}\n`);
  }
  warn(message: string): void {
    process.stderr.write(`warning: ${message}\n`);
  }
  error(message: string): void {
    process.stderr.write(`error: ${message}\n`);
  }
}

import type { ProgressInfo } from "@wlsync/plugin-api";
import { formatBytes } from "./format.js";

/** One self-rewriting status line on a TTY (stderr); silent when stderr is not a terminal. */
export class ProgressLine {
  private readonly enabled: boolean;
  private readonly started = Date.now();
  private shown = false;

  constructor(private readonly stream: NodeJS.WriteStream = process.stderr) {
    this.enabled = !!stream.isTTY;
  }

  update(p: ProgressInfo): void {
    if (!this.enabled) return;
    const seconds = Math.max((Date.now() - this.started) / 1000, 0.001);
    const rate = p.bytesDone / seconds;
    const eta = rate > 0 ? Math.ceil((p.bytesTotal - p.bytesDone) / rate) : 0;
    const line = `${p.filesDone}/${p.filesTotal} files, ${formatBytes(p.bytesDone)}/${formatBytes(p.bytesTotal)}, ${formatBytes(rate)}/s, ETA ${eta}s`;
    const width = this.stream.columns || 80;
    this.stream.write(`\r${line.slice(0, width - 1).padEnd(Math.min(width - 1, 79))}`);
    this.shown = true;
  }

  status(text: string): void {
    if (!this.enabled) return;
    const width = this.stream.columns || 80;
    this.stream.write(`\r${text.slice(0, width - 1).padEnd(Math.min(width - 1, 79))}`);
    this.shown = true;
  }

  done(): void {
    if (this.enabled && this.shown) this.stream.write("\r\x1b[K");
    this.shown = false;
  }
}

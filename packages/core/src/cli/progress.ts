import type * as CliProgress from "cli-progress";
import type { ProgressInfo } from "@wlsync/plugin-api";
import { requireCjs } from "../util/require-cjs.js";
import { formatBytes } from "./format.js";

/**
 * A rate (units per second): the average since the start for the first `tauMs`, then an
 * exponential moving average with that time constant; sampled at most every 250 ms. `perSecond()` is undefined until a second of data has been seen, so a
 * pass's first instants (a few bytes over a few milliseconds) never show as a rate or an ETA.
 */
export class RateMeter {
  private rate = 0;
  private first?: { t: number; v: number };
  private last?: { t: number; v: number };

  constructor(private readonly tauMs = 5000) {}

  sample(value: number, now: number): void {
    if (!this.first || !this.last) {
      this.first = this.last = { t: now, v: value };
      return;
    }
    const dt = now - this.last.t;
    if (dt < 250) return;
    if (now - this.first.t <= this.tauMs) {
      // Over the first seconds, the plain average since the start (an average of few samples would lean on the first).
      this.rate = ((value - this.first.v) * 1000) / (now - this.first.t);
    } else {
      const instant = ((value - this.last.v) * 1000) / dt;
      this.rate += (1 - Math.exp(-dt / this.tauMs)) * (instant - this.rate);
    }
    this.last = { t: now, v: value };
  }

  perSecond(): number | undefined {
    if (!this.first || !this.last || this.last.t - this.first.t < 1000) return undefined;
    return this.rate;
  }
}

/** Seconds until done, the later of the files estimate and the bytes estimate; undefined when unknown or absurd (over 100 days). */
export function estimateSeconds(p: ProgressInfo, filesPerSecond: number | undefined, bytesPerSecond: number | undefined): number | undefined {
  const part = (left: number, rate: number | undefined) => (left <= 0 ? 0 : rate && rate > 0 ? left / rate : Number.POSITIVE_INFINITY);
  const seconds = Math.max(part(p.filesTotal - p.filesDone, filesPerSecond), part(p.bytesTotal - p.bytesDone, bytesPerSecond));
  return Number.isFinite(seconds) && seconds < 100 * 86400 ? Math.ceil(seconds) : undefined;
}

/** `45s`, `3m05s`, `2h10m`, `3d04h`. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const two = (n: number) => String(n).padStart(2, "0");
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${two(s % 60)}s`;
  if (s < 86400) return `${Math.floor(s / 3600)}h${two(Math.floor((s % 3600) / 60))}m`;
  return `${Math.floor(s / 86400)}d${two(Math.floor((s % 86400) / 3600))}h`;
}

/** The text after the bar: `1,234/18,000 files  1.2 GB/3.4 GB  12.3 MB/s  ETA 2m10s  photos/x.jpg`. */
export function progressText(p: ProgressInfo, bytesPerSecond: number | undefined, eta: number | undefined): string {
  const n = (x: number) => x.toLocaleString("en-US");
  const rate = bytesPerSecond === undefined ? "-- B/s" : `${formatBytes(bytesPerSecond)}/s`;
  return `${n(p.filesDone)}/${n(p.filesTotal)} files  ${formatBytes(p.bytesDone)}/${formatBytes(p.bytesTotal)}  ${rate}  ETA ${eta === undefined ? "--" : formatDuration(eta)}${p.current ? `  ${p.current}` : ""}`;
}

/**
 * The progress display of a one-shot pass on stderr, drawn by cli-progress (which redraws only
 * on a terminal and writes nothing when stderr is piped): a bar by bytes, files and bytes done
 * of the total, the smoothed rate, and an ETA from both files and bytes.
 */
export class ProgressDisplay {
  private readonly enabled: boolean;
  private bar?: CliProgress.SingleBar;
  private readonly files = new RateMeter();
  private readonly bytes = new RateMeter();
  private text = "";

  constructor(private readonly stream: NodeJS.WriteStream = process.stderr) {
    this.enabled = !!stream.isTTY;
  }

  private ensureBar(): CliProgress.SingleBar {
    if (!this.bar) {
      const { SingleBar } = requireCjs("cli-progress") as typeof CliProgress;
      this.bar = new SingleBar({
        stream: this.stream,
        format: "{bar} {text}",
        barsize: 20,
        hideCursor: false,
        clearOnComplete: true,
        linewrap: false,
        fps: 10,
        barCompleteChar: "#",
        barIncompleteChar: "-",
      });
      this.bar.start(1, 0, { text: this.text });
    }
    return this.bar;
  }

  update(p: ProgressInfo): void {
    if (!this.enabled) return;
    const now = Date.now();
    this.files.sample(p.filesDone, now);
    this.bytes.sample(p.bytesDone, now);
    const bytesPerSecond = this.bytes.perSecond();
    this.text = progressText(p, bytesPerSecond, estimateSeconds(p, this.files.perSecond(), bytesPerSecond));
    const bar = this.ensureBar();
    bar.setTotal(Math.max(p.bytesTotal, 1));
    bar.update(p.bytesTotal ? p.bytesDone : p.filesTotal ? (p.filesDone / p.filesTotal) * 1 : 0, { text: this.text });
  }

  /** A phase (`scanning…`) before there is anything to count. */
  status(text: string): void {
    if (!this.enabled) return;
    this.text = text;
    this.ensureBar().update({ text });
  }

  /** Clears the line so that a message can be printed; the next update draws the bar again. */
  clear(): void {
    if (!this.enabled || !this.bar) return;
    this.stream.write("\r\x1b[K");
  }

  done(): void {
    if (!this.bar) return;
    this.bar.stop();
    this.bar = undefined;
    if (this.enabled) this.stream.write("\r\x1b[K");
  }
}

import type * as Limiter from "limiter";
import { UsageError } from "@wlsync/plugin-api";
import { requireCjs } from "../util/require-cjs.js";

/**
 * Parses a bandwidth limit as rsync and rclone take it: a number of KiB per second, or a number
 * with a unit `B`, `K`, `M`, `G` (powers of 1024; `KiB`, `MB`, `M/s`... are read the same).
 * Returns bytes per second; 0 means no limit. Throws a UsageError naming `what` otherwise.
 */
export function parseRate(value: string | number, what = "bwlimit"): number {
  if (typeof value === "number") {
    if (!Number.isFinite(value) || value < 0) throw new UsageError(`${what}: ${value} is not a rate (a number of KiB/s, or with a unit: 500K, 2.5M, 1G)`);
    return Math.round(value * 1024);
  }
  const m = /^\s*(\d+(?:\.\d+)?)\s*([bkmg]?)(?:i?b)?(?:\/s)?\s*$/i.exec(value);
  if (!m) throw new UsageError(`${what}: "${value}" is not a rate (a number of KiB/s, or with a unit: 500K, 2.5M, 1G)`);
  const unit = { "": 1024, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[m[2]!.toLowerCase() as "" | "b" | "k" | "m" | "g"];
  return Math.round(Number(m[1]) * unit);
}

/**
 * A byte budget shared by every transfer of a pass (a token bucket from the `limiter`
 * package, refilled `bytesPerSecond` a second, holding up to a quarter second's worth so a
 * pause is not followed by a burst). `take(n)` resolves once `n` bytes may go.
 */
export class ByteThrottle {
  private readonly bucket: Limiter.TokenBucket;
  private readonly burst: number;

  constructor(readonly bytesPerSecond: number) {
    const { TokenBucket } = requireCjs("limiter") as typeof Limiter;
    this.burst = Math.max(16 * 1024, Math.floor(bytesPerSecond / 4));
    this.bucket = new TokenBucket({ bucketSize: this.burst, tokensPerInterval: bytesPerSecond, interval: "second" });
  }

  async take(bytes: number): Promise<void> {
    for (let left = bytes; left > 0; left -= this.burst) await this.bucket.removeTokens(Math.min(left, this.burst));
  }
}

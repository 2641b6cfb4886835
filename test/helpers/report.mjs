// Reliability counts: every fault-injection test prints how many cases it tried and how many
// survived with nothing lost, so docs/reliability.md can be filled from real runs.
// With WLSYNC_RELIABILITY_OUT=FILE the counts are also appended to FILE as JSON lines.
import { appendFileSync } from "node:fs";

/** `survived` counts cases that ended with every check passing (nothing lost). */
export function report(fault, { tried, survived, detail = "", test }) {
  process.stdout.write(`\n[reliability] ${fault}: tried ${tried}, survived ${survived}${detail ? ` (${detail})` : ""}\n`);
  if (process.env.WLSYNC_RELIABILITY_OUT) {
    appendFileSync(process.env.WLSYNC_RELIABILITY_OUT, `${JSON.stringify({ fault, tried, survived, detail, test, at: new Date().toISOString() })}\n`);
  }
}

/** A count from the environment (for longer local soak runs), else `fallback`. */
export function countFromEnv(name, fallback) {
  const n = Number.parseInt(process.env[name] ?? "", 10);
  return Number.isFinite(n) && n > 0 ? n : fallback;
}

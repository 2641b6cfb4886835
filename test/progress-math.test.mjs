// The progress display's numbers, from tables: the smoothed rate, the ETA from files and bytes,
// durations and byte sizes as people read them (was "28.037383177570092 B/s", "ETA 22471546s").
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { formatBytes } from "../packages/core/dist/cli/format.js";
import { RateMeter, estimateSeconds, formatDuration, progressText } from "../packages/core/dist/cli/progress.js";

const test = suite("progress numbers");

test("no rate (and so no ETA) before a second of data; then the moving average of the samples", () => {
  const m = new RateMeter(5000);
  m.sample(0, 0);
  m.sample(30, 107); // 30 bytes in 107 ms: ignored (under 250 ms since the last sample)
  assert.is(m.perSecond(), undefined);
  m.sample(300, 500);
  assert.is(m.perSecond(), undefined, "half a second is not enough");
  m.sample(1000, 1000);
  assert.ok(Math.abs(m.perSecond() - 1000) < 200, `${m.perSecond()}`);
  for (let t = 1500, v = 1000; t <= 20_000; t += 500, v += 5000) m.sample(v, t); // then 10 KB/s
  assert.ok(Math.abs(m.perSecond() - 10_000) < 500, `converges to the new rate: ${m.perSecond()}`);
});

test("the ETA is the later of the files and the bytes estimates; unknown or absurd shows as --", () => {
  const p = (filesDone, filesTotal, bytesDone, bytesTotal) => ({ filesDone, filesTotal, bytesDone, bytesTotal });
  const cases = [
    // one big file done quickly, 18,000 small ones left at 100 files/s: files decide
    [p(1, 18_001, 1_000_000_000, 1_000_100_000), 100, 50_000_000, 180],
    // bytes decide
    [p(10, 20, 0, 100_000_000), 10, 1_000_000, 100],
    [p(0, 10, 0, 1000), undefined, undefined, undefined],
    [p(5, 10, 500, 1000), 0, 0, undefined],
    [p(1, 1e9, 1, 1e15), 0.001, 1, undefined], // over 100 days
    [p(10, 10, 1000, 1000), undefined, undefined, 0],
  ];
  for (const [progress, fps, bps, want] of cases) assert.is(estimateSeconds(progress, fps, bps), want, JSON.stringify([progress, fps, bps]));
});

test("durations, sizes and the line itself are rounded for people", () => {
  assert.equal([5, 59.6, 61, 3599, 3600, 86_400 + 4 * 3600].map(formatDuration), ["5s", "1m00s", "1m01s", "59m59s", "1h00m", "1d04h"]);
  assert.equal([0, 28.037383177570092, 1023.6, 1024, 3_250_000, 5e12].map(formatBytes), ["0 B", "28 B", "1024 B", "1.0 KB", "3.1 MB", "4.5 TB"]);
  const line = progressText({ filesDone: 1234, filesTotal: 18_000, bytesDone: 1.2e9, bytesTotal: 3.4e9, current: "photos/x.jpg" }, 12.3 * 1024 * 1024, 130);
  assert.is(line, "1,234/18,000 files  1.1 GB/3.2 GB  12.3 MB/s  ETA 2m10s  photos/x.jpg");
  assert.is(progressText({ filesDone: 0, filesTotal: 3, bytesDone: 0, bytesTotal: 10 }, undefined, undefined), "0/3 files  0 B/10 B  -- B/s  ETA --");
});

test.run();

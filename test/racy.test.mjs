// The racy-token rule (packages/core/src/state/racy.ts) from a table: a file token is trusted
// only when it was recorded long enough after the file's mtime that a later write could not
// share the timestamp. File systems with whole-second mtimes (FAT, exFAT, some network mounts,
// ext4 mounted by old kernels) need a 2 s window; nanosecond ones 100 ms. A token trusted too
// early lets an edit in the same tick, of the same size, pass as "unchanged" forever.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { racyWindowMs, trustedToken } from "../packages/core/dist/state/racy.js";

const T = 1_700_000_000_000; // a whole second, in ms

// [name, mtimeMs, recorded at (ms after the mtime), trusted?]
const TABLE = [
  ["fine mtime, recorded at once", T + 123.456789, 0, false],
  ["fine mtime, recorded 50 ms later", T + 123.456789, 50, false],
  ["fine mtime, recorded exactly 100 ms later (the window is open until it has passed)", T + 123.5, 100, false],
  ["fine mtime, recorded 101 ms later", T + 123.5, 101, true],
  ["fine mtime, recorded a day later", T + 0.25, 86_400_000, true],
  ["whole-second mtime, recorded 150 ms later (would pass a 100 ms window)", T, 150, false],
  ["whole-second mtime, recorded 1.5 s later", T, 1500, false],
  ["whole-second mtime, recorded exactly 2 s later", T, 2000, false],
  ["whole-second mtime, recorded 2.001 s later", T, 2001, true],
  ["whole-second mtime, recorded a minute later", T - 60_000, 60_000, true],
  ["mtime in the future (clock skew, a copied file)", T + 10_000.5, -5_000, false],
  ["mtime 0 (the epoch, set by a tool)", 0, T, true],
];

for (const [name, mtimeMs, after, trusted] of TABLE) {
  test(`racy rule: ${name}`, () => {
    const entry = { token: `ino:size:${mtimeMs}:ctime`, mtimeMs };
    assert.is(trustedToken(entry, mtimeMs + after), trusted ? entry.token : null);
  });
}

test("racy rule: a token the backend marks as unable to show every change is never trusted, however old", () => {
  const entry = { token: "t", mtimeMs: T - 86_400_000, tokenTrusted: false };
  assert.is(trustedToken(entry, T), null);
  assert.is(trustedToken({ ...entry, tokenTrusted: true }, T), "t");
});

test("racy rule: the window runs from changedMs (a change-time later than mtime, rounded up by the backend) when given", () => {
  // mtime set back a day by a copy tool; the file changed 1 s ago (whole-second ctime): not trusted yet.
  const entry = { token: "t", mtimeMs: T - 86_400_000, changedMs: T - 1000 };
  assert.is(trustedToken(entry, T), null);
  assert.is(trustedToken(entry, T + 1001), "t", "2 s after the change");
  assert.is(trustedToken({ ...entry, changedMs: T - 150.5 }, T), "t", "a fine change-time: 100 ms");
});

test("racy rule: the window is 2 s for whole-second mtimes and 100 ms otherwise", () => {
  assert.is(racyWindowMs(T), 2000);
  assert.is(racyWindowMs(T + 1000), 2000);
  assert.is(racyWindowMs(T + 1), 100, "a whole millisecond is not a whole second");
  assert.is(racyWindowMs(T + 0.001), 100, "a microsecond past the second");
});

test.run();

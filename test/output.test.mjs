// What a pass prints: -v change lines, the progress display on a terminal only (through a
// pseudo-terminal made by util-linux `script`), a closed pipe (| head), and --json.
import { execFile } from "node:child_process";
import { writeFileSync, mkdirSync } from "node:fs";
import { promisify } from "node:util";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { WL, localConfig, wl, workspace } from "./helpers/wl.mjs";

const exec = promisify(execFile);
const test = suite("pass output: -v, progress, pipes, --json");
let ws;
test.before.each(() => {
  ws = workspace("wl-out-");
  localConfig(ws.dir);
});
test.after.each(() => ws.cleanup());

const many = (n, dir = "a/many") => {
  mkdirSync(ws.path(dir), { recursive: true });
  for (let i = 0; i < n; i++) writeFileSync(ws.path(`${dir}/file-with-a-longish-name-${String(i).padStart(5, "0")}.txt`), `content ${i}\n`);
};
/** Runs a shell line in the workspace with this repository's wl as `wl`. */
const sh = (line, env = {}) =>
  exec("bash", ["-c", `wl() { node ${JSON.stringify(WL)} "$@"; }; ${line}`], { cwd: ws.dir, env: { ...process.env, WLSYNC_STATE_DIR: ws.state, ...env }, maxBuffer: 1 << 26 }).catch((e) => e);

test("-v lists each change as it is made: + a→b path size, - b path, ! conflict path", async () => {
  ws.write("a/photos/x.jpg", Buffer.alloc(3_200_000, 7));
  ws.write("b/notes.txt", "n");
  ws.write("a/shared.txt", "same");
  ws.write("b/shared.txt", "same");
  let r = await wl(ws.dir, ["container", "sync", "--one-shot", "-v", "box"]);
  assert.is(r.code, 0, r.stderr);
  const lines = r.stdout.trim().split("\n");
  assert.ok(lines.includes("+ a→b photos/"), r.stdout);
  assert.ok(lines.includes("+ a→b photos/x.jpg 3.1 MB"), r.stdout);
  assert.ok(lines.includes("+ b→a notes.txt 1 B"), r.stdout);
  assert.not.ok(lines.some((l) => l.includes("shared.txt")), "an unchanged file is not listed");
  ws.write("a/notes.txt", "changed on a");
  ws.write("b/notes.txt", "changed on b");
  const { rmSync } = await import("node:fs");
  rmSync(ws.path("a/photos/x.jpg"));
  r = await wl(ws.dir, ["container", "sync", "--one-shot", "--verbose", "box"]);
  assert.is(r.code, 1);
  assert.match(r.stdout, /^! conflict notes\.txt: changed on both sides$/m);
  assert.match(r.stdout, /^- b photos\/x\.jpg$/m);
  r = await wl(ws.dir, ["container", "sync", "--one-shot", "box"]);
  assert.not.match(r.stdout, /^[+-] /m, "without -v no change lines");
});

test("names with a newline, a tab, an escape sequence or a quote are shown quoted (as git does) and cannot forge a line; --json keeps them raw", async () => {
  const forged = "x\n- b important.txt";
  const names = [forged, "tab\there", "\x1b[31mred", 'say "hi"'];
  for (const n of names) ws.write(`a/${n}`, n);
  ws.write("a/important.txt", "keep");
  let r = await wl(ws.dir, ["container", "sync", "--one-shot", "-v", "box"]);
  assert.is(r.code, 0, r.stderr);
  const lines = r.stdout.trim().split("\n").filter((l) => !l.startsWith("syncer ")); // -v also says which syncer and why
  assert.is(lines.length, names.length + 2, r.stdout); // each file, important.txt, the summary
  assert.ok(lines.includes('+ a→b "x\\n- b important.txt" 19 B'), r.stdout);
  assert.ok(lines.includes('+ a→b "tab\\there" 8 B'), r.stdout);
  assert.ok(lines.includes('+ a→b "\\x1b[31mred" 8 B'), r.stdout);
  assert.ok(lines.includes('+ a→b "say \\"hi\\"" 8 B'), r.stdout);
  assert.not.ok(lines.includes("- b important.txt"), "no line pretends a deletion");
  assert.not.ok(r.stdout.includes("\x1b"), "no raw escape sequence reaches the terminal");
  for (const n of names) assert.is(ws.read(`b/${n}`), n);
  ws.write(`a/${forged}`, "changed");
  r = await wl(ws.dir, ["container", "sync", "--one-shot", "--json", "box"]);
  assert.is(r.code, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).changes.map((c) => c.path), [forged]);
});

test("progress is drawn on a terminal (script's pseudo-terminal): files and bytes of the total, a rate, an ETA, no raw floats; nothing when piped", async () => {
  many(600);
  ws.write("a/big.bin", Buffer.alloc(20_000_000, 1));
  const cmd = `node ${JSON.stringify(WL)} container sync --one-shot --syncer naive box`;
  const tty = await exec("script", ["-q", "-e", "-c", cmd, "/dev/null"], { cwd: ws.dir, env: { ...process.env, WLSYNC_STATE_DIR: ws.state, COLUMNS: "160", TERM: "xterm" }, maxBuffer: 1 << 26 }).catch((e) => e);
  assert.is(tty.code ?? 0, 0, tty.stderr);
  const screen = tty.stdout;
  assert.match(screen, /\d[\d,]*\/601 files {2}[\d.]+ (B|KB|MB)\/19\.\d MB/, "files and bytes done of the total");
  assert.match(screen, /ETA (--|\d+s|\d+m\d\ds)/);
  assert.not.match(screen, /\d+\.\d{3,}/, "no unrounded numbers");
  assert.not.match(screen, /ETA \d{5,}s/, "no absurd ETA");
  assert.match(screen, /copy a → b: 601 files/);
  // the same pass into a pipe: no progress at all
  ws.write("a/more.txt", "x");
  const piped = await sh(`wl container sync --one-shot box 2>err.txt | cat`);
  assert.is(piped.code ?? 0, 0);
  const { readFileSync } = await import("node:fs");
  assert.not.match(readFileSync(ws.path("err.txt"), "utf8"), /ETA|files {2}/);
});

test("a closed pipe (--dry-run | head -2) ends quietly with the pass's exit code", async () => {
  many(1200);
  ws.write("a/c.txt", "a side");
  ws.write("b/c.txt", "b side"); // a conflict: the pass's code is 1
  const r = await sh(`wl container sync --dry-run box 2>err.txt | head -2; echo "exit=\${PIPESTATUS[0]}"`);
  const { readFileSync } = await import("node:fs");
  const stderr = readFileSync(ws.path("err.txt"), "utf8");
  assert.is(stderr, "", `stderr: ${stderr}`);
  assert.is(r.stdout.trim().split("\n").length, 3);
  assert.match(r.stdout.trim(), /exit=1$/);
  const v = await sh(`wl container sync --one-shot -v box 2>err.txt | head -1; echo "exit=\${PIPESTATUS[0]}"`);
  assert.match(v.stdout.trim(), /exit=1$/, "the real pass ran to its end (its conflict gives 1)");
  assert.is(readFileSync(ws.path("err.txt"), "utf8").replace(/conflict: c\.txt.*\n/, ""), "");
  assert.is(readFileSync(ws.path("b/many/file-with-a-longish-name-01199.txt"), "utf8"), "content 1199\n", "the pass finished");
});

test("--json holds paths, sizes, actions and errors and no tokens (compact for thousands of files); failures are JSON too", async () => {
  many(1000);
  ws.write("a/c.txt", "a side");
  ws.write("b/c.txt", "b side");
  let r = await wl(ws.dir, ["container", "sync", "--one-shot", "--json", "box"]);
  assert.is(r.code, 1, r.stderr);
  assert.ok(r.stdout.length < 1000 * 140, `${r.stdout.length} bytes for 1000 files`);
  assert.not.match(r.stdout, /token|inode|ctime|"expected"/i);
  const result = JSON.parse(r.stdout);
  const one = result.changes.find((c) => c.path === "many/file-with-a-longish-name-00007.txt");
  assert.equal(one, { action: "copy", path: "many/file-with-a-longish-name-00007.txt", on: "b", from: "a", size: 10 });
  assert.equal(result.conflicts, [{ path: "c.txt", reason: "first-meeting", message: result.conflicts[0].message }]);
  assert.is(result.counters.copiedToTarget, 1000);
  r = await wl(ws.dir, ["container", "sync", "--dry-run", "--json", "box"]);
  assert.equal(JSON.parse(r.stdout).changes, []);
  r = await wl(ws.dir, ["container", "sync", "--one-shot", "--json", "nope"]);
  assert.is(r.code, 3);
  assert.equal(JSON.parse(r.stdout), { error: { code: "E_UNKNOWN_CONTAINER", message: 'unknown container "nope" (known: box)', exitCode: 3 } });
  r = await wl(ws.dir, ["container", "sync", "--one-shot", "--json", "--bogus", "box"]);
  assert.is(r.code, 3);
  assert.is(JSON.parse(r.stdout).error.code, "E_USAGE");
});

test.run();

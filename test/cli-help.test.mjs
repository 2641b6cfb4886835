// What a new user meets first: bare `wl`, `--help` with examples, `--version`, completion
// scripts (checked by the real shells) and the man page (rendered by man).
import { execFile } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { localConfig, wl, workspace } from "./helpers/wl.mjs";

const exec = promisify(execFile);
const test = suite("wl help, version, completion, man page");
let ws;
test.before(() => {
  ws = workspace("wl-help-");
  localConfig(ws.dir, { name: "photos" });
});
test.after(() => ws.cleanup());

const has = async (cmd) => exec("sh", ["-c", `command -v ${cmd}`]).then(() => true, () => false);

test("bare wl and bare groups print help on stdout and exit 0; an unknown command exits 3", async () => {
  for (const args of [[], ["container"], ["daemon"]]) {
    const r = await wl(ws.dir, args);
    assert.is(r.code, 0, `wl ${args.join(" ")}: ${r.stderr}`);
    assert.match(r.stdout, /^Usage: wl/);
  }
  const bad = await wl(ws.dir, ["contianer"]);
  assert.is(bad.code, 3);
  assert.match(bad.stderr, /unknown command 'contianer'/);
});

test("a usage error prints the error and a one-line hint to the command's --help, never the whole help; exit 3 (also with --json)", async () => {
  const cases = [
    [["contaner", "sync", "photos"], /^error: unknown command 'contaner'\n\(Did you mean container\?\)\nsee 'wl --help'\n$/],
    [["container", "list"], /^error: unknown command 'list'\nsee 'wl container --help'\n$/],
    [["container", "sync"], /^error: missing required argument 'name'\nsee 'wl container sync --help'\n$/],
    [["container", "sync", "--one-shot", "--bogus", "photos"], /^error: unknown option '--bogus'\nsee 'wl container sync --help'\n$/],
    [["container", "sync", "--json", "--bogus", "photos"], /^error: unknown option '--bogus'\nsee 'wl container sync --help'\n$/],
    [["daemon", "stats"], /^error: unknown command 'stats'\n\(Did you mean status\?\)\nsee 'wl daemon --help'\n$/],
    [["status", "--wtach"], /^error: unknown option '--wtach'\n\(Did you mean --watch\?\)\nsee 'wl status --help'\n$/],
    [["--bogus"], /^error: unknown option '--bogus'\nsee 'wl --help'\n$/],
  ];
  for (const [args, expected] of cases) {
    const r = await wl(ws.dir, args);
    assert.is(r.code, 3, `wl ${args.join(" ")}`);
    assert.match(r.stderr, expected, `wl ${args.join(" ")}:\n${r.stderr}`);
    if (args.includes("--json")) assert.is(JSON.parse(r.stdout).error.exitCode, 3);
    else assert.is(r.stdout, "");
  }
});

test("--help of every command and group the help lists shows examples that start with wl", async () => {
  // Every command the help lists, groups included, found by walking the help itself.
  const commands = [];
  const walk = async (path) => {
    const r = await wl(ws.dir, [...path, "--help"]);
    commands.push(path);
    const list = r.stdout.split("\nCommands:\n")[1]?.split("\n\n")[0] ?? "";
    for (const m of list.matchAll(/^ {2}([a-z][a-z-]*)/gm)) if (m[1] !== "help") await walk([...path, m[1]]);
  };
  await walk([]);
  for (const c of [["container", "sync"], ["container", "resolve"], ["daemon"], ["daemon", "uninstall"], ["completion"]]) assert.ok(commands.some((p) => p.join(" ") === c.join(" ")), `walk missed ${c.join(" ")}`);
  for (const c of commands) {
    const r = await wl(ws.dir, [...c, "--help"]);
    assert.is(r.code, 0);
    assert.match(r.stdout, /\nExamples:\n {2}\$ wl /, `wl ${c.join(" ")} --help has no examples`);
  }
});

test("wl --version lists core and every plugin found with its version", async () => {
  const r = await wl(ws.dir, ["--version"]);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /^@wlsync\/core \d+\.\d+\.\d+$/m);
  assert.match(r.stdout, /^@wlsync\/syncer-naive \d+\.\d+\.\d+ \(syncer naive\)$/m);
  assert.match(r.stdout, /^@wlsync\/backend-local \d+\.\d+\.\d+ \(backend local\)$/m);
  assert.match(r.stdout, /^@wlsync\/backend-s3 \d+\.\d+\.\d+ \(backend s3\)$/m);
});

test("bash completion completes commands, options and container names", async () => {
  const script = join(ws.dir, "wl.bash");
  writeFileSync(script, (await wl(ws.dir, ["completion", "bash"])).stdout);
  // wl on PATH for the container-name lookup: a shim running this repository's wl.
  const bin = ws.write("bin/wl", `#!/bin/sh\nexec node ${JSON.stringify(join(process.cwd(), "packages/core/bin/wl.js"))} "$@"\n`);
  await exec("chmod", ["+x", bin]);
  const complete = async (line) => {
    const words = line.split(" ");
    const { stdout } = await exec("bash", ["-c", `source ${script}; COMP_WORDS=(${words.map((w) => `'${w}'`).join(" ")}); COMP_CWORD=${words.length - 1}; _wl_complete; printf '%s\\n' "\${COMPREPLY[@]}"`], {
      cwd: ws.dir,
      env: { ...process.env, PATH: `${join(ws.dir, "bin")}:${process.env.PATH}`, WLSYNC_STATE_DIR: ws.state },
    });
    return stdout.trim().split("\n").sort();
  };
  assert.equal(await complete("wl con"), ["container"]);
  const sub = await complete("wl container ");
  for (const name of ["check-ignore", "list-conflicts", "resolve", "restore", "resume", "stop-sync", "sync", "versions"]) assert.ok(sub.includes(name), `${name} not in ${sub}`);
  assert.not.ok(sub.includes("names"), "hidden commands are not offered");
  assert.ok((await complete("wl container sync --dr")).includes("--dry-run"));
  assert.equal(await complete("wl container sync ph"), ["photos"]);
  assert.equal(await complete("wl -c x.yml da"), ["daemon"]);
});

test("zsh and fish completion scripts parse in the real shells", async () => {
  for (const [shell, check] of [["zsh", ["-n"]], ["fish", ["--no-execute"]]]) {
    if (!(await has(shell))) {
      console.log(`[not run] ${shell} completion: ${shell} is not installed (apt-get install ${shell})`);
      continue;
    }
    const r = await wl(ws.dir, ["completion", shell]);
    assert.is(r.code, 0);
    const file = ws.write(`wl.${shell}`, r.stdout);
    await exec(shell, [...check, file]);
  }
  const bad = await wl(ws.dir, ["completion", "tcsh"]);
  assert.is(bad.code, 3);
  assert.match(bad.stderr, /unknown shell "tcsh": choose one of bash, zsh, fish/);
});

test("the man page renders without warnings and documents every command and the exit codes", async () => {
  const r = await wl(ws.dir, ["man"]);
  assert.is(r.code, 0);
  const page = ws.write("wl.1", r.stdout);
  if (!(await has("man"))) return console.log("[not run] man page rendering: man is not installed");
  const { stdout, stderr } = await exec("man", ["--warnings", "-l", page], { env: { ...process.env, MANWIDTH: "100", MAN_KEEP_FORMATTING: "" } });
  assert.is(stderr, "", `man warnings: ${stderr}`);
  for (const text of ["wl container sync <name>", "wl container list-conflicts <name>", "wl status", "EXIT STATUS", "$ wl container sync --one-shot photos"]) assert.ok(stdout.includes(text), `man page lacks ${text}`);
});

test.run();

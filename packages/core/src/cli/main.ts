import { errorMessage, isWlError } from "@wlsync/plugin-api";
import { Command, CommanderError } from "./commander.js";
import { containerCommands, daemonCommands, topCommands } from "./commands/index.js";
import { examples, loadApp, out, type GlobalOptions } from "./context.js";
import { versionLines, type Distribution } from "./versions.js";
import { guardPipes, writeLine } from "./output.js";

/**
 * The `wl` program: global options, the `container` and `daemon` groups, every command module.
 * `versionOption`: whether `wl --version` is declared; left out when a command is run, so that a
 * command's own `--version` (`wl container restore --version TIME`) is not taken by the root.
 */
export function buildProgram(versionOption = true): Command {
  const program = new Command("wl")
    .description("wlsync: keep folders in sync across local disks, S3 buckets and folders on SSH servers (SFTP)")
    .option("-c, --config <file>", "config file (default: .wlsyncrc found from the working directory upwards)")
    .option("--debug", "verbose logs and stack traces");
  if (versionOption) program.option("-V, --version", "versions of wl, core and every plugin found");
  program
    .exitOverride()
    .addHelpText(
      "after",
      examples(
        ["wl container sync --one-shot photos", "sync the container photos once (see .wlsyncrc in README)"],
        ["wl container sync photos", "keep it in sync in the background; wl status shows how it goes"],
        ["wl COMMAND --help", "options and examples of one command"],
      ),
    );

  const container = program
    .command("container")
    .description("sync and inspect containers")
    .addHelpText(
      "after",
      examples(
        ["wl container sync --one-shot photos", "sync the container photos once"],
        ["wl container list-conflicts photos", "what changed on both sides; settle it with wl container resolve"],
        ["wl container versions photos", "what passes replaced or deleted; bring it back with wl container restore"],
      ),
    );
  for (const command of containerCommands) command.register(container);
  for (const command of topCommands) command.register(program);
  const daemon = program
    .command("daemon")
    .description("manage the background sync daemon")
    .addHelpText(
      "after",
      examples(
        ["wl daemon status", "whether the daemon runs, and its jobs"],
        ["wl daemon install", "start the daemon at login (systemd user unit)"],
      ),
    );
  for (const command of daemonCommands) command.register(daemon);
  hintAfterErrors(program);
  return program;
}

/**
 * After a usage error (unknown command or option, missing argument), commander prints the error
 * and then, instead of the whole help that would scroll it away, one line pointing at the help
 * of the command that refused the input (as git and rclone do): `see 'wl container sync --help'`.
 */
function hintAfterErrors(cmd: Command, parents: readonly string[] = []): void {
  const path = [...parents, cmd.name()];
  cmd.showHelpAfterError(`see '${path.join(" ")} --help'`);
  for (const sub of cmd.commands) hintAfterErrors(sub, path);
}

/** Global options that take a value (their value is not a command word). */
const VALUE_OPTIONS = new Set(["-c", "--config"]);

/** The command words of `argv` (options and their values left out). */
function commandWords(argv: readonly string[]): string[] {
  const words: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--") break;
    if (arg.startsWith("-")) {
      if (VALUE_OPTIONS.has(arg)) i++;
      continue;
    }
    words.push(arg);
  }
  return words;
}

/** Whether every option of `argv` is a global one (`--config FILE`, `--debug`); `--help` is not. */
function onlyGlobalOptions(argv: readonly string[]): boolean {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--") return false;
    if (VALUE_OPTIONS.has(arg)) i++;
    else if (arg.startsWith("-") && arg !== "--debug" && !/^--config=/.test(arg)) return false;
  }
  return true;
}

export interface MainOptions {
  /** The package `wl` was installed from when not core itself (the `wlsync` package's bin passes its name and version). */
  distribution?: Distribution;
}

/** Runs `wl` with `argv` (without node and the script); resolves to the exit code (README "Exit codes"). */
export async function main(argv: string[], options: MainOptions = {}): Promise<number> {
  guardPipes();
  const words = commandWords(argv);
  const program = buildProgram(words.length === 0);
  const debug = argv.includes("--debug");
  // With --json, a failure is a JSON document on stdout too: {"error": {code, message, exitCode}}.
  const json = argv.includes("--json");
  const fail = (code: string, message: string, exitCode: number): number => {
    if (json) writeLine(JSON.stringify({ error: { code, message, exitCode } }));
    return exitCode;
  };
  try {
    if (!words.length && (argv.includes("--version") || argv.includes("-V"))) {
      const at = argv.findIndex((a) => VALUE_OPTIONS.has(a));
      const globals: GlobalOptions = { debug, config: at >= 0 ? argv[at + 1] : undefined };
      const { app } = await loadApp(globals, false);
      const { PluginRegistry } = await import("../plugins/plugin-registry.js");
      for (const line of await versionLines(app.resolve(PluginRegistry), options.distribution)) out(line);
      return 0;
    }
    // `wl` or `wl container` alone: the help, on stdout, and success (as git, rclone).
    let group: Command | undefined = program;
    for (const word of words) {
      group = group?.commands.find((c) => c.name() === word || c.aliases().includes(word));
      if (!group) break;
    }
    // Only with nothing but global options: `wl --bogus` is a usage error, as in git.
    if (group?.commands.length && onlyGlobalOptions(argv)) {
      group.outputHelp();
      return 0;
    }
    await program.parseAsync(argv, { from: "user" });
    return typeof process.exitCode === "number" ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === "commander.helpDisplayed" || err.code === "commander.version" || err.exitCode === 0) return 0;
      return fail("E_USAGE", err.message.replace(/^error: /, ""), 3); // commander already printed what was wrong
    }
    if (isWlError(err)) {
      process.stderr.write(`wl: ${err.message}\n`);
      if (debug && err.stack) process.stderr.write(`${err.stack}\n`);
      return fail(err.code, err.message, err.exitCode);
    }
    process.stderr.write(`wl: unexpected error: ${errorMessage(err)}\n`);
    if (debug && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
    else process.stderr.write("(run with --debug for details)\n");
    return fail("E_INTERNAL", errorMessage(err), 3);
  }
}

import { errorMessage, isWlError } from "@wlsync/plugin-api";
import { Command, CommanderError } from "./commander.js";
import { containerCommands, daemonCommands, topCommands } from "./commands/index.js";

/** The `wl` program: global options, the `container` and `daemon` groups, every command module. */
export function buildProgram(): Command {
  const program = new Command("wl")
    .description("wlsync: keep folders in sync across local disks and S3 buckets")
    .option("-c, --config <file>", "config file (default: .wlsyncrc found from the working directory upwards)")
    .option("--debug", "verbose logs and stack traces")
    .showHelpAfterError()
    .exitOverride();

  const container = program.command("container").description("sync and inspect containers");
  for (const command of containerCommands) command.register(container);
  for (const command of topCommands) command.register(program);
  const daemon = program.command("daemon").description("manage the background sync daemon");
  for (const command of daemonCommands) command.register(daemon);
  return program;
}

/** Runs `wl` with `argv` (without node and the script); resolves to the exit code (README "Exit codes"). */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  const debug = argv.includes("--debug");
  try {
    await program.parseAsync(argv, { from: "user" });
    return typeof process.exitCode === "number" ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === "commander.helpDisplayed" || err.code === "commander.version" || err.exitCode === 0) return 0;
      return 3; // commander already printed what was wrong
    }
    if (isWlError(err)) {
      process.stderr.write(`wl: ${err.message}\n`);
      if (debug && err.stack) process.stderr.write(`${err.stack}\n`);
      return err.exitCode;
    }
    process.stderr.write(`wl: unexpected error: ${errorMessage(err)}\n`);
    if (debug && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
    else process.stderr.write("(run with --debug for details)\n");
    return 3;
  }
}

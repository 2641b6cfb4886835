import type { Command } from "./commander.js";

/** A command as the help shows it: what completion scripts and the man page are generated from. */
export interface CommandInfo {
  /** Words from the program down, e.g. ["wl", "container", "sync"]. */
  path: string[];
  description: string;
  usage: string;
  options: Array<{ flags: string; long?: string; short?: string; takesValue: boolean; description: string }>;
  subcommands: CommandInfo[];
  /** Text added with addHelpText("after") (the examples). */
  after: string;
}

/** Walks commander's tree (visible commands and options only, as `--help` lists them). */
export function commandTree(cmd: Command, parents: string[] = []): CommandInfo {
  const help = cmd.createHelp();
  const path = [...parents, cmd.name()];
  const options = help.visibleOptions(cmd).map((o) => ({
    flags: o.flags,
    long: o.long,
    short: o.short,
    takesValue: o.required || o.optional,
    description: o.description,
  }));
  const subcommands = help
    .visibleCommands(cmd)
    .filter((c) => c.name() !== "help")
    .map((c) => commandTree(c, path));
  let after = "";
  // commander keeps addHelpText("after") as an "afterHelp" listener that writes through context.write.
  for (const listener of (cmd as unknown as NodeJS.EventEmitter).listeners("afterHelp")) {
    listener({ error: false, command: cmd, write: (text: string) => (after += text) });
  }
  return { path, description: cmd.description(), usage: `${path.join(" ")} ${cmd.usage()}`, options, subcommands, after };
}

import type { Command } from "../commander.js";
import { commandTree } from "../command-tree.js";
import { coreVersion } from "../versions.js";
import { manPage } from "../man-page.js";

/** `wl man` (hidden): prints the roff source of wl(1); the wlsync package ships its output as man/wl.1. */
export function register(program: Command): void {
  program
    .command("man", { hidden: true })
    .description("print the man page wl(1) as roff")
    .action((_opts: unknown, cmd: Command) => {
      let root = cmd;
      while (root.parent) root = root.parent;
      process.stdout.write(manPage(commandTree(root), coreVersion()));
    });
}

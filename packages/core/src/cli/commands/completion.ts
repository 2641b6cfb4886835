import { UsageError } from "@wlsync/plugin-api";
import type { Command } from "../commander.js";
import { commandTree } from "../command-tree.js";
import { completionScript, SHELLS, type Shell } from "../completion.js";
import { examples } from "../context.js";

/** `wl completion SHELL` prints a completion script for bash, zsh or fish. */
export function register(program: Command): void {
  program
    .command("completion")
    .description("print a shell completion script (bash, zsh or fish)")
    .argument("<shell>", SHELLS.join(", "))
    .addHelpText(
      "after",
      examples(
        ["wl completion bash > ~/.local/share/bash-completion/completions/wl", "complete commands, options and container names in bash"],
        ["wl completion zsh > \"${fpath[1]}/_wl\"", "the same for zsh"],
        ["wl completion fish > ~/.config/fish/completions/wl.fish", "the same for fish"],
      ),
    )
    .action((shell: string, _opts: unknown, cmd: Command) => {
      if (!SHELLS.includes(shell as Shell)) throw new UsageError(`unknown shell "${shell}": choose one of ${SHELLS.join(", ")}`);
      let root = cmd;
      while (root.parent) root = root.parent;
      process.stdout.write(completionScript(shell as Shell, commandTree(root)));
    });
}

import type { CommandInfo } from "./command-tree.js";

/** roff-escapes text for the man page (backslashes, leading dots and quotes, hyphens in flags). */
function roff(text: string): string {
  return text
    .replace(/\\/g, "\\e")
    .replace(/-/g, "\\-")
    .split("\n")
    .map((line) => (/^[.']/.test(line) ? `\\&${line}` : line))
    .join("\n");
}

/**
 * The man page wl(1), generated from the same command tree as `--help` (descriptions, options,
 * examples), plus the exit codes and files. `man -l` renders it; the wlsync package ships it.
 */
export function manPage(tree: CommandInfo, version: string, date = new Date().toISOString().slice(0, 10)): string {
  const prog = tree.path[0]!;
  const out: string[] = [
    `.TH ${prog.toUpperCase()} 1 "${date}" "wlsync ${version}" "User Commands"`,
    ".SH NAME",
    `${prog} \\- ${roff(tree.description.replace(/^wlsync: /, ""))}`,
    ".SH SYNOPSIS",
    `.B ${prog}`,
    "[\\fIoptions\\fR] \\fIcommand\\fR [\\fIargs\\fR]",
    ".SH DESCRIPTION",
    "A \\fBcontainer\\fR is a named set of storages (local folders, S3 buckets) that should hold the same files, declared in a \\fI.wlsyncrc\\fR file (YAML or JSON) found from the working directory upwards.",
    `\\fB${prog} container sync\\fR keeps two of them in sync: once (\\fB\\-\\-one\\-shot\\fR) or continuously in a background daemon.`,
    "Conflicting changes are never overwritten: they are reported and left for you to settle.",
    ".SH GLOBAL OPTIONS",
  ];
  const options = (node: CommandInfo) => {
    for (const o of node.options) out.push(".TP", `.B ${roff(o.flags)}`, roff(o.description));
  };
  options(tree);
  out.push(".SH COMMANDS");
  const walk = (node: CommandInfo) => {
    for (const c of node.subcommands) {
      if (c.subcommands.length) {
        walk(c);
        continue;
      }
      out.push(".SS", `.B ${roff(c.usage.replace(/\[options\] ?/, "").trim())}`, roff(c.description));
      const own = c.options.filter((o) => o.long !== "--help");
      if (own.length) {
        out.push(".RS");
        for (const o of own) out.push(".TP", `.B ${roff(o.flags)}`, roff(o.description));
        out.push(".RE");
      }
      const examples = c.after.trim();
      if (examples) out.push(".PP", ".nf", ".RS", roff(examples), ".RE", ".fi");
    }
  };
  walk(tree);
  out.push(
    ".SH EXIT STATUS",
    ".TP", ".B 0", "everything in sync (or the command succeeded)",
    ".TP", ".B 1", "finished, but conflicts were left untouched (container check: the storages differ)",
    ".TP", ".B 2", "finished, but some items failed (each is named on stderr)",
    ".TP", ".B 3", "fatal: bad usage, bad config, unknown container or storage, unreachable storage, no matching syncer",
    ".TP", ".B 130", "interrupted (Ctrl\\-C); what was done is kept and the next pass finishes the job",
    ".SH FILES",
    ".TP", ".I .wlsyncrc", "the config (also .wlsyncrc.json, .wlsyncrc.yaml, wlsync.config.js, or a wlsync key in package.json); \\fB\\-c\\fR names one",
    ".TP", ".I .wlsyncignore", "gitignore\\-syntax patterns, in any folder of a storage, applying below that folder",
    ".TP", ".I ~/.local/state/wlsync", "the state store (env WLSYNC_STATE_DIR or state\\-dir in the config)",
    ".SH ENVIRONMENT",
    ".TP", ".B WLSYNC_STATE_DIR", "where the state store lives",
    ".TP", ".B WLSYNC_DEBUG=1", "as \\fB\\-\\-debug\\fR",
    ".SH SEE ALSO",
    "rsync(1), unison(1), rclone(1)",
  );
  return `${out.join("\n")}\n`;
}

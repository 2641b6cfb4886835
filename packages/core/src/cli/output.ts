import { formatMode } from "@wlsync/plugin-api";
import type { Action, AppliedChange, Conflict, ItemError, SyncResult } from "@wlsync/plugin-api";
import { formatBytes, oneLine, showPath } from "./format.js";
import type { PassSummary } from "../daemon/sync-commands.generated.js";

let stdoutClosed = false;
let pipesGuarded = false;

/**
 * Makes a closed stdout or stderr (`wl ... | head -2`: EPIPE) end output quietly: later writes
 * are dropped, the command runs to its end and exits with its own code (no stack trace, no
 * exit 1). Node ignores SIGPIPE, so EPIPE is how a closed pipe shows up.
 */
export function guardPipes(): void {
  // Once per process: main() may run many times in one process (tests, embedding programs).
  if (pipesGuarded) return;
  pipesGuarded = true;
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (err: NodeJS.ErrnoException) => {
      if (err.code === "EPIPE" || err.code === "ERR_STREAM_DESTROYED") {
        if (stream === process.stdout) stdoutClosed = true;
        return;
      }
      throw err;
    });
  }
}

/** One line on stdout, unless the reader went away. */
export function writeLine(line: string): void {
  if (stdoutClosed || process.stdout.destroyed) return;
  process.stdout.write(`${line}\n`);
}

export interface PairNames {
  source: string;
  target: string;
}

const other = (side: "source" | "target") => (side === "source" ? "target" : "source");

/**
 * A change as `-v` lists it (like `rsync -i`): `+ a→b photos/x.jpg 3.1 MB` (copied from a to
 * b), `+ a→b photos/` (folder made), `+ a→b link -> target`, `- b notes.txt` (deleted on b),
 * `~ a→b run.sh 0755` (permission bits of b's file set to a's).
 */
export function formatChange(change: AppliedChange, names: PairNames): string {
  const to = names[change.to];
  const from = names[other(change.to)];
  switch (change.type) {
    case "copy":
      return `+ ${from}→${to} ${showPath(change.path)} ${formatBytes(change.size)}`;
    case "mkdir":
      return `+ ${from}→${to} ${showPath(change.path)}/`;
    case "symlink":
      return `+ ${from}→${to} ${showPath(change.path)} -> ${showPath(change.linkTarget ?? "")}`;
    case "delete":
      return `- ${to} ${showPath(change.path)}${change.kind === "dir" ? "/" : ""}`;
    case "chmod":
      return `~ ${from}→${to} ${showPath(change.path)} ${formatMode(change.mode ?? 0)}`;
    case "move":
      return `> ${to} ${showPath(change.from ?? "")} → ${showPath(change.path)} ${formatBytes(change.size)} (moved, nothing transferred)`;
    case "copy-within":
      return `+ ${to} ${showPath(change.from ?? "")} → ${showPath(change.path)} ${formatBytes(change.size)} (copied on ${to}, nothing transferred)`;
  }
}

/** `! conflict photos/x.jpg: changed on both sides` */
export const formatConflictLine = (c: Pick<Conflict, "path" | "message">) => `! conflict ${showPath(c.path)}: ${oneLine(c.message)}`;

/** A change in `--json` output: what, where (storage ids), and how many bytes. */
export interface JsonChange {
  action: Action["type"];
  path: string;
  /** The storage changed. */
  on: string;
  /** Where the content came from (copy, mkdir, symlink): a storage id; move, copy-within: the storage itself. */
  from?: string;
  /** move, copy-within: the path on the same storage the file was made from. */
  fromPath?: string;
  size?: number;
  kind?: string;
}

function jsonChange(c: { type: Action["type"]; path: string; to: "source" | "target"; size?: number; kind?: string; from?: string }, names: PairNames): JsonChange {
  const change: JsonChange = { action: c.type, path: c.path, on: names[c.to] };
  const within = c.type === "move" || c.type === "copy-within";
  if (c.type !== "delete") change.from = within ? names[c.to] : names[other(c.to)];
  if (within) change.fromPath = c.from ?? "";
  if (c.type === "copy" || within) change.size = c.size ?? 0;
  if (c.kind && c.type === "delete") change.kind = c.kind;
  return change;
}

/**
 * A pass as `--json` prints it: paths, sizes, actions, conflicts and errors by storage id; no
 * file tokens or other internal state (a 20,000-file plan stays a few hundred KB).
 * `changes`: on a dry run, what would be done; otherwise what was done (`applied`).
 */
export function jsonResult(result: Omit<SyncResult, "plan"> & { plan?: SyncResult["plan"] | PassSummary["plan"] }, applied?: readonly AppliedChange[]) {
  const names = { source: result.source, target: result.target };
  const actions = result.plan && Array.isArray(result.plan.actions) ? result.plan.actions : [];
  const changes = result.dryRun
    ? actions.map((a) =>
        jsonChange(
          {
            type: a.type,
            path: a.path,
            to: a.to,
            size: a.type === "copy" || a.type === "move" || a.type === "copy-within" ? a.entry.size : undefined,
            kind: a.type === "delete" ? a.kind : undefined,
            from: a.type === "move" || a.type === "copy-within" ? a.from : undefined,
          },
          names,
        ),
      )
    : applied?.map((c) => jsonChange(c, names));
  return {
    source: result.source,
    target: result.target,
    syncer: result.syncer,
    direction: result.direction,
    dryRun: result.dryRun,
    durationMs: result.durationMs,
    counters: result.counters,
    ...(changes ? { changes } : {}),
    conflicts: result.conflicts.map((c: Conflict) => ({ path: c.path, reason: c.reason, message: c.message })),
    errors: result.errors.map((e: ItemError) => ({ path: e.path, code: e.code, message: e.message })),
    warnings: result.warnings,
  };
}

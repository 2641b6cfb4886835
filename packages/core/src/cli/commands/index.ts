/**
 * Every `wl` command, one module each. A module exports `register(parent)`, which adds its
 * command (with typed options and `--help` examples) under `parent`: the program itself, or
 * the `container` / `daemon` group. To add a command: write `commands/<group>-<name>.ts` and
 * list it here; the help, completion and man page pick it up from commander.
 */
import type { Command } from "../commander.js";
import * as completion from "./completion.js";
import * as containerCheck from "./container-check.js";
import * as containerCheckIgnore from "./container-check-ignore.js";
import * as containerListConflicts from "./container-list-conflicts.js";
import * as containerNames from "./container-names.js";
import * as containerResume from "./container-resume.js";
import * as containerResolve from "./container-resolve.js";
import * as containerRestore from "./container-restore.js";
import * as containerVersions from "./container-versions.js";
import * as containerStopSync from "./container-stop-sync.js";
import * as containerSync from "./container-sync.js";
import * as daemonInstall from "./daemon-install.js";
import * as daemonRun from "./daemon-run.js";
import * as daemonStart from "./daemon-start.js";
import * as daemonStatus from "./daemon-status.js";
import * as daemonStop from "./daemon-stop.js";
import * as man from "./man.js";
import * as status from "./status.js";
import * as syncers from "./syncers.js";

export interface CommandModule {
  register(parent: Command): void;
}

/** Commands under `wl container`. */
export const containerCommands: CommandModule[] = [containerSync, containerListConflicts, containerResolve, containerVersions, containerRestore, containerStopSync, containerResume, containerCheck, containerCheckIgnore, containerNames];
/** Commands under `wl daemon`. */
export const daemonCommands: CommandModule[] = [daemonStart, daemonStop, daemonStatus, daemonInstall, daemonRun];
/** Commands directly under `wl`. */
export const topCommands: CommandModule[] = [status, syncers, completion, man];

import type * as Commander from "commander";
import { requireCjs } from "../util/require-cjs.js";

// commander through require() (see util/require-cjs.ts); each name is both a value and a type.
const commander = requireCjs("commander") as typeof Commander;

export const Command = commander.Command;
export type Command = Commander.Command;
export const CommanderError = commander.CommanderError;
export type CommanderError = Commander.CommanderError;
export const Option = commander.Option;
export type Option = Commander.Option;

#!/usr/bin/env node
// wl from the wlsync package: core's CLI, told which distribution it runs as (for wl --version).
// The built-in plugins are this package's dependencies, so core finds them beside itself.
// With --debug, stack traces point at the TypeScript sources (core's bundle has source maps).
import { readFileSync } from "node:fs";

if (process.argv.includes("--debug") || process.env.WLSYNC_DEBUG === "1") process.setSourceMapsEnabled(true);
const { main } = await import("@wlsync/core/cli");
const { name, version } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
process.exitCode = await main(process.argv.slice(2), { distribution: { name, version } });

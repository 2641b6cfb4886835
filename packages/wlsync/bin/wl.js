#!/usr/bin/env node
// wl from the wlsync package: core's CLI, told which distribution it runs as (for wl --version).
// The built-in plugins are this package's dependencies, so core finds them beside itself.
import { readFileSync } from "node:fs";
import { main } from "@wlsync/core/cli";

const { name, version } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
process.exitCode = await main(process.argv.slice(2), { distribution: { name, version } });

#!/usr/bin/env node
// The bundle of core's CLI (scripts/bundle.mjs); with --debug, stack traces point at the TypeScript sources.
if (process.argv.includes("--debug") || process.env.WLSYNC_DEBUG === "1") process.setSourceMapsEnabled(true);
const { main } = await import("../dist/bundle/main.js");

process.exitCode = await main(process.argv.slice(2));

#!/usr/bin/env node
// Writes man/wl.1 from `wl man` (the same command tree as --help); run before packing.
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const bin = fileURLToPath(new URL("../bin/wl.js", import.meta.url));
const roff = execFileSync(process.execPath, [bin, "man"], { encoding: "utf8" });
mkdirSync(new URL("../man/", import.meta.url), { recursive: true });
writeFileSync(new URL("../man/wl.1", import.meta.url), roff);
console.log("wrote man/wl.1");

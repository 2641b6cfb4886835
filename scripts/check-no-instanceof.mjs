#!/usr/bin/env node
// Errors of the plugin API are told apart by their `code` (hasCode, isWlError), never with
// `instanceof`: a plugin may run on another copy of @wlsync/plugin-api than the host, whose
// classes are not the same objects. This check fails on any `instanceof SomeWlError` in the
// sources (the error classes are read from packages/plugin-api/src/errors.ts).
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const errorsSource = readFileSync(join(root, "packages", "plugin-api", "src", "errors.ts"), "utf8");
const classes = [...errorsSource.matchAll(/export class (\w+) extends/g)].map((m) => m[1]);
if (!classes.includes("WlError")) throw new Error("no error classes found in packages/plugin-api/src/errors.ts");
const pattern = new RegExp(`\\binstanceof\\s+(?:\\w+\\.)?(${classes.join("|")})\\b`);

const SKIP = new Set(["node_modules", "dist", ".git"]);
function* sources(dir) {
  for (const name of readdirSync(dir)) {
    if (SKIP.has(name)) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* sources(path);
    else if (/\.(ts|mts|js|mjs|cjs)$/.test(name) && !name.endsWith(".d.ts")) yield path;
  }
}

const found = [];
for (const top of ["packages", "examples", "test", "bench", "scripts"]) {
  for (const file of sources(join(root, top))) {
    if (file === fileURLToPath(import.meta.url)) continue;
    readFileSync(file, "utf8")
      .split("\n")
      .forEach((line, i) => {
        if (pattern.test(line)) found.push(`${relative(root, file)}:${i + 1}: ${line.trim()}`);
      });
  }
}
if (found.length) {
  console.error(`instanceof on wl error classes (use hasCode(err, "E_...") or isWlError(err)):\n  ${found.join("\n  ")}`);
  process.exit(1);
}
console.log(`no instanceof on wl error classes (${classes.length} classes checked)`);

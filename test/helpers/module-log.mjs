// What a `wl` run loads, for tests of its start-up path: run wl with `moduleLogEnv(file)` in its
// environment and read the list back with `loadedModules(file)`. ES modules come from loader
// hooks; CommonJS modules and Node's built-ins are written when the process exits.
import { register } from "node:module";
import { appendFileSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";

const HERE = new URL(".", import.meta.url);

if (process.env.WLSYNC_TEST_MODULE_LOG) {
  register(new URL("module-log-hooks.mjs", HERE));
  process.on("exit", () => {
    const cjs = Object.keys(createRequire(import.meta.url).cache);
    const builtins = process.moduleLoadList.filter((m) => m.startsWith("NativeModule ")).map((m) => `node:${m.slice("NativeModule ".length)}`);
    appendFileSync(process.env.WLSYNC_TEST_MODULE_LOG, `${[...cjs.map((p) => `file://${p}`), ...builtins].join("\n")}\n`);
  });
}

/** Environment for `wl(...)` that makes the run write what it loads to `file`. */
export function moduleLogEnv(file) {
  return { WLSYNC_TEST_MODULE_LOG: file, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --import ${new URL("module-log.mjs", HERE).href}`.trim() };
}

/** The modules a run wrote to `file`: `files` (paths of the JavaScript files, ES and CommonJS) and `builtins` (node:...). */
export function loadedModules(file) {
  const lines = [...new Set(readFileSync(file, "utf8").split("\n").filter(Boolean))];
  return {
    files: lines.filter((l) => l.startsWith("file://")).map((l) => decodeURIComponent(l.slice("file://".length))),
    builtins: lines.filter((l) => l.startsWith("node:") && !l.startsWith("node:internal/")),
  };
}

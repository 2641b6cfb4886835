#!/usr/bin/env node
// Bundles what `wl` loads at start, after `tsc -b` (`pnpm build` runs it; tsc still emits every
// module and the declarations, and checks the code). Each package's bundle goes to its
// `dist/bundle/` and its package.json points at it:
//
//   @wlsync/core         dist/bundle/main.js (the `./cli` export, bin/wl.js): the CLI with its
//                        pure-JS dependencies (commander, cosmiconfig, tsyringe...)
//   @wlsync/plugin-api   dist/bundle/index.js and testing.js (the `.` and `./testing` exports)
//   the built-in plugins dist/bundle/index.js (the `.` export, the entry wl imports)
//
// ESM with code splitting: a module imported lazily (`await import(...)`: a command's code, the
// engine, the daemon) stays in a chunk of its own, loaded only when it is needed.
//
// Why: a no-change pass of 3 files loaded about 200 modules, and Node paid for each a resolution,
// a file read and a compilation, most of the time above `node -e 0` (bench/README.md,
// "Measurements behind code choices"). esbuild is a devDependency only: the bundles are plain
// JavaScript beside tsc's output, in each package's `dist`.
//
// What stays outside (imported by Node from the bundle's folder, as before):
// - other packages, for the plugin API and the plugins: @wlsync/plugin-api is one copy shared by
//   the host and every plugin (a plugin bundling its own copy would work, errors being told apart
//   by code, but would be parsed twice);
// - for core: native or optional code (better-sqlite3, a .node addon; typescript, cosmiconfig's
//   loader for TypeScript configs), and the dependencies loaded only on some paths, through
//   `requireCjs` inside a function (cli-progress on a terminal, limiter with --bwlimit,
//   @babel/code-frame for a config that does not parse, ajv for a plugin's option schema,
//   winston in the daemon): bundled, they would be parsed at every start.
// Core loads its CommonJS dependencies with `requireCjs("name")` (util/require-cjs.ts: cheaper
// than importing them unbundled); esbuild follows only `require(...)`, so for the packages in
// CORE_INLINE the call is rewritten to `require("name")` while bundling.
//
// Source maps: tsc's maps are chained, so a frame maps to the TypeScript source; `wl` turns them
// on with --debug (or WLSYNC_DEBUG=1), see packages/core/bin/wl.js.
//
// usage: node scripts/bundle.mjs [PACKAGE-NAME...]   (default: every package below)
//        WLSYNC_NO_BUNDLE=1 node scripts/bundle.mjs    entries re-export tsc's modules (mutation runs)
//        BUNDLE_REPORT=1 node scripts/bundle.mjs       also prints each chunk's size and largest inputs
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { dirname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

/** Core's dependencies bundled into its chunks (with their own dependencies); the others stay external. */
const CORE_INLINE = ["commander", "cosmiconfig", "tsyringe", "reflect-metadata", "ignore", "fastest-levenshtein", "js-yaml", "better-sqlite3"];

const PACKAGES = [
  { name: "@wlsync/plugin-api", dir: "plugin-api", entries: { index: "dist/index.js", testing: "dist/testing/index.js" } },
  { name: "@wlsync/core", dir: "core", entries: { main: "dist/cli/main.js" }, inline: CORE_INLINE },
  { name: "@wlsync/backend-local", dir: "backend-local", entries: { index: "dist/index.js" } },
  { name: "@wlsync/backend-s3", dir: "backend-s3", entries: { index: "dist/index.js" } },
  { name: "@wlsync/backend-sftp", dir: "backend-sftp", entries: { index: "dist/index.js" } },
  { name: "@wlsync/syncer-naive", dir: "syncer-naive", entries: { index: "dist/index.js" } },
  { name: "@wlsync/syncer-rsync", dir: "syncer-rsync", entries: { index: "dist/index.js" } },
];

/** `requireCjs("x")` → `require("x")` in the package's own modules, for x in `inline`, so that esbuild bundles x. */
function requireCjsToRequire(pkgDir, inline) {
  const own = join(pkgDir, "dist");
  return {
    name: "require-cjs",
    setup(b) {
      b.onLoad({ filter: /\.js$/ }, async (args) => {
        if (!args.path.startsWith(own)) return undefined;
        const text = await readFile(args.path, "utf8");
        const contents = text.replace(/\brequireCjs\((["'])([^"']+)\1\)/g, (call, quote, name) => (inline.includes(name) ? `require(${quote}${name}${quote})` : call));
        return { contents, loader: "js" };
      });
    },
  };
}

/**
 * WLSYNC_NO_BUNDLE=1: each bundle entry is a one-line re-export of tsc's module instead, so that
 * everything runs tsc's output (a mutation run mutates those files in place: scripts/mutate.mjs).
 */
function writeShims(pkgDir, entries) {
  const outdir = join(pkgDir, "dist", "bundle");
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  for (const [out, file] of Object.entries(entries)) {
    const target = relative(outdir, join(pkgDir, file)).split(sep).join("/");
    // (`export *` leaves out a default export: a plugin's class is one.)
    const hasDefault = /^export default |^export \{[^}]*\bas default\b/m.test(readFileSync(join(pkgDir, file), "utf8"));
    const lines = ["// WLSYNC_NO_BUNDLE: tsc's modules, unbundled (scripts/bundle.mjs)", `export * from "${target}";`, ...(hasDefault ? [`export { default } from "${target}";`] : [])];
    writeFileSync(join(outdir, `${out}.js`), `${lines.join("\n")}\n`);
  }
}

/**
 * cosmiconfig requires js-yaml inside its YAML loader, which wl replaces (config/read-config.ts,
 * so that a JSON config never loads it): left to esbuild, that require would put js-yaml in
 * cosmiconfig's chunk, parsed at every start. It stays a plain require (never run: js-yaml is
 * also core's dependency, so it would resolve), and wl's own lazy import gets js-yaml its chunk.
 */
const lazyYamlInCosmiconfig = {
  name: "lazy-yaml-in-cosmiconfig",
  setup(b) {
    b.onResolve({ filter: /^js-yaml$/ }, (args) => (/[\\/]cosmiconfig[\\/]dist[\\/]loaders\.js$/.test(args.importer) ? { path: "js-yaml", external: true } : undefined));
  },
};

/**
 * commander requires node:child_process when it loads, for subcommands that are separate
 * executables (wl has none): about 9 ms of CPU at every start (child_process brings net and
 * dgram). In the bundle it is required when first used. If commander's line changes, the bundle
 * keeps the eager require (and this says so).
 */
const lazyChildProcessInCommander = {
  name: "lazy-child-process-in-commander",
  setup(b) {
    b.onLoad({ filter: /[\\/]commander[\\/]lib[\\/]command\.js$/ }, async (args) => {
      const text = await readFile(args.path, "utf8");
      const eager = "const childProcess = require('node:child_process');";
      if (!text.includes(eager)) return { contents: text, loader: "js", warnings: [{ text: "commander no longer has the line to make lazy: node:child_process loads at start" }] };
      const lazy = "const childProcess = { spawn: (...args) => require('node:child_process').spawn(...args) };";
      return { contents: text.replace(eager, lazy), loader: "js" };
    });
  },
};

async function bundle({ dir, entries, inline = [] }) {
  const pkgDir = join(root, "packages", dir);
  if (process.env.WLSYNC_NO_BUNDLE === "1") return writeShims(pkgDir, entries);
  const manifest = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8"));
  const deps = [...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.peerDependencies ?? {})];
  // Every other package stays external; for core, all but CORE_INLINE.
  const external = [...deps.filter((d) => !inline.includes(d)), "typescript"].flatMap((d) => [d, `${d}/*`]);
  const outdir = join(pkgDir, "dist", "bundle");
  rmSync(outdir, { recursive: true, force: true });
  const result = await build({
    entryPoints: Object.fromEntries(Object.entries(entries).map(([out, file]) => [out, join(pkgDir, file)])),
    outdir,
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    ...(inline.length ? { external } : { packages: "external" }),
    plugins: inline.length ? [requireCjsToRequire(pkgDir, inline), lazyYamlInCosmiconfig, lazyChildProcessInCommander] : [],
    // Bundled CommonJS modules require Node's built-ins (and the externals) at run time.
    banner: inline.length ? { js: `import { createRequire as __wlCreateRequire } from "node:module";\nconst require = __wlCreateRequire(import.meta.url);` } : {},
    sourcemap: "linked",
    sourcesContent: false,
    metafile: !!process.env.BUNDLE_REPORT,
    logLevel: "warning",
  });
  if (process.env.BUNDLE_REPORT) {
    for (const [file, out] of Object.entries(result.metafile.outputs)) {
      if (!file.endsWith(".js")) continue;
      console.log(`${file} ${out.bytes}`);
      const inputs = Object.entries(out.inputs).sort((a, b) => b[1].bytesInOutput - a[1].bytesInOutput);
      for (const [input, { bytesInOutput }] of inputs.slice(0, 8)) console.log(`  ${bytesInOutput} ${input.replace(/.*node_modules\//, "")}`);
    }
  }
}

const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !PACKAGES.some((p) => p.name === name));
if (unknown.length) {
  console.error(`bundle.mjs: no bundle for ${unknown.join(", ")} (known: ${PACKAGES.map((p) => p.name).join(", ")})`);
  process.exit(2);
}
await Promise.all(PACKAGES.filter((p) => !wanted.length || wanted.includes(p.name)).map(bundle));

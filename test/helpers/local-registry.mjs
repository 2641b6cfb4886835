// A package registry on 127.0.0.1 for install tests: serves tarballs packed from this
// repository and the third-party packages they depend on, taken from the workspace's
// node_modules, so `npm install` runs as it would against npmjs.org, offline.
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, realpathSync } from "node:fs";
import { createServer } from "node:http";
import { basename, dirname, join } from "node:path";
import { promisify } from "node:util";

const exec = promisify(execFile);

/** The folder of package `name` as Node would resolve it from `fromDir` (no exports map involved). */
function resolvePackageDir(name, fromDir) {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, "node_modules", name);
    if (existsSync(join(candidate, "package.json"))) return realpathSync(candidate);
    if (dirname(dir) === dir) return undefined;
  }
}

/**
 * Every third-party package (folder and manifest) that the workspace packages `roots` need at
 * run time: dependencies and installed optional dependencies, transitively.
 */
export function dependencyClosure(roots, isOwn) {
  const found = new Map(); // "name@version" -> { dir, manifest }
  const queue = [...roots];
  const visited = new Set();
  while (queue.length) {
    const dir = queue.pop();
    if (visited.has(dir)) continue;
    visited.add(dir);
    const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
    if (!isOwn(manifest.name)) found.set(`${manifest.name}@${manifest.version}`, { dir, manifest });
    for (const [dep, optional] of [...Object.keys(manifest.dependencies ?? {}).map((d) => [d, false]), ...Object.keys(manifest.optionalDependencies ?? {}).map((d) => [d, true])]) {
      const depDir = resolvePackageDir(dep, dir);
      if (!depDir) {
        if (optional) continue;
        throw new Error(`${manifest.name}: dependency ${dep} is not installed in the workspace`);
      }
      queue.push(depDir);
    }
  }
  return [...found.values()];
}

/** Packs an installed package folder as npm would publish it (top folder `package/`), without nested node_modules. */
export async function tarFolder(dir, out) {
  await exec("tar", ["cf", out, "--use-compress-program=gzip -1", "--hard-dereference", "--exclude=./node_modules", "-C", dir, "--transform", "s,^\\.,package,", "."]);
}

/**
 * Serves `tarballs` (paths) as a registry: GET /<name> gives the packument (every version
 * found), GET /-/<file> the tarball. Resolves with { url, close() }.
 */
export async function startRegistry(tarballs, tmp) {
  const packages = new Map(); // name -> { versions: {version: manifest}, latest }
  const files = new Map();
  await Promise.all(
    tarballs.map(async (file) => {
      const { stdout } = await exec("tar", ["xzf", file, "-O", "package/package.json"], { maxBuffer: 1 << 24 });
      const manifest = JSON.parse(stdout);
      const bytes = readFileSync(file);
      const name = `${manifest.name.replace("/", "-").replace("@", "")}-${manifest.version}.tgz`;
      files.set(name, file);
      const entry = packages.get(manifest.name) ?? { versions: {} };
      entry.versions[manifest.version] = {
        ...manifest,
        _id: `${manifest.name}@${manifest.version}`,
        scripts: manifest.scripts ?? {},
        dist: {
          tarball: `/-/${name}`,
          integrity: `sha512-${createHash("sha512").update(bytes).digest("base64")}`,
          shasum: createHash("sha1").update(bytes).digest("hex"),
        },
      };
      packages.set(manifest.name, entry);
    }),
  );
  let base;
  const server = createServer((req, res) => {
    const url = decodeURIComponent(req.url.split("?")[0]);
    if (url.startsWith("/-/")) {
      const file = files.get(url.slice(3));
      if (!file) return res.writeHead(404).end();
      res.writeHead(200, { "content-type": "application/octet-stream" });
      return res.end(readFileSync(file));
    }
    const entry = packages.get(url.slice(1));
    if (!entry) return res.writeHead(404, { "content-type": "application/json" }).end('{"error":"not found"}');
    const versions = {};
    for (const [v, m] of Object.entries(entry.versions)) versions[v] = { ...m, dist: { ...m.dist, tarball: `${base}${m.dist.tarball}` } };
    const latest = Object.keys(versions).sort((a, b) => a.localeCompare(b, undefined, { numeric: true })).at(-1);
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ name: url.slice(1), "dist-tags": { latest }, versions }));
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  base = `http://127.0.0.1:${server.address().port}`;
  mkdirSync(tmp, { recursive: true });
  return { url: base, packages, close: () => new Promise((ok) => server.close(ok)) };
}

export { basename };

import { basename, dirname, join, resolve } from "node:path";
import type * as Cosmiconfig from "cosmiconfig";
import type * as JsYaml from "js-yaml";
import { ConfigError } from "@wlsync/plugin-api";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { formatAjvErrors } from "./format-errors.js";
import { parseErrorPlace } from "./parse-error.js";
import type { WlsyncConfig } from "./wlsyncrc.generated.js";
import { validate as validateWlsyncrc } from "./wlsyncrc.validate.generated.js";
import { requireCjs } from "../util/require-cjs.js";

export { expandHome, resolveFrom, stateDirOf } from "./state-dir.js";

const { cosmiconfig, defaultLoaders } = requireCjs("cosmiconfig") as typeof Cosmiconfig;

/** js-yaml's `load`, wrapped as cosmiconfig's own YAML loader is (the error names the file). */
async function parseYaml(filepath: string, content: string): Promise<unknown> {
  // Loaded only for a config that is YAML: about 12 ms of every start otherwise.
  const { load } = (await import("js-yaml")) as typeof JsYaml;
  try {
    return load(content);
  } catch (err) {
    (err as Error).message = `YAML Error in ${filepath}:\n${(err as Error).message}`;
    throw err;
  }
}

/** Members of every object in a JSON text: its colons outside strings. */
function jsonMembers(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x3a) count++;
    else if (c === 0x22) for (i++; i < text.length && text.charCodeAt(i) !== 0x22; i++) if (text.charCodeAt(i) === 0x5c) i++;
  }
  return count;
}

/** Keys of every object in a parsed JSON value. */
function jsonKeys(value: unknown): number {
  if (value === null || typeof value !== "object") return 0;
  let count = Array.isArray(value) ? 0 : Object.keys(value).length;
  for (const v of Object.values(value)) count += jsonKeys(v);
  return count;
}

/**
 * `.wlsyncrc` is YAML or JSON: JSON.parse first (JSON is YAML, and most configs, generated ones
 * and every test's, are JSON), YAML when that fails, so a YAML file's errors are YAML's. A JSON
 * text with a key twice in one object (JSON.parse keeps the last) goes to YAML too, which
 * refuses it with its place, as it always did.
 */
async function parseJsonOrYaml(filepath: string, content: string): Promise<unknown> {
  let value: unknown;
  try {
    value = JSON.parse(content);
  } catch {
    return parseYaml(filepath, content);
  }
  return jsonKeys(value) === jsonMembers(content) ? value : parseYaml(filepath, content);
}

/**
 * A `.json` file: JSON (cosmiconfig's parser, whose errors give the place) when it starts with
 * `{` or `[`, as every JSON config does; YAML otherwise (a YAML config saved as `.json`), so it
 * is read, or refused with YAML's place, instead of failing on its first letter.
 */
async function parseJsonFile(filepath: string, content: string): Promise<unknown> {
  if (/^\uFEFF?\s*[{[]/.test(content) || basename(filepath) === "package.json") return defaultLoaders[".json"](filepath, content);
  return parseYaml(filepath, content);
}

/**
 * cosmiconfig's loaders, but YAML's parser loaded only for a file that is not JSON. `default`
 * serves any other extension (`--config wlsync.conf`, `photos.wlsyncrc`, `cfg.txt`): read as
 * `.wlsyncrc` is, JSON then YAML. `.js`/`.cjs`/`.mjs`/`.ts` keep cosmiconfig's own loaders.
 */
const LOADERS = { noExt: parseJsonOrYaml, ".yaml": parseYaml, ".yml": parseYaml, ".json": parseJsonFile, default: parseJsonOrYaml };

export interface LoadedConfig {
  config: WlsyncConfig;
  /** The file it came from. */
  filepath: string;
  /** Relative paths in the config resolve against this folder. */
  dir: string;
}

/** Against schemas/wlsyncrc.schema.json, compiled ahead of time (scripts/gen-validators.mjs). */
function validate(data: unknown): string[] {
  if (validateWlsyncrc(data)) return [];
  // The schema itself is read only to explain errors ("did you mean").
  const schemaFile = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "schemas", "wlsyncrc.schema.json");
  let schema: object | undefined;
  try {
    schema = JSON.parse(readFileSync(schemaFile, "utf8")) as object;
  } catch {
    schema = undefined;
  }
  return formatAjvErrors(validateWlsyncrc.errors, schema, { data });
}

/** Schema checks plus what a schema cannot say (unique backend-ids). Returns data, never throws. */
export function validateConfig(data: unknown): { config?: WlsyncConfig; errors: string[] } {
  if (data === null || data === undefined) return { errors: ["(top level): the file is empty"] };
  const errors = validate(data);
  if (errors.length) return { errors };
  const config = data as WlsyncConfig;
  for (const [name, container] of Object.entries(config.containers)) {
    const seen = new Map<string, number>();
    container.storages.forEach((storage, i) => {
      const first = seen.get(storage["backend-id"]);
      if (first !== undefined) {
        errors.push(`containers.${name}.storages[${i}].backend-id: "${storage["backend-id"]}" is already used by storages[${first}]`);
      } else seen.set(storage["backend-id"], i);
    });
  }
  return errors.length ? { errors } : { config, errors };
}

/** Finds (cosmiconfig module `wlsync`, from `cwd` upwards) or loads the config, and validates it. */
export async function readConfig(cwd: string, explicitPath?: string): Promise<LoadedConfig> {
  const explorer = cosmiconfig("wlsync", { searchStrategy: "global", stopDir: "/", cache: false, ignoreEmptySearchPlaces: false, loaders: LOADERS });
  let found;
  try {
    found = explicitPath ? await explorer.load(resolve(cwd, explicitPath)) : await explorer.search(cwd);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") throw new ConfigError(`config file not found: ${explicitPath}`);
    const file = (err as { filepath?: string }).filepath ?? (explicitPath ? resolve(cwd, explicitPath) : undefined);
    const place = file ? parseErrorPlace(err, file) : undefined;
    // file:line:column: reason, then the parser's code frame (as compilers print it).
    if (place) throw new ConfigError(`cannot parse the config ${file}:${place.line}:${place.column}: ${place.reason}\n${place.frame}`);
    const lines = (err as Error).message.split("\n").filter((l) => l.trim());
    throw new ConfigError(`cannot parse the config: ${lines.join(" ")}`);
  }
  if (!found) {
    throw new ConfigError(
      `no config found: create a .wlsyncrc in ${cwd} or a parent folder (see README "Configuration"), or pass --config FILE`,
    );
  }
  const { config, errors } = validateConfig(found.isEmpty ? null : found.config);
  if (!config) throw new ConfigError(`invalid config ${found.filepath}:`, errors);
  return { config, filepath: found.filepath, dir: dirname(found.filepath) };
}


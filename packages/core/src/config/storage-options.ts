import type { ErrorObject } from "ajv";
import { COMMON_STORAGE_KEYS, type Logger, type OptionsValidator, type StorageBackendClass } from "@wlsync/plugin-api";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { formatAjvErrors } from "./format-errors.js";

/** Core's config schema (read only to explain an error). */
function configSchema(): object | undefined {
  try {
    return JSON.parse(readFileSync(join(dirname(fileURLToPath(import.meta.url)), "..", "..", "schemas", "wlsyncrc.schema.json"), "utf8")) as object;
  } catch {
    return undefined;
  }
}

/** The backend's part of a storage entry: every key but COMMON_STORAGE_KEYS (checked by core's own schema). */
export function backendOptionsOf(storage: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(storage).filter(([key]) => !COMMON_STORAGE_KEYS.includes(key)));
}

const compiled = new WeakMap<object, OptionsValidator>();

/**
 * The backend's validator: its ahead-of-time compiled `validateOptions`, else its OPTIONS_SCHEMA
 * compiled here (ajv is loaded only then, a cost paid at start by third-party backends (bench/README.md)
 * that ship a schema without the compiled code). Undefined when the backend has no schema.
 */
async function validatorOf(cls: StorageBackendClass): Promise<OptionsValidator | undefined> {
  if (typeof cls.validateOptions === "function") return cls.validateOptions;
  if (!cls.OPTIONS_SCHEMA || typeof cls.OPTIONS_SCHEMA !== "object") return undefined;
  let validator = compiled.get(cls);
  if (!validator) {
    const { Ajv } = await import("ajv");
    // strict: false, a plugin's schema may carry annotations of other tools (tsType...).
    const ajv = new Ajv({ allErrors: true, strict: false, verbose: true });
    validator = ajv.compile(cls.OPTIONS_SCHEMA) as unknown as OptionsValidator;
    compiled.set(cls, validator);
  }
  return validator;
}

/**
 * Checks one storage entry's backend options against the backend's schema. `pointer` is the
 * entry's place in the config as a JSON Pointer (`/containers/photos/storages/1`); problems come
 * back as `containers.photos.storages[1].bucketname: unknown property`. A backend without a
 * schema gets a warning (once per type and run) and its options pass unchecked: plugins written
 * before backends had schemas keep working.
 */
export async function storageOptionProblems(cls: StorageBackendClass, storage: Record<string, unknown>, pointer: string, logger: Logger): Promise<string[]> {
  const validator = await validatorOf(cls);
  if (!validator) {
    if (!warned.has(cls.TYPE)) {
      warned.add(cls.TYPE);
      logger.warn(`backend "${cls.TYPE}" declares no OPTIONS_SCHEMA: the options of its storages are not checked (a misspelt key is ignored)`);
    }
    return [];
  }
  const options = backendOptionsOf(storage);
  if (validator(options)) return [];
  const errors = (validator.errors ?? []).map((e) => ({ ...e, instancePath: `${pointer}${e.instancePath}` }));
  // "did you mean" among the backend's keys and the common ones; a container key (ignore) put
  // under a storage is named as such, from core's own schema.
  return formatAjvErrors(errors as unknown as ErrorObject[], cls.OPTIONS_SCHEMA as object | undefined, {
    basePointer: pointer,
    alsoKnown: COMMON_STORAGE_KEYS,
    related: [configSchema()].filter((x): x is object => !!x),
    title: `a ${cls.TYPE} storage`,
    data: options,
  });
}

const warned = new Set<string>();

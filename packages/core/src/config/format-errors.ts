import type { ErrorObject } from "ajv";
import { didYouMean } from "./suggest.js";

/** `/containers/photos/storages/1/path` becomes `containers.photos.storages[1].path`. */
export function dottedPath(pointer: string): string {
  if (!pointer) return "";
  return pointer
    .split("/")
    .slice(1)
    .map((part) => part.replace(/~1/g, "/").replace(/~0/g, "~"))
    .reduce((out, part) => (/^\d+$/.test(part) ? `${out}[${part}]` : out ? `${out}.${part}` : part), "");
}

type SchemaNode = { title?: string; properties?: Record<string, unknown>; [key: string]: unknown };

/** The schema object a local `$ref` (`#/definitions/container`) points to. */
function schemaAt(root: SchemaNode, pointer: string): SchemaNode | undefined {
  let node: unknown = root;
  for (const part of pointer.replace(/^#\/?/, "").split("/").filter(Boolean)) {
    if (!node || typeof node !== "object") return undefined;
    node = (node as Record<string, unknown>)[part.replace(/~1/g, "/").replace(/~0/g, "~")];
  }
  return node && typeof node === "object" ? (node as SchemaNode) : undefined;
}

/** A schema and every schema it combines ($ref, allOf, anyOf, oneOf, then, else), flattened. */
function expand(node: unknown, root: SchemaNode, depth = 0): SchemaNode[] {
  if (!node || typeof node !== "object" || depth > 20) return [];
  const n = node as SchemaNode;
  const out: SchemaNode[] = [n];
  if (typeof n.$ref === "string") out.push(...expand(schemaAt(root, n.$ref), root, depth + 1));
  for (const key of ["allOf", "anyOf", "oneOf"]) if (Array.isArray(n[key])) for (const sub of n[key] as unknown[]) out.push(...expand(sub, root, depth + 1));
  for (const key of ["then", "else"]) if (n[key]) out.push(...expand(n[key], root, depth + 1));
  return out;
}

/** The object schemas that describe the value at `instancePath` (ajv's `/containers/photos`). */
function schemasForInstance(root: SchemaNode, instancePath: string): SchemaNode[] {
  let nodes = expand(root, root);
  for (const raw of instancePath.split("/").slice(1)) {
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    const next: SchemaNode[] = [];
    for (const n of nodes) {
      const props = n.properties as Record<string, unknown> | undefined;
      if (props && key in props) next.push(...expand(props[key], root));
      else if (/^\d+$/.test(key) && n.items) next.push(...expand(n.items, root));
      else if (n.additionalProperties && typeof n.additionalProperties === "object") next.push(...expand(n.additionalProperties, root));
    }
    nodes = next;
  }
  return nodes;
}

/** Every object schema below `schema` that lists properties, with its title (or pointer). */
function objectSchemas(schema: SchemaNode): Array<{ where: string; names: string[] }> {
  const found: Array<{ where: string; names: string[] }> = [];
  const walk = (node: unknown, pointer: string) => {
    if (!node || typeof node !== "object") return;
    const n = node as SchemaNode;
    if (n.properties && typeof n.properties === "object") found.push({ where: n.title ?? pointer, names: Object.keys(n.properties) });
    for (const [key, child] of Object.entries(n)) if (key !== "properties" || child) walk(child, `${pointer}/${key}`);
  };
  walk(schema, "#");
  return found;
}

/**
 * What to add to `unknown property "x"`: the sibling it most likely meant (`did you mean
 * "watcher-interval"?`), else where that key belongs when another object of the schema has it.
 */
function unknownPropertyHint(e: ErrorObject, name: string, schema: SchemaNode | undefined, hints: SchemaHints): string {
  if (!schema) return "";
  const base = hints.basePointer ?? "";
  const relative = base && e.instancePath.startsWith(base) ? e.instancePath.slice(base.length) : e.instancePath;
  const here = schemasForInstance(schema, relative);
  const siblings = [...new Set([...here.flatMap((n) => Object.keys(n.properties ?? {})), ...(hints.alsoKnown ?? [])])];
  const title = here.find((n) => n.title)?.title ?? hints.title;
  const meant = didYouMean(name, siblings);
  if (meant) return `; did you mean "${meant}"?`;
  const elsewhere = [schema, ...(hints.related ?? [])].flatMap((s) => objectSchemas(s as SchemaNode)).filter((o) => o.names.includes(name) && o.where !== title);
  if (elsewhere.length) return `; "${name}" is an option of ${[...new Set(elsewhere.map((o) => o.where))].join(" or ")}, not of ${title ?? "this object"}`;
  return "";
}

/** How to explain unknown keys of a schema that describes only part of the file (a backend's storage options). */
export interface SchemaHints {
  /** The place of the schema's root in the file, as a JSON Pointer (`/containers/photos/storages/1`). */
  basePointer?: string;
  /** Keys valid at that place though the schema does not list them (the common storage keys). */
  alsoKnown?: readonly string[];
  /** Other schemas of the file, to say where a misplaced key belongs. */
  related?: readonly object[];
  /** What to call the schema's root object when it has no title. */
  title?: string;
  /**
   * The value the errors are about (at `basePointer` in the file): with it, a missing required
   * key that a present unknown key misspells is reported as that key (`tpye: unknown property;
   * did you mean "type"?`) instead of as missing.
   */
  data?: unknown;
}

/** The value at a JSON Pointer (`/containers/photos`) in `data`, or undefined. */
function valueAt(data: unknown, pointer: string): unknown {
  let node = data;
  for (const raw of pointer.split("/").slice(1)) {
    if (!node || typeof node !== "object") return undefined;
    node = (node as Record<string, unknown>)[raw.replace(/~1/g, "/").replace(/~0/g, "~")];
  }
  return node;
}

/**
 * The key of the object at the error's place that misspells the `missing` required key: not a
 * property the schema knows there, and nearest to `missing` (didYouMean). Undefined when none is.
 */
function misspeltRequiredKey(e: ErrorObject, missing: string, schema: SchemaNode | undefined, hints: SchemaHints): string | undefined {
  const base = hints.basePointer ?? "";
  const relative = base && e.instancePath.startsWith(base) ? e.instancePath.slice(base.length) : e.instancePath;
  const value = valueAt(hints.data, relative);
  if (!value || typeof value !== "object" || Array.isArray(value)) return undefined;
  const known = new Set([...(schema ? schemasForInstance(schema, relative) : []).flatMap((n) => Object.keys(n.properties ?? {})), ...(hints.alsoKnown ?? [])]);
  return Object.keys(value).find((key) => !known.has(key) && key !== missing && didYouMean(key, [missing]) === missing);
}

/**
 * One line per problem, `path.in.file: what is wrong`, without ajv's duplicates and noise.
 * With the `schema` the errors come from, an unknown property gets a "did you mean" hint.
 */
export function formatAjvErrors(errors: readonly ErrorObject[] | null | undefined, schema?: object, hints: SchemaHints = {}): string[] {
  const lines = new Set<string>();
  for (const e of errors ?? []) {
    if (e.keyword === "if") continue; // the failing "then" branch says what is missing
    let at = dottedPath(e.instancePath) || "(top level)";
    let message = e.message ?? "is invalid";
    if (e.keyword === "additionalProperties") {
      // The place of the unknown key itself: `containers.photos.storages[1].watcher_interval: unknown property`.
      const name = (e.params as { additionalProperty: string }).additionalProperty;
      at = dottedPath(`${e.instancePath}/${name.replace(/~/g, "~0").replace(/\//g, "~1")}`);
      message = `unknown property${unknownPropertyHint(e, name, schema as SchemaNode | undefined, hints)}`;
    }
    // A key a schema refuses on purpose (`"not": {}`) says why in its description (needs ajv's `verbose`).
    else if (e.keyword === "not" && typeof (e.parentSchema as { description?: unknown } | undefined)?.description === "string") {
      message = (e.parentSchema as { description: string }).description;
    }
    else if (e.keyword === "required") {
      const missing = (e.params as { missingProperty: string }).missingProperty;
      const misspelt = misspeltRequiredKey(e, missing, schema as SchemaNode | undefined, hints);
      if (misspelt) {
        // The same line as the misspelt key's own `additionalProperties` error (where the schema refuses unknown keys): one line, not two.
        at = dottedPath(`${e.instancePath}/${misspelt.replace(/~/g, "~0").replace(/\//g, "~1")}`);
        message = `unknown property; did you mean "${missing}"?`;
      } else message = `missing required property "${missing}"`;
    }
    else if (e.keyword === "propertyNames") message = `invalid name "${(e.params as { propertyName: string }).propertyName}"`;
    else if (e.keyword === "enum") message = `must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(", ")}`;
    if (e.keyword === "pattern" && e.propertyName) continue;
    lines.add(`${at}: ${message}`);
  }
  return [...lines];
}

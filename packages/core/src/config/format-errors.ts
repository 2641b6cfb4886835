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
function unknownPropertyHint(e: ErrorObject, name: string, schema?: SchemaNode): string {
  if (!schema) return "";
  const here = schemasForInstance(schema, e.instancePath);
  const siblings = [...new Set(here.flatMap((n) => Object.keys(n.properties ?? {})))];
  const title = here.find((n) => n.title)?.title;
  const meant = didYouMean(name, siblings);
  if (meant) return `; did you mean "${meant}"?`;
  const elsewhere = objectSchemas(schema).filter((o) => o.names.includes(name) && o.where !== title);
  if (elsewhere.length) return `; "${name}" is an option of ${[...new Set(elsewhere.map((o) => o.where))].join(" or ")}, not of ${title ?? "this object"}`;
  return "";
}

/**
 * One line per problem, `path.in.file: what is wrong`, without ajv's duplicates and noise.
 * With the `schema` the errors come from, an unknown property gets a "did you mean" hint.
 */
export function formatAjvErrors(errors: readonly ErrorObject[] | null | undefined, schema?: object): string[] {
  const lines = new Set<string>();
  for (const e of errors ?? []) {
    if (e.keyword === "if") continue; // the failing "then" branch says what is missing
    let at = dottedPath(e.instancePath) || "(top level)";
    let message = e.message ?? "is invalid";
    if (e.keyword === "additionalProperties") {
      // The place of the unknown key itself: `containers.photos.storages[1].watcher_interval: unknown property`.
      const name = (e.params as { additionalProperty: string }).additionalProperty;
      at = dottedPath(`${e.instancePath}/${name.replace(/~/g, "~0").replace(/\//g, "~1")}`);
      message = `unknown property${unknownPropertyHint(e, name, schema as SchemaNode | undefined)}`;
    }
    // A key a schema refuses on purpose (`"not": {}`) says why in its description (needs ajv's `verbose`).
    else if (e.keyword === "not" && typeof (e.parentSchema as { description?: unknown } | undefined)?.description === "string") {
      message = (e.parentSchema as { description: string }).description;
    }
    else if (e.keyword === "required") message = `missing required property "${(e.params as { missingProperty: string }).missingProperty}"`;
    else if (e.keyword === "propertyNames") message = `invalid name "${(e.params as { propertyName: string }).propertyName}"`;
    else if (e.keyword === "enum") message = `must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(", ")}`;
    if (e.keyword === "pattern" && e.propertyName) continue;
    lines.add(`${at}: ${message}`);
  }
  return [...lines];
}

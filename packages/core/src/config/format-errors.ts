import type { ErrorObject } from "ajv";

/** `/containers/photos/storages/1/path` becomes `containers.photos.storages[1].path`. */
export function dottedPath(pointer: string): string {
  if (!pointer) return "";
  return pointer
    .split("/")
    .slice(1)
    .map((part) => part.replace(/~1/g, "/").replace(/~0/g, "~"))
    .reduce((out, part) => (/^\d+$/.test(part) ? `${out}[${part}]` : out ? `${out}.${part}` : part), "");
}

/** One line per problem, `path.in.file: what is wrong`, without ajv's duplicates and noise. */
export function formatAjvErrors(errors: readonly ErrorObject[] | null | undefined): string[] {
  const lines = new Set<string>();
  for (const e of errors ?? []) {
    if (e.keyword === "if") continue; // the failing "then" branch says what is missing
    let at = dottedPath(e.instancePath) || "(top level)";
    let message = e.message ?? "is invalid";
    if (e.keyword === "additionalProperties") {
      // The place of the unknown key itself: `containers.photos.storages[1].watcher_interval: unknown property`.
      at = dottedPath(`${e.instancePath}/${(e.params as { additionalProperty: string }).additionalProperty.replace(/~/g, "~0").replace(/\//g, "~1")}`);
      message = "unknown property";
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

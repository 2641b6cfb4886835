import { readFileSync } from "node:fs";
import { requireCjs } from "../util/require-cjs.js";

/** Where a config file failed to parse: 1-based line and column, the parser's reason, a code frame. */
export interface ParseErrorPlace {
  line: number;
  column: number;
  reason: string;
  /** The lines around the place with a caret under the column (no colours). */
  frame: string;
}

/** 1-based line and column of a 0-based character offset in `text`. */
export function lineColumnAt(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const line = before.split("\n").length;
  return { line, column: offset - (before.lastIndexOf("\n") + 1) + 1 };
}

/** `@babel/code-frame` (what cosmiconfig's JSON parser uses too), loaded only when a config is broken. */
function codeFrame(text: string, line: number, column: number): string {
  const { codeFrameColumns } = requireCjs("@babel/code-frame") as typeof import("@babel/code-frame");
  return codeFrameColumns(text, { start: { line, column } }, { linesAbove: 2, linesBelow: 1, highlightCode: false });
}

/**
 * The place of a parse error thrown while loading `filepath`: js-yaml's YAMLException (its
 * `mark` holds line and column), or a JSON syntax error (re-parsed here to get the offset,
 * since cosmiconfig's message drops it). Undefined when the error has no place (a JS config).
 */
export function parseErrorPlace(err: unknown, filepath: string): ParseErrorPlace | undefined {
  const e = err as { name?: string; mark?: { line: number; column: number; buffer?: string }; reason?: string; message?: string };
  let text: string;
  try {
    text = e.mark?.buffer ?? readFileSync(filepath, "utf8");
  } catch {
    return undefined;
  }
  if (e.name === "YAMLException" && e.mark) {
    const line = e.mark.line + 1;
    const column = e.mark.column + 1;
    return { line, column, reason: e.reason ?? "invalid YAML", frame: codeFrame(text, line, column) };
  }
  if (e.name === "JSONError" || /\.json$/i.test(filepath)) {
    try {
      JSON.parse(text);
    } catch (syntax) {
      const message = (syntax as Error).message;
      const at = /at position (\d+)/.exec(message);
      const offset = at ? Number(at[1]) : /Unexpected end of JSON input/.test(message) ? text.length : undefined;
      if (offset === undefined) return undefined;
      const { line, column } = lineColumnAt(text, offset);
      const reason = message.replace(/ in JSON at position \d+.*$/s, "").replace(/^JSON\.parse: /, "");
      return { line, column, reason, frame: codeFrame(text, line, column) };
    }
  }
  return undefined;
}

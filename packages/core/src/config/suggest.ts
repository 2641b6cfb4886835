import type * as Levenshtein from "fastest-levenshtein";
import { requireCjs } from "../util/require-cjs.js";

/** Lowercase with `_` and spaces as `-`: `watcher_interval` and `Watcher-Interval` compare equal to `watcher-interval`. */
const normalize = (name: string) => name.toLowerCase().replace(/[_\s]+/g, "-");

/** Whether `a` is `b` with two neighbouring letters swapped (`tpye`, `type`): one slip of the fingers, counted as one edit. */
function transposed(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return i + 1 < a.length && a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
}

/**
 * The known name a misspelt `name` most likely meant ("did you mean"), or undefined when
 * nothing is close: an equal name after normalising case and `_`/`-`, else the nearest by edit
 * distance (fastest-levenshtein; two swapped neighbouring letters count as one edit) within a third of the name's length (at least 1, at most 3).
 */
export function didYouMean(name: string, known: Iterable<string>): string | undefined {
  const { distance } = requireCjs("fastest-levenshtein") as typeof Levenshtein;
  const wanted = normalize(name);
  let best: string | undefined;
  let bestDistance = Math.min(3, Math.max(1, Math.floor(wanted.length / 3)));
  for (const candidate of known) {
    const known = normalize(candidate);
    const d = transposed(wanted, known) ? 1 : distance(wanted, known);
    if (d === 0) return candidate;
    if (d <= bestDistance && (best === undefined || d < bestDistance)) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

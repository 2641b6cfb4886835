import type { Side } from "@wlsync/plugin-api";

/**
 * The two sides of a pair, written once: code that treats them alike loops over `SIDES` or
 * takes a side and its `other`, and picks per-side values from `Record<Side, T>` objects
 * (`bySide[side]`) rather than branching on which side it is.
 */
export const SIDES: readonly Side[] = ["source", "target"];

/** The side that is not `side`. */
export function other(side: Side): Side {
  return side === "source" ? "target" : "source";
}

/** The field of a record or conflict that holds a side's token (`sourceToken` / `targetToken`). */
export function tokenKey(side: Side): "sourceToken" | "targetToken" {
  return side === "source" ? "sourceToken" : "targetToken";
}

/** `{ source: f("source"), target: f("target") }`. */
export function bothSides<T>(f: (side: Side) => T): Record<Side, T> {
  return { source: f("source"), target: f("target") };
}

import type { SyncerClass, SyncerTraits } from "@wlsync/plugin-api";
import type { PluginPackage } from "./find-packages.js";

/** A syncer whose class is imported. */
export interface LoadedSyncer {
  cls: SyncerClass;
  pkg: PluginPackage;
}

/** A syncer as selection sees it: its traits (from the package's manifest, or its imported class) and package. */
export interface SyncerCandidate {
  traits: SyncerTraits;
  pkg: PluginPackage;
}

export interface SyncRequest {
  sourceType: string;
  targetType: string;
  continuous: boolean;
  unidirectional: boolean;
  /** SYNCER_NAME forced by --syncer or `syncer:` in the config. */
  forced?: string;
  /** Whether both storages have a folder on this machine (their backends' localPath()): REQUIRES_MOUNT syncers need it. */
  mounted?: boolean;
}

export interface Verdict<T extends SyncerCandidate = SyncerCandidate> {
  syncer: T;
  eligible: boolean;
  /** Exact type matches count 1 each; `*` counts 0. */
  score: number;
  /**
   * Ranked after the other eligible syncers: its transfer sends deltas (DELTA_TRANSFER
   * "remote"), and both storages are folders on this machine, where a whole-file copy is faster.
   */
  demoted: boolean;
  reason: string;
}

function typeScore(accepted: readonly string[], type: string): number | null {
  if (accepted.includes(type)) return 1;
  if (accepted.includes("*")) return 0;
  return null;
}

/**
 * Judges every syncer against a request: eligible ones first; among them, for two folders of
 * this machine, syncers whose transfer pays only over a network (DELTA_TRANSFER "remote") last;
 * then exact type matches before `*`; then by name.
 */
export function rankSyncers<T extends SyncerCandidate>(syncers: readonly T[], req: SyncRequest): Verdict<T>[] {
  const verdicts = syncers.map((syncer): Verdict<T> => {
    const c = syncer.traits;
    const s = typeScore(c.SOURCE_TYPES, req.sourceType);
    const t = typeScore(c.TARGET_TYPES, req.targetType);
    const score = (s ?? 0) + (t ?? 0);
    const no = (reason: string): Verdict<T> => ({ syncer, eligible: false, score, demoted: false, reason });
    if (req.forced && c.SYNCER_NAME !== req.forced) return no(`not the forced syncer "${req.forced}"`);
    if (s === null) return no(`source type ${req.sourceType} not in SOURCE_TYPES [${c.SOURCE_TYPES.join(", ")}]`);
    if (t === null) return no(`target type ${req.targetType} not in TARGET_TYPES [${c.TARGET_TYPES.join(", ")}]`);
    const pairs = c.PAIRS;
    if (pairs && !pairs.some(([a, b]) => (a === req.sourceType || a === "*") && (b === req.targetType || b === "*"))) {
      return no(`pair ${req.sourceType} → ${req.targetType} not in PAIRS [${pairs.map(([a, b]) => `${a} → ${b}`).join(", ")}]`);
    }
    if (req.continuous && !c.CONTINUOUS) return no("cannot sync continuously (CONTINUOUS is false)");
    if (!req.continuous && !c.ONE_SHOT) return no("cannot do a one-shot pass (ONE_SHOT is false)");
    if (req.unidirectional && !c.UNIDIRECTIONAL) return no("cannot sync one way (UNIDIRECTIONAL is false)");
    if (c.REQUIRES_MOUNT && !req.mounted) return no("requires both storages to be folders on this machine (REQUIRES_MOUNT), and one is not");
    const why = req.forced ? "forced by name" : score === 2 ? "exact source and target types" : score === 1 ? "one exact type, one *" : "accepts any types (*)";
    // Delta transfer saves bytes on a network; between two folders of this machine reading
    // both copies to compute a delta costs more than copying (rsync itself turns it off there).
    const demoted = !req.forced && !!req.mounted && c.DELTA_TRANSFER === "remote";
    const reason = demoted ? `${why}; ranked after direct copiers: both storages are folders on this machine, where its delta transfer does not pay (DELTA_TRANSFER "remote")` : why;
    return { syncer, eligible: true, score, demoted, reason };
  });
  return verdicts.sort(
    (x, y) =>
      Number(y.eligible) - Number(x.eligible) ||
      Number(x.demoted) - Number(y.demoted) ||
      y.score - x.score ||
      byName(x.syncer.traits.SYNCER_NAME, y.syncer.traits.SYNCER_NAME),
  );
}

/** Code-unit order (localeCompare would load ICU's collator at start: bench/README.md). */
function byName(x: string, y: string): number {
  return x < y ? -1 : x > y ? 1 : 0;
}

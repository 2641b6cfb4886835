import type { SyncerClass } from "@wlsync/plugin-api";
import type { PluginPackage } from "./find-packages.js";

export interface LoadedSyncer {
  cls: SyncerClass;
  pkg: PluginPackage;
}

export interface SyncRequest {
  sourceType: string;
  targetType: string;
  continuous: boolean;
  unidirectional: boolean;
  /** SYNCER_NAME forced by --syncer or `syncer:` in the config. */
  forced?: string;
}

export interface Verdict {
  syncer: LoadedSyncer;
  eligible: boolean;
  /** Exact type matches count 1 each; `*` counts 0. */
  score: number;
  reason: string;
}

function typeScore(accepted: readonly string[], type: string): number | null {
  if (accepted.includes(type)) return 1;
  if (accepted.includes("*")) return 0;
  return null;
}

/** Judges every syncer against a request; eligible ones first, exact type matches before `*`. */
export function rankSyncers(syncers: readonly LoadedSyncer[], req: SyncRequest): Verdict[] {
  const verdicts = syncers.map((syncer): Verdict => {
    const c = syncer.cls;
    const s = typeScore(c.SOURCE_TYPES, req.sourceType);
    const t = typeScore(c.TARGET_TYPES, req.targetType);
    const score = (s ?? 0) + (t ?? 0);
    const no = (reason: string): Verdict => ({ syncer, eligible: false, score, reason });
    if (req.forced && c.SYNCER_NAME !== req.forced) return no(`not the forced syncer "${req.forced}"`);
    if (s === null) return no(`source type ${req.sourceType} not in SOURCE_TYPES [${c.SOURCE_TYPES.join(", ")}]`);
    if (t === null) return no(`target type ${req.targetType} not in TARGET_TYPES [${c.TARGET_TYPES.join(", ")}]`);
    if (req.continuous && !c.CONTINUOUS) return no("cannot sync continuously (CONTINUOUS is false)");
    if (!req.continuous && !c.ONE_SHOT) return no("cannot do a one-shot pass (ONE_SHOT is false)");
    if (req.unidirectional && !c.UNIDIRECTIONAL) return no("cannot sync one way (UNIDIRECTIONAL is false)");
    if (c.REQUIRES_MOUNT) return no("requires mounted storages, which wl does not provide");
    const why = req.forced ? "forced by name" : score === 2 ? "exact source and target types" : score === 1 ? "one exact type, one *" : "accepts any types (*)";
    return { syncer, eligible: true, score, reason: why };
  });
  return verdicts.sort((x, y) => Number(y.eligible) - Number(x.eligible) || y.score - x.score || x.syncer.cls.SYNCER_NAME.localeCompare(y.syncer.cls.SYNCER_NAME));
}

import type { Command } from "../commander.js";
import { examples, globalsOf, loadApp, out } from "../context.js";

/** Options of `wl syncers`. */
export interface SyncersOptions {
  json?: boolean;
  container?: string;
  oneShot?: boolean;
  unidirectional?: boolean;
  sourceStorage?: string;
  targetStorage?: string;
  syncer?: string;
}

interface Selection {
  container: string;
  source: string;
  target: string;
  request: unknown;
  chosen: string | null;
  syncers: Array<{ name: string; eligible: boolean; reason: string }>;
}

export function register(program: Command): void {
  program
    .command("syncers")
    .description("the syncers found, their traits, and why any package was skipped")
    .option("--json", "machine-readable output")
    .option("--container <name>", "explain which syncer this container's pair would use")
    .option("--one-shot", "with --container: for a one-shot pass (default: continuous)")
    .option("--unidirectional", "with --container: for one-way sync")
    .option("--source-storage <id|type>", "with --container: the source storage")
    .option("--target-storage <id|type>", "with --container: the target storage")
    .option("--syncer <name>", "with --container: as if this syncer were forced")
    .addHelpText(
      "after",
      examples(
        ["wl syncers", "every syncer and backend found, and packages skipped with the reason"],
        ["wl syncers --container photos --one-shot", "which syncer a one-shot pass of photos would use, and why"],
      ),
    )
    .action(async (opts: SyncersOptions, cmd: Command) => {
      const { app } = await loadApp(globalsOf(cmd), !!opts.container);
      const [{ ContainerService }, { PluginRegistry }, { rankSyncers }] = await Promise.all([
        import("../../containers/container-service.js"),
        import("../../plugins/plugin-registry.js"),
        import("../../plugins/select-syncer.js"),
      ]);
      const registry = app.resolve(PluginRegistry);
      const syncers = await registry.syncers();
      const backends = await registry.backends();
      const skipped = await registry.skipped();
      const describe = syncers.map(({ cls, pkg }) => ({
        name: cls.SYNCER_NAME,
        package: pkg.name,
        version: pkg.version,
        path: pkg.dir,
        traits: {
          SOURCE_TYPES: cls.SOURCE_TYPES,
          TARGET_TYPES: cls.TARGET_TYPES,
          ONE_SHOT: cls.ONE_SHOT,
          CONTINUOUS: cls.CONTINUOUS,
          UNIDIRECTIONAL: cls.UNIDIRECTIONAL,
          REQUIRES_MOUNT: !!cls.REQUIRES_MOUNT,
          ...(cls.PAIRS ? { PAIRS: cls.PAIRS } : {}),
          DELTA_TRANSFER: cls.DELTA_TRANSFER ?? "none",
        },
      }));
      let selection: Selection | undefined;
      if (opts.container) {
        const service = app.resolve(ContainerService);
        const pair = service.resolvePair(opts.container, { source: opts.sourceStorage, target: opts.targetStorage });
        const forced = service.forcedSyncer(pair, opts.syncer);
        const req = { sourceType: pair.source.type, targetType: pair.target.type, continuous: !opts.oneShot, unidirectional: !!opts.unidirectional, forced, mounted: await service.isMounted(pair) };
        const verdicts = rankSyncers(syncers.map((s) => ({ ...s, traits: s.cls })), req);
        let chosen: string | null = null;
        const explained = [];
        for (const v of verdicts) {
          let reason = v.reason;
          let eligible = v.eligible;
          if (eligible && !chosen) {
            const unavailable = await (v.syncer.cls.checkAvailable?.() ?? Promise.resolve(null));
            if (unavailable) {
              eligible = false;
              reason = `unavailable: ${unavailable}`;
            } else chosen = v.syncer.cls.SYNCER_NAME;
          } else if (eligible) reason = `${reason}, but ${chosen} ranks higher`;
          explained.push({ name: v.syncer.cls.SYNCER_NAME, eligible, reason });
        }
        selection = { container: opts.container, source: pair.source["backend-id"], target: pair.target["backend-id"], request: req, chosen, syncers: explained };
      }
      if (opts.json) {
        out(JSON.stringify({ syncers: describe, backends: backends.map(({ cls, pkg }) => ({ type: cls.TYPE, package: pkg.name, version: pkg.version, path: pkg.dir })), skipped, selection }, null, 2));
        return;
      }
      out("syncers:");
      for (const s of describe) {
        const t = s.traits;
        const modes = [t.ONE_SHOT && "one-shot", t.CONTINUOUS && "continuous", t.UNIDIRECTIONAL && "one-way"].filter(Boolean).join(", ");
        const types = t.PAIRS ? t.PAIRS.map(([a, b]) => `${a} → ${b}`).join(", ") : `${t.SOURCE_TYPES.join("|")} → ${t.TARGET_TYPES.join("|")}`;
        const delta = t.DELTA_TRANSFER === "remote" ? ", delta transfer to remote storages" : "";
        out(`  ${s.name.padEnd(10)} ${types}  (${modes}${delta})  ${s.package}@${s.version}`);
      }
      if (!describe.length) out("  (none found)");
      out("backends:");
      for (const b of backends) out(`  ${b.cls.TYPE.padEnd(10)} ${b.pkg.name}@${b.pkg.version}`);
      if (skipped.length) {
        out("skipped:");
        for (const s of skipped) out(`  ${s.name}${s.version ? `@${s.version}` : ""}: ${s.reason}`);
      }
      if (selection) {
        out(`selection for ${selection.container} (${selection.source} → ${selection.target}): ${selection.chosen ?? "none"}`);
        for (const s of selection.syncers) out(`  ${s.name === selection.chosen ? "*" : " "} ${s.name}: ${s.reason}`);
      }
    });
}

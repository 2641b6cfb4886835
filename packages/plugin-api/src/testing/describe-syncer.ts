import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import type { BaseSyncer, SyncOptions, SyncerClass, SyncerContext } from "../base-syncer.js";
import type { SyncEngine } from "../engine.js";
import type { StorageBackend } from "../storage-backend.js";
import type { Conflict, ItemError, SyncEvent, SyncResult } from "../sync-types.js";
import { expectCode } from "./describe-backend.js";
import { sleep, waitFor, withEnvironment, type BackendFactory, type BackendUnderTest, type KitEnvironment } from "./harness.js";
import { kitSuite, type KitOptions, type KitSuite, type KitTest } from "./kit-suite.js";
import { listTree, readTextFrom, removeFrom, treeDifference, writeFileTo } from "./storage-ops.js";

export interface SyncerKitOptions extends KitOptions {
  /** Builds both storages of the pair (each over an empty storage), unless `source`/`target` are given. */
  backend?: BackendFactory;
  source?: BackendFactory;
  target?: BackendFactory;
  /** Seconds between the polling watcher's scans (the storages' `watcher-interval`); default 0.1. */
  watcherInterval?: number;
  /** How long a continuous syncer may take to carry a change over, in ms; default 15 000. */
  propagationTimeoutMs?: number;
  /** Size of the large file of the tree test, in bytes; default 4 MiB. */
  largeFileSize?: number;
}

export interface PassOutcome {
  result: SyncResult;
  events: SyncEvent[];
  conflicts: Conflict[];
  errors: ItemError[];
}

type Side = "source" | "target";

/**
 * A pair of storages, a real state store and the engine, as the host builds them for a
 * container; `pass()` builds a new syncer for each pass (`new Syncer(context)`, as the host does).
 */
export class SyncerPair {
  readonly engine: SyncEngine;
  source: StorageBackend;
  target: StorageBackend;

  constructor(
    readonly env: KitEnvironment,
    readonly syncer: SyncerClass,
    readonly sides: { source: BackendUnderTest; target: BackendUnderTest },
  ) {
    this.engine = env.host.engine(env.store, env.logger);
    this.source = sides.source.backend;
    this.target = sides.target.backend;
  }

  /** The SyncerContext the host gives a syncer (see ContainerService.prepare). */
  context(options: Partial<SyncOptions> & { ignore?: string[] } = {}): SyncerContext {
    const { ignore, ...rest } = options;
    return {
      container: "kit",
      source: this.source,
      target: this.target,
      options: { unidirectional: false, dryRun: false, force: false, maxDelete: 50, ...rest },
      filter: this.env.host.pathFilter(ignore ?? []),
      engine: this.engine,
      continuous: this.env.host.continuous,
      logger: this.env.logger,
    };
  }

  create(context: SyncerContext): BaseSyncer {
    const cls = this.syncer as unknown as new (context: SyncerContext) => BaseSyncer;
    return new cls(context);
  }

  /** One one-shot pass with a new syncer; events and what iterConflicts/iterErrors report come back with the result. */
  async pass(options: Partial<SyncOptions> & { ignore?: string[] } = {}, onEvent?: (event: SyncEvent) => void): Promise<PassOutcome> {
    const syncer = this.create(this.context(options));
    const events: SyncEvent[] = [];
    const off = syncer.on((event) => {
      events.push(event);
      onEvent?.(event);
    });
    try {
      const result = await syncer.oneShotSync();
      return { result, events, conflicts: [...syncer.iterConflicts()], errors: [...syncer.iterErrors()] };
    } finally {
      if (typeof off === "function") off();
    }
  }

  /** A pass that must end in sync: no conflicts, no failed items. */
  async ok(options: Partial<SyncOptions> & { ignore?: string[] } = {}): Promise<PassOutcome> {
    const outcome = await this.pass(options);
    const { result } = outcome;
    assert.deepEqual(result.conflicts.map((c) => `${c.path}: ${c.message}`), [], "the pass left conflicts");
    assert.deepEqual(result.errors.map((e) => `${e.path}: ${e.message}`), [], "the pass left failed items");
    assert.deepEqual(outcome.conflicts, [], "iterConflicts() lists conflicts after a clean pass");
    assert.deepEqual(outcome.errors, [], "iterErrors() lists errors after a clean pass");
    return outcome;
  }

  backend(side: Side): StorageBackend {
    return side === "source" ? this.source : this.target;
  }
  write(side: Side, path: string, data: string | Uint8Array) {
    return writeFileTo(this.backend(side), path, data);
  }
  read(side: Side, path: string) {
    return readTextFrom(this.backend(side), path);
  }
  remove(side: Side, path: string) {
    return removeFrom(this.backend(side), path);
  }
  async exists(side: Side, path: string): Promise<boolean> {
    return (await this.backend(side).stat(path)) !== null;
  }
  tree(side: Side) {
    return listTree(this.backend(side));
  }
  async assertInSync(message = "the storages differ after the pass"): Promise<void> {
    const difference = treeDifference(await this.tree("source"), await this.tree("target"));
    assert.equal(difference, null, `${message}: ${difference}`);
  }
}

function conflictPaths(outcome: PassOutcome): string[] {
  return outcome.result.conflicts.map((c) => c.path).sort();
}

/** Runs `gate` once, before the first change the syncer makes to `backend` (or when it announces "applying"). */
function gatedBackend(backend: StorageBackend, gate: () => Promise<void>): StorageBackend {
  const gatedMethods = new Set<PropertyKey>(["openForSafeReplace", "remove", "symlink", "mkdir"]);
  return new Proxy(backend, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target) as unknown;
      if (typeof value !== "function") return value;
      if (!gatedMethods.has(prop)) return value.bind(target);
      return async (...args: unknown[]) => {
        await gate();
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

/**
 * The sync scenarios of SPEC section 2, run against a syncer over two storages built by
 * `options.backend` (or `source`/`target`): propagation, deletions, conflicts and their
 * resolution, one-way mode, dry runs, the max-delete gate, ignore patterns, compare-and-swap
 * against changes made during a pass, and for CONTINUOUS syncers the start/stop lifecycle.
 *
 *   describeSyncer(MySyncer, { backend: (h) => new LocalBackend(h.context({ type: "local", path: h.dir })) }).run();
 */
export function describeSyncer(syncer: SyncerClass, options: SyncerKitOptions & { suite?: undefined }): KitSuite;
export function describeSyncer<T extends KitTest>(syncer: SyncerClass, options: SyncerKitOptions & { suite: T }): T;
export function describeSyncer(syncer: SyncerClass, options: SyncerKitOptions): KitTest {
  const name = typeof syncer?.SYNCER_NAME === "string" ? syncer.SYNCER_NAME : "?";
  const test = kitSuite(options, `syncer contract (${name})`);
  const sourceFactory = options.source ?? options.backend;
  const targetFactory = options.target ?? options.backend;
  if (!sourceFactory || !targetFactory) throw new Error("describeSyncer: pass { backend } (or both { source, target }): the factory of the storages to sync");
  const propagation = options.propagationTimeoutMs ?? 15_000;
  const largeSize = options.largeFileSize ?? 4 * 1024 * 1024;

  const it = (title: string, body: (pair: SyncerPair) => Promise<void>) =>
    test(title, () =>
      withEnvironment({ watcherInterval: options.watcherInterval }, async (env) => {
        const source = await env.backend(sourceFactory, "a");
        const target = await env.backend(targetFactory, "b");
        await Promise.all([source.backend.checkRoot(), target.backend.checkRoot()]);
        await body(new SyncerPair(env, syncer, { source, target }));
      }),
    );

  test("the class has the shape and traits the host needs, and accepts the kit's storage types", () =>
    withEnvironment({ watcherInterval: options.watcherInterval }, async (env) => {
      assert.equal(env.host.syncerShapeProblem(syncer), null, `discovery would reject this syncer: ${env.host.syncerShapeProblem(syncer)}`);
      assert.ok(syncer.ONE_SHOT || syncer.CONTINUOUS, "a syncer must do at least one of ONE_SHOT and CONTINUOUS");
      const source = (await env.backend(sourceFactory, "a")).backend;
      const target = (await env.backend(targetFactory, "b")).backend;
      const accepts = (types: string[], type: string) => types.includes(type) || types.includes("*");
      assert.ok(accepts(syncer.SOURCE_TYPES, source.type), `SOURCE_TYPES [${syncer.SOURCE_TYPES.join(", ")}] does not accept the kit's source type ${source.type}`);
      assert.ok(accepts(syncer.TARGET_TYPES, target.type), `TARGET_TYPES [${syncer.TARGET_TYPES.join(", ")}] does not accept the kit's target type ${target.type}`);
    }),
  );

  if (syncer.ONE_SHOT) {
    it("new files on both sides meet; the result names the syncer and the direction", async (pair) => {
      await pair.write("source", "from-a.txt", "A");
      await pair.write("target", "from-b.txt", "B");
      await pair.write("source", "deep/er/file.txt", "deep");
      const { result } = await pair.ok();
      assert.equal(result.syncer, syncer.SYNCER_NAME, "SyncResult.syncer must be the SYNCER_NAME");
      assert.equal(result.direction, "two-way", "SyncResult.direction of a pass without unidirectional");
      assert.equal(result.dryRun, false);
      assert.equal(await pair.read("target", "from-a.txt"), "A");
      assert.equal(await pair.read("source", "from-b.txt"), "B");
      assert.equal(await pair.read("target", "deep/er/file.txt"), "deep");
      await pair.assertInSync();
      const again = await pair.ok();
      assert.equal(again.result.plan.actions.length, 0, "a second pass over storages in sync still planned changes");
    });

    it("an edit propagates each way, also one of the same size", async (pair) => {
      await pair.write("source", "doc.txt", "v1");
      await pair.ok();
      await pair.write("source", "doc.txt", "v2 from the source");
      await pair.ok();
      assert.equal(await pair.read("target", "doc.txt"), "v2 from the source");
      await pair.write("target", "doc.txt", "v3 from the target, longer");
      await pair.ok();
      assert.equal(await pair.read("source", "doc.txt"), "v3 from the target, longer");
      await pair.write("source", "doc.txt", "v4 from the source, same size");
      await pair.ok();
      assert.equal(await pair.read("target", "doc.txt"), "v4 from the source, same size");
    });

    it("a deletion made between passes propagates and is not resurrected (files and folders)", async (pair) => {
      await pair.write("source", "keep.txt", "k");
      await pair.write("source", "gone.txt", "g");
      await pair.write("source", "dir/inner.txt", "i");
      await pair.ok();
      await pair.remove("target", "gone.txt");
      await pair.remove("source", "dir");
      await pair.ok();
      assert.equal(await pair.exists("source", "gone.txt"), false, "a deletion on the target was undone");
      assert.equal(await pair.exists("target", "dir"), false, "a folder deleted on the source is still on the target");
      await pair.ok();
      assert.equal(await pair.exists("source", "gone.txt"), false, "a deleted file came back on a later pass");
      assert.equal(await pair.exists("target", "dir"), false, "a deleted folder came back on a later pass");
      assert.equal(await pair.read("target", "keep.txt"), "k");
      await pair.assertInSync();
    });

    it("a tree with empty folders, awkward names, an empty and a large file (and links, where both sides hold them) arrives intact, with progress", async (pair) => {
      await pair.source.mkdir("empty/nested-empty");
      await pair.write("source", "with space/file name.txt", "spaces");
      await pair.write("source", "zażółć/日本語 ✓.txt", "unicode");
      await pair.write("source", "plus+sign & co.txt", "+");
      await pair.write("source", "zero.bin", "");
      await pair.write("source", "large/file.bin", randomBytes(largeSize));
      const links = pair.source.capabilities.symlinks && pair.target.capabilities.symlinks;
      if (links) await pair.source.symlink("link.txt", "zero.bin", { kind: "absent" });
      const { result, events } = await pair.ok();
      await pair.assertInSync();
      if (pair.source.capabilities.emptyDirs && pair.target.capabilities.emptyDirs) {
        assert.equal((await pair.target.stat("empty/nested-empty"))?.kind, "dir", "an empty folder did not arrive");
      }
      if (links) assert.equal((await pair.target.stat("link.txt"))?.linkTarget, "zero.bin", "a symlink did not arrive as a link");
      assert.ok(result.counters.copiedToTarget >= 5, `counters.copiedToTarget is ${result.counters.copiedToTarget}, expected at least 5`);
      assert.ok(result.counters.bytesToTarget >= largeSize, "counters.bytesToTarget does not count the bytes copied");
      const progress = events.filter((e): e is Extract<SyncEvent, { type: "progress" }> => e.type === "progress");
      assert.ok(progress.length > 0, "no progress events during a pass that copied files");
      const last = progress[progress.length - 1]!.progress;
      assert.equal(last.filesDone, last.filesTotal, "the last progress event does not report every file done");
      assert.ok(events.some((e) => e.type === "state"), "no state events during a pass");
    });

    it("different content at first meeting is a conflict: both untouched, reported by the result, events and iterConflicts, until resolved", async (pair) => {
      await pair.write("source", "x.txt", "from the source");
      await pair.write("target", "x.txt", "from the target!");
      await pair.write("source", "other.txt", "other");
      const outcome = await pair.pass();
      assert.deepEqual(conflictPaths(outcome), ["x.txt"]);
      assert.equal(outcome.result.conflicts[0]!.reason, "first-meeting");
      assert.deepEqual(outcome.conflicts.map((c) => c.path), ["x.txt"], "iterConflicts() does not list the conflict");
      assert.ok(outcome.events.some((e) => e.type === "conflict" && e.conflict.path === "x.txt"), "no conflict event for x.txt");
      assert.equal(await pair.read("source", "x.txt"), "from the source");
      assert.equal(await pair.read("target", "x.txt"), "from the target!");
      assert.equal(await pair.read("target", "other.txt"), "other", "the rest of the tree must still sync");
      assert.deepEqual(conflictPaths(await pair.pass()), ["x.txt"], "the conflict must stay reported until resolved");
    });

    it("changed on both sides is a conflict and touches nothing", async (pair) => {
      await pair.write("source", "x.txt", "base");
      await pair.ok();
      await pair.write("source", "x.txt", "edit on the source");
      await pair.write("target", "x.txt", "edit on the target");
      const outcome = await pair.pass();
      assert.deepEqual(conflictPaths(outcome), ["x.txt"]);
      assert.equal(outcome.result.conflicts[0]!.reason, "both-changed");
      assert.equal(await pair.read("source", "x.txt"), "edit on the source");
      assert.equal(await pair.read("target", "x.txt"), "edit on the target");
    });

    it("changed on both sides to the same content is recorded, not a conflict", async (pair) => {
      await pair.write("source", "x.txt", "base");
      await pair.ok();
      await pair.write("source", "x.txt", "the same edit");
      await pair.write("target", "x.txt", "the same edit");
      await pair.ok();
      await pair.write("target", "x.txt", "a later edit");
      await pair.ok();
      assert.equal(await pair.read("source", "x.txt"), "a later edit");
    });

    it("an edit against a deletion is a conflict, and stays one", async (pair) => {
      await pair.write("source", "x.txt", "base");
      await pair.ok();
      await pair.write("source", "x.txt", "edited");
      await pair.remove("target", "x.txt");
      const outcome = await pair.pass();
      assert.deepEqual(conflictPaths(outcome), ["x.txt"]);
      assert.equal(outcome.result.conflicts[0]!.reason, "modify-delete");
      assert.equal(await pair.read("source", "x.txt"), "edited");
      assert.equal(await pair.exists("target", "x.txt"), false, "the deleted side was brought back");
      assert.deepEqual(conflictPaths(await pair.pass()), ["x.txt"], "still a conflict on the next pass");
      assert.equal(await pair.exists("target", "x.txt"), false);
    });

    it("a file against a folder is a conflict and touches neither", async (pair) => {
      await pair.write("source", "thing", "a file");
      await pair.write("target", "thing/inside.txt", "in a folder");
      const outcome = await pair.pass();
      assert.ok(conflictPaths(outcome).includes("thing"), `expected a conflict on "thing", got [${conflictPaths(outcome).join(", ")}]`);
      assert.equal(await pair.read("source", "thing"), "a file");
      assert.equal(await pair.read("target", "thing/inside.txt"), "in a folder");
    });

    it("copying the wanted version over the other resolves a conflict; later edits flow again", async (pair) => {
      await pair.write("source", "x.txt", "base");
      await pair.ok();
      await pair.write("source", "x.txt", "wanted");
      await pair.write("target", "x.txt", "unwanted");
      assert.deepEqual(conflictPaths(await pair.pass()), ["x.txt"]);
      await pair.write("target", "x.txt", "wanted");
      await pair.ok();
      await pair.write("target", "x.txt", "a later edit");
      await pair.ok();
      assert.equal(await pair.read("source", "x.txt"), "a later edit");
    });

    it("deleting one side of a conflict restores the other version to both", async (pair) => {
      await pair.write("source", "x.txt", "base");
      await pair.ok();
      await pair.write("source", "x.txt", "keep me");
      await pair.write("target", "x.txt", "drop me");
      assert.deepEqual(conflictPaths(await pair.pass()), ["x.txt"]);
      await pair.remove("target", "x.txt");
      await pair.ok();
      assert.equal(await pair.read("target", "x.txt"), "keep me");
      await pair.write("source", "y.txt", "drop");
      await pair.write("target", "y.txt", "keep");
      assert.deepEqual(conflictPaths(await pair.pass()), ["y.txt"]);
      await pair.remove("source", "y.txt");
      await pair.ok();
      assert.equal(await pair.read("source", "y.txt"), "keep");
    });

    it("a change made on the target while the pass runs is never overwritten or deleted (compare-and-swap)", async (pair) => {
      await pair.write("source", "x.txt", "v1");
      await pair.write("source", "y.txt", "y1");
      await pair.ok();
      await pair.write("source", "x.txt", "v2 from the source");
      await pair.remove("source", "y.txt");
      await pair.write("source", "n.txt", "new on the source");
      const real = pair.target;
      let tampered: Promise<void> | undefined;
      const tamper = () =>
        (tampered ??= (async () => {
          await writeFileTo(real, "x.txt", "user edit on the target");
          await writeFileTo(real, "y.txt", "user edit of y");
          await writeFileTo(real, "n.txt", "the user's own n");
        })());
      pair.target = gatedBackend(real, tamper);
      const outcome = await pair.pass({}, (event) => {
        if (event.type === "state" && event.state === "applying") void tamper();
      });
      pair.target = real;
      assert.ok(tampered, "the kit never saw the pass change the target (no applying state, no write through the backend)");
      await tampered;
      assert.equal(await pair.read("target", "x.txt"), "user edit on the target", "a file edited during the pass was overwritten");
      assert.equal(await pair.read("target", "y.txt"), "user edit of y", "a file edited during the pass was deleted");
      assert.equal(await pair.read("target", "n.txt"), "the user's own n", "a file created during the pass was overwritten");
      assert.deepEqual(conflictPaths(outcome), ["n.txt", "x.txt", "y.txt"], "each refused change must be reported as a conflict");
      assert.equal(await pair.read("source", "x.txt"), "v2 from the source");
      assert.equal(await pair.read("source", "n.txt"), "new on the source");
      const next = await pair.pass();
      assert.deepEqual(conflictPaths(next), ["n.txt", "x.txt", "y.txt"], "the next pass must still see conflicts");
      assert.equal(await pair.read("target", "x.txt"), "user edit on the target");
    });

    if (syncer.UNIDIRECTIONAL) {
      it("one way: source changes flow, target-only changes stay, a change on both sides is a conflict", async (pair) => {
        await pair.write("source", "s.txt", "source");
        await pair.write("target", "t.txt", "target only");
        const first = await pair.ok({ unidirectional: true });
        assert.equal(first.result.direction, "one-way");
        assert.equal(await pair.read("target", "s.txt"), "source");
        assert.equal(await pair.exists("source", "t.txt"), false, "a target-only file was copied to the source");
        await pair.write("target", "s.txt", "edited on the target");
        await pair.ok({ unidirectional: true });
        assert.equal(await pair.read("source", "s.txt"), "source", "a target edit flowed back in one-way mode");
        assert.equal(await pair.read("target", "s.txt"), "edited on the target", "a target edit was undone in one-way mode");
        await pair.write("source", "s.txt", "edited on the source too");
        assert.deepEqual(conflictPaths(await pair.pass({ unidirectional: true })), ["s.txt"]);
        assert.equal(await pair.read("target", "s.txt"), "edited on the target");
      });
    }

    it("a dry run changes nothing and returns the plan", async (pair) => {
      await pair.write("source", "new.txt", "n");
      await pair.write("source", "old.txt", "o");
      await pair.ok();
      await pair.write("source", "new2.txt", "n2");
      await pair.remove("source", "old.txt");
      const before = await pair.tree("target");
      const { result } = await pair.pass({ dryRun: true });
      assert.equal(result.dryRun, true);
      assert.deepEqual(result.plan.actions.map((a) => `${a.type}:${a.to}:${a.path}`).sort(), ["copy:target:new2.txt", "delete:target:old.txt"]);
      assert.equal(treeDifference(before, await pair.tree("target")), null, "a dry run changed the target");
      await pair.ok();
      assert.equal(await pair.exists("target", "old.txt"), false);
    });

    it("the max-delete gate stops a pass that would delete most files (E_MAX_DELETE), changing nothing; force passes it", async (pair) => {
      for (let i = 0; i < 12; i++) await pair.write("source", `f${i}.txt`, `${i}`);
      await pair.ok();
      for (let i = 0; i < 10; i++) await pair.remove("source", `f${i}.txt`);
      await pair.write("source", "new.txt", "new");
      await expectCode("a pass deleting 10 of 12 files", "E_MAX_DELETE", () => pair.pass());
      assert.equal(await pair.read("target", "f0.txt"), "0", "the gate let a deletion through");
      assert.equal(await pair.exists("target", "new.txt"), false, "the gate let a copy through");
      await pair.ok({ force: true });
      assert.equal(await pair.exists("target", "f0.txt"), false);
      assert.equal(await pair.read("target", "new.txt"), "new");
    });

    it("ignore patterns keep files out, both ways, and are never deleted", async (pair) => {
      const ignore = ["*.tmp", "cache/"];
      await pair.write("source", "x.tmp", "t");
      await pair.write("source", "cache/c.txt", "c");
      await pair.write("target", "y.tmp", "target's own");
      await pair.write("source", "kept.txt", "k");
      await pair.ok({ ignore });
      assert.equal(await pair.exists("target", "x.tmp"), false);
      assert.equal(await pair.exists("target", "cache"), false);
      assert.equal(await pair.exists("source", "y.tmp"), false);
      assert.equal(await pair.read("target", "kept.txt"), "k");
      await pair.remove("source", "kept.txt");
      await pair.ok({ ignore });
      assert.equal(await pair.read("target", "y.tmp"), "target's own", "an ignored file was deleted");
    });
  }

  if (syncer.CONTINUOUS) {
    const started = async (pair: SyncerPair, events: SyncEvent[]) => {
      const running = pair.create(pair.context());
      running.on((event) => events.push(event));
      pair.env.onCleanup(() => (running.isRunning() ? running.stopSync() : undefined));
      await running.startSync();
      return running;
    };

    it("continuous: startSync returns after a first pass; changes flow both ways while running; nothing after stopSync", async (pair) => {
      await pair.write("source", "before.txt", "already there");
      const events: SyncEvent[] = [];
      const running = await started(pair, events);
      assert.equal(running.isRunning(), true, "isRunning() is false after startSync()");
      assert.equal(await pair.read("target", "before.txt"), "already there", "startSync() returned before the first pass was done");
      await pair.write("source", "s.txt", "from the source");
      await waitFor("s.txt to reach the target", async () => (await pair.read("target", "s.txt")) === "from the source", propagation);
      await pair.write("target", "t.txt", "from the target");
      await waitFor("t.txt to reach the source", async () => (await pair.read("source", "t.txt")) === "from the target", propagation);
      await pair.write("source", "s.txt", "edited on the source");
      await waitFor("the edit of s.txt to reach the target", async () => (await pair.read("target", "s.txt")) === "edited on the source", propagation);
      await pair.remove("target", "t.txt");
      await waitFor("the deletion of t.txt to reach the source", async () => !(await pair.exists("source", "t.txt")), propagation);
      await running.stopSync();
      assert.equal(running.isRunning(), false, "isRunning() is true after stopSync()");
      await pair.write("source", "late.txt", "after stop");
      await sleep(Math.max(500, (options.watcherInterval ?? 0.1) * 1000 * 5));
      assert.equal(await pair.exists("target", "late.txt"), false, "a change made after stopSync() was synced");
    });

    it("continuous: its own writes are not news (once in sync it copies nothing more), and a conflict is reported, not resolved", async (pair) => {
      for (let i = 0; i < 5; i++) await pair.write("source", `f${i}.txt`, `file ${i}`);
      await pair.write("source", "c.txt", "base");
      const events: SyncEvent[] = [];
      const running = await started(pair, events);
      await pair.assertInSync("not in sync after startSync()");
      await pair.write("source", "c.txt", "edit on the source");
      await pair.write("target", "c.txt", "edit on the target");
      await waitFor("a conflict event for c.txt", () => events.some((e) => e.type === "conflict" && e.conflict.path === "c.txt"), propagation);
      const mark = events.length;
      await sleep(Math.max(1000, (options.watcherInterval ?? 0.1) * 1000 * 10));
      const copies = events.slice(mark).filter((e) => e.type === "progress" && e.progress.filesTotal > 0);
      assert.equal(copies.length, 0, `the syncer kept copying while nothing changed (its own writes came back as news): ${JSON.stringify(copies.slice(0, 3))}`);
      assert.equal(await pair.read("source", "c.txt"), "edit on the source");
      assert.equal(await pair.read("target", "c.txt"), "edit on the target");
      await running.stopSync();
    });
  }

  return test;
}

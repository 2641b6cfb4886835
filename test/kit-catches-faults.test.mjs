// The conformance kit must be able to fail: faulty backends and syncers, each breaking one rule,
// are run through it, and the kit's test for that rule must fail (and the unrelated ones pass).
import { createWriteStream, mkdirSync, renameSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { BaseSyncer } from "@wlsync/plugin-api";
import { describeBackend, describeSyncer, expectedAt } from "@wlsync/plugin-api/testing";
import { LocalBackend } from "@wlsync/backend-local";
import { NaiveSyncer } from "@wlsync/syncer-naive";

/** Registers the kit's tests into a list instead of a runner. */
function collect(describe, subject, options) {
  const cases = [];
  describe(subject, { ...options, suite: (name, fn) => cases.push({ name, fn }) });
  return cases;
}

/** Runs the kit's cases whose names match `pattern`; resolves with name → "pass" | error message. */
async function outcomes(cases, pattern) {
  const picked = cases.filter((c) => pattern.test(c.name));
  assert.ok(picked.length > 0, `no kit test matches ${pattern}`);
  const out = {};
  for (const c of picked) {
    try {
      await c.fn();
      out[c.name] = "pass";
    } catch (err) {
      out[c.name] = `fail: ${err.message.split("\n")[0]}`;
    }
  }
  return out;
}

function expectFail(results, pattern, why) {
  const hits = Object.entries(results).filter(([name]) => pattern.test(name));
  assert.ok(hits.length > 0, `no result for ${pattern}`);
  for (const [name, result] of hits) assert.ok(result.startsWith("fail"), `the kit did not catch ${why}: "${name}" passed`);
  return hits.map(([, r]) => r).join("\n");
}

const local = (Backend) => (h) => new Backend(h.context({ type: "local", path: h.dir }));

const backends = suite("the backend kit catches faulty backends");

backends("a backend that writes without compare-and-swap", async () => {
  class BlindBackend extends LocalBackend {
    async openForSafeReplace(path) {
      const full = join(this.root, path);
      mkdirSync(dirname(full), { recursive: true });
      const tmp = join(dirname(full), `.wlsync-tmp-blind${Math.random().toString(16).slice(2)}`);
      const stream = createWriteStream(tmp);
      const closed = new Promise((ok) => stream.once("close", ok));
      return {
        stream,
        commit: async () => (await closed, renameSync(tmp, full), this.stat(path)),
        abort: async () => (stream.destroy(), await closed, rmSync(tmp, { force: true })),
      };
    }
  }
  const results = await outcomes(collect(describeBackend, local(BlindBackend)), /create-if-absent|^replace|between open and commit|written file reads back/);
  const why = expectFail(results, /create-if-absent|^replace|between open and commit/, "blind writes");
  assert.match(why, /expected an error with code E_CAS, but it went through/);
  assert.is(results[Object.keys(results).find((n) => /written file reads back/.test(n))], "pass", "plain writes of the faulty backend still work");
});

backends("a backend whose walkBatches loses the last folder's entries", async () => {
  class ForgetfulBatches extends LocalBackend {
    async *walk(options) {
      for await (const batch of LocalBackend.prototype.walkBatches.call(this, options)) yield* batch;
    }
    async *walkBatches(options) {
      let held;
      for await (const batch of super.walkBatches(options)) {
        if (held) yield held;
        held = batch;
      }
    }
  }
  const results = await outcomes(collect(describeBackend, local(ForgetfulBatches)), /walkBatches lists exactly|written file reads back/);
  expectFail(results, /walkBatches lists exactly/, "batches that drop entries");
  assert.is(results[Object.keys(results).find((n) => /written file reads back/.test(n))], "pass", "walk itself still lists everything");
});

backends("a backend whose token is only the size", async () => {
  const sizeOnly = (e) => (e && e.kind === "file" ? { ...e, token: `size:${e.size}` } : e);
  class SizeTokenBackend extends LocalBackend {
    async stat(path) {
      return sizeOnly(await super.stat(path));
    }
    async *walk(options) {
      for await (const e of super.walk(options)) yield sizeOnly(e);
    }
    async readWhole(path) {
      const read = await super.readWhole(path);
      return { ...read, token: read.token === null ? null : `size:${read.data.length}` };
    }
    async replaceWhole(...args) {
      return sizeOnly(await super.replaceWhole(...args));
    }
    async openForSafeReplace(...args) {
      const writer = await super.openForSafeReplace(...args);
      const commit = writer.commit.bind(writer); // (not spread: the writer's stream is made on first use)
      writer.commit = async (hash) => sizeOnly(await commit(hash));
      return writer;
    }
  }
  const results = await outcomes(collect(describeBackend, local(SizeTokenBackend)), /token changes/);
  const failure = expectFail(results, /token changes/, "a token blind to same-size edits");
  assert.match(failure, /same size, new content, same token/, `the kit failed for another reason: ${failure}`);
});

backends("a backend that writes in place (partial files visible), and one that removes folders with their content", async () => {
  class InPlaceBackend extends LocalBackend {
    async openForSafeReplace(path, expected, options) {
      const writer = await super.openForSafeReplace(path, expected, options);
      const full = join(this.root, path);
      const stream = createWriteStream(full);
      const closed = new Promise((ok) => stream.once("close", ok));
      await writer.abort();
      return { stream, commit: async () => (await closed, this.stat(path)), abort: async () => stream.destroy() };
    }
  }
  let results = await outcomes(collect(describeBackend, local(InPlaceBackend)), /no partial files/);
  assert.match(expectFail(results, /no partial files/, "in-place writes"), /visible before commit/);

  class RecursiveRemoveBackend extends LocalBackend {
    async remove(path, expected) {
      if (expected.kind === "dir") return rmSync(join(this.root, path), { recursive: true });
      return super.remove(path, expected);
    }
  }
  results = await outcomes(collect(describeBackend, local(RecursiveRemoveBackend)), /^folders/);
  assert.match(expectFail(results, /^folders/, "recursive folder removal"), /deleted the file inside it/);
});

backends("a backend whose watcher never reports", async () => {
  class DeafBackend extends LocalBackend {
    watcher() {
      return { start: async () => {}, stop: async () => {} };
    }
  }
  const results = await outcomes(collect(describeBackend, local(DeafBackend), { eventTimeoutMs: 400 }), /watcher/);
  assert.match(expectFail(results, /watcher/, "a silent watcher"), /timed out .* create event for w\.txt/);
});

backends.run();

const syncers = suite("the syncer kit catches faulty syncers");
const pairOf = { backend: local(LocalBackend) };

syncers("a syncer whose transport overwrites what it did not see", async () => {
  class BlindTransferSyncer extends NaiveSyncer {
    static SYNCER_NAME = "blind";
    async oneShotSync() {
      const engine = this.context.engine;
      const transferer = {
        async copy(tasks, hooks) {
          for (const task of tasks) {
            try {
              const action = { ...task.action, expected: await expectedAt(task.to, task.action.path) };
              hooks.onDone(task, await engine.copyOne({ ...task, action }, hooks));
            } catch (err) {
              hooks.onError(task, err);
            }
          }
        },
      };
      return this.context.engine.run(this.context, { syncer: this.name, transferer, emit: (e) => this.emit(e) });
    }
  }
  const results = await outcomes(collect(describeSyncer, BlindTransferSyncer, pairOf), /while the pass runs|new files on both sides/);
  assert.match(expectFail(results, /while the pass runs/, "a transport without compare-and-swap"), /was overwritten/);
  assert.is(results[Object.keys(results).find((n) => /new files on both sides/.test(n))], "pass");
});

syncers("a syncer that forgets conflicts, one that only syncs one way, and one with the wrong shape", async () => {
  class ForgetfulSyncer extends NaiveSyncer {
    static SYNCER_NAME = "forgetful";
    async oneShotSync() {
      return this.context.engine.run(this.context, { syncer: this.name, emit: (e) => e.type !== "conflict" && this.emit(e) });
    }
  }
  let results = await outcomes(collect(describeSyncer, ForgetfulSyncer, pairOf), /first meeting/);
  assert.match(expectFail(results, /first meeting/, "conflicts missing from iterConflicts()"), /iterConflicts\(\) does not list the conflict/);

  class OneWaySyncer extends NaiveSyncer {
    static SYNCER_NAME = "one-way";
    async oneShotSync() {
      return this.context.engine.run({ ...this.context, options: { ...this.context.options, unidirectional: true } }, { syncer: this.name, emit: (e) => this.emit(e) });
    }
  }
  results = await outcomes(collect(describeSyncer, OneWaySyncer, pairOf), /new files on both sides|an edit propagates each way/);
  expectFail(results, /./, "two-way passes done one way");

  class NoTraits extends BaseSyncer {}
  results = await outcomes(collect(describeSyncer, NoTraits, pairOf), /shape and traits/);
  assert.match(expectFail(results, /shape/, "a syncer without traits"), /discovery would reject this syncer: static SYNCER_NAME is missing/);
});

syncers("a continuous syncer that ping-pongs its own writes, and one that keeps syncing after stopSync", async () => {
  const loops = [];
  class Continuous extends NaiveSyncer {
    static SYNCER_NAME = "continuous";
    static CONTINUOUS = true;
    running = false;
    async startSync() {
      this.running = true;
      await this.oneShotSync();
      this.loop = setInterval(() => this.tick().catch(() => {}), 50);
      loops.push(this.loop);
    }
    async tick() {
      if (this.busy) return;
      this.busy = true;
      try {
        await this.oneShotSync();
      } finally {
        this.busy = false;
      }
    }
    async stopSync() {
      this.running = false;
      clearInterval(this.loop);
      while (this.busy) await new Promise((r) => setTimeout(r, 10));
    }
    isRunning() {
      return this.running;
    }
  }
  class PingPong extends Continuous {
    static SYNCER_NAME = "ping-pong";
    async tick() {
      // Rewrites a file on every tick as if its own writes were news.
      this.n = (this.n ?? 0) + 1;
      const { writeFileTo } = await import("@wlsync/plugin-api/testing");
      await writeFileTo(this.context.source, "f0.txt", `touched ${this.n}`).catch(() => {});
      return super.tick();
    }
  }
  let results = await outcomes(collect(describeSyncer, PingPong, pairOf), /own writes are not news/);
  const pingPong = expectFail(results, /own writes/, "endless copying");
  assert.match(pingPong, /kept copying while nothing changed/, `the kit failed for another reason: ${pingPong}`);

  class Unstoppable extends Continuous {
    static SYNCER_NAME = "unstoppable";
    async stopSync() {
      this.running = false;
    }
  }
  results = await outcomes(collect(describeSyncer, Unstoppable, pairOf), /nothing after stopSync/);
  loops.forEach(clearInterval);
  assert.match(expectFail(results, /stopSync/, "syncing after stopSync()"), /a change made after stopSync\(\) was synced/);
  // and the well-behaved variant passes both
  results = await outcomes(collect(describeSyncer, Continuous, pairOf), /^continuous/);
  for (const [name, result] of Object.entries(results)) assert.is(result, "pass", name);
});

syncers.run();

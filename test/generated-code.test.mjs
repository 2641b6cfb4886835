import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { ROOT } from "./helpers/wl.mjs";

// The schemas are the source of truth: the generated types and the ahead-of-time compiled
// validators checked in beside the code must say what the schemas say.
for (const script of ["gen-types.mjs", "gen-validators.mjs"]) {
  test(`${script} --check: the generated code matches the schemas`, () => {
    const r = spawnSync(process.execPath, [join(ROOT, "packages/core/scripts", script), "--check"], { encoding: "utf8" });
    assert.is(r.status, 0, r.stderr);
  });
}

test("gen-storage-options.mjs --check: each backend's generated option types and validator match its schema", () => {
  const r = spawnSync(process.execPath, [join(ROOT, "scripts", "gen-storage-options.mjs"), "--check"], { encoding: "utf8" });
  assert.is(r.status, 0, r.stderr);
});

test.run();

// A one-node Ceph cluster with the RADOS Gateway for one test file, started by
// scripts/ceph-rgw.sh on a free port of 127.0.0.1 and stopped by the same script.
import { execFile, execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { closedPort } from "./s3-server.mjs";
import { ROOT } from "./wl.mjs";

const run = promisify(execFile);
const SCRIPT = join(ROOT, "scripts", "ceph-rgw.sh");
const DAEMONS = ["ceph-mon", "ceph-osd", "radosgw", "radosgw-admin"];

const started = new Set();
process.on("exit", () => {
  // A test process that dies without its after-hooks still stops its clusters (synchronously).
  for (const dir of started) {
    try {
      execFileSync(SCRIPT, ["stop", dir], { stdio: "ignore" });
      rmSync(dirname(dir), { recursive: true, force: true });
    } catch {
      // nothing more to do on the way out
    }
  }
});

/** Why Ceph cannot run here (a missing program), or null. */
export function cephMissing() {
  const path = (process.env.PATH ?? "").split(":");
  const missing = DAEMONS.filter((name) => !path.some((dir) => existsSync(join(dir, name))));
  return missing.length ? `${missing.join(", ")} not installed (apt-get install --no-install-recommends ceph-mon ceph-osd radosgw)` : null;
}

/**
 * Starts a cluster; resolves with { endpoint, dir, port, accessKey, secretKey, other: {accessKey,
 * secretKey}, stop() }, or rejects with the reason it did not start (one line, logs named).
 */
export async function startCeph() {
  const missing = cephMissing();
  if (missing) throw new Error(missing);
  let lastError;
  // The port is free when picked; another process may take it before the gateway binds: retry.
  for (let attempt = 0; attempt < 3; attempt++) {
    const parent = mkdtempSync(join(tmpdir(), "wlsync-ceph-"));
    const dir = join(parent, "cluster");
    const port = await closedPort();
    started.add(dir);
    try {
      const { stdout } = await run(SCRIPT, ["start", dir, String(port)], { timeout: 90_000 });
      const fields = Object.fromEntries(
        stdout
          .trim()
          .split("\n")
          .at(-1)
          .split(" ")
          .map((kv) => kv.split("=")),
      );
      const stop = async () => {
        await run(SCRIPT, ["stop", dir]).catch(() => undefined);
        started.delete(dir);
        rmSync(parent, { recursive: true, force: true });
      };
      return {
        endpoint: fields.endpoint,
        dir,
        port,
        accessKey: fields.access,
        secretKey: fields.secret,
        other: { accessKey: fields["other-access"], secretKey: fields["other-secret"] },
        stop,
      };
    } catch (err) {
      lastError = new Error(`Ceph RGW did not start: ${(err.stderr || err.message).trim().split("\n").at(-1)}`);
      await run(SCRIPT, ["stop", dir]).catch(() => undefined);
      started.delete(dir);
      rmSync(parent, { recursive: true, force: true });
    }
  }
  throw lastError;
}

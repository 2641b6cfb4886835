// The conformance kit (@wlsync/plugin-api/testing) against the S3 backend on a real S3 server: each
// storage of the kit is a fresh key prefix. Run by kit-backend-s3.test.mjs (s3rver, or
// WLSYNC_TEST_S3_ENDPOINT) and kit-backend-s3-ceph.test.mjs (a Ceph RADOS Gateway).
import { suite } from "uvu";
import { describeBackend } from "@wlsync/plugin-api/testing";
import { S3Backend } from "@wlsync/backend-s3";
import { startS3 } from "./s3-server.mjs";

/** Defines and runs the kit against `kind` ("s3rver", "ceph" or "external"). */
export function defineS3Kit(kind) {
  let server;
  let notRun;
  const test = suite(`backend-s3 (${kind}): StorageBackend contract`);
  test.before(async () => {
    try {
      server = await startS3({ kind });
    } catch (err) {
      notRun = err.message.split("\n")[0];
      console.log(`[not run] backend-s3 kit on ${kind}: ${notRun}`);
      return;
    }
    // The backends are built in this process: they take their credentials from the environment.
    Object.assign(process.env, server.env);
  });
  test.after(() => server?.stop());
  const guarded = (name, fn) =>
    test(name, async () => {
      if (!server) {
        console.log(`[not run] ${kind}: ${name}`);
        return;
      }
      await fn();
    });
  describeBackend(
    (h) => {
      const prefix = `kit/${h.id}/`;
      return {
        backend: new S3Backend(h.context(server.storage(prefix, { "backend-id": h.backendId }))),
        // Another client writing the object, without wl's sha256 metadata.
        writeOutside: (path, data) => server.put(prefix + path, Buffer.from(data)),
      };
    },
    { suite: guarded, watcherInterval: 0.2 },
  );
  test.run();
}

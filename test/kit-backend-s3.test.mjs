// The conformance kit (@wlsync/plugin-api/testing) against the S3 backend, on a real S3 server (s3rver
// on 127.0.0.1, or WLSYNC_TEST_S3_ENDPOINT): each storage of the kit is a fresh key prefix.
import { suite } from "uvu";
import { describeBackend } from "@wlsync/plugin-api/testing";
import { S3Backend } from "@wlsync/backend-s3";
import { startS3 } from "./helpers/s3-server.mjs";

const server = await startS3();
// The backends are built in this process: they take their credentials from the environment.
Object.assign(process.env, server.env);

const test = suite("backend-s3: StorageBackend contract");
test.after(() => server.stop());
describeBackend(
  (h) => {
    const prefix = `kit/${h.id}/`;
    return {
      backend: new S3Backend(h.context(server.storage(prefix, { "backend-id": h.backendId }))),
      // Another client writing the object, without wl's sha256 metadata.
      writeOutside: (path, data) => server.put(prefix + path, Buffer.from(data)),
    };
  },
  { suite: test, watcherInterval: 0.2 },
);
test.run();

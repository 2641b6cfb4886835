// The conformance kit (@wlsync/plugin-api/testing) against our local-folder backend.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describeBackend } from "@wlsync/plugin-api/testing";
import { LocalBackend } from "@wlsync/backend-local";

describeBackend(
  (h) => ({
    backend: new LocalBackend(h.context({ type: "local", path: h.dir })),
    // In place, as an editor would: same inode, often the same size and mtime second.
    writeOutside: (path, data) => writeFileSync(join(h.dir, path), data),
  }),
  { name: "backend-local: StorageBackend contract" },
).run();

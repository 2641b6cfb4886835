// The conformance kit (@wlsync/plugin-api/testing) against the rsync syncer, over two local folders.
import { describeSyncer } from "@wlsync/plugin-api/testing";
import { LocalBackend } from "@wlsync/backend-local";
import { RsyncSyncer } from "@wlsync/syncer-rsync";

describeSyncer(RsyncSyncer, {
  name: "syncer-rsync: syncer contract",
  backend: (h) => new LocalBackend(h.context({ type: "local", path: h.dir })),
}).run();

// The conformance kit (@wlsync/plugin-api/testing) against the naive syncer, over two local folders.
import { describeSyncer } from "@wlsync/plugin-api/testing";
import { LocalBackend } from "@wlsync/backend-local";
import { NaiveSyncer } from "@wlsync/syncer-naive";

describeSyncer(NaiveSyncer, {
  name: "syncer-naive: syncer contract",
  backend: (h) => new LocalBackend(h.context({ type: "local", path: h.dir })),
}).run();

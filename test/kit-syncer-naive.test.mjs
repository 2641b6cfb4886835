// The conformance kit (@wlsync/core/testing) against the naive syncer, over two local folders.
import { describeSyncer } from "@wlsync/core/testing";
import { LocalBackend } from "@wlsync/backend-local";
import { NaiveSyncer } from "@wlsync/syncer-naive";

describeSyncer(NaiveSyncer, {
  name: "syncer-naive: syncer contract",
  backend: (h) => new LocalBackend(h.context({ type: "local", path: h.dir })),
}).run();

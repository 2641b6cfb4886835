// What a plugin author's test looks like: the conformance kit from @wlsync/plugin-api/testing, run
// against the built syncer over two local folders (@wlsync/backend-local is a devDependency).
import { describeSyncer } from "@wlsync/plugin-api/testing";
import { LocalBackend } from "@wlsync/backend-local";
import ExampleSyncer from "../dist/index.js";

describeSyncer(ExampleSyncer, {
  name: "syncer-example: syncer contract",
  backend: (h) => new LocalBackend(h.context({ type: "local", path: h.dir })),
}).run();

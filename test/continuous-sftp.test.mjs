// The continuous suite (test/helpers/continuous-scenarios.mjs) with storage b on an SFTP server
// (a real sshd on 127.0.0.1), watched by polling every 0.3 s, with the naive and rsync syncers.
// Scenarios about the daemon itself or with their own local-only config are not repeated here.
import { defineContinuous } from "./helpers/continuous-scenarios.mjs";
import { startSshd } from "./helpers/sshd.mjs";

const server = await startSshd();
if (!server) {
  console.log("[not run] continuous scenarios against sftp: no sshd");
} else {
  const storage = (id, folder) => (id === "b" ? server.storage(folder, { "watcher-interval": 0.3 }) : undefined);
  const skip = ["two containers at once", "served by the polling watcher", "garbage, wrong types", "wl daemon start / status / stop", "a state dir inside a storage"];
  const syncers = ["naive", "rsync"];
  for (const syncer of syncers) {
    const test = defineContinuous(syncer, { storage, label: ", b on sftp", skip });
    if (syncer === syncers.at(-1)) test.after(() => server.stop());
    test.run();
  }
}

// The one-shot scenario suite (test/helpers/scenarios.mjs) with storage b on an SFTP server: a
// real OpenSSH sshd on 127.0.0.1 serving folders of this machine, so the tests still check the
// files on disk byte by byte. Both the naive syncer and rsync (over ssh, with delta transfer).
import { defineScenarios } from "./helpers/scenarios.mjs";
import { startSshd } from "./helpers/sshd.mjs";

const server = await startSshd();
if (!server) {
  console.log("[not run] one-shot scenarios against sftp: no sshd");
} else {
  const storage = (id, folder) => (id === "b" ? server.storage(folder) : undefined);
  const syncers = ["naive", "rsync"];
  for (const syncer of syncers) {
    const test = defineScenarios(syncer, {
      storage,
      label: ", b on sftp",
      // SFTP sets whole-second mtimes.
      mtimeToleranceMs: 1000,
    });
    if (syncer === syncers.at(-1)) test.after(() => server.stop());
    test.run();
  }
}

// The conformance kit (@wlsync/core/testing) against the sftp backend, through a real OpenSSH
// server on 127.0.0.1 (test/helpers/sshd.mjs): each storage of the kit is a folder of this
// machine reached over SSH. Run twice: with the remote shell (find, stat, sha256sum on the
// server: tokens carry inode and ns times) and with SFTP alone (`remote-shell: false`).
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { suite } from "uvu";
import { describeBackend } from "@wlsync/core/testing";
import { SftpBackend } from "@wlsync/backend-sftp";
import { startSshd } from "./helpers/sshd.mjs";

// SFTP alone gives whole-second mtimes and no inode or ctime: an edit that keeps the size
// within the same second leaves the token as it was. Core's racy rule (2 s window for
// whole-second mtimes) rehashes such files; README "SFTP storages" says so.
const SFTP_ONLY_CANNOT = /the token changes when the content changes, even at the same size/;

const server = await startSshd();
if (!server) {
  console.log("[not run] backend-sftp conformance kit: no sshd");
} else {
  for (const shell of [true, false]) {
    const test = suite(`backend-sftp (remote-shell: ${shell}): StorageBackend contract`);
    if (!shell) test.after(() => server.stop());
    const register = (name, fn) => {
      if (!shell && SFTP_ONLY_CANNOT.test(name)) {
        console.log(`[not run] backend-sftp (remote-shell: false): "${name}": SFTP-only tokens cannot see a same-size edit within one second`);
        return;
      }
      test(name, fn);
    };
    describeBackend(
      (h) => ({
        backend: new SftpBackend(h.context(server.storage(h.dir, { "remote-shell": shell }))),
        // In place, as an editor on the server would: same inode, often the same size and second.
        writeOutside: (path, data) => writeFileSync(join(h.dir, path), data),
      }),
      { suite: register, watcherInterval: 0.3 },
    );
    test.run();
  }
}

export { RsyncSyncer as default, RsyncSyncer } from "./rsync-syncer.js";
export { RsyncTransferer, type RsyncTransfererOptions } from "./rsync-transferer.js";
export { MIN_RSYNC_VERSION, RSYNC_EXIT_CODES, parseRsyncVersion, probeRsync, rsyncArgs, type RsyncProgram } from "./rsync-program.js";
export { messagesByPath, RSYNC_TEMP_NAME } from "./rsync-messages.js";
export { recoverInterrupted } from "./work-dir.js";
export { RsyncRemoteTransferer, type RsyncRemoteTransfererOptions } from "./rsync-remote-transferer.js";
export { asRemoteShellStorage, quoteForRsyncE, type RemoteShellStorage } from "./remote-storage.js";

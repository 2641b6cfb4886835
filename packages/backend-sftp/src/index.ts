export { SftpBackend as default, SftpBackend, tokenOfAttrs, type RemoteShellTarget } from "./sftp-backend.js";
export { readSftpOptions, knownHostsName, DEFAULT_WATCHER_INTERVAL_S, type SftpOptions } from "./sftp-options.js";
export type { SftpStorageOptions } from "./storage-options.generated.js";
export { checkKnownHost, fingerprintOf, keyTypeOf, type HostKeyVerdict } from "./known-hosts.js";
export { SshSession, shellQuote, hostKeyMessage, type ExecResult } from "./ssh-session.js";

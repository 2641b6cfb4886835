/* Generated from schemas/storage-options.schema.json by scripts/gen-storage-options.mjs (json-schema-to-typescript). Do not edit. */

/**
 * The options of a `type: sftp` storage (a folder on a host reached over SSH), besides backend-id, type and watcher-interval. Host keys are checked against a known_hosts file; an unknown or changed key stops the pass (exit 3).
 */
export interface SftpStorageOptions {
  /**
   * Host name or IP address of the SSH server.
   */
  host: string;
  /**
   * TCP port of the SSH server (default 22).
   */
  port?: number;
  /**
   * Login name (default: the local user name).
   */
  user?: string;
  /**
   * The folder on the server: absolute, or relative to the login's home folder.
   */
  path: string;
  /**
   * Private key file (OpenSSH format, unencrypted), relative to the config file; ~ is the home folder. Without it the ssh-agent (SSH_AUTH_SOCK) is used, then ~/.ssh/id_ed25519, id_ecdsa, id_rsa.
   */
  "identity-file"?: string;
  /**
   * known_hosts file the server's host key is checked against (default ~/.ssh/known_hosts), relative to the config file. Add a key with: ssh-keyscan -p PORT HOST >> FILE (after checking its fingerprint).
   */
  "known-hosts"?: string;
  /**
   * Whether commands may run on the server (sha256sum, find, rsync): "auto" (default) probes once per connection; false keeps to the SFTP protocol (hashes are then computed by reading the bytes).
   */
  "remote-shell"?: "auto" | true | false;
  /**
   * Seconds to wait for the SSH handshake (default 20).
   */
  "connect-timeout"?: number;
}

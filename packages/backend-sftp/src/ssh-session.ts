import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { StorageUnavailableError, errorMessage } from "@wlsync/plugin-api";
import ssh2 from "ssh2";
import type { Client as SshClient, ClientChannel, ConnectConfig, SFTPWrapper } from "ssh2";
import { checkKnownHost, fingerprintOf, keyTypeOf, type HostKeyVerdict } from "./known-hosts.js";
import { knownHostsName, type SftpOptions } from "./sftp-options.js";

const { Client } = ssh2 as unknown as { Client: new () => SshClient };

/** OpenSSH's default MaxSessions is 10 per connection; the SFTP channel takes one. */
const MAX_EXEC_CHANNELS = 5;

/** A remote command's outcome. `code` is null when it was killed by a signal or the connection dropped. */
export interface ExecResult {
  code: number | null;
  stdout: Buffer;
  stderr: string;
}

/** Quotes one argument for the remote POSIX shell. */
export function shellQuote(arg: string): string {
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

function defaultKeyFile(): string | undefined {
  for (const name of ["id_ed25519", "id_ecdsa", "id_rsa"]) {
    const file = join(homedir(), ".ssh", name);
    if (existsSync(file)) return file;
  }
  return undefined;
}

/** What to tell the user about a host key that is not (or no longer) the known one. */
export function hostKeyMessage(backendId: string, options: SftpOptions, verdict: Exclude<HostKeyVerdict, { kind: "known" }>, keyBlob: Buffer): string {
  const name = knownHostsName(options.host, options.port);
  const offered = `${keyTypeOf(keyBlob)} ${fingerprintOf(keyBlob)}`;
  const scan = `ssh-keyscan ${options.port === 22 ? "" : `-p ${options.port} `}${options.host} >> ${options.knownHosts}`;
  if (verdict.kind === "unknown") {
    return (
      `storage ${backendId}: the host key of ${name} is not in ${options.knownHosts} (the server offers ${offered}); nothing was synced. ` +
      `Check that fingerprint with the server's administrator (on the server: ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub), then accept it with: ${scan} ` +
      `(or connect once with ssh and answer yes, or set "known-hosts" to a file that holds it)`
    );
  }
  if (verdict.knownTypes[0]?.includes("@revoked")) {
    return `storage ${backendId}: the host key of ${name} (${offered}) is marked @revoked in ${options.knownHosts}; nothing was synced. Ask the server's administrator which key it should have.`;
  }
  return (
    `storage ${backendId}: THE HOST KEY OF ${name} HAS CHANGED: the server offers ${offered}, but ${options.knownHosts} (line ${verdict.lines.join(", ")}) holds another ${verdict.knownTypes.join(", ")} key for it; nothing was synced. ` +
    `Someone may be intercepting the connection, or the server was reinstalled. If its administrator confirms the new fingerprint, remove the old key with ssh-keygen -R '${name}' -f ${options.knownHosts}, then add the new one with: ${scan}`
  );
}

/**
 * One SSH connection to a storage's server: the host key checked against known_hosts before
 * anything is sent, one SFTP channel for file operations, and exec channels for remote commands
 * (at most MAX_EXEC_CHANNELS at once).
 */
export class SshSession {
  private closedReason?: string;
  private execSlots = MAX_EXEC_CHANNELS;
  private readonly waiting: Array<() => void> = [];

  /**
   * Rejects when the connection is gone. ssh2 does not always answer requests that were in
   * flight when the connection dropped; every request races this, so none waits forever.
   */
  readonly lost: Promise<never>;

  private constructor(
    private readonly client: SshClient,
    readonly sftp: SFTPWrapper,
    private readonly backendId: string,
  ) {
    let fail!: (err: Error) => void;
    this.lost = new Promise<never>((_, reject) => (fail = reject));
    this.lost.catch(() => {});
    client.on("close", () => {
      this.closedReason ??= "the SSH connection was closed";
      fail(new Error(`${backendId}: ${this.closedReason}`));
    });
    client.on("error", (err) => {
      this.closedReason = `the SSH connection failed: ${errorMessage(err)}`;
      fail(new Error(`${backendId}: ${this.closedReason}`));
    });
    sftp.on("close", () => {
      this.closedReason ??= "the SFTP channel was closed";
      fail(new Error(`${backendId}: ${this.closedReason}`));
    });
  }

  /** Why the connection is gone, or undefined while it is up. */
  get closed(): string | undefined {
    return this.closedReason;
  }

  /**
   * Connects and opens the SFTP channel. Throws StorageUnavailableError (exit 3) for an unknown
   * or changed host key, a refused login, or an unreachable server.
   */
  static async connect(options: SftpOptions, backendId: string): Promise<SshSession> {
    const name = knownHostsName(options.host, options.port);
    const client = new Client();
    let refusal: string | undefined;
    const keyFile = options.identityFile ?? defaultKeyFile();
    let privateKey: Buffer | undefined;
    if (keyFile) {
      try {
        privateKey = readFileSync(keyFile);
      } catch (err) {
        if (options.identityFile) throw new StorageUnavailableError(`storage ${backendId}: cannot read identity-file ${keyFile}: ${errorMessage(err)}`);
      }
    }
    // Offer the key types known_hosts holds for this host first, as OpenSSH does: a server with
    // several host keys must not look "changed" because it offered another type.
    let preferred: string[] = [];
    try {
      const probe = checkKnownHost(options.knownHosts, name, Buffer.alloc(0));
      if (probe.kind === "changed") preferred = probe.knownTypes;
    } catch (err) {
      throw new StorageUnavailableError(`storage ${backendId}: cannot read known-hosts ${options.knownHosts}: ${errorMessage(err)}`);
    }
    const defaults = ["ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521", "rsa-sha2-512", "rsa-sha2-256"];
    const wanted = preferred.flatMap((t) => (t === "ssh-rsa" ? ["rsa-sha2-512", "rsa-sha2-256"] : [t]));
    const config: ConnectConfig = {
      host: options.host,
      port: options.port,
      username: options.user,
      readyTimeout: options.connectTimeoutMs,
      keepaliveInterval: 15_000,
      keepaliveCountMax: 4,
      algorithms: { serverHostKey: [...new Set([...wanted.filter((t) => defaults.includes(t)), ...defaults])] as never },
      hostVerifier: (key: Buffer) => {
        const verdict = checkKnownHost(options.knownHosts, name, key);
        if (verdict.kind === "known") return true;
        refusal = hostKeyMessage(backendId, options, verdict, key);
        return false;
      },
    };
    if (privateKey) config.privateKey = privateKey;
    if (process.env.SSH_AUTH_SOCK) config.agent = process.env.SSH_AUTH_SOCK;
    const where = `${options.user}@${name}`;
    await new Promise<void>((resolve, reject) => {
      const fail = (err: Error & { level?: string; code?: string }) => {
        client.removeAllListeners("ready");
        client.end();
        if (refusal) return reject(new StorageUnavailableError(refusal));
        if (err.level === "client-authentication") {
          return reject(
            new StorageUnavailableError(
              `storage ${backendId}: ${where} refused the login (${keyFile ? `key ${keyFile}` : "no key file"}${config.agent ? " and the ssh-agent" : ""} tried); set "identity-file", or add the key's .pub to the server's ~/.ssh/authorized_keys`,
            ),
          );
        }
        const why = err.code === "ECONNREFUSED" ? "connection refused (is sshd running on that port?)" : errorMessage(err);
        reject(new StorageUnavailableError(`storage ${backendId}: cannot connect to ${where}: ${why}`, err));
      };
      client.once("error", fail);
      client.once("ready", () => {
        client.removeListener("error", fail);
        resolve();
      });
      client.connect(config);
    });
    const sftp = await new Promise<SFTPWrapper>((resolve, reject) =>
      client.sftp((err, s) => (err ? reject(new StorageUnavailableError(`storage ${backendId}: ${where} does not offer SFTP: ${errorMessage(err)}`, err)) : resolve(s))),
    );
    client.on("error", () => {}); // later errors end the session; callers see them on their requests
    return new SshSession(client, sftp, backendId);
  }

  /** Runs `command` through the remote shell; stdin (if given) is written and closed. */
  async exec(command: string, stdin?: Buffer): Promise<ExecResult> {
    if (this.closedReason) throw new Error(this.closedReason);
    if (this.execSlots === 0) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.execSlots--;
    try {
      const done = new Promise<ExecResult>((resolve, reject) => {
        this.client.exec(command, (err, stream) => {
          if (err) return reject(err);
          const out: Buffer[] = [];
          let errText = "";
          stream.on("data", (d: Buffer) => out.push(d));
          stream.stderr.on("data", (d: Buffer) => {
            if (errText.length < 65536) errText += d.toString("utf8");
          });
          stream.on("close", (code: number | null | undefined) => resolve({ code: typeof code === "number" ? code : null, stdout: Buffer.concat(out), stderr: errText }));
          stream.on("error", reject);
          if (stdin) stream.end(stdin);
          else stream.end();
        });
      });
      return await Promise.race([done, this.lost]);
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.execSlots++;
    }
  }

  /** Starts a long-running remote command and returns its channel (stdin, stdout, stderr). */
  openChannel(command: string): Promise<ClientChannel> {
    if (this.closedReason) return Promise.reject(new Error(this.closedReason));
    return Promise.race([new Promise<ClientChannel>((resolve, reject) => this.client.exec(command, (err, stream) => (err ? reject(err) : resolve(stream)))), this.lost]);
  }

  close(): void {
    this.closedReason ??= "closed";
    this.client.end();
  }

  describe(): string {
    return this.backendId;
  }
}

// A real OpenSSH server for the tests: Debian's /usr/sbin/sshd (package openssh-server) on
// 127.0.0.1, a free port, its own sshd_config, a generated host key and user key in a temp dir.
// `startSshd()` resolves to null (and says why) when sshd cannot run here: the tests then print
// "[not run]" instead of passing. Stop it with `server.stop()`.
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, connect } from "node:net";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";

export const SSHD = "/usr/sbin/sshd";

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Why sshd cannot be used here, or null. */
export function sshdUnavailable() {
  if (!existsSync(SSHD)) return `${SSHD} is missing (apt-get install openssh-server)`;
  for (const tool of ["ssh-keygen", "ssh"]) {
    try {
      execFileSync("sh", ["-c", `command -v ${tool}`], { stdio: "ignore" });
    } catch {
      return `${tool} is missing (apt-get install openssh-client)`;
    }
  }
  return null;
}

function keygen(file, type = "ed25519") {
  execFileSync("ssh-keygen", ["-q", "-t", type, "-N", "", "-C", "wlsync-test", "-f", file], { stdio: "ignore" });
}

/**
 * Starts sshd (`env`: variables set in every session, e.g. UNISON for its archive folder).
 * Returns { port, host, user, dir, userKey, knownHosts, hostKeyPub, storage(path, extra),
 * sshArgs, logs(), sessionPids(), stop() } or null when sshd is unavailable.
 */
export async function startSshd({ hostKeyType = "ed25519", env = {} } = {}) {
  const why = sshdUnavailable();
  if (why) {
    console.log(`[not run] sshd: ${why}`);
    return null;
  }
  const dir = mkdtempSync(join(tmpdir(), "wl-sshd-"));
  const hostKey = join(dir, "host_key");
  const userKey = join(dir, "id_test");
  keygen(hostKey, hostKeyType);
  keygen(userKey);
  writeFileSync(join(dir, "authorized_keys"), readFileSync(`${userKey}.pub`));
  mkdirSync("/run/sshd", { recursive: true, mode: 0o755 }); // privilege separation dir (root)
  const user = userInfo().username;
  let lastError = "";
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    const config = join(dir, "sshd_config");
    writeFileSync(
      config,
      [
        `Port ${port}`,
        "ListenAddress 127.0.0.1",
        `HostKey ${hostKey}`,
        `PidFile ${join(dir, "sshd.pid")}`,
        `AuthorizedKeysFile ${join(dir, "authorized_keys")}`,
        "PubkeyAuthentication yes",
        "PasswordAuthentication no",
        "KbdInteractiveAuthentication no",
        "UsePAM no",
        "StrictModes no",
        "PermitRootLogin prohibit-password",
        "MaxSessions 20",
        "MaxStartups 50:30:100",
        "LogLevel INFO",
        "Subsystem sftp internal-sftp",
        // bash sources ~/.bashrc for commands run over ssh unless it thinks it is nested (SHLVL):
        // a slow login profile of the machine (pyenv, nvm...) must not be timed by the tests.
        `SetEnv SHLVL=1${Object.entries(env).map(([k, v]) => ` ${k}=${v}`).join("")}`,
        "",
      ].join("\n"),
    );
    const child = spawn(SSHD, ["-D", "-e", "-f", config], { stdio: ["ignore", "ignore", "pipe"] });
    let log = "";
    child.stderr.on("data", (d) => (log += d));
    const ready = await new Promise((resolve) => {
      const started = Date.now();
      const poll = () => {
        if (child.exitCode !== null) return resolve(false);
        if (/Server listening on/.test(log)) return resolve(true);
        if (Date.now() - started > 10_000) return resolve(false);
        setTimeout(poll, 20);
      };
      poll();
    });
    if (!ready) {
      lastError = log.trim().split("\n").slice(-3).join(" / ") || `exit code ${child.exitCode}`;
      child.kill("SIGKILL");
      continue;
    }
    const hostKeyPub = readFileSync(`${hostKey}.pub`, "utf8").trim().split(/\s+/).slice(0, 2).join(" ");
    const knownHosts = join(dir, "known_hosts");
    writeFileSync(knownHosts, `[127.0.0.1]:${port} ${hostKeyPub}\n`);
    return {
      host: "127.0.0.1",
      port,
      user,
      dir,
      userKey,
      knownHosts,
      hostKeyPub,
      /** A `type: sftp` storage entry for a folder of this machine, through this server. */
      storage(path, extra = {}) {
        return { type: "sftp", host: "127.0.0.1", port, user, path, "identity-file": userKey, "known-hosts": knownHosts, ...extra };
      },
      /** ssh options for rsync -e / ssh, with this server's key checked. */
      sshArgs: ["-p", String(port), "-i", userKey, "-o", "IdentitiesOnly=yes", "-o", `UserKnownHostsFile=${knownHosts}`, "-o", "StrictHostKeyChecking=yes", "-o", "BatchMode=yes", "-o", "LogLevel=ERROR"],
      logs: () => log,
      /** Pids of the per-connection sshd processes (children of the listener). */
      sessionPids() {
        try {
          return execFileSync("pgrep", ["-P", String(child.pid)], { encoding: "utf8" }).split("\n").filter(Boolean).map(Number);
        } catch {
          return [];
        }
      },
      async stop() {
        child.kill("SIGTERM");
        for (const pid of this.sessionPids()) {
          try {
            process.kill(pid, "SIGTERM");
          } catch {}
        }
        await new Promise((resolve) => (child.exitCode !== null ? resolve() : child.once("exit", resolve)));
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  console.log(`[not run] sshd did not start: ${lastError}`);
  rmSync(dir, { recursive: true, force: true });
  return null;
}

/**
 * A TCP proxy in front of `port` that counts the bytes going each way and can cut every
 * connection (`cut()`): the SSH traffic of a sync, measured on the wire.
 */
export async function startCountingProxy(port) {
  const sockets = new Set();
  const counts = { up: 0, down: 0, connections: 0 };
  let cutAfterUp = Infinity;
  const server = createServer((client) => {
    counts.connections++;
    const upstream = connect(port, "127.0.0.1");
    sockets.add(client);
    sockets.add(upstream);
    const cut = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on("data", (d) => {
      counts.up += d.length;
      if (counts.up >= cutAfterUp) {
        cutAfterUp = Infinity;
        for (const s of sockets) s.destroy();
        return;
      }
      if (!upstream.write(d)) client.pause();
    });
    upstream.on("drain", () => client.resume());
    upstream.on("data", (d) => {
      counts.down += d.length;
      if (!client.write(d)) upstream.pause();
    });
    client.on("drain", () => upstream.resume());
    client.on("close", cut);
    upstream.on("close", cut);
    client.on("error", cut);
    upstream.on("error", cut);
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: server.address().port,
    counts,
    reset() {
      counts.up = 0;
      counts.down = 0;
      counts.connections = 0;
    },
    /** Cuts every connection once `bytes` more bytes went up (client → server) from now. */
    cutAfter(bytes) {
      cutAfterUp = counts.up + bytes;
    },
    cut() {
      for (const s of sockets) s.destroy();
    },
    stop: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(resolve);
      }),
  };
}

import { shellQuote, type SshSession } from "./ssh-session.js";
import type { ClientChannel } from "ssh2";

/**
 * What GNU stat and find tell about an entry on the server: more than SFTP's attributes
 * (inode, nanosecond mtime and ctime), so tokens move with every change, as on local disks.
 */
export interface RemoteAttrs {
  ino: string;
  size: number;
  /** `seconds.nanoseconds`, nine digits after the point. */
  mtime: string;
  ctime: string;
  /** "f" file, "d" folder, "l" symlink, anything else: not syncable. */
  type: string;
  /** Permission bits. */
  perm: number;
}

/** `1700000000.12345` or `1700000000.1234567890` → `1700000000.123450000`: one spelling for find and stat. */
export function normaliseTime(text: string): string {
  const [sec, frac = ""] = text.split(".");
  return `${sec}.${frac.padEnd(9, "0").slice(0, 9)}`;
}

export function timeToMs(time: string): number {
  const [sec, ns] = time.split(".");
  return Number(sec) * 1000 + Number(ns) / 1e6;
}

/** Token of a file: inode, size, mtime and ctime in ns (see the local backend's). */
export function tokenOfRemote(a: RemoteAttrs): string {
  return [a.ino, a.size, a.mtime, a.ctime].join(":");
}

const STAT_FORMAT = "%i %s %.9Y %.9Z %f";

function typeOfRawMode(mode: number): string {
  switch (mode & 0o170000) {
    case 0o100000:
      return "f";
    case 0o040000:
      return "d";
    case 0o120000:
      return "l";
    default:
      return "?";
  }
}

/** Parses one `stat -c "%i %s %.9Y %.9Z %f"` line; null for "-" (absent). */
export function parseStatLine(line: string): RemoteAttrs | null {
  const m = /^(\d+) (\d+) (\d+(?:\.\d+)?) (\d+(?:\.\d+)?) ([0-9a-f]+)$/.exec(line.trim());
  if (!m) return null;
  const raw = parseInt(m[5]!, 16);
  return { ino: m[1]!, size: Number(m[2]), mtime: normaliseTime(m[3]!), ctime: normaliseTime(m[4]!), type: typeOfRawMode(raw), perm: raw & 0o7777 };
}

/** `find -printf` format of walkRemote: seven NUL-terminated fields per entry. */
export const FIND_FORMAT = "%y\\0%i\\0%s\\0%T@\\0%C@\\0%m\\0%P\\0%l\\0";
export const FIND_FIELDS = 8;

/**
 * A few long-running `stat` loops on the server, fed one path per line: one round trip per
 * stat, no channel set-up. A path with a line break cannot be asked this way (the caller falls
 * back to SFTP). Answers come in the order asked, per loop.
 */
export class RemoteStatter {
  private readonly loops: Array<{ channel: ClientChannel; waiting: Array<(line: string | Error) => void>; pending: string }> = [];
  private next = 0;
  private starting?: Promise<void>;
  private broken?: Error;

  constructor(
    private readonly session: SshSession,
    private readonly count = 3,
  ) {}

  private async start(): Promise<void> {
    this.starting ??= (async () => {
      const script = `while IFS= read -r p; do stat -c '${STAT_FORMAT}' -- "$p" 2>/dev/null || echo -; done`;
      for (let i = 0; i < this.count; i++) {
        const channel = await this.session.openChannel(`LC_ALL=C exec sh -c ${shellQuote(script)}`);
        const loop = { channel, waiting: [] as Array<(line: string | Error) => void>, pending: "" };
        channel.on("data", (d: Buffer) => {
          loop.pending += d.toString("utf8");
          let nl: number;
          while ((nl = loop.pending.indexOf("\n")) >= 0) {
            const line = loop.pending.slice(0, nl);
            loop.pending = loop.pending.slice(nl + 1);
            loop.waiting.shift()?.(line);
          }
        });
        channel.on("close", () => {
          this.broken = new Error("the remote stat loop ended (connection lost?)");
          for (const w of loop.waiting.splice(0)) w(this.broken);
        });
        channel.stderr.resume();
        this.loops.push(loop);
      }
    })();
    return this.starting;
  }

  /** The attributes of `abs` (lstat: a symlink is reported as such), or null when absent. */
  async stat(abs: string): Promise<RemoteAttrs | null> {
    await this.start();
    if (this.broken) throw this.broken;
    const loop = this.loops[this.next++ % this.loops.length]!;
    const line = await Promise.race([
      new Promise<string | Error>((resolve) => {
        loop.waiting.push(resolve);
        loop.channel.write(`${abs}\n`);
      }),
      this.session.lost,
    ]);
    if (line instanceof Error) throw line;
    return line === "-" ? null : parseStatLine(line);
  }

  close(): void {
    for (const loop of this.loops) loop.channel.end();
  }
}

import { createHash, createHmac } from "node:crypto";
import { readFileSync } from "node:fs";

/** What the known_hosts file says about a host key the server offered. */
export type HostKeyVerdict =
  | { kind: "known"; line: number }
  | { kind: "unknown" }
  /** The file has keys for this host, none of them this one: a changed key (or an attack). */
  | { kind: "changed"; lines: number[]; knownTypes: string[] };

/** OpenSSH's fingerprint of a key blob: `SHA256:` and the unpadded base64 of its sha256. */
export function fingerprintOf(keyBlob: Buffer): string {
  return `SHA256:${createHash("sha256").update(keyBlob).digest("base64").replace(/=+$/, "")}`;
}

/** The key type named inside an SSH public key blob (`ssh-ed25519`, `ecdsa-sha2-nistp256`, ...). */
export function keyTypeOf(keyBlob: Buffer): string {
  if (keyBlob.length < 4) return "unknown";
  const n = keyBlob.readUInt32BE(0);
  return keyBlob.subarray(4, 4 + n).toString("latin1");
}

/** Whether one host pattern of a known_hosts line matches `name` (plain, `*`/`?` wildcards, or `|1|salt|hash`). */
function patternMatches(pattern: string, name: string): boolean {
  if (pattern.startsWith("|1|")) {
    const [, , salt, hash] = pattern.split("|");
    if (!salt || !hash) return false;
    return createHmac("sha1", Buffer.from(salt, "base64")).update(name).digest("base64") === hash;
  }
  if (!/[*?]/.test(pattern)) return pattern.toLowerCase() === name.toLowerCase();
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`, "i");
  return re.test(name);
}

/** Whether a comma-separated host field matches, honouring `!negated` patterns. */
function hostFieldMatches(field: string, name: string): boolean {
  let matched = false;
  for (const p of field.split(",")) {
    if (p.startsWith("!")) {
      if (patternMatches(p.slice(1), name)) return false;
    } else if (patternMatches(p, name)) matched = true;
  }
  return matched;
}

/**
 * Looks the offered key up in an OpenSSH known_hosts file for `name` (`host` or `[host]:port`).
 * `@revoked` keys count as changed; `@cert-authority` lines are not supported and ignored.
 * A missing file is an empty one.
 */
export function checkKnownHost(file: string, name: string, keyBlob: Buffer): HostKeyVerdict {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return { kind: "unknown" };
    throw err;
  }
  const offered = keyBlob.toString("base64");
  const lines: number[] = [];
  const knownTypes: string[] = [];
  let revoked = false;
  let knownAt: number | undefined;
  const rows = text.split("\n");
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!.trim();
    if (!row || row.startsWith("#")) continue;
    let fields = row.split(/\s+/);
    let marker: string | undefined;
    if (fields[0]!.startsWith("@")) {
      marker = fields[0];
      fields = fields.slice(1);
    }
    if (fields.length < 3 || marker === "@cert-authority") continue;
    const [hosts, type, key] = fields as [string, string, string];
    if (!hostFieldMatches(hosts, name)) continue;
    if (marker === "@revoked") {
      if (key === offered) revoked = true;
      continue;
    }
    if (key === offered) {
      knownAt ??= i + 1;
      continue;
    }
    lines.push(i + 1);
    knownTypes.push(type);
  }
  // A revoked key is refused wherever else it is listed, as OpenSSH does.
  if (revoked) return { kind: "changed", lines, knownTypes: ["(this key is marked @revoked)"] };
  if (knownAt !== undefined) return { kind: "known", line: knownAt };
  return lines.length ? { kind: "changed", lines, knownTypes } : { kind: "unknown" };
}

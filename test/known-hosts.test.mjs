// known_hosts lookup of the sftp backend, from a table: the OpenSSH forms (plain names,
// [host]:port, wildcards and negations, names hashed by ssh-keygen -H, @revoked, comments) and
// the verdicts known / unknown / changed. The hashed file is made by the real ssh-keygen.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { checkKnownHost, fingerprintOf, keyTypeOf } from "@wlsync/backend-sftp";

const test = suite("backend-sftp: known_hosts");
const dir = mkdtempSync(join(tmpdir(), "wl-known-hosts-"));
test.after(() => rmSync(dir, { recursive: true, force: true }));

const key = (name) => {
  execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", name, "-f", join(dir, name)]);
  const [type, b64] = readFileSync(join(dir, `${name}.pub`), "utf8").split(" ");
  return { type, b64, blob: Buffer.from(b64, "base64"), fingerprint: execFileSync("ssh-keygen", ["-lf", join(dir, `${name}.pub`)], { encoding: "utf8" }).split(" ")[1] };
};
const server = key("server");
const other = key("other");

const file = (lines) => {
  const path = join(dir, `kh-${Math.random().toString(16).slice(2)}`);
  writeFileSync(path, lines.join("\n"));
  return path;
};

const cases = [
  ["plain name", [`example.org ${server.type} ${server.b64}`], "example.org", "known"],
  ["name case-insensitive", [`Example.ORG ${server.type} ${server.b64}`], "example.org", "known"],
  ["[host]:port", [`[127.0.0.1]:2222 ${server.type} ${server.b64}`], "[127.0.0.1]:2222", "known"],
  ["port must match", [`[127.0.0.1]:2222 ${server.type} ${server.b64}`], "[127.0.0.1]:2223", "unknown"],
  ["comma list and comment", ["# a comment", "", `a.org,example.org ${server.type} ${server.b64} me@laptop`], "example.org", "known"],
  ["wildcard", [`*.example.org ${server.type} ${server.b64}`], "nas.example.org", "known"],
  ["negated pattern wins", [`*.example.org,!nas.example.org ${server.type} ${server.b64}`], "nas.example.org", "unknown"],
  ["another host's key", [`other.org ${server.type} ${server.b64}`], "example.org", "unknown"],
  ["changed key", [`example.org ${other.type} ${other.b64}`], "example.org", "changed"],
  ["one of several keys is enough", [`example.org ${other.type} ${other.b64}`, `example.org ${server.type} ${server.b64}`], "example.org", "known"],
  ["@revoked key", [`@revoked example.org ${server.type} ${server.b64}`, `example.org ${server.type} ${server.b64}`], "example.org", "changed"],
  ["@cert-authority lines are not keys", [`@cert-authority example.org ${server.type} ${server.b64}`], "example.org", "unknown"],
];
for (const [name, lines, host, verdict] of cases) {
  test(`${name}: ${verdict}`, () => {
    assert.is(checkKnownHost(file(lines), host, server.blob).kind, verdict);
  });
}

test("names hashed by ssh-keygen -H still match, and only their own name", () => {
  const path = file([`[127.0.0.1]:2222 ${server.type} ${server.b64}`, `example.org ${other.type} ${other.b64}`]);
  execFileSync("ssh-keygen", ["-H", "-f", path], { stdio: "ignore" });
  assert.not.match(readFileSync(path, "utf8"), /127\.0\.0\.1|example\.org/, "the file is hashed");
  assert.is(checkKnownHost(path, "[127.0.0.1]:2222", server.blob).kind, "known");
  assert.is(checkKnownHost(path, "example.org", server.blob).kind, "changed");
  assert.is(checkKnownHost(path, "[127.0.0.1]:2223", server.blob).kind, "unknown");
});

test("a missing file knows no host", () => {
  assert.is(checkKnownHost(join(dir, "nope"), "example.org", server.blob).kind, "unknown");
});

test("fingerprint and key type are OpenSSH's", () => {
  assert.is(fingerprintOf(server.blob), server.fingerprint);
  assert.is(keyTypeOf(server.blob), "ssh-ed25519");
});

test.run();

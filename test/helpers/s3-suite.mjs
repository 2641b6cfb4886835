// backend-s3 against a real S3 server, through the real AWS SDK and the built `wl` executable: one
// suite, run by test/s3.test.mjs (s3rver on 127.0.0.1, or WLSYNC_TEST_S3_ENDPOINT) and by
// test/s3-ceph.test.mjs (a one-node Ceph RADOS Gateway).
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { createHash, randomBytes } from "node:crypto";
import { copyFileSync, createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { closedPort, startS3 } from "./s3-server.mjs";
import { startConditionalProxy } from "./conditional-proxy.mjs";
import { WL, assertSameTree, collect, snapshot, waitFor, wl, workspace } from "./wl.mjs";
import { memoryHashCache, quietLogger as silentLogger, rejectsWith } from "./unit.mjs";

// Core uses tsyringe, which needs the reflect-metadata polyfill loaded first (as wl's entry does).
createRequire(new URL("../../packages/core/package.json", import.meta.url))("reflect-metadata");
const { default: S3Backend, classifyS3Error, multipartEtag, unavailableMessage, unsafePathReason } = await import("../../packages/backend-s3/dist/index.js");

/** Defines and runs the suite against `kind`: "s3rver", "ceph" or "external". */
export function defineS3Suite(kind) {
  const sha256 = (data) => createHash("sha256").update(data).digest("hex");

  let server;
  /** Why the server could not be started (the suite's tests then print "[not run]"). */
  let notRun;
  const suiteTest = suite(`backend-s3 with a real S3 server (${kind})`);
  suiteTest.before(async () => {
    try {
      server = await startS3({ kind });
    } catch (err) {
      notRun = err.message.split("\n")[0];
      console.log(`[not run] backend-s3 on ${kind}: ${notRun}`);
      return;
    }
    // For the backend objects built inside this process (compare-and-swap and watcher tests).
    Object.assign(process.env, server.env);
  });
  suiteTest.after(async () => {
    await server?.stop();
  });
  /** Tests that need the server: they say so, and pass nothing, when it could not be started. */
  const test = (name, fn) =>
    suiteTest(name, async () => {
      if (!server) {
        console.log(`[not run] ${kind}: ${name}`);
        return;
      }
      const started = Date.now();
      await fn();
      if (process.env.WLSYNC_TEST_TIMES) console.log(`      ${((Date.now() - started) / 1000).toFixed(1)} s: ${name}`);
    });
  /** Tests of pure logic: run once, in the s3rver suite. */
  const pureTest = kind === "ceph" ? () => {} : suiteTest;
  const external = kind === "external";

  /** A workspace with `local/` and a .wlsyncrc pairing it with a fresh prefix of the test bucket. */
  function setup(name, { storage = {}, localDir = "local", prefix } = {}) {
    const ws = workspace("wl-s3-");
    const p = prefix ?? server.prefix(name);
    writeS3Config(ws.dir, localDir, server.storage(p, storage));
    mkdirSync(ws.path(localDir), { recursive: true });
    const sync = (args = [], env = {}) => wl(ws.dir, ["container", "sync", "--one-shot", "box", ...args], { env: { ...server.env, ...env } });
    const ok = async (args, env) => {
      const r = await sync(args, env);
      assert.is(r.code, 0, `wl exited ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
      return r;
    };
    return { ws, prefix: p, sync, ok, local: (rel = "") => ws.path(localDir, rel) };
  }

  function writeS3Config(dir, localDir, cloud) {
    const config = { containers: { box: { storages: [{ "backend-id": "laptop", type: "local", path: `./${localDir}` }, cloud] } } };
    writeFileSync(join(dir, ".wlsyncrc"), JSON.stringify(config, null, 2));
  }

  /** A second folder synced with the same prefix (another machine). */
  function sibling(prefix) {
    return setup("sibling", { prefix });
  }

  /** Runs wl and samples its peak resident memory (VmHWM) until it exits. */
  async function wlWithPeakRss(cwd, args, env) {
    const child = spawn(process.execPath, [WL, ...args], { cwd, env: { ...process.env, WLSYNC_STATE_DIR: join(cwd, ".state"), ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let peakKb = 0;
    const sample = () => {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, "utf8"));
        if (m) peakKb = Math.max(peakKb, Number(m[1]));
      } catch {
        // exited between samples
      }
    };
    const timer = setInterval(sample, 25);
    child.on("exit", sample);
    try {
      return { ...(await collect(child)), peakMb: peakKb / 1024 };
    } finally {
      clearInterval(timer);
    }
  }

  async function writeRandomFile(path, size) {
    const chunk = 1 << 20;
    let left = size;
    await pipeline(
      Readable.from(
        (function* () {
          while (left > 0) {
            const n = Math.min(chunk, left);
            left -= n;
            yield randomBytes(n);
          }
        })(),
      ),
      createWriteStream(path),
    );
  }

  async function fileSha256(path) {
    const hash = createHash("sha256");
    await pipeline((await import("node:fs")).createReadStream(path), hash);
    return hash.digest("hex");
  }

  function backendFor(prefix, extra = {}) {
    return new S3Backend({ params: server.storage(prefix, extra), configDir: process.cwd(), hashCache: memoryHashCache(), logger: silentLogger });
  }
  async function writeThrough(writer, data) {
    await pipeline(Readable.from([Buffer.from(data)]), writer.stream);
    return writer.commit(sha256(data));
  }

  // ---- one-shot passes through wl ------------------------------------------------------------

  test("local → S3 and back: folders, empty folders, unicode, spaces, + and 0-byte files", async () => {
    const t = setup("roundtrip");
    const files = {
      "a.txt": "alpha",
      "with space/file name.txt": "spaces",
      "zażółć/日本語 ✓.txt": "unicode",
      "plus+sign & co=1?.txt": "plus",
      "%41 literal #1.txt": "percent",
      "zero.bin": "",
      "deep/er/still.txt": "deep",
    };
    for (const [rel, content] of Object.entries(files)) t.ws.write(`local/${rel}`, content);
    mkdirSync(t.local("empty/nested-empty"), { recursive: true });
    await t.ok();

    const keys = await server.keys(t.prefix);
    // Folders that hold files exist through their keys; only empty folders need a marker.
    const expected = [...Object.keys(files), "empty/", "empty/nested-empty/"].sort();
    assert.equal(keys, expected);
    for (const [rel, content] of Object.entries(files)) {
      assert.equal((await server.get(t.prefix + rel))?.toString(), content, rel);
      assert.is((await server.head(t.prefix + rel)).Metadata?.sha256, sha256(content), `${rel}: sha256 metadata`);
    }

    const again = await t.ok();
    assert.match(again.stdout, /copy laptop → cloud: 0 files, 0 B; cloud → laptop: 0 files, 0 B/);

    const other = sibling(t.prefix);
    await other.ok();
    assertSameTree(t.local(), other.local());
    t.ws.cleanup();
    other.ws.cleanup();
  });

  test("an edited file goes up again (a replace of an existing object, small and multipart), and a deletion follows", async () => {
    // On Ceph 16.2 every edit of an existing object used to be a conflict: its answer to
    // If-Match with the ETag in quotes is 412, even for the current version.
    const t = setup("edit", { storage: { "part-size": 5 } });
    t.ws.write("local/a/f1", "first");
    const big = randomBytes(6 * 1024 * 1024);
    writeFileSync(t.local("big.bin"), big);
    await t.ok();
    t.ws.write("local/a/f1", "second, longer");
    big[0] ^= 1;
    writeFileSync(t.local("big.bin"), big);
    const r = await t.ok();
    assert.match(r.stdout, /laptop → cloud: 2 files/);
    assert.is((await server.get(`${t.prefix}a/f1`)).toString(), "second, longer");
    assert.ok((await server.get(`${t.prefix}big.bin`)).equals(big));
    assert.is((await server.head(`${t.prefix}big.bin`)).Metadata?.sha256, sha256(big));
    rmSync(t.local("a/f1"));
    rmSync(t.local("big.bin"));
    await t.ok();
    assert.equal(await server.keys(t.prefix), ["a/"]);
    const again = await t.ok();
    assert.match(again.stdout, /laptop → cloud: 0 files.*cloud → laptop: 0 files/);
    t.ws.cleanup();
  });

  test("a folder renamed locally is renamed in the bucket by server-side copies: 0 content bytes transferred, objects byte for byte", async () => {
    const t = setup("rename");
    const files = { "photos/a.bin": randomBytes(1 << 20), "photos/b.bin": randomBytes(1 << 20), "photos/deep/c.bin": randomBytes(512 * 1024) };
    for (const [rel, data] of Object.entries(files)) t.ws.write(`local/${rel}`, data);
    await t.ok();
    renameSync(t.local("photos"), t.local("pictures"));
    const r = await t.ok(["--json"]);
    const result = JSON.parse(r.stdout);
    assert.is(result.counters.contentBytes, 0, `nothing transferred: ${r.stdout}`);
    assert.is(result.counters.moved, 3);
    assert.equal(await server.keys(t.prefix), ["pictures/a.bin", "pictures/b.bin", "pictures/deep/c.bin"]);
    for (const [rel, data] of Object.entries(files)) {
      const key = `${t.prefix}${rel.replace("photos/", "pictures/")}`;
      assert.ok((await server.get(key)).equals(data), key);
      assert.is((await server.head(key)).Metadata?.sha256, sha256(data), `${key}: sha256 metadata`);
    }
    // A second copy of a file that stays is copied on the server too.
    copyFileSync(t.local("pictures/a.bin"), t.local("pictures/a-copy.bin"));
    const copied = JSON.parse((await t.ok(["--json"])).stdout);
    assert.is(copied.counters.contentBytes, 0);
    assert.is(copied.counters.copiedWithin, 1);
    assert.ok((await server.get(`${t.prefix}pictures/a-copy.bin`)).equals(files["photos/a.bin"]));
    const other = sibling(t.prefix);
    await other.ok();
    assertSameTree(t.local(), other.local());
    t.ws.cleanup();
    other.ws.cleanup();
  });

  test("objects from another client (no sha256 metadata) are hashed by content, synced, and re-synced when replaced", async () => {
    const t = setup("foreign");
    await server.put(`${t.prefix}other/plain.txt`, "from another tool");
    await server.put(`${t.prefix}same.txt`, "identical");
    await server.put(`${t.prefix}differs.txt`, "s3 version");
    await server.put(`${t.prefix}marker-only/`, "");
    t.ws.write("local/same.txt", "identical");
    t.ws.write("local/differs.txt", "local version");

    const r = await t.sync();
    assert.is(r.code, 1, `${r.stdout}\n${r.stderr}`);
    assert.match(r.stderr, /conflict: differs\.txt: different content on both sides at first meeting/);
    assert.not.match(r.stderr, /same\.txt/);
    assert.is(t.ws.read("local/other/plain.txt"), "from another tool");
    assert.ok(existsSync(t.local("marker-only")), "empty folder from a marker key");
    assert.is(t.ws.read("local/differs.txt"), "local version");
    assert.is((await server.get(`${t.prefix}differs.txt`)).toString(), "s3 version");
    assert.is((await server.head(`${t.prefix}same.txt`)).Metadata?.sha256, undefined, "an identical object is left as it is");

    // Another tool replaces the object (same size, no metadata): its new ETag is a change.
    await server.put(`${t.prefix}other/plain.txt`, "FROM ANOTHER TOOL");
    const r2 = await t.sync();
    assert.is(r2.code, 1);
    assert.is(t.ws.read("local/other/plain.txt"), "FROM ANOTHER TOOL");
    t.ws.cleanup();
  });

  test("two-way: edits, new files and deletions on both sides meet", async () => {
    const t = setup("twoway");
    for (const name of ["a", "b", "c", "d"]) t.ws.write(`local/${name}.txt`, name.repeat(4));
    t.ws.write("local/dir/e.txt", "e");
    t.ws.write("local/gone-dir/x.txt", "x");
    mkdirSync(t.local("gone-empty"));
    await t.ok();

    t.ws.write("local/a.txt", "AAAA"); // same size: only the hash can tell
    await server.put(`${t.prefix}b.txt`, "b edited in the bucket");
    t.ws.write("local/L.txt", "new on laptop");
    await server.put(`${t.prefix}S.txt`, "new in bucket");
    rmSync(t.local("c.txt"));
    await server.remove(`${t.prefix}d.txt`);
    rmSync(t.local("gone-dir"), { recursive: true });
    rmSync(t.local("gone-empty"), { recursive: true });
    rmSync(t.local("dir/e.txt")); // the folder stays, as on a disk
    await t.ok();

    assert.is((await server.get(`${t.prefix}a.txt`)).toString(), "AAAA");
    assert.is(t.ws.read("local/b.txt"), "b edited in the bucket");
    assert.is((await server.get(`${t.prefix}L.txt`)).toString(), "new on laptop");
    assert.is(t.ws.read("local/S.txt"), "new in bucket");
    assert.is(await server.get(`${t.prefix}c.txt`), null);
    assert.not.ok(existsSync(t.local("d.txt")));
    const keys = await server.keys(t.prefix);
    assert.not.ok(keys.some((k) => k.startsWith("gone-dir") || k.startsWith("gone-empty")), `left behind: ${keys.join(", ")}`);
    assert.ok(keys.includes("dir/"), "a folder whose last file went is kept as a marker");
    assert.ok(existsSync(t.local("dir")));

    const third = await t.ok();
    assert.match(third.stdout, /laptop → cloud: 0 files.*cloud → laptop: 0 files/);
    assert.not.ok(existsSync(t.local("d.txt")), "a deletion was undone");
    assert.is(await server.get(`${t.prefix}c.txt`), null, "a deletion was undone");
    const other = sibling(t.prefix);
    await other.ok();
    assertSameTree(t.local(), other.local());
    t.ws.cleanup();
    other.ws.cleanup();
  });

  test("conflicts leave both sides untouched (exit 1) until one side is resolved", async () => {
    const t = setup("conflicts");
    t.ws.write("local/both.txt", "base");
    t.ws.write("local/modify-delete.txt", "base");
    await t.ok();
    t.ws.write("local/both.txt", "laptop edit");
    await server.put(`${t.prefix}both.txt`, "bucket edit");
    rmSync(t.local("modify-delete.txt"));
    await server.put(`${t.prefix}modify-delete.txt`, "bucket edit");

    for (let pass = 0; pass < 2; pass++) {
      const r = await t.sync();
      assert.is(r.code, 1, `${r.stdout}\n${r.stderr}`);
      assert.match(r.stderr, /conflict: both\.txt: changed on both sides/);
      assert.match(r.stderr, /conflict: modify-delete\.txt: deleted on laptop, changed on cloud/);
      assert.is(t.ws.read("local/both.txt"), "laptop edit");
      assert.is((await server.get(`${t.prefix}both.txt`)).toString(), "bucket edit");
      assert.not.ok(existsSync(t.local("modify-delete.txt")));
      assert.is((await server.get(`${t.prefix}modify-delete.txt`)).toString(), "bucket edit");
    }

    await server.remove(`${t.prefix}both.txt`); // the user keeps the laptop's version
    const r = await t.sync();
    assert.is(r.code, 1, "modify-delete.txt is still open");
    assert.is((await server.get(`${t.prefix}both.txt`)).toString(), "laptop edit");
    t.ws.cleanup();
  });

  test("a 100 MB file goes up and comes down with bounded memory", async () => {
    const size = 100 * 1000 * 1000;
    const t = setup("large");
    t.ws.write("local/small.txt", "small");
    const base = await wlWithPeakRss(t.ws.dir, ["container", "sync", "--one-shot", "box"], server.env);
    assert.is(base.code, 0, base.stderr);
    await writeRandomFile(t.local("big.bin"), size);
    const want = await fileSha256(t.local("big.bin"));

    const up = await wlWithPeakRss(t.ws.dir, ["container", "sync", "--one-shot", "box"], server.env);
    assert.is(up.code, 0, up.stderr);
    assert.is((await server.head(`${t.prefix}big.bin`)).ContentLength, size);
    if (await storesHashAfterUpload()) assert.is((await server.head(`${t.prefix}big.bin`)).Metadata?.sha256, want);

    const other = sibling(t.prefix);
    const down = await wlWithPeakRss(other.ws.dir, ["container", "sync", "--one-shot", "box"], server.env);
    assert.is(down.code, 0, down.stderr);
    assert.is(await fileSha256(other.local("big.bin")), want);

    const grewUp = up.peakMb - base.peakMb;
    const grewDown = down.peakMb - base.peakMb;
    console.log(`      peak RSS: small pass ${base.peakMb.toFixed(0)} MB, 100 MB upload ${up.peakMb.toFixed(0)} MB (+${grewUp.toFixed(0)}), download ${down.peakMb.toFixed(0)} MB (+${grewDown.toFixed(0)})`);
    assert.ok(base.peakMb > 10, "memory was sampled");
    // What remains is garbage of the 1 MiB read chunks, which V8 collects in ~64 MB steps of
    // external memory: the same with a 400 MB file (measured), not proportional to the size.
    assert.ok(grewUp < 80, `upload grew peak RSS by ${grewUp.toFixed(0)} MB for a 95 MiB file`);
    assert.ok(grewDown < 80, `download grew peak RSS by ${grewDown.toFixed(0)} MB for a 95 MiB file`);
    t.ws.cleanup();
    other.ws.cleanup();
  });

  // ---- errors a user meets -------------------------------------------------------------------

  /** exit 3, exactly one line on stderr, no stack trace, and the local folder untouched. */
  async function assertFatal(t, env, pattern) {
    t.ws.write("local/keep.txt", "keep");
    const before = snapshot(t.local());
    const started = Date.now();
    const r = await t.sync([], env);
    const lines = r.stderr.trim().split("\n");
    assert.is(r.code, 3, `exit ${r.code}\n${r.stdout}\n${r.stderr}`);
    assert.is(lines.length, 1, `one line expected:\n${r.stderr}`);
    assert.match(lines[0], pattern);
    assert.not.match(r.stderr, /\n\s+at /);
    assert.equal(snapshot(t.local()), before);
    return Date.now() - started;
  }

  test("unknown bucket → exit 3 with one clear line, nothing touched", async () => {
    const bucket = `no-such-bucket-${randomBytes(4).toString("hex")}`;
    const t = setup("nobucket", { storage: { bucket } });
    await assertFatal(t, {}, new RegExp(`^wl: storage cloud: bucket "${bucket}" does not exist on .*; create it or fix "bucket" in the config$`));
    t.ws.cleanup();
  });

  test("wrong credentials → exit 3 with one clear line", async () => {
    const t = setup("badcreds");
    await assertFatal(t, { AWS_ACCESS_KEY_ID: "AKIANOBODY0000000000", AWS_SECRET_ACCESS_KEY: "wrong" }, /^wl: storage cloud: .* rejected the credentials \((InvalidAccessKeyId|SignatureDoesNotMatch)\); check AWS_ACCESS_KEY_ID/);
    t.ws.cleanup();
  });

  if (kind === "ceph") {
    test("real credential errors (Ceph checks signatures): wrong secret, unknown key, a user without permission on the bucket → exit 3, one sentence each", async () => {
      const t = setup("ceph-creds");
      const endpoint = server.endpoint.replace(/[.]/g, "\\.");
      await assertFatal(
        t,
        { AWS_SECRET_ACCESS_KEY: "not-the-secret" },
        new RegExp(`^wl: storage cloud: ${endpoint} rejected the credentials \\(SignatureDoesNotMatch\\); check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE$`),
      );
      await assertFatal(
        t,
        { AWS_ACCESS_KEY_ID: "WLSYNCUNKNOWNKEY0000", AWS_SECRET_ACCESS_KEY: "whatever" },
        new RegExp(`^wl: storage cloud: ${endpoint} rejected the credentials \\(InvalidAccessKeyId\\); check AWS_ACCESS_KEY_ID`),
      );
      // A second user: valid credentials, but the bucket belongs to the first.
      await assertFatal(
        t,
        server.other,
        new RegExp(`^wl: storage cloud: access to bucket "${server.bucket}" on ${endpoint} was denied \\(AccessDenied\\); the credentials need s3:ListBucket, s3:GetObject, s3:PutObject and s3:DeleteObject on it$`),
      );
      assert.equal(await server.keys(t.prefix), [], "nothing written");
      t.ws.cleanup();
    });
  }

  test("no credentials anywhere → exit 3 naming where they are looked for", async () => {
    const t = setup("nocreds");
    const env = {
      AWS_ACCESS_KEY_ID: "",
      AWS_SECRET_ACCESS_KEY: "",
      AWS_SESSION_TOKEN: "",
      AWS_PROFILE: "",
      AWS_SHARED_CREDENTIALS_FILE: join(t.ws.dir, "no-credentials"),
      AWS_CONFIG_FILE: join(t.ws.dir, "no-config"),
      AWS_EC2_METADATA_DISABLED: "true",
    };
    await assertFatal(t, env, /^wl: storage cloud: no AWS credentials found; set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE/);
    t.ws.cleanup();
  });

  test("unreachable endpoint → exit 3 within seconds", async () => {
    const port = await closedPort();
    const t = setup("unreachable", { storage: { endpoint: `http://127.0.0.1:${port}` } });
    const ms = await assertFatal(t, {}, new RegExp(`^wl: storage cloud: cannot reach the S3 endpoint http://127\\.0\\.0\\.1:${port} \\(ECONNREFUSED\\)`));
    assert.ok(ms < 10_000, `took ${ms} ms`);
    t.ws.cleanup();
  });

  test("credentials in the config are refused (exit 3), never used", async () => {
    const t = setup("credsinconfig", { storage: { "secret-access-key": "S3RVER" } });
    t.ws.write("local/keep.txt", "keep");
    const before = snapshot(t.local());
    const r = await t.sync([], {});
    assert.is(r.code, 3, r.stderr);
    // The storage's options are checked against the S3 backend's schema: the reason, with the place.
    assert.match(r.stderr, /^wl: invalid config .*\n {2}containers\.\w+\.storages\[\d\]\.secret-access-key: is not read from the config: credentials come from the AWS environment/);
    assert.not.match(r.stderr, /S3RVER/, "the secret is never echoed");
    assert.equal(snapshot(t.local()), before, "nothing touched");
    t.ws.cleanup();
  });

  pureTest("SDK errors become one sentence each (access denied, wrong region, timeouts, DNS)", () => {
    const where = { backendId: "cloud", bucket: "photos", region: "us-east-1" };
    const sdk = (name, status, extra = {}) => Object.assign(new Error(`${name} message`), { name, Code: name, $metadata: { httpStatusCode: status }, ...extra });
    const cases = [
      [sdk("AccessDenied", 403), "denied", /^storage cloud: access to bucket "photos" on AWS S3 was denied \(AccessDenied\); the credentials need s3:ListBucket/],
      [
        sdk("PermanentRedirect", 301, { $response: { statusCode: 301, headers: { "x-amz-bucket-region": "eu-central-1" } } }),
        "region",
        /^storage cloud: bucket "photos" is not in region us-east-1 but in eu-central-1 \(PermanentRedirect\); set "region"/,
      ],
      [sdk("AuthorizationHeaderMalformed", 400, { Region: "eu-west-1" }), "region", /but in eu-west-1 \(AuthorizationHeaderMalformed\)/],
      [Object.assign(new Error("Connection timed out after 3000 ms"), { name: "TimeoutError" }), "network", /cannot reach the S3 endpoint AWS S3 \(TimeoutError\)/],
      [Object.assign(new Error("getaddrinfo ENOTFOUND nas.local"), { code: "ENOTFOUND" }), "network", /\(ENOTFOUND\); check "endpoint"/],
      [Object.assign(new Error("This operation was aborted"), { name: "AbortError" }), "network", /\(no answer in time\)/],
      [sdk("NoSuchBucket", 404), "no-bucket", /bucket "photos" does not exist on AWS S3/],
      [sdk("PreconditionFailed", 412), "precondition", null],
    ];
    for (const [err, kind, pattern] of cases) {
      assert.is(classifyS3Error(err).kind, kind, err.name);
      if (pattern) {
        const message = unavailableMessage(where, err);
        assert.match(message, pattern);
        assert.not.ok(message.includes("\n"), "one line");
      }
    }
  });

  pureTest("the ETag of a multipart object is computed from its parts' ETags (Ceph's CompleteMultipartUpload returns none)", () => {
    // Measured on Ceph RGW 16.2: one part "abc", and two parts "abc" + "def".
    assert.is(multipartEtag(['"900150983cd24fb0d6963f7d28e17f72"']), "af5da9f45af7a300e3aded972f8ff687-1");
    const md5 = (s) => createHash("md5").update(s).digest("hex");
    const expected = createHash("md5").update(Buffer.concat([Buffer.from(md5("abc"), "hex"), Buffer.from(md5("def"), "hex")])).digest("hex");
    assert.is(multipartEtag([`"${md5("abc")}"`, md5("def")]), `${expected}-2`);
    // A part ETag that is not an md5 (an encrypted object on AWS): unknown.
    assert.is(multipartEtag(['"not-an-md5"']), null);
  });

  pureTest("keys that cannot be file names are recognised", () => {
    for (const bad of ["../x", "a/../b", "a//b", "/a", "a/", ".", "a/./b", "nul\u0000byte"]) assert.ok(unsafePathReason(bad), bad);
    for (const good of ["a", "a b/c+d.txt", "ünï/日本語", "..a", "a..", ".hidden/x"]) assert.is(unsafePathReason(good), null, good);
  });

  // ---- compare-and-swap at the backend -----------------------------------------------------------

  /**
   * Every compare-and-swap race a storage must win against another client writing the same key:
   * small and multipart creates and replaces, and a delete with a stale expectation. Whatever
   * guards each (the server's condition, or wl's HEAD re-check), the racing write is refused with
   * E_CAS and the other client's object stays.
   */
  async function raceScenarios(backend, prefix) {
    const big = randomBytes(6 * 1024 * 1024);
    const write = async (path, expected, data, meanwhile) => {
      const writer = await backend.openForSafeReplace(path, expected, { size: data.length });
      await pipeline(Readable.from([Buffer.from(data)]), writer.stream);
      await meanwhile();
      try {
        return await writer.commit(sha256(data));
      } finally {
        await writer.abort();
      }
    };
    for (const [label, mine] of [
      ["small", Buffer.from("mine")],
      ["multipart", big],
    ]) {
      // Create: another client creates the key while our bytes are in flight.
      await rejectsWith(write(`${label}-new.txt`, { kind: "absent" }, mine, () => server.put(`${prefix}${label}-new.txt`, "theirs")), "E_CAS");
      assert.is((await server.get(`${prefix}${label}-new.txt`)).toString(), "theirs", `${label} create`);
      // Replace: the plan saw "one"; another client writes "three" before our bytes land.
      await server.put(`${prefix}${label}-v.txt`, "one");
      await rejectsWith(write(`${label}-v.txt`, { kind: "file", hash: sha256("one") }, mine, () => server.put(`${prefix}${label}-v.txt`, "three")), "E_CAS");
      assert.is((await server.get(`${prefix}${label}-v.txt`)).toString(), "three", `${label} replace`);
    }
    // Delete with a stale expectation is refused; with the current one it goes through.
    await rejectsWith(backend.remove("small-v.txt", { kind: "file", hash: sha256("one") }), "E_CAS");
    assert.ok(await server.get(`${prefix}small-v.txt`));
    await backend.remove("small-v.txt", { kind: "file", hash: sha256("three") });
    assert.is(await server.get(`${prefix}small-v.txt`), null);

    // The happy path stores the sha256 and reports the token the listing will show, small or multipart.
    const entry = await writeThrough(await backend.openForSafeReplace("ok.txt", { kind: "absent" }, { size: 2 }), "ok");
    const bigEntry = await write("ok-big.bin", { kind: "absent" }, big, async () => {});
    const listed = new Map();
    for await (const e of backend.walk({ onWarning: () => {} })) listed.set(e.path, e);
    assert.is(listed.get("ok.txt")?.token, entry.token);
    assert.is(listed.get("ok-big.bin")?.token, bigEntry.token, "the token of a multipart upload is its ETag, even when the server does not return it");
    assert.is((await server.head(`${prefix}ok.txt`)).Metadata?.sha256, sha256("ok"));
    assert.is(await backend.getHash("ok-big.bin", listed.get("ok-big.bin")), sha256(big));
    assert.ok((await server.get(`${prefix}ok-big.bin`)).equals(big));
    assert.equal(await server.keys(prefix), ["multipart-new.txt", "multipart-v.txt", "ok-big.bin", "ok.txt", "small-new.txt"], "no probe or temporary keys left");
  }

  /**
   * Whether a multipart upload whose sha256 was not known when it started gets it as metadata
   * afterwards: only where the server honours the copy condition that guards that step.
   */
  async function storesHashAfterUpload(endpoint) {
    const backend = backendFor(server.prefix("copy-probe"), endpoint ? { endpoint } : {});
    try {
      return !!(await backend.honours("copyIfMatch"));
    } finally {
      await backend.close();
    }
  }

  /** Probes every conditional operation of `backend`; returns what the server honours. */
  async function probeAll(backend) {
    const out = {};
    for (const op of ["createIfAbsent", "replaceIfMatch", "deleteIfMatch", "completeIfAbsent", "completeIfMatch", "copyIfMatch"]) out[op] = await backend.honours(op);
    return out;
  }

  /** What each server is known to honour (null: not honoured; "quoted"/"bare": the ETag form that works). */
  const EXPECTED_CONDITIONS = {
    // s3rver ignores every condition.
    s3rver: { createIfAbsent: false, replaceIfMatch: null, deleteIfMatch: null, completeIfAbsent: false, completeIfMatch: null, copyIfMatch: null },
    // Ceph RGW 16.2: only PutObject's conditions, and If-Match only with the bare ETag.
    ceph: { createIfAbsent: true, replaceIfMatch: "bare", deleteIfMatch: null, completeIfAbsent: false, completeIfMatch: null, copyIfMatch: null },
  };

  test("conditional writes are probed per operation, once per endpoint: the results", async () => {
    const prefix = server.prefix("probe");
    const backend = backendFor(prefix);
    try {
      const found = await probeAll(backend);
      console.log(`      conditional writes on ${kind}: ${JSON.stringify(found)}`);
      if (EXPECTED_CONDITIONS[kind]) assert.equal(found, EXPECTED_CONDITIONS[kind]);
      assert.equal(backend.conditionalWrites(), found, "cached");
      // Cached for the endpoint: another storage on it sends no probe.
      const other = backendFor(server.prefix("probe-other"));
      assert.equal(other.conditionalWrites(), found);
      await other.close();
      assert.equal(await server.keys(prefix), [], "no probe keys left");
    } finally {
      await backend.close();
    }
  });

  test("compare-and-swap with the server's own conditional writes (each operation as probed): a racing write or delete is refused, never an overwrite", async () => {
    const prefix = server.prefix("cas-probed");
    const backend = backendFor(prefix, { "part-size": 5 });
    try {
      await raceScenarios(backend, prefix);
      if (kind === "s3rver") assert.is(backend.capabilities.atomicCompareAndSwap, false, "s3rver ignores conditional headers; the probe must notice");
    } finally {
      await backend.close();
    }
  });

  test("compare-and-swap without conditional writes (conditional-writes: false, a HEAD re-check before each write): races refused", async () => {
    const prefix = server.prefix("cas-recheck");
    const backend = backendFor(prefix, { "part-size": 5, "conditional-writes": false });
    try {
      await raceScenarios(backend, prefix);
      assert.is(backend.capabilities.atomicCompareAndSwap, false);
    } finally {
      await backend.close();
    }
  });

  if (!external) {
    test("with conditional writes (If-None-Match / If-Match honoured): the server refuses the racing write, small or multipart; payload hashes are checked", async () => {
      const proxy = await startConditionalProxy({ upstream: server.endpoint, bucket: server.bucket, head: (key) => server.head(key) });
      const prefix = server.prefix("cas-conditional");
      const backend = backendFor(prefix, { endpoint: proxy.endpoint, "part-size": 5 });
      const racer = backendFor(server.prefix("cas-conditional-races"), { endpoint: proxy.endpoint, "part-size": 5 });
      try {
        const found = await probeAll(backend);
        for (const op of ["createIfAbsent", "replaceIfMatch", "deleteIfMatch", "completeIfAbsent", "completeIfMatch"]) assert.ok(found[op], `the probe finds ${op} honoured: ${JSON.stringify(found)}`);
        assert.is(backend.capabilities.atomicCompareAndSwap, true);
        await raceScenarios(racer, racer.keys.prefix);
        const create = await backend.openForSafeReplace("race.txt", { kind: "absent" }, { size: 4 });
        await pipeline(Readable.from([Buffer.from("mine")]), create.stream);
        await server.put(`${prefix}race.txt`, "theirs");
        const before = proxy.seen.length;
        await rejectsWith(create.commit(sha256("mine")), "E_CAS");
        assert.equal(proxy.seen.slice(before).map((s) => [s.method, s.ifNoneMatch]), [["PUT", "*"]], "refused by the server, not by a re-check");
        assert.is((await server.get(`${prefix}race.txt`)).toString(), "theirs");

        // Multipart: parts go up, then CompleteMultipartUpload carries If-Match and is refused.
        const big = randomBytes(12 * 1024 * 1024);
        await server.put(`${prefix}big.bin`, "old");
        const replace = await backend.openForSafeReplace("big.bin", { kind: "file", hash: sha256("old") }, { size: big.length });
        await pipeline(Readable.from([big.subarray(0, 6e6), big.subarray(6e6)]), replace.stream);
        await server.put(`${prefix}big.bin`, "changed meanwhile");
        await rejectsWith(replace.commit(sha256(big)), "E_CAS");
        await replace.abort();
        assert.ok(proxy.seen.some((s) => s.method === "POST" && s.key === `${prefix}big.bin` && s.ifMatch), "If-Match on CompleteMultipartUpload");
        assert.is((await server.get(`${prefix}big.bin`)).toString(), "changed meanwhile");
        const aborts = proxy.requests.filter((r) => r.method === "DELETE" && r.path.endsWith(`${prefix}big.bin`) && r.query.includes("uploadId"));
        assert.is(aborts.length, 1, "the multipart upload was aborted (AbortMultipartUpload)");

        // A one-request upload is signed with the sha256 the caller computed: bytes that do not hash
        // to it are refused by a server that checks payload hashes (here the proxy, as AWS does).
        const small = await backend.openForSafeReplace("small.txt", { kind: "absent" }, { size: 5 });
        await pipeline(Readable.from([Buffer.from("bytes")]), small.stream);
        await rejectsWith(small.commit(sha256("other bytes")), "E_VERIFY");
        assert.is(proxy.mismatches.length, 1);
        assert.is(await server.get(`${prefix}small.txt`), null, "nothing written");
        await writeThrough(await backend.openForSafeReplace("small.txt", { kind: "absent" }, { size: 5 }), "bytes");
        assert.is((await server.get(`${prefix}small.txt`)).toString(), "bytes");
        assert.is(proxy.mismatches.length, 1, "every request wl signs carries the right payload hash");

        // And when nothing raced, the multipart upload lands with its sha256.
        const fresh = await backend.openForSafeReplace("big2.bin", { kind: "absent" }, { size: big.length });
        await pipeline(Readable.from([big]), fresh.stream);
        await fresh.commit(sha256(big));
        assert.ok((await server.get(`${prefix}big2.bin`)).equals(big));
        if (await storesHashAfterUpload(proxy.endpoint)) assert.is((await server.head(`${prefix}big2.bin`)).Metadata?.sha256, sha256(big));
      } finally {
        await backend.close();
        await racer.close();
        await proxy.close();
      }
    });
  }

  test("many large uploads at once share a bounded set of part buffers and all land intact", async () => {
    const prefix = server.prefix("many-large");
    const backend = backendFor(prefix, { "part-size": 5 });
    try {
      // 6 uploads of 3 parts each want more buffers than a storage has (8): some must wait.
      const files = Array.from({ length: 6 }, (_, i) => [`big${i}.bin`, randomBytes(12 * 1024 * 1024 + i)]);
      await Promise.all(
        files.map(async ([path, data]) => {
          const writer = await backend.openForSafeReplace(path, { kind: "absent" }, { size: data.length });
          const chunks = [];
          for (let at = 0; at < data.length; at += 1 << 20) chunks.push(data.subarray(at, at + (1 << 20)));
          await pipeline(Readable.from(chunks), writer.stream);
          await writer.commit(sha256(data));
        }),
      );
      for (const [path, data] of files) {
        assert.ok((await server.get(prefix + path)).equals(data), `${path} intact`);
        if (await storesHashAfterUpload()) assert.is((await server.head(prefix + path)).Metadata?.sha256, sha256(data));
        else assert.is(await backend.getHash(path), sha256(data));
      }
    } finally {
      await backend.close();
    }
  });

  test("walk under a folder lists only what is below it (a change-driven pass scans only the changed folders)", async () => {
    // Listing the whole prefix here made a continuous pass take every top-level object for
    // one missing on the other side: copies planned over files that were there (E_CAS).
    const prefix = server.prefix("walk-under");
    for (const key of ["top.txt", "notes/a.txt", "notes/deep/b.txt", "notes-other/c.txt", "empty/", "notes/empty/"]) await server.put(prefix + key, key.endsWith("/") ? "" : key);
    const backend = backendFor(prefix);
    try {
      const paths = async (under) => {
        const out = [];
        for await (const e of backend.walk({ onWarning: () => {}, under })) out.push(`${e.kind} ${e.path}`);
        return out.sort();
      };
      assert.equal(await paths("notes"), ["dir notes/deep", "dir notes/empty", "file notes/a.txt", "file notes/deep/b.txt"]);
      assert.equal(await paths("notes/deep"), ["file notes/deep/b.txt"]);
      assert.equal(await paths("nothing-here"), []);
      assert.equal((await paths(undefined)).length, 9);
    } finally {
      await backend.close();
    }
  });

  test("watcher: polling listings report creates, changes and deletions (default interval 30 s)", async () => {
    assert.is(backendFor(server.prefix("w-default")).watcher().intervalMs, 30_000);
    const prefix = server.prefix("watch");
    await server.put(`${prefix}stays.txt`, "1");
    await server.put(`${prefix}changes.txt`, "1");
    await server.put(`${prefix}goes.txt`, "1");
    const backend = backendFor(prefix, { "watcher-interval": 0.2 });
    const watcher = backend.watcher();
    assert.is(watcher.intervalMs, 200);
    const events = [];
    await watcher.start((batch) => events.push(...batch));
    try {
      await server.put(`${prefix}changes.txt`, "2");
      await server.remove(`${prefix}goes.txt`);
      await server.put(`${prefix}new/file.txt`, "n");
      const deadline = Date.now() + 5000;
      while (events.length < 4 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      const seen = events.map((e) => `${e.type} ${e.path}`).sort();
      assert.equal(seen, ["create new", "create new/file.txt", "delete goes.txt", "modify changes.txt"]);
    } finally {
      await watcher.stop();
      await backend.close();
    }
  });

  test("continuous sync with a bucket: changes on either side arrive through the daemon", async () => {
    const t = setup("continuous", { storage: { "watcher-interval": 0.3 } });
    const run = (...args) => wl(t.ws.dir, args, { env: server.env });
    t.ws.write("local/initial.txt", "initial");
    try {
      const r = await run("container", "sync", "box");
      assert.is(r.code, 0, `${r.stdout}\n${r.stderr}`);
      assert.is((await server.get(`${t.prefix}initial.txt`))?.toString(), "initial", "the initial pass is done when wl returns");

      await server.put(`${t.prefix}from-bucket/new.txt`, "written by another client");
      await waitFor(() => existsSync(t.local("from-bucket/new.txt")) && t.ws.read("local/from-bucket/new.txt") === "written by another client", "the object to arrive", 20_000);
      t.ws.write("local/from-laptop.txt", "written on the laptop");
      await waitFor(async () => (await server.get(`${t.prefix}from-laptop.txt`))?.toString() === "written on the laptop", "the file to arrive in the bucket", 20_000);
      await server.remove(`${t.prefix}initial.txt`);
      await waitFor(() => !existsSync(t.local("initial.txt")), "the deletion to arrive", 20_000);

      const status = JSON.parse((await run("status", "--json")).stdout);
      assert.is(status.jobs[0].watchers.target, "PollingWatcher");
      assert.equal(status.jobs[0].errors, []);
    } finally {
      await run("daemon", "stop");
      t.ws.cleanup();
    }
  });

  // ---- a crash of the server in the middle of a pass -----------------------------------------

  if (kind === "s3rver") {
    test("the server killed in the middle of a pass: no partial object, and the next pass completes", async () => {
      const own = await startS3();
      const ws = workspace("wl-s3-kill-");
      const prefix = own.prefix("kill");
      writeS3Config(ws.dir, "local", own.storage(prefix));
      mkdirSync(ws.path("local/big"), { recursive: true });
      const size = 24 * 1024 * 1024;
      for (let i = 0; i < 3; i++) await writeRandomFile(ws.path(`local/big/blob${i}.bin`), size);
      try {
        const uploads = join(own.dir, own.bucket, "._S3rver_uploads");
        const partsOnDisk = () => {
          if (!existsSync(uploads)) return 0;
          return readdirSync(uploads).reduce((n, id) => n + readdirSync(join(uploads, id)).filter((f) => /^\d+$/.test(f)).length, 0);
        };
        const pass = wl(ws.dir, ["container", "sync", "--one-shot", "box"], { env: own.env });
        const deadline = Date.now() + 20_000;
        while (partsOnDisk() === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
        assert.ok(partsOnDisk() > 0, "the upload started");
        await own.kill();
        const first = await pass;
        assert.is(first.code, 2, `the interrupted pass reports failed items\n${first.stdout}\n${first.stderr}`);
        assert.match(first.stderr, /cannot reach/);

        await own.restart();
        for (const key of await own.keys(prefix)) {
          // Folder markers, and a conditional-write probe key the kill may have left (a temporary name, never synced).
          if (key.endsWith("/") || key.startsWith(".wlsync-tmp-")) continue;
          const rel = key;
          assert.ok((await own.get(prefix + key)).equals(readFileSync(ws.path("local", rel))), `partial object under ${key}`);
        }
        const second = await wl(ws.dir, ["container", "sync", "--one-shot", "box"], { env: own.env });
        assert.is(second.code, 0, `${second.stdout}\n${second.stderr}`);
        for (let i = 0; i < 3; i++) {
          const body = await own.get(`${prefix}big/blob${i}.bin`);
          assert.ok(body?.equals(readFileSync(ws.path(`local/big/blob${i}.bin`))), `blob${i}.bin complete`);
        }
      } finally {
        ws.cleanup();
        await own.stop();
      }
    });
  }

  suiteTest.run();
}

// A real S3 endpoint for tests: s3rver in a child process on 127.0.0.1 with a random port, a
// one-node Ceph RADOS Gateway (scripts/ceph-rgw.sh), or the endpoint named by
// WLSYNC_TEST_S3_ENDPOINT (MinIO, AWS...) with AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
// WLSYNC_TEST_S3_BUCKET and WLSYNC_TEST_S3_REGION.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  CreateBucketCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";

const here = dirname(fileURLToPath(import.meta.url));
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

export const external = !!process.env.WLSYNC_TEST_S3_ENDPOINT;

/** A port on 127.0.0.1 that nothing listens on (for the "unreachable endpoint" case). */
export async function closedPort() {
  const server = createServer();
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  const { port } = server.address();
  await new Promise((ok) => server.close(ok));
  return port;
}

const children = new Set();
process.on("exit", () => {
  for (const child of children) child.kill("SIGKILL");
});

function spawnS3rver(dir, port, buckets) {
  // s3rver makes continuation tokens with DES, which OpenSSL 3 only offers through its legacy provider.
  const child = spawn(process.execPath, ["--openssl-legacy-provider", join(here, "s3rver-main.mjs"), dir, String(port), ...buckets], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  children.add(child);
  child.once("exit", () => children.delete(child));
  return new Promise((ok, ko) => {
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
      const line = out.split("\n")[0];
      if (out.includes("\n")) {
        try {
          ok({ child, port: JSON.parse(line).port });
        } catch (err) {
          ko(err);
        }
      }
    });
    child.once("exit", (code) => ko(new Error(`s3rver exited with ${code} before listening`)));
  });
}

/**
 * Starts (or connects to) an S3 server. `server.env` holds the environment a `wl` process needs;
 * `server.storage(prefix)` the .wlsyncrc storage entry for a prefix of the test bucket;
 * `server.kind` is "s3rver", "ceph" or "external".
 *
 * `kind: "ceph"` starts a Ceph cluster (rejects with the reason when it cannot); its handle also
 * has `other`, the environment of a second S3 user that owns nothing.
 */
export async function startS3(options = {}) {
  const runId = randomBytes(4).toString("hex");
  if (options.kind === "ceph") {
    const { startCeph } = await import("./ceph-rgw.mjs");
    const ceph = await startCeph();
    const bucket = "wlsync-test";
    const env = { AWS_ACCESS_KEY_ID: ceph.accessKey, AWS_SECRET_ACCESS_KEY: ceph.secretKey };
    const handle = makeHandle({ kind: "ceph", endpoint: ceph.endpoint, bucket, region: "us-east-1", env, runId, killable: false });
    handle.other = { ...handle.env, AWS_ACCESS_KEY_ID: ceph.other.accessKey, AWS_SECRET_ACCESS_KEY: ceph.other.secretKey };
    handle.dir = ceph.dir;
    handle.port = ceph.port;
    const stopClient = handle.stop;
    handle.stop = async () => {
      await stopClient();
      await ceph.stop();
    };
    try {
      await handle.createBucket(bucket);
    } catch (err) {
      await handle.stop();
      throw err;
    }
    return handle;
  }
  if (external) {
    const endpoint = process.env.WLSYNC_TEST_S3_ENDPOINT;
    const bucket = process.env.WLSYNC_TEST_S3_BUCKET ?? "wlsync-test";
    const region = process.env.WLSYNC_TEST_S3_REGION ?? "us-east-1";
    const env = { AWS_ACCESS_KEY_ID: process.env.AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY: process.env.AWS_SECRET_ACCESS_KEY, AWS_REGION: region };
    if (process.env.AWS_SESSION_TOKEN) env.AWS_SESSION_TOKEN = process.env.AWS_SESSION_TOKEN;
    return makeHandle({ kind: "external", endpoint, bucket, region, env, runId, killable: false });
  }
  const dir = mkdtempSync(join(tmpdir(), "wlsync-s3rver-"));
  const bucket = "wlsync-test";
  let { child, port } = await spawnS3rver(dir, options.port ?? 0, [bucket]);
  const handle = makeHandle({
    kind: "s3rver",
    endpoint: `http://127.0.0.1:${port}`,
    bucket,
    region: "us-east-1",
    env: { AWS_ACCESS_KEY_ID: "S3RVER", AWS_SECRET_ACCESS_KEY: "S3RVER" },
    runId,
    killable: true,
  });
  handle.dir = dir;
  handle.port = port;
  /** SIGKILL: the server dies mid-request, as in a crash. */
  handle.kill = async () => {
    const gone = new Promise((ok) => child.once("exit", ok));
    child.kill("SIGKILL");
    await gone;
  };
  /** Starts the server again on the same port and data folder. */
  handle.restart = async () => {
    ({ child } = await spawnS3rver(dir, port, []));
  };
  handle.stop = async () => {
    handle.client.destroy();
    if (child.exitCode === null && child.signalCode === null) {
      const gone = new Promise((ok) => child.once("exit", ok));
      child.kill("SIGTERM");
      await gone;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  return handle;
}

function makeHandle({ kind, endpoint, bucket, region, env, runId, killable }) {
  const client = new S3Client({
    region,
    endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY, sessionToken: env.AWS_SESSION_TOKEN },
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  });
  let n = 0;
  const handle = {
    kind,
    endpoint,
    bucket,
    region,
    killable,
    client,
    // Never let the SDK look for an EC2 instance role: this machine has no network but loopback.
    env: { ...env, AWS_REGION: region, AWS_EC2_METADATA_DISABLED: "true", AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
    /** A fresh key prefix for one test. */
    prefix(name) {
      return `t-${runId}/${++n}-${name}/`;
    },
    storage(prefix, extra = {}) {
      return { "backend-id": "cloud", type: "s3", bucket, prefix, region, endpoint, "force-path-style": true, ...extra };
    },
    async createBucket(name) {
      await client.send(new CreateBucketCommand({ Bucket: name }));
    },
    async put(key, body, metadata) {
      const r = await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: Buffer.from(body), Metadata: metadata }));
      return r.ETag;
    },
    async get(key) {
      try {
        const r = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        return Buffer.from(await r.Body.transformToByteArray());
      } catch (err) {
        if (err.name === "NoSuchKey" || err.$metadata?.httpStatusCode === 404) return null;
        throw err;
      }
    },
    async head(key) {
      try {
        return await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      } catch (err) {
        if (err.$metadata?.httpStatusCode === 404) return null;
        throw err;
      }
    },
    /** Every key below a prefix (relative to it), sorted; wl's `.wlsync/` keys only with `own: true`. */
    async keys(prefix, { own = false } = {}) {
      const out = [];
      let token;
      do {
        const r = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
        for (const o of r.Contents ?? []) {
          const key = o.Key.slice(prefix.length);
          // wl's own keys (.wlsync/: versions of what passes replaced or deleted) only when asked.
          if (own || !key.startsWith(".wlsync/")) out.push(key);
        }
        token = r.IsTruncated ? r.NextContinuationToken : undefined;
      } while (token);
      return out.sort();
    },
    async remove(...keys) {
      await client.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys.map((Key) => ({ Key })) } }));
    },
    async stop() {
      client.destroy();
    },
  };
  return handle;
}

import type { S3Client } from "@aws-sdk/client-s3";
import { loadSdk } from "./s3-sdk.js";
import type { S3Options } from "./s3-options.js";

/** How long to wait for a TCP connection; with 3 attempts an unreachable endpoint fails in seconds. */
export const CONNECT_TIMEOUT_MS = 3000;
/** A request whose socket stays silent this long is abandoned (and retried by the SDK). */
export const SOCKET_TIMEOUT_MS = 60_000;
export const MAX_ATTEMPTS = 3;

/**
 * The S3 client of one storage. Credentials come from the SDK's default chain only (environment,
 * shared config/credentials files and profiles, SSO, and on cloud hosts the instance role).
 */
export async function createS3Client(options: S3Options): Promise<S3Client> {
  // The SDK warns on every start that future releases will need Node 22; wl supports Node 20.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  // node:https (and tls) load only when a bucket is used: every wl start imports this package.
  const [{ S3Client }, { NodeHttpHandler }, { Agent: HttpAgent }, { Agent: HttpsAgent }] = await Promise.all([
    loadSdk(),
    import("@smithy/node-http-handler"),
    import("node:http"),
    import("node:https"),
  ]);
  // Parallel transfers, each large upload with up to two parts in flight, and the hash reads.
  const agent = { keepAlive: true, maxSockets: Math.max(64, options.transfers * 4) };
  return new S3Client({
    region: options.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? (options.endpoint ? "us-east-1" : undefined),
    endpoint: options.endpoint,
    forcePathStyle: options.forcePathStyle,
    // Newer SDKs add CRC checksums (and aws-chunked bodies) that many S3-compatible servers reject;
    // payloads are covered by the SigV4 payload hash instead.
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
    maxAttempts: MAX_ATTEMPTS,
    requestHandler: new NodeHttpHandler({
      connectionTimeout: CONNECT_TIMEOUT_MS,
      requestTimeout: SOCKET_TIMEOUT_MS,
      httpAgent: new HttpAgent(agent),
      httpsAgent: new HttpsAgent(agent),
    }),
  });
}

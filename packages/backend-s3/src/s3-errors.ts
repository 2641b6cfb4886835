/**
 * Sorting what the AWS SDK throws into the few situations a user can act on, each with one
 * sentence that says what is wrong and what to do.
 */
export type S3ErrorKind =
  | "not-found"
  | "no-bucket"
  | "no-credentials"
  | "credentials"
  | "denied"
  | "region"
  | "network"
  | "precondition"
  | "not-implemented"
  | "other";

export interface S3ErrorInfo {
  kind: S3ErrorKind;
  /** The S3 error code, errno or error name, for messages. */
  code: string;
  status?: number;
  /** The region S3 says the bucket lives in, when it says. */
  bucketRegion?: string;
}

interface SdkError {
  name?: string;
  Code?: string;
  code?: string;
  message?: string;
  Region?: string;
  $metadata?: { httpStatusCode?: number };
  $response?: { statusCode?: number; headers?: Record<string, string | undefined> };
  cause?: unknown;
}

const CREDENTIAL_CODES = new Set(["InvalidAccessKeyId", "SignatureDoesNotMatch", "InvalidToken", "ExpiredToken", "TokenRefreshRequired", "InvalidClientTokenId", "UnrecognizedClientException"]);
const DENIED_CODES = new Set(["AccessDenied", "Forbidden", "AllAccessDisabled", "AccountProblem"]);
const REGION_CODES = new Set(["PermanentRedirect", "AuthorizationHeaderMalformed", "IllegalLocationConstraintException", "MovedPermanently", "Redirect", "TemporaryRedirect"]);
const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ETIMEDOUT",
  "ECONNRESET",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EPIPE",
  "ECONNABORTED",
  "EPROTO",
  "ERR_SOCKET_CONNECTION_TIMEOUT",
]);
const NETWORK_NAMES = new Set(["TimeoutError", "RequestTimeout", "RequestTimeoutException", "AbortError", "NetworkingError"]);

export function classifyS3Error(err: unknown): S3ErrorInfo {
  const e = (err ?? {}) as SdkError;
  const code = e.Code ?? (typeof e.code === "string" ? e.code : undefined) ?? e.name ?? "Error";
  const status = e.$metadata?.httpStatusCode ?? e.$response?.statusCode;
  const headers = e.$response?.headers ?? {};
  const bucketRegion = headers["x-amz-bucket-region"] ?? e.Region;
  const info = (kind: S3ErrorKind): S3ErrorInfo => ({ kind, code, status, bucketRegion });
  const message = e.message ?? "";

  if (e.name === "CredentialsProviderError" || /Could not load credentials/i.test(message)) return info("no-credentials");
  if (code === "NoSuchBucket") return info("no-bucket");
  if (code === "NoSuchKey" || code === "NotFound" || (status === 404 && code !== "NoSuchUpload")) return info("not-found");
  if (CREDENTIAL_CODES.has(code)) return info("credentials");
  if (REGION_CODES.has(code) || status === 301 || /Region is missing/i.test(message)) return info("region");
  if (DENIED_CODES.has(code) || status === 403) return info("denied");
  if (code === "PreconditionFailed" || code === "ConditionalRequestConflict" || status === 412 || status === 409) return info("precondition");
  if (code === "NotImplemented" || status === 501) return info("not-implemented");
  if (NETWORK_CODES.has(code) || NETWORK_NAMES.has(e.name ?? "") || /socket hang up|ECONNREFUSED|ENOTFOUND|timed? ?out/i.test(message)) {
    return info("network");
  }
  const cause = e.cause as SdkError | undefined;
  if (cause && typeof cause === "object" && cause !== err) {
    const inner = classifyS3Error(cause);
    if (inner.kind === "network") return inner;
  }
  return info("other");
}

export interface Where {
  backendId: string;
  bucket: string;
  region?: string;
  /** The endpoint URL, or undefined for AWS. */
  endpoint?: string;
}

function server(where: Where): string {
  return where.endpoint ?? "AWS S3";
}

/** One sentence for a storage that cannot be used at all (exit code 3). */
export function unavailableMessage(where: Where, err: unknown): string {
  const info = classifyS3Error(err);
  const head = `storage ${where.backendId}:`;
  const bucket = `bucket "${where.bucket}"`;
  switch (info.kind) {
    case "no-bucket":
    case "not-found":
      return `${head} ${bucket} does not exist on ${server(where)}; create it or fix "bucket" in the config`;
    case "no-credentials":
      return `${head} no AWS credentials found; set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE for a profile in ~/.aws (credentials are never read from the config)`;
    case "credentials":
      return `${head} ${server(where)} rejected the credentials (${info.code}); check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE`;
    case "denied":
      return `${head} access to ${bucket} on ${server(where)} was denied (${info.code}); the credentials need s3:ListBucket, s3:GetObject, s3:PutObject and s3:DeleteObject on it`;
    case "region":
      if (/Region is missing/i.test((err as Error)?.message ?? "")) return `${head} no AWS region is known; set "region" in the config or AWS_REGION`;
      return `${head} ${bucket} is not in region ${where.region ?? "(default)"}${info.bucketRegion ? ` but in ${info.bucketRegion}` : ""} (${info.code}); set "region" in the config to the bucket's region`;
    case "network":
      return `${head} cannot reach the S3 endpoint ${server(where)} (${info.code === "AbortError" ? "no answer in time" : info.code}); check "endpoint", the network, and that the server is running`;
    default:
      return `${head} ${server(where)} refused to list ${bucket} (${info.code}${info.status ? `, HTTP ${info.status}` : ""}): ${firstLine(err)}`;
  }
}

/** A short description of a failed request for a per-item error. */
export function requestFailure(where: Where, err: unknown): string {
  const info = classifyS3Error(err);
  switch (info.kind) {
    case "network":
      return `cannot reach ${server(where)} (${info.code})`;
    case "no-credentials":
    case "credentials":
      return `the credentials were rejected (${info.code})`;
    case "denied":
      return `access denied (${info.code})`;
    default:
      return `${info.code}${info.status ? ` (HTTP ${info.status})` : ""}: ${firstLine(err)}`;
  }
}

function firstLine(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  // Ceph RGW sends errors without a message; the SDK then says "UnknownError".
  if (message === "UnknownError" || message === "") return "the server gave no reason";
  return message.split("\n")[0] ?? "";
}

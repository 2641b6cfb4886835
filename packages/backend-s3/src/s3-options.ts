import { ConfigError, type StorageParams } from "@wlsync/plugin-api";
import type { S3StorageOptions } from "./storage-options.generated.js";

/** Seconds between listings of the polling watcher when `watcher-interval` is not set. */
export const DEFAULT_WATCHER_INTERVAL_S = 30;
/** Files up to this size go up in one PUT; larger ones as multipart uploads of this part size. */
export const DEFAULT_PART_SIZE_MIB = 8;
/** S3's smallest allowed part (except the last) and largest single-request copy. */
export const MIN_PART_SIZE = 5 * 1024 * 1024;
export const MAX_PART_SIZE = 5 * 1024 * 1024 * 1024;

export type ConditionalWrites = "auto" | boolean;

/** A storage's S3 options, read from its `.wlsyncrc` entry. Credentials are never among them. */
export interface S3Options {
  bucket: string;
  /** "" or a key prefix ending with "/". */
  prefix: string;
  region?: string;
  endpoint?: string;
  forcePathStyle: boolean;
  watcherIntervalS: number;
  partSize: number;
  conditionalWrites: ConditionalWrites;
}

const CREDENTIAL_KEYS = ["access-key-id", "secret-access-key", "session-token", "accessKeyId", "secretAccessKey", "credentials"];

/**
 * The storage's options, normalised. wl has checked the entry against the backend's schema
 * (schemas/storage-options.schema.json); the checks here stay for programs that build the
 * backend themselves.
 */
export function readS3Options(entry: StorageParams): S3Options {
  const params = entry as StorageParams & Partial<S3StorageOptions>;
  const id = entry["backend-id"];
  const problem = (what: string): never => {
    throw new ConfigError(`storage ${id} (type s3): ${what}`);
  };
  for (const key of CREDENTIAL_KEYS) {
    if (key in params) problem(`"${key}" is not read from the config: credentials come from the AWS environment (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or AWS_PROFILE and ~/.aws); remove it`);
  }
  const str = (key: string): string | undefined => {
    const v = params[key];
    if (v === undefined) return undefined;
    if (typeof v !== "string") return problem(`"${key}" must be a string`);
    return v;
  };
  const bucket = str("bucket");
  if (!bucket) return problem(`"bucket" is required`);
  let prefix = (str("prefix") ?? "").replace(/^\/+/, "");
  if (prefix !== "" && !prefix.endsWith("/")) prefix += "/";
  const endpoint = str("endpoint")?.replace(/\/+$/, "");
  if (endpoint !== undefined && !/^https?:\/\/[^/]/.test(endpoint)) problem(`"endpoint" must be an http:// or https:// URL (got "${endpoint}")`);

  const pathStyle = params["force-path-style"];
  if (pathStyle !== undefined && typeof pathStyle !== "boolean") problem(`"force-path-style" must be true or false`);

  const interval = params["watcher-interval"];
  if (interval !== undefined && (typeof interval !== "number" || !(interval > 0))) problem(`"watcher-interval" must be a positive number of seconds`);

  const part = params["part-size"] ?? DEFAULT_PART_SIZE_MIB;
  if (typeof part !== "number" || part * 1024 * 1024 < MIN_PART_SIZE || part * 1024 * 1024 > MAX_PART_SIZE) {
    problem(`"part-size" must be a number of MiB between 5 and 5120`);
  }

  const cond = params["conditional-writes"] ?? "auto";
  if (cond !== "auto" && typeof cond !== "boolean") problem(`"conditional-writes" must be "auto", true or false`);

  return {
    bucket,
    prefix,
    region: str("region"),
    endpoint,
    // S3-compatible servers (MinIO, s3rver, Ceph) are usually addressed path-style; AWS virtual-host style.
    forcePathStyle: (pathStyle as boolean | undefined) ?? endpoint !== undefined,
    watcherIntervalS: (interval as number | undefined) ?? DEFAULT_WATCHER_INTERVAL_S,
    partSize: Math.floor((part as number) * 1024 * 1024),
    conditionalWrites: cond as ConditionalWrites,
  };
}

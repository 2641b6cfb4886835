/* Generated from schemas/storage-options.schema.json by scripts/gen-storage-options.mjs (json-schema-to-typescript). Do not edit. */

/**
 * is not read from the config: credentials come from the AWS environment (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or AWS_PROFILE and ~/.aws); remove it
 */
export type RefusedCredential = never;

/**
 * The options of a `type: s3` storage, besides backend-id, type and watcher-interval. Credentials are never among them.
 */
export interface S3StorageOptions {
  /**
   * Bucket name.
   */
  bucket: string;
  /**
   * Key prefix (a folder inside the bucket).
   */
  prefix?: string;
  /**
   * Region.
   */
  region?: string;
  /**
   * Endpoint URL of an S3-compatible server (http:// or https://).
   */
  endpoint?: string;
  /**
   * Path-style addressing (MinIO, s3rver, Ceph). Default: true when endpoint is set.
   */
  "force-path-style"?: boolean;
  /**
   * MiB; files up to this size go up in one request, larger ones as multipart uploads of parts this size (default 8).
   */
  "part-size"?: number;
  /**
   * Whether the server honours If-None-Match/If-Match (default auto: probed once per run).
   */
  "conditional-writes"?: "auto" | true | false;
  "access-key-id"?: RefusedCredential;
  "secret-access-key"?: RefusedCredential;
  "session-token"?: RefusedCredential;
  accessKeyId?: RefusedCredential;
  secretAccessKey?: RefusedCredential;
  credentials?: RefusedCredential;
}

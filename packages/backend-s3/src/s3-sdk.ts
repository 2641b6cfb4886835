import type * as ClientS3 from "@aws-sdk/client-s3";

export type Sdk = typeof ClientS3;

let loading: Promise<Sdk> | undefined;

/**
 * The AWS SDK takes a few hundred milliseconds to load: it is loaded on first use, so `wl` runs
 * that touch no S3 storage (local pairs, `wl syncers`) never pay for it.
 */
export function loadSdk(): Promise<Sdk> {
  loading ??= import("@aws-sdk/client-s3");
  return loading;
}

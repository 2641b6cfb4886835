import { createHash, randomBytes } from "node:crypto";
import type { S3Client } from "@aws-sdk/client-s3";
import { classifyS3Error } from "./s3-errors.js";
import { etagOf } from "./s3-keys.js";
import type { Sdk } from "./s3-sdk.js";

/**
 * How an ETag is written in a condition header. AWS takes it as it is sent in ETag headers,
 * in double quotes; Ceph RGW 16.2 compares the header with the bare value, so the quoted form of
 * the current ETag is refused (412) and only the bare form matches.
 */
export type EtagForm = "quoted" | "bare";

/**
 * The conditional requests wl relies on, each probed on its own: servers honour some and ignore
 * others (Ceph RGW 16.2 honours both PutObject conditions, but deletes and completes multipart
 * uploads whatever the condition says). An operation that is not honoured falls back to a HEAD
 * re-check just before the request (a window of one round trip, see README "S3 storages").
 */
export interface ConditionalSupport {
  /** PutObject `If-None-Match: *`: create only if the key is absent. */
  createIfAbsent: boolean;
  /** PutObject `If-Match: <etag>`: replace only that version; null when not honoured. */
  replaceIfMatch: EtagForm | null;
  /** DeleteObject `If-Match: <etag>`. */
  deleteIfMatch: EtagForm | null;
  /** CompleteMultipartUpload `If-None-Match: *`. */
  completeIfAbsent: boolean;
  /** CompleteMultipartUpload `If-Match: <etag>`. */
  completeIfMatch: EtagForm | null;
  /** CopyObject `x-amz-copy-source-if-match: <etag>` (used to add sha256 metadata to a version). */
  copyIfMatch: EtagForm | null;
}

export type ConditionalOperation = keyof ConditionalSupport;

/** The probes: each answers for the operations it lists. */
type ProbeGroup = "put" | "delete" | "complete" | "copy";
const GROUP_OF: Record<ConditionalOperation, ProbeGroup> = {
  createIfAbsent: "put",
  replaceIfMatch: "put",
  deleteIfMatch: "delete",
  completeIfAbsent: "complete",
  completeIfMatch: "complete",
  copyIfMatch: "copy",
};

/** The header value for `etag` (bare, as tokens hold it) in `form`. */
export function etagHeader(etag: string, form: EtagForm): string {
  return form === "quoted" ? `"${etag}"` : etag;
}

/** All honoured, in AWS's form (`conditional-writes: true`), or none (`false`). */
export function forcedSupport(on: boolean): ConditionalSupport {
  const form: EtagForm | null = on ? "quoted" : null;
  return { createIfAbsent: on, replaceIfMatch: form, deleteIfMatch: form, completeIfAbsent: on, completeIfMatch: form, copyIfMatch: form };
}

/**
 * The ETag S3 gives a multipart object: md5 of the parts' binary md5s, "-", the number of parts.
 * Null when a part's ETag is not an md5 (encrypted objects on AWS).
 */
export function multipartEtag(partEtags: string[]): string | null {
  const md5 = createHash("md5");
  for (const raw of partEtags) {
    const etag = etagOf(raw);
    if (!/^[0-9a-f]{32}$/.test(etag)) return null;
    md5.update(Buffer.from(etag, "hex"));
  }
  return `${md5.digest("hex")}-${partEtags.length}`;
}

const STALE_ETAG = "00000000000000000000000000000000";
const FORMS: EtagForm[] = ["quoted", "bare"];

type Outcome = "ok" | "refused";

export interface ProbeTarget {
  sdk: Sdk;
  client: S3Client;
  bucket: string;
  /** A key for the probe's object, never synced (a temporary name below the storage's prefix). */
  key: () => string;
  debug: (message: string) => void;
}

/**
 * What one endpoint honours, found by probing each operation the first time it is needed, on a
 * temporary key, and kept for the process (shared by every storage on that endpoint and bucket).
 * A probe that cannot finish (no write access, no connection) counts the operation as not
 * honoured for this use only and is tried again next time.
 */
export class ConditionalProbe {
  private static readonly byEndpoint = new Map<string, ConditionalProbe>();
  private readonly groups = new Map<ProbeGroup, Promise<Partial<ConditionalSupport>>>();
  private readonly known: Partial<ConditionalSupport> = {};

  /** The probe of `endpoint` + `bucket` in this process. */
  static of(endpoint: string, bucket: string): ConditionalProbe {
    const id = `${endpoint}\u0000${bucket}`;
    let probe = ConditionalProbe.byEndpoint.get(id);
    if (!probe) ConditionalProbe.byEndpoint.set(id, (probe = new ConditionalProbe()));
    return probe;
  }

  /** What is known so far, without probing. */
  get results(): Partial<ConditionalSupport> {
    return { ...this.known };
  }

  /** Whether (and in which form) the server honours `operation`; probes it on first use. */
  async support<K extends ConditionalOperation>(operation: K, target: ProbeTarget): Promise<ConditionalSupport[K]> {
    if (operation in this.known) return this.known[operation] as ConditionalSupport[K];
    const group = GROUP_OF[operation];
    let pending = this.groups.get(group);
    if (!pending) {
      pending = runProbe(group, target).then(
        (found) => {
          Object.assign(this.known, found);
          target.debug(`conditional writes on this endpoint: ${describe(found)}`);
          return found;
        },
        (err: unknown) => {
          this.groups.delete(group);
          target.debug(`conditional-write probe (${group}) did not finish: ${(err as Error).message}; a HEAD re-check is used`);
          return forcedPartial(group, false);
        },
      );
      this.groups.set(group, pending);
    }
    return (await pending)[operation] as ConditionalSupport[K];
  }
}

function forcedPartial(group: ProbeGroup, on: boolean): Partial<ConditionalSupport> {
  const all = forcedSupport(on);
  const out: Partial<ConditionalSupport> = {};
  for (const op of Object.keys(GROUP_OF) as ConditionalOperation[]) if (GROUP_OF[op] === group) Object.assign(out, { [op]: all[op] });
  return out;
}

function describe(found: Partial<ConditionalSupport>): string {
  return Object.entries(found)
    .map(([op, v]) => `${op} ${v === false || v === null ? "not honoured" : v === true ? "honoured" : `honoured (${v} ETag)`}`)
    .join(", ");
}

/** Runs `send`, mapping a 412 to "refused"; a server that rejects the header itself (400, 501) counts as not honouring it. */
async function attempt(send: () => Promise<unknown>): Promise<Outcome | "unsupported"> {
  try {
    await send();
    return "ok";
  } catch (err) {
    const info = classifyS3Error(err);
    if (info.kind === "precondition") return "refused";
    if (info.kind === "not-implemented" || info.status === 400) return "unsupported";
    throw err;
  }
}

async function runProbe(group: ProbeGroup, t: ProbeTarget): Promise<Partial<ConditionalSupport>> {
  const { sdk, client, bucket } = t;
  const Key = t.key();
  const put = async (body: string, headers: { IfMatch?: string; IfNoneMatch?: string } = {}): Promise<string> => {
    const r = await client.send(new sdk.PutObjectCommand({ Bucket: bucket, Key, Body: body, ContentLength: body.length, ...headers }));
    return etagOf(r.ETag);
  };
  const head = async (): Promise<string | null> => {
    try {
      return etagOf((await client.send(new sdk.HeadObjectCommand({ Bucket: bucket, Key }))).ETag);
    } catch (err) {
      if (classifyS3Error(err).kind === "not-found") return null;
      throw err;
    }
  };
  const uploads: string[] = [];
  /** A one-part multipart upload of `body`, ready to complete. */
  const multipart = async (body: string) => {
    const { UploadId } = await client.send(new sdk.CreateMultipartUploadCommand({ Bucket: bucket, Key }));
    if (!UploadId) throw new Error("no UploadId");
    uploads.push(UploadId);
    const part = await client.send(new sdk.UploadPartCommand({ Bucket: bucket, Key, UploadId, PartNumber: 1, Body: body, ContentLength: body.length }));
    return (headers: { IfMatch?: string; IfNoneMatch?: string }) =>
      attempt(() => client.send(new sdk.CompleteMultipartUploadCommand({ Bucket: bucket, Key, UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] }, ...headers })));
  };
  /**
   * The first form in which a stale ETag is refused and the current one accepted; `current`
   * makes the object to act on and returns its ETag, `act` sends the conditional request.
   */
  const matchForm = async (current: () => Promise<string>, act: (ifMatch: string) => Promise<Outcome | "unsupported">, stillThere: (etag: string) => Promise<boolean>): Promise<EtagForm | null> => {
    for (const form of FORMS) {
      const etag = await current();
      if ((await act(etagHeader(STALE_ETAG, form))) !== "refused" || !(await stillThere(etag))) continue;
      if ((await act(etagHeader(etag, form))) === "ok") return form;
    }
    return null;
  };
  let n = 0;
  const fresh = () => put(`probe ${++n}`);
  try {
    switch (group) {
      case "put": {
        const created = await attempt(() => put("probe", { IfNoneMatch: "*" }));
        const createIfAbsent = created === "ok" && (await attempt(() => put("probe again", { IfNoneMatch: "*" }))) === "refused";
        const replaceIfMatch = await matchForm(fresh, (IfMatch) => attempt(() => put(`replace ${++n}`, { IfMatch })), async (etag) => (await head()) === etag);
        return { createIfAbsent, replaceIfMatch };
      }
      case "delete": {
        const deleteIfMatch = await matchForm(
          fresh,
          (IfMatch) => attempt(() => client.send(new sdk.DeleteObjectCommand({ Bucket: bucket, Key, IfMatch }))),
          async (etag) => (await head()) === etag,
        );
        return { deleteIfMatch };
      }
      case "complete": {
        await fresh();
        const completeIfAbsent = (await (await multipart("part"))({ IfNoneMatch: "*" })) === "refused";
        // Each attempt needs its own upload: a server that ignores the condition consumes it.
        let complete: Awaited<ReturnType<typeof multipart>> | undefined;
        const completeIfMatch = await matchForm(
          async () => {
            const etag = await fresh();
            complete = await multipart(`part ${n}`);
            return etag;
          },
          (IfMatch) => complete!({ IfMatch }),
          async (etag) => (await head()) === etag,
        );
        return { completeIfAbsent, completeIfMatch };
      }
      case "copy": {
        const copy = (CopySourceIfMatch: string) =>
          attempt(() =>
            client.send(
              new sdk.CopyObjectCommand({
                Bucket: bucket,
                Key,
                CopySource: `${bucket}/${Key.split("/").map(encodeURIComponent).join("/")}`,
                CopySourceIfMatch,
                MetadataDirective: "REPLACE",
                Metadata: { probe: String(++n) },
              }),
            ),
          );
        const metadata = async () => (await client.send(new sdk.HeadObjectCommand({ Bucket: bucket, Key }))).Metadata?.probe;
        let before: string | undefined;
        const copyIfMatch = await matchForm(
          async () => {
            const etag = await fresh();
            before = await metadata();
            return etag;
          },
          copy,
          async () => (await metadata()) === before,
        );
        return { copyIfMatch };
      }
      default:
        return group satisfies never;
    }
  } finally {
    for (const UploadId of uploads) await client.send(new sdk.AbortMultipartUploadCommand({ Bucket: bucket, Key, UploadId })).catch(() => undefined);
    await client.send(new sdk.DeleteObjectCommand({ Bucket: bucket, Key })).catch(() => undefined);
  }
}

/** A probe key name below `prefix`: a temporary name, which listings skip. */
export function probeKey(prefix: string, tempPrefix: string): string {
  return `${prefix}${tempPrefix}probe-${randomBytes(6).toString("hex")}`;
}

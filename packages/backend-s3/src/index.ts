export { S3Backend as default, S3Backend } from "./s3-backend.js";
export { readS3Options, DEFAULT_WATCHER_INTERVAL_S, type S3Options } from "./s3-options.js";
export { classifyS3Error, unavailableMessage, type S3ErrorInfo, type S3ErrorKind } from "./s3-errors.js";
export { KeyMap, unsafePathReason } from "./s3-keys.js";
export { multipartEtag, type ConditionalSupport, type ConditionalOperation, type EtagForm } from "./conditional-writes.js";

/**
 * Named errors with stable codes. `exitCode` is the exit status `wl` ends with (README, "Exit
 * codes"): 3 is fatal (usage, config, unknown container, unreachable storage, no syncer), 2 a
 * per-item failure, 1 a conflict.
 *
 * Tell errors apart by `code` (`hasCode(err, "E_CAS")`), never with `instanceof`: a plugin may be
 * loaded with its own copy of this package, whose classes are not the host's.
 */
export type ErrorCode =
  | "E_USAGE"
  | "E_CONFIG"
  | "E_UNKNOWN_CONTAINER"
  | "E_UNKNOWN_STORAGE"
  | "E_STORAGE_UNAVAILABLE"
  | "E_NO_SYNCER"
  | "E_SYNCER_UNAVAILABLE"
  | "E_BACKEND"
  | "E_MAX_DELETE"
  | "E_STATE"
  | "E_ITEM"
  | "E_CHANGED"
  | "E_VERIFY"
  | "E_CAS"
  | "E_DAEMON";

export class WlError extends Error {
  readonly code: ErrorCode;
  readonly exitCode: number;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown; exitCode?: number }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.exitCode = options?.exitCode ?? 3;
  }
}

export class UsageError extends WlError {
  constructor(message: string) {
    super("E_USAGE", message);
  }
}

export class ConfigError extends WlError {
  readonly problems: string[];
  constructor(message: string, problems: string[] = []) {
    super("E_CONFIG", problems.length ? `${message}\n  ${problems.join("\n  ")}` : message);
    this.problems = problems;
  }
}

export class UnknownContainerError extends WlError {
  constructor(name: string, known: string[]) {
    super(
      "E_UNKNOWN_CONTAINER",
      `unknown container "${name}"` + (known.length ? ` (known: ${known.join(", ")})` : " (the config declares none)"),
    );
  }
}

export class UnknownStorageError extends WlError {
  constructor(container: string, wanted: string, known: string[]) {
    super(
      "E_UNKNOWN_STORAGE",
      `container "${container}" has no storage with backend-id or type "${wanted}" (storages: ${known.join(", ")})`,
    );
  }
}

/** The storage root is missing, unreadable or unreachable: never treated as "everything deleted". */
export class StorageUnavailableError extends WlError {
  constructor(message: string, cause?: unknown) {
    super("E_STORAGE_UNAVAILABLE", message, { cause });
  }
}

export class NoSyncerError extends WlError {
  constructor(message: string) {
    super("E_NO_SYNCER", message);
  }
}

export class SyncerUnavailableError extends WlError {
  constructor(message: string) {
    super("E_SYNCER_UNAVAILABLE", message);
  }
}

export class MaxDeleteError extends WlError {
  constructor(message: string) {
    super("E_MAX_DELETE", message);
  }
}

/** A file changed between plan and apply, or while it was read: the item is retried on the next pass. */
export class ChangedDuringSyncError extends WlError {
  constructor(message: string) {
    super("E_CHANGED", message, { exitCode: 2 });
  }
}

export class VerifyError extends WlError {
  constructor(message: string) {
    super("E_VERIFY", message, { exitCode: 2 });
  }
}

export class BackendError extends WlError {
  constructor(message: string, cause?: unknown, exitCode = 2) {
    super("E_BACKEND", message, { cause, exitCode });
  }
}

/** Whether `err` is a wl error (any copy of this package): an Error with a string `code` and a numeric `exitCode`. */
export function isWlError(err: unknown): err is WlError {
  return err instanceof Error && typeof (err as WlError).code === "string" && typeof (err as WlError).exitCode === "number";
}

/** Whether `err` is a wl error with one of these codes. */
export function hasCode(err: unknown, ...codes: ErrorCode[]): err is WlError {
  return isWlError(err) && (codes as string[]).includes(err.code);
}

/** The code of a wl error, or of a system error (`ENOENT`...); undefined for anything else. */
export function errorCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null | undefined)?.code;
  return typeof code === "string" ? code : undefined;
}

const ERRNO_TEXT: Record<string, string> = {
  ENOSPC: "no space left on device (the disk is full)",
  EDQUOT: "disk quota exceeded",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EROFS: "read-only file system",
  EIO: "input/output error (a failing disk or a lost network mount?)",
  ENAMETOOLONG: "name or path too long for this file system",
  EMFILE: "too many open files",
};

/** A system error in words, without the temporary path Node appends ("EACCES: ..., open '/x/.wlsync-tmp-..'"). */
export function describeSystemError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException)?.code;
  if (code && ERRNO_TEXT[code]) return `${ERRNO_TEXT[code]} (${code})`;
  return errorMessage(err);
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}

/** Compare-and-swap refused: the destination is no longer what the plan saw. A conflict, never an overwrite. */
export class CasMismatchError extends WlError {
  constructor(message: string) {
    super("E_CAS", message, { exitCode: 1 });
  }
}

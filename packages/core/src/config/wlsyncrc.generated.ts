/* Generated from the JSON Schema by scripts/gen-types.mjs (json-schema-to-typescript). Do not edit. */

/**
 * Largest share (percent) of a side's files one pass may delete, on sides holding at least 10 files. Default 50.
 */
export type MaxDelete = number;
/**
 * Also honour .gitignore files (in any folder, applying below it, as git does) besides .wlsyncignore files. Default false; a container's setting beats the top level's.
 */
export type IgnoreGitignore = boolean;
/**
 * Settle conflicts automatically with this policy (default: leave them untouched). newer/older: by modification time; larger/smaller: by size; a backend-id: that storage wins; both: keep both (the loser renamed to name.conflict-<storage>-<UTC time>.ext). The losing content is kept as a version.
 */
export type ConflictResolve = string;

/**
 * The .wlsyncrc file: containers of storages that should hold the same files.
 */
export interface WlsyncConfig {
  /**
   * Force a syncer by its SYNCER_NAME for every container (--syncer wins).
   */
  syncer?: string;
  /**
   * Where the state store lives (env WLSYNC_STATE_DIR wins). Default: $XDG_STATE_HOME/wlsync or ~/.local/state/wlsync.
   */
  "state-dir"?: string;
  "max-delete"?: MaxDelete;
  "ignore-gitignore"?: IgnoreGitignore;
  /**
   * Which plugin packages may be loaded, by package name.
   */
  plugins?: {
    allow?: string[];
    deny?: string[];
  };
  /**
   * Named containers.
   */
  containers: {
    [k: string]: ContainerConfig;
  };
}
export interface ContainerConfig {
  /**
   * @minItems 1
   */
  storages: [StorageConfig, ...StorageConfig[]];
  /**
   * gitignore-syntax patterns, from the storage root; a .wlsyncignore file in any folder adds more that apply below it.
   */
  ignore?: string[];
  syncer?: string;
  "max-delete"?: MaxDelete;
  "ignore-gitignore"?: IgnoreGitignore;
  versions?: VersionsConfig;
  "conflict-resolve"?: ConflictResolve;
}
/**
 * One storage. Only the keys every backend has are checked here; the others are the backend's options, checked against the backend's own schema (its OPTIONS_SCHEMA) when the container is used.
 */
export interface StorageConfig {
  /**
   * Unique within the container.
   */
  "backend-id": string;
  /**
   * The backend TYPE: local, s3, or a plugin's.
   */
  type: string;
  /**
   * Seconds between scans of the polling watcher (continuous mode).
   */
  "watcher-interval"?: number;
  /**
   * Bandwidth limit for transfers to or from this storage: KiB per second, or a string with a unit ("500K", "2.5M", "1G"); a pass uses the smallest of its two storages' and --bwlimit.
   */
  bwlimit?: number | string;
  versions?: VersionsConfig;
  [k: string]: unknown;
}
/**
 * What a pass replaces or deletes on a storage is kept as a version (local: <root>/.wlsync/versions/, S3: the .wlsync/versions/ prefix). Default: kept 30 days.
 */
export interface VersionsConfig {
  /**
   * How long versions are kept: an age ("30d", "12h", "90m", "2w"), a count of versions per path (a whole number >= 1), or "off" (nothing kept).
   */
  keep: string | number;
}

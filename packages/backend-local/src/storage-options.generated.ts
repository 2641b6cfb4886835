/* Generated from schemas/storage-options.schema.json by scripts/gen-storage-options.mjs (json-schema-to-typescript). Do not edit. */

/**
 * The options of a `type: local` storage, besides backend-id, type and watcher-interval.
 */
export interface LocalStorageOptions {
  /**
   * The folder, relative to the config file; ~ is the home folder.
   */
  path: string;
}

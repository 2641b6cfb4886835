export type WatchEventType = "create" | "modify" | "delete" | "rescan";

export interface WatchEvent {
  type: WatchEventType;
  /** Relative path; "" with type "rescan" means "anything may have changed". */
  path: string;
  /** With type "rescan": why (a queue overflow, a watch limit reached, a folder moved), for the log. */
  reason?: string;
}

/**
 * Reports changes below a storage root. Events are delivered in batches; when the underlying
 * stream overflows or is lost, the watcher reports a `rescan` rather than diverging silently.
 */
export interface StorageWatcher {
  start(onEvents: (events: WatchEvent[]) => void): Promise<void>;
  stop(): Promise<void>;
  /**
   * Optional: resolves once every change made below the root before the call has been handed to
   * `onEvents` (a barrier, such as a marker file whose own event comes after all earlier ones in
   * the kernel's queue). Rejects when the watcher cannot tell. Watchers without it (polling ones)
   * cannot vouch for being up to date between polls.
   */
  sync?(): Promise<void>;
}

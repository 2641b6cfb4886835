export type WatchEventType = "create" | "modify" | "delete" | "rescan";

export interface WatchEvent {
  type: WatchEventType;
  /** Relative path; "" with type "rescan" means "anything may have changed". */
  path: string;
}

/**
 * Reports changes below a storage root. Events are delivered in batches; when the underlying
 * stream overflows or is lost, the watcher reports a `rescan` rather than diverging silently.
 */
export interface StorageWatcher {
  start(onEvents: (events: WatchEvent[]) => void): Promise<void>;
  stop(): Promise<void>;
}

/** Injection tokens for the tsyringe container (explicit, so no decorator metadata is needed). */
export const TOKENS = {
  Logger: Symbol.for("wlsync.Logger"),
  StateDir: Symbol.for("wlsync.StateDir"),
  StateStore: Symbol.for("wlsync.StateStore"),
  PluginRoots: Symbol.for("wlsync.PluginRoots"),
  PluginPolicy: Symbol.for("wlsync.PluginPolicy"),
  BackendContext: Symbol.for("wlsync.BackendContext"),
  SyncerContext: Symbol.for("wlsync.SyncerContext"),
  Config: Symbol.for("wlsync.Config"),
  Container: Symbol.for("wlsync.Container"),
} as const;

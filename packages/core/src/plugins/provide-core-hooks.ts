/**
 * Module resolution hooks (node:module `register`), loaded only by provide-core.ts: an import of
 * `@wlsync/plugin-api` or `@wlsync/core` that cannot be resolved from where it is made is
 * resolved from the host's own core instead (core depends on the plugin API, and resolves its
 * own name to itself).
 */
import type { InitializeHook, ResolveHook } from "node:module";

let hostURL = "";

export const initialize: InitializeHook<{ hostURL: string }> = (data) => {
  hostURL = data.hostURL;
};

export const resolve: ResolveHook = async (specifier, context, nextResolve) => {
  try {
    return await nextResolve(specifier, context);
  } catch (err) {
    const core = ["@wlsync/core", "@wlsync/plugin-api"].some((name) => specifier === name || specifier.startsWith(`${name}/`));
    if (!core || (err as NodeJS.ErrnoException)?.code !== "ERR_MODULE_NOT_FOUND" || !hostURL) throw err;
    // Resolved from inside the host's core package: its own name resolves to itself.
    return nextResolve(specifier, { ...context, parentURL: hostURL });
  }
};

import { createRequire } from "node:module";

/**
 * require() for the CommonJS dependencies (tsyringe, commander, cosmiconfig, better-sqlite3,
 * ignore). Importing a CommonJS package from ESM makes Node scan its source, and the source
 * of every module it re-exports, for named exports before running it: several times the cost
 * of loading it (bench/README.md, "Measurements behind code choices"). Types still come from
 * `import type`.
 */
export const requireCjs = createRequire(import.meta.url);

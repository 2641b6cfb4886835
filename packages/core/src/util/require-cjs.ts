import { createRequire } from "node:module";

/**
 * require() for the CommonJS dependencies (tsyringe, commander, cosmiconfig, better-sqlite3,
 * ignore). Importing a CommonJS package from ESM makes Node scan its source, and the source
 * of every module it re-exports, for named exports before running it: three to six times the
 * cost of loading it (measured on Node 20, fastest of 7 starts: tsyringe 63 ms imported vs
 * 14 ms required, commander 45 vs 7, cosmiconfig 64 vs 14, better-sqlite3 22 vs 5). Types
 * still come from `import type`.
 */
export const requireCjs = createRequire(import.meta.url);

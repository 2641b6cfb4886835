import type * as Tsyringe from "tsyringe";
import { requireCjs } from "../util/require-cjs.js";

// tsyringe needs the Reflect metadata polyfill before it loads; loading both here makes this
// module the one way into tsyringe (see util/require-cjs.ts for why require()).
requireCjs("reflect-metadata");
const tsyringe = requireCjs("tsyringe") as typeof Tsyringe;

export const { container, inject, injectable, instanceCachingFactory } = tsyringe;
export type { DependencyContainer } from "tsyringe";

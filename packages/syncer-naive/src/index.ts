export { NaiveSyncer as default, NaiveSyncer } from "./naive-syncer.js";

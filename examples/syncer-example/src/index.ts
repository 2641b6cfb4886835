export { ExampleSyncer as default, ExampleSyncer } from "./example-syncer.js";
export { SmallFirstTransferer } from "./small-first-transferer.js";

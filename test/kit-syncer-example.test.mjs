// The example plugin's own conformance test (what a plugin author writes), run by the root `pnpm test`.
import "../examples/syncer-example/test/conformance.test.mjs";

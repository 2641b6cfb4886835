// @wlsync/core/testing: kept for existing test suites; the kit lives in @wlsync/plugin-api/testing.
export * from "@wlsync/plugin-api/testing";

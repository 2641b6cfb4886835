/**
 * How the kit registers its tests. Any function taking `(name, fn)` will do (a uvu suite, the
 * `test` of node:test, mocha's `it`); each test sets up and cleans up after itself, so the kit
 * needs no hooks from the runner. Without one, the kit makes a uvu suite (uvu is an optional
 * peer dependency of @wlsync/plugin-api).
 */
export type KitTest = (name: string, fn: () => Promise<void>) => unknown;

/** What the kit returns when it made the suite itself: a uvu suite; call `.run()`. */
export interface KitSuite {
  (name: string, fn: () => Promise<void>): void;
  run(): void;
}

export interface KitOptions {
  /** Register the tests on this suite (or test function) instead of a new uvu suite. */
  suite?: KitTest;
  /** Name of the uvu suite the kit makes (ignored when `suite` is given). */
  name?: string;
}

// Resolved from where @wlsync/plugin-api is installed; a variable keeps tsc from needing uvu's types.
const uvuName = "uvu";
const uvu = (await import(uvuName).catch(() => undefined)) as { suite(name: string): KitSuite } | undefined;

export function kitSuite(options: KitOptions, defaultName: string): KitTest {
  if (options.suite) return options.suite;
  if (!uvu) {
    throw new Error(
      "@wlsync/plugin-api/testing: uvu is not installed; add it as a devDependency (npm install -D uvu), " +
        "or pass { suite } (any function taking (name, fn), such as node:test's test)",
    );
  }
  return uvu.suite(options.name ?? defaultName);
}

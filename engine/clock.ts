// The engine's one clock, for elapsedMs: performance.now(), which every host of the engine has (browser, Web
// Worker, Node >= 16), declared here by hand because the engine's project sees no DOM or Node types.
declare const performance: { now(): number };

/** Milliseconds since an arbitrary origin, for elapsedMs. */
export function now(): number {
  return performance.now();
}

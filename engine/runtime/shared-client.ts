// The one engine client of the shared runtime: the task pane and =RIM.WEIGHT() run in the same page and
// must share one Worker (one rayon pool), so both take it from here.
import { createEngineClient, type EngineClient, type EngineClientOptions } from "./client";
import { startEngineWorker } from "./engine-worker";

let client: EngineClient | null = null;

/** Options apply only to the first call (the playground and tests may force a backend or a pool size). */
export function sharedEngineClient(options?: Omit<EngineClientOptions, "createWorker">): EngineClient {
  client ??= createEngineClient({ ...(options ?? preferenceFromPage()), createWorker: startEngineWorker });
  return client;
}

/** `?engine=ts|wasm|wasm-threads` and `?threads=N` on the page URL force a backend (support, tests). */
function preferenceFromPage(): Omit<EngineClientOptions, "createWorker"> {
  const params = typeof location === "object" ? new URLSearchParams(location.search) : new URLSearchParams();
  const engine = params.get("engine");
  const threads = Number(params.get("threads"));
  return {
    preference: engine === "ts" || engine === "wasm" || engine === "wasm-threads" ? engine : "auto",
    poolThreads: Number.isInteger(threads) && threads > 0 ? threads : undefined,
  };
}

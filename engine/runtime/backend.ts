// The backend shim: picks threaded wasm → single wasm → TS by detecting what the host can do, remembers
// why a faster backend was skipped, and lets a user force one. Runs where the engine runs (the engine
// Worker in a browser, the main thread in Node); loading the builds is left to injected loaders.
import type {
  Advice,
  AdviseProgress,
  AdviseRequest,
  BackendInfo,
  BackendName,
  Options,
  Problem,
  RakeResult,
} from "../contract";
import { rake as rakeWithTs } from "../rim";
import { advise as adviseWithTs } from "../advise";
import { adviseWithWasm, rakeWithWasm, type WasmEngineModule } from "./wasm-adapter";

export type BackendPreference = "auto" | BackendName;

export interface EngineBackend {
  readonly name: BackendName;
  readonly threads: number;
  rake(problem: Problem, options: Options): RakeResult;
  advise(
    problem: Problem,
    options: Options,
    request: AdviseRequest,
    onProgress?: (progress: AdviseProgress) => void,
  ): Advice;
}

/** What the host offers, measured by the caller (never assumed). */
export interface HostCapabilities {
  webAssembly: boolean;
  sharedArrayBuffer: boolean;
  crossOriginIsolated: boolean;
  /** threads the rayon pool may use (the caller leaves a core for the UI) */
  poolThreads: number;
}

export interface BackendLoaders {
  /** loads the threaded build and starts its pool of `threads` workers */
  threads?: (threads: number) => Promise<WasmEngineModule>;
  single?: () => Promise<WasmEngineModule>;
}

export class BackendUnavailableError extends Error {
  constructor(
    readonly backend: BackendName,
    readonly reason: string,
  ) {
    super(`The ${backend} engine was requested but cannot run here: ${reason}`);
    this.name = "BackendUnavailableError";
  }
}

let current: BackendInfo | null = null;

/** The backend in use after the last selectBackend, with the reasons faster ones were skipped. */
export function getBackend(): BackendInfo | null {
  return current;
}

const ORDER: BackendName[] = ["wasm-threads", "wasm", "ts"];

export async function selectBackend(
  preference: BackendPreference,
  host: HostCapabilities,
  loaders: BackendLoaders,
): Promise<EngineBackend> {
  const skipped: BackendInfo["skipped"] = [];
  for (const name of ORDER) {
    if (preference !== "auto" && preference !== name) {
      if (ORDER.indexOf(name) < ORDER.indexOf(preference))
        skipped.push({ backend: name, reason: `the ${preference} engine was forced` });
      continue;
    }
    const attempt = await tryBackend(name, host, loaders);
    if (typeof attempt === "string") {
      if (preference === name) throw new BackendUnavailableError(name, attempt);
      skipped.push({ backend: name, reason: attempt });
      continue;
    }
    current = { backend: attempt.name, threads: attempt.threads, skipped };
    return attempt;
  }
  // Unreachable: the TS engine always loads.
  throw new Error("no engine backend could be loaded");
}

/** A loaded backend, or the reason it cannot run here. */
async function tryBackend(
  name: BackendName,
  host: HostCapabilities,
  loaders: BackendLoaders,
): Promise<EngineBackend | string> {
  if (name === "ts") return { name, threads: 1, rake: rakeWithTs, advise: adviseWithTs };
  if (!host.webAssembly) return "WebAssembly is not available in this host";
  if (name === "wasm-threads") {
    if (!loaders.threads) return "no threaded build is available on this platform";
    if (!host.crossOriginIsolated) return "the page is not cross-origin isolated (crossOriginIsolated is false)";
    if (!host.sharedArrayBuffer) return "SharedArrayBuffer is not available";
    return loadWasm(name, () => loaders.threads!(host.poolThreads));
  }
  if (!loaders.single) return "no single-threaded build is available on this platform";
  return loadWasm(name, loaders.single);
}

/**
 * A build that has not loaded in this long is given up on (the next backend is tried): a thread pool whose
 * workers never start would otherwise leave the run waiting forever.
 */
export const BACKEND_LOAD_TIMEOUT_MS = 20_000;

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`it did not start within ${ms / 1000} s`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

async function loadWasm(name: BackendName, load: () => Promise<WasmEngineModule>): Promise<EngineBackend | string> {
  try {
    const wasm = await withTimeout(load(), BACKEND_LOAD_TIMEOUT_MS);
    return {
      name,
      threads: wasm.thread_count(),
      rake: (problem, options) => rakeWithWasm(wasm, name, problem, options),
      advise: (problem, options, request, onProgress) =>
        adviseWithWasm(wasm, name, problem, options, request, onProgress),
    };
  } catch (error) {
    return `loading failed: ${error instanceof Error ? error.message : String(error)}`;
  }
}

// The engine Worker: selects the backend (the rayon pool is created here, since Atomics.wait is forbidden
// on the browser main thread) and runs rake requests. Imports no UI or Excel code.
/// <reference lib="webworker" />
import { getBackend, selectBackend, BackendUnavailableError, type EngineBackend } from "./backend";
import { RimEngineError } from "../contract";
import type { WorkerRequest, WorkerResponse } from "./protocol";
import type { WasmEngineModule } from "./wasm-adapter";

declare const self: DedicatedWorkerGlobalScope;

let backend: EngineBackend | null = null;

async function loadThreads(threads: number): Promise<WasmEngineModule> {
  const glue = await import(/* webpackChunkName: "engine-threads" */ "./wasm/pkg-threads/rim_engine.js");
  await glue.default();
  await glue.initThreadPool(threads);
  return glue as unknown as WasmEngineModule;
}

async function loadSingle(): Promise<WasmEngineModule> {
  const glue = await import(/* webpackChunkName: "engine-single" */ "./wasm/pkg-single/rim_engine.js");
  await glue.default();
  return glue as unknown as WasmEngineModule;
}

/** Leave one core to the UI thread and Excel (Office warns at 90% of a core). */
function defaultPoolThreads(): number {
  return Math.max(1, Math.min(16, (self.navigator.hardwareConcurrency || 2) - 1));
}

function post(message: WorkerResponse, transfer: Transferable[] = []): void {
  self.postMessage(message, transfer);
}

async function handle(request: WorkerRequest): Promise<void> {
  switch (request.type) {
    case "rim:init": {
      backend = await selectBackend(
        request.preference,
        {
          webAssembly: typeof WebAssembly === "object",
          sharedArrayBuffer: typeof SharedArrayBuffer === "function",
          crossOriginIsolated: self.crossOriginIsolated === true,
          poolThreads: request.poolThreads ?? defaultPoolThreads(),
        },
        { threads: loadThreads, single: loadSingle },
      );
      post({ type: "rim:ready", id: request.id, info: getBackend()! });
      return;
    }
    case "rim:rake": {
      if (!backend) throw new Error("the engine worker was asked to rake before it was initialised");
      const result = backend.rake(request.problem, request.options);
      post({ type: "rim:result", id: request.id, result }, [result.weights.buffer as ArrayBuffer]);
      return;
    }
    case "rim:advise": {
      if (!backend) throw new Error("the engine worker was asked to advise before it was initialised");
      const id = request.id;
      const advice = backend.advise(request.problem, request.options, request.request, (progress) =>
        post({ type: "rim:progress", id, progress }),
      );
      post({ type: "rim:advice", id, advice });
      return;
    }
  }
}

self.addEventListener("message", (event: MessageEvent<WorkerRequest>) => {
  const request = event.data;
  if (typeof request?.type !== "string" || !request.type.startsWith("rim:")) return;
  handle(request).catch((error: unknown) => {
    const engineError = error instanceof RimEngineError ? error.error : undefined;
    const message = error instanceof Error ? error.message : String(error);
    post({ type: "rim:failed", id: request.id, message, error: engineError });
    if (error instanceof BackendUnavailableError) backend = null;
  });
});

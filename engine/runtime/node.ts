// Node's way of loading the engine (CLI, jest, benchmarks): the single-threaded wasm build through its
// nodejs glue (engine/runtime/wasm/pkg-node, made by scripts/build-wasm.sh), else the TS engine, via the shim.
// wasm-bindgen-rayon needs Web Workers, so there is no threaded backend in Node.
import * as path from "node:path";
import * as fs from "node:fs";
import { selectBackend, type BackendPreference, type EngineBackend } from "./backend";
import type { WasmEngineModule } from "./wasm-adapter";

export const NODE_WASM_GLUE = path.join(__dirname, "wasm", "pkg-node", "rim_engine.js");

export function loadNodeBackend(preference: BackendPreference = "auto"): Promise<EngineBackend> {
  return selectBackend(
    preference,
    {
      webAssembly: "WebAssembly" in globalThis,
      sharedArrayBuffer: false,
      crossOriginIsolated: false,
      poolThreads: 1,
    },
    { single: loadNodeWasm },
  );
}

async function loadNodeWasm(): Promise<WasmEngineModule> {
  if (!fs.existsSync(NODE_WASM_GLUE))
    throw new Error(`the wasm build is missing (${NODE_WASM_GLUE}); run npm run build:wasm`);
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the nodejs glue is CommonJS at a run-time path
  return require(NODE_WASM_GLUE) as WasmEngineModule;
}

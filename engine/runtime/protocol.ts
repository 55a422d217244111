// Messages between the engine client (UI thread) and the engine Worker. Prefixed types keep them apart
// from wasm-bindgen-rayon's own `wasm_bindgen_worker_*` messages in the same worker scope; every request
// carries an id that its answer repeats.
import type {
  Advice,
  AdviseProgress,
  AdviseRequest,
  BackendInfo,
  EngineError,
  Options,
  Problem,
  RakeResult,
} from "../contract";
import type { BackendPreference } from "./backend";

export type WorkerRequest =
  | { type: "rim:init"; id: number; preference: BackendPreference; poolThreads?: number }
  | { type: "rim:rake"; id: number; problem: Problem; options: Options }
  | { type: "rim:advise"; id: number; problem: Problem; options: Options; request: AdviseRequest };

export type WorkerResponse =
  | { type: "rim:ready"; id: number; info: BackendInfo }
  | { type: "rim:result"; id: number; result: RakeResult }
  | { type: "rim:advice"; id: number; advice: Advice }
  /** sent while an advise request runs; its final answer follows */
  | { type: "rim:progress"; id: number; progress: AdviseProgress }
  | { type: "rim:failed"; id: number; message: string; error?: EngineError };

/** Typed arrays of a problem, for the transfer list (their buffers move to the worker, no copy). */
export function problemBuffers(problem: Problem): ArrayBuffer[] {
  const arrays: ArrayBufferView[] = [];
  for (const v of problem.variables) {
    arrays.push(v.codes, v.targets);
    v.targetsByGroup?.forEach((t) => t && arrays.push(t));
  }
  if (problem.baseWeights) arrays.push(problem.baseWeights);
  if (problem.group) {
    arrays.push(problem.group.codes);
    if (problem.group.shares) arrays.push(problem.group.shares);
  }
  // A buffer may only be listed once, and a shared or view-of-part buffer must not be transferred.
  const unique = new Set<ArrayBuffer>();
  for (const a of arrays) {
    if (a.buffer instanceof ArrayBuffer && a.byteOffset === 0 && a.byteLength === a.buffer.byteLength)
      unique.add(a.buffer);
  }
  return [...unique];
}

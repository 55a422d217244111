// Drives a wasm-bindgen build of engine-rs (threaded or single) through the Problem/Options/RakeResult
// contract. Knows the wasm API's shape only through the interface below; imports no glue itself, so the
// browser worker and Node can each load the build their own way.
import type { Advice, AdviseProgress, AdviseRequest, BackendName, Options, Problem, RakeResult } from "../contract";
import { RimEngineError } from "../contract";
import { describeEngineError, errorNamesOf, isWasmEngineError } from "../errors";

/** What engine-rs/src/lib.rs exports (wasm-bindgen names). */
export interface WasmEngineModule {
  WasmProblem: new (n: number) => WasmProblem;
  thread_count(): number;
}

interface WasmProblem {
  add_variable_u8(codes: Uint8Array, nCategories: number, targets: Float64Array): void;
  add_variable_u16(codes: Uint16Array, nCategories: number, targets: Float64Array): void;
  set_variable_group_targets(variable: number, group: number, targets: Float64Array): void;
  set_base_weights(weights: Float64Array): void;
  set_group_u8(codes: Uint8Array, nLabels: number, shares: Float64Array | undefined): void;
  set_group_u16(codes: Uint16Array, nLabels: number, shares: Float64Array | undefined): void;
  rake(
    tolerance: number,
    maxIterations: number,
    excludeMissing: boolean,
    capMin: number | undefined,
    capMax: number | undefined,
    total: number | undefined,
  ): WasmResult;
  /** The advisor; returns contract.ts Advice less backend, threads and elapsedMs, as a plain object. */
  advise(args: WasmAdviseArgs, progress: (done: number, total: number) => void): AdviceReport;
  free(): void;
}

/** lib.rs `AdviseArgs`: the options of a run and what the advisor tries besides (serde, camelCase). */
interface WasmAdviseArgs {
  tolerance: number;
  maxIterations: number;
  excludeMissing: boolean;
  capMin?: number;
  capMax?: number;
  total?: number;
  caps: number[];
  maxDeff?: number;
  minEfficiency?: number;
}

type AdviceReport = Omit<Advice, "backend" | "threads" | "elapsedMs">;

interface WasmResult {
  /** every RakeResult field but the weights, as a plain object (serde-wasm-bindgen) */
  report(): Report;
  /** Moves the weights out and consumes the result (no free() after it). */
  into_weights(): Float64Array;
  free(): void;
}

type Report = Omit<RakeResult, "weights" | "backend" | "threads" | "elapsedMs">;

/** Rakes `problem` with a loaded wasm build; throws RimEngineError with the shared message on bad input. */
export function rakeWithWasm(
  wasm: WasmEngineModule,
  backend: BackendName,
  problem: Problem,
  options: Options,
): RakeResult {
  const started = performance.now();
  const handle = buildWasmProblem(wasm, problem);
  let result: WasmResult;
  try {
    result = handle.rake(
      options.tolerance,
      options.maxIterations,
      options.missing === "exclude",
      options.caps?.min,
      options.caps?.max,
      options.total,
    );
  } catch (thrown) {
    throw toEngineError(thrown, problem);
  } finally {
    handle.free();
  }
  let report: Report;
  try {
    report = result.report();
  } catch (error) {
    result.free();
    throw error;
  }
  return {
    ...report,
    weights: result.into_weights(),
    backend,
    threads: wasm.thread_count(),
    elapsedMs: performance.now() - started,
  };
}

/** The advisor (engine-rs/src/advise.rs) on a loaded wasm build; errors as rakeWithWasm's. */
export function adviseWithWasm(
  wasm: WasmEngineModule,
  backend: BackendName,
  problem: Problem,
  options: Options,
  request: AdviseRequest,
  onProgress?: (progress: AdviseProgress) => void,
): Advice {
  const started = performance.now();
  const handle = buildWasmProblem(wasm, problem);
  const budget = request.budget;
  let advice: AdviceReport;
  try {
    advice = handle.advise(
      {
        tolerance: options.tolerance,
        maxIterations: options.maxIterations,
        excludeMissing: options.missing === "exclude",
        capMin: options.caps?.min,
        capMax: options.caps?.max,
        total: options.total,
        caps: [...request.caps],
        maxDeff: budget && "maxDeff" in budget ? budget.maxDeff : undefined,
        minEfficiency: budget && "minEfficiency" in budget ? budget.minEfficiency : undefined,
      },
      (done, total) => onProgress?.({ done, total }),
    );
  } catch (thrown) {
    throw toEngineError(thrown, problem);
  } finally {
    handle.free();
  }
  return { ...advice, backend, threads: wasm.thread_count(), elapsedMs: performance.now() - started };
}

function buildWasmProblem(wasm: WasmEngineModule, problem: Problem): WasmProblem {
  const handle = new wasm.WasmProblem(problem.n);
  problem.variables.forEach((v) => {
    if (v.codes instanceof Uint8Array) handle.add_variable_u8(v.codes, v.categories.length, v.targets);
    else handle.add_variable_u16(v.codes, v.categories.length, v.targets);
  });
  problem.variables.forEach((v, i) =>
    v.targetsByGroup?.forEach((t, g) => {
      if (t) handle.set_variable_group_targets(i, g, t);
    }),
  );
  if (problem.baseWeights) handle.set_base_weights(problem.baseWeights);
  const group = problem.group;
  if (group) {
    if (group.codes instanceof Uint8Array) handle.set_group_u8(group.codes, group.labels.length, group.shares);
    else handle.set_group_u16(group.codes, group.labels.length, group.shares);
  }
  return handle;
}

/** lib.rs throws the EngineError value as a plain object; anything else is a bug surfaced as is. */
function toEngineError(thrown: unknown, problem: Problem): Error {
  if (!isWasmEngineError(thrown)) return thrown instanceof Error ? thrown : new Error(String(thrown));
  return new RimEngineError(thrown, describeEngineError(thrown, errorNamesOf(problem)));
}

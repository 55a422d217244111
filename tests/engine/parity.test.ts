// Parity: the single-threaded wasm build (engine-rs compiled to wasm, loaded in Node) and the TS engine give
// the same weights, statuses and diagnostics on generated problems covering groups, shares, per-group
// targets, caps, base weights, missing values and crossed variables. (Rust native joins through
// tests/parity-native.test.ts; the threaded build joins in the browser tests.)
import type { Options, Problem, RakeResult } from "../../engine/contract";
import { RimEngineError } from "../../engine/contract";
import { loadNodeBackend } from "../../engine/runtime/node";
import type { EngineBackend } from "../../engine/runtime/backend";
import { rake as rakeTs } from "../../engine/rim";
import { maxRelDiff, relDiff } from "./generate";
import { PARITY_CASES, PARITY_SETTINGS, parityCase } from "./parity-cases";

function clone(problem: Problem): Problem {
  return structuredClone(problem);
}

type Outcome = { result: RakeResult } | { error: unknown };

function attempt(rake: (p: Problem, o: Options) => RakeResult, problem: Problem, options: Options): Outcome {
  try {
    return { result: rake(clone(problem), options) };
  } catch (error) {
    return { error };
  }
}

describe("parity: single wasm == TS", () => {
  let wasm: EngineBackend;
  beforeAll(async () => {
    wasm = await loadNodeBackend("wasm");
    expect(wasm.name).toBe("wasm");
  });

  test(`${PARITY_CASES} generated problems give the same weights to 1e-12 relative`, () => {
    let compared = 0;
    let errors = 0;
    const statuses = new Set<string>();
    for (let i = 0; i < PARITY_CASES; i++) {
      const { problem, options } = parityCase(i);
      const a = attempt(rakeTs, problem, options);
      const b = attempt(wasm.rake, problem, options);
      if ("error" in a || "error" in b) {
        // Both must refuse the same problem with the same error value.
        expect("error" in a && "error" in b).toBe(true);
        const ea = (a as { error: unknown }).error;
        const eb = (b as { error: unknown }).error;
        expect(ea).toBeInstanceOf(RimEngineError);
        expect(eb).toBeInstanceOf(RimEngineError);
        expect((eb as RimEngineError).error).toEqual((ea as RimEngineError).error);
        expect((eb as RimEngineError).message).toBe((ea as RimEngineError).message);
        errors++;
        continue;
      }
      const ra = a.result;
      const rb = b.result;
      const where = `case ${i} (${JSON.stringify(PARITY_SETTINGS[i % PARITY_SETTINGS.length])})`;
      expect({ where, status: rb.status, iterations: rb.iterations, cellPath: rb.cellPath, cells: rb.cells }).toEqual({
        where,
        status: ra.status,
        iterations: ra.iterations,
        cellPath: ra.cellPath,
        cells: ra.cells,
      });
      expect(rb.weights.length).toBe(ra.weights.length);
      const worst = maxRelDiff(ra.weights, rb.weights);
      expect({ where, worst: worst <= 1e-12 ? "ok" : worst }).toEqual({ where, worst: "ok" });
      expect(rb.categories.length).toBe(ra.categories.length);
      ra.categories.forEach((row, k) => {
        const other = rb.categories[k];
        expect([other.variable, other.category, other.group, other.unweightedN]).toEqual([
          row.variable,
          row.category,
          row.group,
          row.unweightedN,
        ]);
        expect(Math.abs(other.weightedPct - row.weightedPct)).toBeLessThan(1e-9);
        expect(Math.abs(other.targetPct - row.targetPct)).toBeLessThan(1e-9);
      });
      expect(relDiff(rb.summary.deff, ra.summary.deff)).toBeLessThan(1e-12);
      expect([rb.summary.atCapMin, rb.summary.atCapMax]).toEqual([ra.summary.atCapMin, ra.summary.atCapMax]);
      expect(rb.residualTrace.length).toBe(ra.residualTrace.length);
      statuses.add(ra.status);
      compared++;
    }
    // The run must actually cover the ground it claims to.
    expect(compared).toBeGreaterThanOrEqual(200);
    expect(errors).toBeLessThan(PARITY_CASES - 200 + 1);
    expect([...statuses].sort()).toEqual(expect.arrayContaining(["converged", "max_iterations"]));
  });
});

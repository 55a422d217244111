// Parity: the single-threaded wasm build (engine-rs compiled to wasm, loaded in Node) and the TS engine give
// the same whole result (every field, numbers to 1e-12 relative) on generated problems covering groups,
// shares, per-group targets, caps, base weights, missing values and crossed variables, and the same error
// value and message on invalid ones. (Native Rust joins through tests/engine/parity-native.test.ts; the
// threaded build joins in the browser tests.)
import type { Options, Problem, RakeResult } from "../../engine/contract";
import { RimEngineError } from "../../engine/contract";
import { loadNodeBackend } from "../../engine/runtime/node";
import type { EngineBackend } from "../../engine/runtime/backend";
import { rake as rakeTs } from "../../engine/rim";
import { resultDifferences } from "./compare-results";
import { PARITY_CASES, PARITY_SETTINGS, invalidCases, parityCase } from "./parity-cases";

type Outcome = { result: RakeResult } | { error: unknown };

function attempt(rake: (p: Problem, o: Options) => RakeResult, problem: Problem, options: Options): Outcome {
  try {
    return { result: rake(structuredClone(problem), options) };
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

  test(`${PARITY_CASES} generated problems give the same whole result (1e-12 relative)`, () => {
    const statuses = new Set<string>();
    let grouped = 0;
    for (let i = 0; i < PARITY_CASES; i++) {
      const { problem, options } = parityCase(i);
      const a = attempt(rakeTs, problem, options);
      const b = attempt(wasm.rake, problem, options);
      const where = `case ${i} (${JSON.stringify(PARITY_SETTINGS[i % PARITY_SETTINGS.length])})`;
      expect({ where, ts: "error" in a ? a.error : "ok", wasm: "error" in b ? b.error : "ok" }).toEqual({
        where,
        ts: "ok",
        wasm: "ok",
      });
      const ra = (a as { result: RakeResult }).result;
      const rb = (b as { result: RakeResult }).result;
      expect({ where, differences: resultDifferences(ra, rb) }).toEqual({ where, differences: [] });
      statuses.add(ra.status);
      if (problem.group) grouped++;
    }
    // The run must actually cover the ground it claims to.
    expect(grouped).toBeGreaterThan(PARITY_CASES / 5);
    expect([...statuses].sort()).toEqual(expect.arrayContaining(["converged", "max_iterations"]));
  });

  test("every error code: the same error value and message", () => {
    const cases = invalidCases();
    for (const { code, problem, options } of cases) {
      const a = attempt(rakeTs, problem, options);
      const b = attempt(wasm.rake, problem, options);
      expect({ code, ts: "error" in a, wasm: "error" in b }).toEqual({ code, ts: true, wasm: true });
      const ea = (a as { error: unknown }).error as RimEngineError;
      const eb = (b as { error: unknown }).error as RimEngineError;
      expect(ea).toBeInstanceOf(RimEngineError);
      expect(eb).toBeInstanceOf(RimEngineError);
      expect(ea.error.code).toBe(code);
      expect(eb.error).toEqual(ea.error);
      expect(eb.message).toBe(ea.message);
    }
    expect(new Set(cases.map((c) => c.code)).size).toBe(16);
  });
});

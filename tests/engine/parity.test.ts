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
import { SWEEP_CHUNK } from "../../engine/contract";
import { resultDifferences } from "./compare-results";
import { generateProblem } from "./generate";
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

  // Both engines sum in SWEEP_CHUNK chunks and rake block by block in the same order, so where their units
  // are the same (cells with one weight each, or respondents) the weights agree bit for bit, also past one
  // chunk. (Factor cells differ by rounding: docs/ENGINE.md §3.)
  test.each([
    ["cells", { variables: 6, maxCategories: 12, missing: true }],
    [
      "respondents under caps",
      { variables: 5, maxCategories: 9, baseWeights: "varying", caps: { min: 0.4, max: 2.5 } },
    ],
    [
      "groups with shares",
      { variables: 4, maxCategories: 8, groups: 2, shares: true, baseWeights: "varying", caps: { max: 3 } },
    ],
  ] as const)("bit for bit past one sweep chunk: %s", (_, settings) => {
    const groups = "groups" in settings ? settings.groups : 1;
    const { problem, options } = generateProblem(11, { n: groups * (2 * SWEEP_CHUNK + 4321), ...settings });
    const a = rakeTs(structuredClone(problem), options);
    const b = wasm.rake(structuredClone(problem), options);
    // Units per group: more than one chunk.
    expect((a.cellPath ? a.cells : problem.n) / groups).toBeGreaterThan(SWEEP_CHUNK);
    // The first respondent whose weights differ (not a diff of 70,000 numbers).
    const firstDifference = a.weights.findIndex((w, i) => !Object.is(w, b.weights[i]));
    expect({ firstDifference, passes: b.residualTrace.length }).toEqual({
      firstDifference: -1,
      passes: a.residualTrace.length,
    });
    expect(b.residualTrace).toEqual(a.residualTrace);
  });
});

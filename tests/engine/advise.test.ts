// The weighting advisor (engine/advise.ts, engine-rs/src/advise.rs): every row equals a separate rake with
// those options, the budget search's answer is within the budget and the caps above it are not, and the TS
// engine and the single wasm build give the same advice to 1e-12 relative.
import type { Advice, AdviseRequest, Options, Problem } from "../../engine/contract";
import { RimEngineError } from "../../engine/contract";
import { advise, bracketCaps, variableCosts, BUDGET_POINTS } from "../../engine/advise";
import { rake } from "../../engine/rim";
import { loadNodeBackend } from "../../engine/runtime/node";
import type { EngineBackend } from "../../engine/runtime/backend";
import { generateProblem, relDiff } from "./generate";
import { PARITY_SETTINGS, parityCase } from "./parity-cases";

function withCap(options: Options, max: number | null): Options {
  const out: Options = { ...options };
  delete out.caps;
  const min = options.caps?.min;
  if (min !== undefined || max !== null)
    out.caps = { ...(min !== undefined ? { min } : {}), ...(max !== null ? { max } : {}) };
  return out;
}

function without(problem: Problem, v: number): Problem {
  return { ...problem, variables: problem.variables.filter((_, i) => i !== v) };
}

describe("advise (TS engine)", () => {
  const { problem, options } = generateProblem(7, { n: 400, variables: 3, baseWeights: "varying" });
  const request: AdviseRequest = { caps: [1.2, 2, 4], budget: { maxDeff: 1.05 } };

  test("each sweep, leave-one-out and budget row is the rake with those options", () => {
    const advice = advise(problem, options, request);
    expect(advice.sweep.map((r) => r.capMax)).toEqual([null, 1.2, 2, 4]);
    for (const row of [...advice.sweep, ...advice.budget!.tried]) {
      const r = rake(problem, withCap(options, row.capMax));
      expect(row.efficiencyPct).toBe(r.summary.efficiencyPct);
      expect(row.effectiveN).toBe(r.summary.effectiveN);
      expect(row.maxWeight).toBe(r.summary.max);
      expect(row.maxResidual).toBe(r.maxResidual);
      expect(row.status).toBe(r.status);
    }
    expect(advice.leaveOneOut.map((r) => r.dropped)).toEqual([0, 1, 2]);
    advice.leaveOneOut.forEach((row, v) => {
      const r = rake(without(problem, v), options);
      expect(row.efficiencyPct).toBe(r.summary.efficiencyPct);
      expect(row.deff).toBe(r.summary.deff);
    });
    const costs = variableCosts(advice);
    expect(costs[1].efficiencyGainPct).toBe(advice.leaveOneOut[1].efficiencyPct - advice.reference.efficiencyPct);
  });

  test("runs are counted and reported as progress, also without a progress callback", () => {
    const seen: number[] = [];
    const advice = advise(problem, options, request, (p) => {
      seen.push(p.done);
      expect(p.done).toBeLessThanOrEqual(p.total);
    });
    const rows = 1 + request.caps.length + problem.variables.length + advice.budget!.tried.length;
    expect(advice.runs).toBe(rows);
    expect(seen).toEqual(Array.from({ length: rows }, (_, k) => k + 1));
    expect(advise(problem, options, request).runs).toBe(rows);
  });

  test("the budget's answer keeps within it, the caps tried above it do not, and a tight cap stalls honestly", () => {
    const advice = advise(problem, options, request);
    const budget = advice.budget!;
    expect(advice.sweep[0].deff).toBeGreaterThan(1.05);
    expect(budget.outcome).toBe("cap");
    const cap = budget.run!.capMax!;
    expect(budget.run!.deff).toBeLessThanOrEqual(1.05);
    expect(budget.tried.filter((r) => r.capMax! > cap).every((r) => r.deff > 1.05)).toBe(true);
    // The first round spans [1, largest weight / mean] in BUDGET_POINTS steps.
    expect(budget.tried.slice(0, BUDGET_POINTS).map((r) => r.capMax)).toEqual(
      bracketCaps(1, advice.sweep[0].maxOverMean, true),
    );
    // A cap of 1.2 cannot reach these targets: it reports the stall, never "converged".
    const tight = advice.sweep[1];
    expect(tight.status).not.toBe("converged");
    expect(tight.maxResidual).toBeGreaterThan(options.tolerance);
  });

  test("a budget the uncapped run meets needs no cap; a single variable has no leave-one-out", () => {
    const one = { ...problem, variables: problem.variables.slice(0, 1) };
    const advice = advise(one, options, { caps: [], budget: { minEfficiency: 1 } });
    expect(advice.leaveOneOut).toEqual([]);
    expect(advice.budget).toMatchObject({ outcome: "uncapped", tried: [] });
    expect(advice.budget!.run).toEqual(advice.sweep[0]);
  });

  test("the options' own cap is the reference of the leave-one-out runs; their lower cap stays in every run", () => {
    const capped: Options = { ...options, caps: { min: 0.5, max: 3 } };
    const advice = advise(problem, capped, { caps: [2] });
    expect(advice.reference.capMax).toBe(3);
    expect(advice.reference.efficiencyPct).toBe(rake(problem, capped).summary.efficiencyPct);
    expect(advice.sweep[0].efficiencyPct).toBe(rake(problem, { ...options, caps: { min: 0.5 } }).summary.efficiencyPct);
    expect(advice.leaveOneOut[0].efficiencyPct).toBe(rake(without(problem, 0), capped).summary.efficiencyPct);
  });

  test("a budget out of range is a bad option; a bad cap fails with the rake's own error", () => {
    const call = (r: AdviseRequest) => () => advise(problem, options, r);
    expect(call({ caps: [], budget: { maxDeff: 0.9 } })).toThrow(/maximum design effect is 0\.9/);
    expect(call({ caps: [], budget: { minEfficiency: 120 } })).toThrow(RimEngineError);
    try {
      advise(problem, options, { caps: [0.5] });
      throw new Error("no error");
    } catch (error) {
      expect((error as RimEngineError).error.code).toBe("infeasible_caps");
    }
  });
});

/**
 * Every number of the two advices within 1e-12 relative, everything else equal. A residual is a difference of
 * proportions near 0, where rounding is relative to the proportions: it is compared to 1e-12 absolute.
 */
function expectSameAdvice(a: unknown, b: unknown, where = "advice"): void {
  if (typeof a === "number" && typeof b === "number") {
    const off = where.endsWith(".maxResidual") ? Math.abs(a - b) : relDiff(a, b);
    if (!(off <= 1e-12 || (Number.isNaN(a) && Number.isNaN(b))))
      throw new Error(`${where}: ${a} != ${b} (relative ${relDiff(a, b)})`);
    return;
  }
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object") {
    expect({ where, value: a }).toEqual({ where, value: b });
    return;
  }
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const key of keys) expectSameAdvice((a as never)[key], (b as never)[key], `${where}.${key}`);
}

function comparable(advice: Advice): Omit<Advice, "backend" | "threads" | "elapsedMs"> {
  const { backend, threads, elapsedMs, ...rest } = advice;
  return rest;
}

describe("parity: single wasm == TS", () => {
  let wasm: EngineBackend;
  beforeAll(async () => {
    wasm = await loadNodeBackend("wasm");
    expect(wasm.name).toBe("wasm");
  });

  test(`generated problems over every parity setting give the same advice to 1e-12 relative`, () => {
    const cases = PARITY_SETTINGS.length * 2;
    let budgets = 0;
    for (let i = 0; i < cases; i++) {
      const { problem, options } = parityCase(i);
      const request: AdviseRequest = {
        caps: [1.5, 2, 3],
        budget: i % 2 === 0 ? { maxDeff: 1.02 } : { minEfficiency: 97 },
      };
      let ts: Advice | Error;
      let rs: Advice | Error;
      const wasmProgress: number[] = [];
      try {
        ts = advise(structuredClone(problem), options, request);
      } catch (error) {
        ts = error as Error;
      }
      try {
        rs = wasm.advise(structuredClone(problem), options, request, (p) => wasmProgress.push(p.done));
      } catch (error) {
        rs = error as Error;
      }
      if (ts instanceof Error || rs instanceof Error) {
        const [a, b] = [rs as RimEngineError, ts as RimEngineError];
        expect([i, a.error, a.message]).toEqual([i, b.error, b.message]);
        continue;
      }
      expectSameAdvice(comparable(rs), comparable(ts), `case ${i}`);
      // The wasm advisor's rows are the wasm build's own rakes with those options.
      for (const row of [...rs.sweep, ...(rs.budget?.tried.slice(0, 2) ?? [])]) {
        const r = wasm.rake(structuredClone(problem), withCap(options, row.capMax));
        expectSameAdvice(
          [row.efficiencyPct, row.effectiveN, row.maxWeight, row.maxResidual, row.iterations, row.status],
          [r.summary.efficiencyPct, r.summary.effectiveN, r.summary.max, r.maxResidual, r.iterations, r.status],
          `case ${i} cap ${row.capMax}`,
        );
      }
      expect(rs.backend).toBe("wasm");
      expect(wasmProgress[wasmProgress.length - 1]).toBe(rs.runs);
      if (ts.budget?.outcome === "cap") budgets++;
    }
    // The search itself was compared, not only the first batch.
    expect(budgets).toBeGreaterThan(3);
  });
});

// The sentence after a run: the time the user waited for (the whole run), not the engine's share of it.
import type { RakeResult } from "../../engine/contract";
import type { RunOutcome } from "../../taskpane/run";
import { runSummary } from "../../taskpane/run-summary";

function outcome(patch: Partial<RunOutcome>): RunOutcome {
  const result = {
    status: "converged",
    iterations: 7,
    maxResidual: 4.2e-8,
    elapsedMs: 50,
    summary: { efficiencyPct: 91.23, effectiveN: 912.4, min: 0.5, max: 2.25 },
  } as unknown as RakeResult;
  return {
    result,
    weightAddress: "Data!F1:F1001",
    replaced: false,
    diagnosticsSheet: "RIM Diagnostics",
    warnings: [],
    readStats: {} as RunOutcome["readStats"],
    writeStats: {} as RunOutcome["writeStats"],
    elapsedMs: 800,
    ...patch,
  };
}

test("the summary gives the whole run's time, not the engine's", () => {
  const text = runSummary(outcome({}));
  expect(text).toContain("the run took 0.80 s");
  expect(text).not.toContain("0.05");
  expect(text).toBe(
    "Converged after 7 iterations (max residual 4.2e-8); the run took 0.80 s. Weights in Data!F1:F1001; " +
      "efficiency 91.2%, effective n 912, weights 0.500–2.250. Details on 'RIM Diagnostics'.",
  );
});

test("a replaced column, another status and no diagnostics sheet are said so", () => {
  const text = runSummary(
    outcome({
      replaced: true,
      diagnosticsSheet: null,
      result: { ...outcome({}).result, status: "stalled" },
    }),
  );
  expect(text).toMatch(/^Stalled after 7 iterations/);
  expect(text).toContain("Data!F1:F1001 (replaced)");
  expect(text).not.toContain("Details on");
});

// The one sentence the pane shows after a run. The time is the whole run as the user waited for it (read,
// weight, write, diagnostics); the engine's own time is on the diagnostics sheet. Pure: no React, no Excel.
import type { Status } from "../engine/contract";
import type { RunOutcome } from "./run";

const STATUS_WORDS: Record<Status, string> = {
  converged: "Converged",
  stalled: "Stalled",
  max_iterations: "Stopped at the iteration limit",
};

export function runSummary(outcome: RunOutcome): string {
  const { result } = outcome;
  const s = result.summary;
  const sheet = outcome.diagnosticsSheet ? ` Details on '${outcome.diagnosticsSheet}'.` : "";
  return (
    `${STATUS_WORDS[result.status]} after ${result.iterations} iterations ` +
    `(max residual ${result.maxResidual.toExponential(1)}); the run took ${(outcome.elapsedMs / 1000).toFixed(2)} s. ` +
    `Weights in ${outcome.weightAddress}${outcome.replaced ? " (replaced)" : ""}; efficiency ` +
    `${s.efficiencyPct.toFixed(1)}%, effective n ${s.effectiveN.toFixed(0)}, weights ${s.min.toFixed(3)}–${s.max.toFixed(3)}.` +
    sheet
  );
}

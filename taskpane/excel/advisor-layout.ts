// The advisor's section of the diagnostics sheet: a pure function from the Advice (plus variable names and
// the options' tolerance) to a grid of values and number formats, the header rows to embolden, and the source
// block of the line chart (efficiency % by cap). Positions are relative to the section's top-left cell;
// advisor-section.ts places it on the sheet. No Excel API, no React.
import { variableCosts } from "../../engine/advise";
import type { Advice, AdvisorRun } from "../../engine/contract";
import { describeBudget } from "../../scheme/advice-words";
import { BACKEND_WORDS, Builder, builderGrid, FORMATS, type LayoutRect, type LayoutValue } from "./diagnostics-layout";

/** The section's first cell (A of its top row): how the writer recognises an earlier advisor section. */
export const ADVISOR_TITLE = "RIM weighting advisor";

export interface AdvisorInput {
  advice: Advice;
  variables: string[];
  tolerance: number;
  /** when the advice was made, as the user should read it */
  runAt: string;
}

export interface AdvisorLayout {
  values: LayoutValue[][];
  numberFormats: (string | null)[][];
  width: number;
  bold: LayoutRect[];
  /** where each table starts (row index of its title) */
  sections: { sweep: number; leaveOneOut: number; budget: number; chartData: number };
  /** cap labels (first column) and the efficiency % series */
  chart: { source: LayoutRect; title: string };
}

/** "no cap" or the cap itself: text for the chart's categories, so Excel never takes the caps for a series. */
function capLabel(cap: number | null): string {
  return cap === null ? "no cap" : `cap ${cap}`;
}

function sweepRows(b: Builder, advice: Advice): void {
  const f = FORMATS;
  b.header([
    "Cap (× mean weight)",
    "Efficiency %",
    "Effective n",
    "Max weight",
    "Min weight",
    "Status",
    "Max residual",
    "Iterations",
  ]);
  for (const run of advice.sweep)
    b.push(
      [
        run.capMax ?? "no cap",
        run.efficiencyPct,
        run.effectiveN,
        run.maxWeight,
        run.minWeight,
        run.status,
        run.maxResidual,
        run.iterations,
      ],
      [f.ratio, f.pct, "#,##0.0", f.weight, f.weight, null, f.small, f.integer],
    );
}

function leaveOneOutRows(b: Builder, input: AdvisorInput): void {
  const costs = variableCosts(input.advice);
  if (costs.length === 0) {
    b.push(["One raking variable only: nothing to leave out."]);
    return;
  }
  const f = FORMATS;
  b.header([
    "Variable left out",
    "Efficiency %",
    "Efficiency gained (points)",
    "Effective n",
    "Effective n gained",
    "Status",
    "Max residual",
  ]);
  for (const c of costs)
    b.push(
      [
        input.variables[c.variable] ?? `variable ${c.variable + 1}`,
        c.run.efficiencyPct,
        c.efficiencyGainPct,
        c.run.effectiveN,
        c.effectiveNGain,
        c.run.status,
        c.run.maxResidual,
      ],
      [null, f.pct, f.diff, "#,##0.0", "+#,##0.0;-#,##0.0;0.0", null, f.small],
    );
}

function budgetRows(b: Builder, input: AdvisorInput): void {
  const { budget } = input.advice;
  if (!budget) {
    b.push(["No budget given: set a maximum design effect or a minimum efficiency to find the loosest cap within it."]);
    return;
  }
  const words = describeBudget(budget, input.tolerance);
  b.push([capitalised(words.question)]);
  b.push([capitalised(words.answer)]);
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function chartRows(b: Builder, sweep: AdvisorRun[]): LayoutRect {
  const top = b.header(["Efficiency by cap", "Efficiency %"]);
  for (const run of sweep) b.push([capLabel(run.capMax), run.efficiencyPct], [null, FORMATS.pct]);
  return { r0: top, c0: 0, r1: top + sweep.length, c1: 1 };
}

/** Builds the section. */
export function layoutAdvisor(input: AdvisorInput): AdvisorLayout {
  const { advice } = input;
  const b = new Builder();
  b.title(ADVISOR_TITLE);
  b.push(["Advised at", input.runAt]);
  b.push(["Runs (each a full rake)", advice.runs], [null, FORMATS.integer]);
  b.push(["Engine", BACKEND_WORDS[advice.backend]]);
  b.push(["Elapsed (seconds)", advice.elapsedMs / 1000], [null, FORMATS.seconds]);
  b.blank();
  const sweep = b.title("Cap sweep: the options as given, with no upper cap and with each cap");
  sweepRows(b, advice);
  b.blank();
  const given = advice.reference.capMax;
  const leaveOneOut = b.title(
    `Variable cost: the run without each variable${given === null ? "" : ` (cap ${given})`}, gains over the run with all`,
  );
  leaveOneOutRows(b, input);
  b.blank();
  const budget = b.title("Design-effect budget");
  budgetRows(b, input);
  b.blank();
  const chartData = b.rows.length;
  const source = chartRows(b, advice.sweep);
  return {
    ...builderGrid(b),
    bold: b.bold,
    sections: { sweep, leaveOneOut, budget, chartData },
    chart: { source, title: "Weighting efficiency % by cap" },
  };
}

// The diagnostics sheet's layout: a pure function from a RakeResult (plus names and the run's context) to a
// grid of values, the number format of each numeric cell, the header rows to embolden, and the source block
// of the target-vs-achieved chart. No Excel API, no React: diagnostics-sheet.ts writes what this builds.
import type { BackendName, Caps, CategoryRow, RakeResult, Status, WeightSummary } from "../../engine/contract";

export type LayoutValue = string | number;

/** 0-based, inclusive, relative to the layout's top-left cell (A1 of the sheet). */
export interface LayoutRect {
  r0: number;
  c0: number;
  r1: number;
  c1: number;
}

export interface DiagnosticsLayout {
  /** rectangular: every row has `width` cells; "" is a blank cell */
  values: LayoutValue[][];
  /** the number format of each numeric cell, null elsewhere (text cells are written as text, see the writer) */
  numberFormats: (string | null)[][];
  width: number;
  /** header rows and titles */
  bold: LayoutRect[];
  /** where each section starts (row index) */
  sections: { summary: number; categories: number; groups: number | null; distribution: number; chartData: number };
  /** category labels (first column) and the Target % / Weighted % series; null when there is nothing to chart */
  chart: { source: LayoutRect; title: string } | null;
}

export interface DiagnosticsInput {
  result: RakeResult;
  variables: { name: string; categories: string[] }[];
  group?: { name: string; labels: string[] };
  warnings: string[];
  dataAddress: string;
  weightAddress: string;
  tolerance: number;
  caps?: Caps;
  /** when the run finished, as the user should read it */
  runAt: string;
}

export const FORMATS = {
  count: "#,##0",
  integer: "0",
  weight: "0.0000",
  pct: "0.00",
  diff: "+0.00;-0.00;0.00",
  ratio: "0.00",
  small: "0.00E+00",
  seconds: "0.00",
} as const;

export const STATUS_WORDS: Record<Status, string> = {
  converged: "Converged: every target is met within the tolerance",
  stalled: "Stalled: the weights stopped getting closer to the targets; check the targets and caps",
  max_iterations: "Stopped at the iteration limit before meeting the tolerance; raise the limit or relax the caps",
};

export const BACKEND_WORDS: Record<BackendName, string> = {
  "wasm-threads": "WebAssembly, multi-threaded",
  wasm: "WebAssembly, single thread",
  ts: "JavaScript (TypeScript engine)",
};

/** Weight / mean weight band edges for the distribution table. */
export const BAND_EDGES = [0, 0.25, 0.5, 0.67, 0.8, 0.9, 1.1, 1.25, 1.5, 2, 3, 5, Infinity];

type Row = { values: LayoutValue[]; formats: (string | null)[] };

/** Accumulates rows; formats are given per cell, null for text/blank. Also builds the advisor's section. */
export class Builder {
  rows: Row[] = [];
  bold: LayoutRect[] = [];
  push(values: LayoutValue[], formats: (string | null)[] = []): number {
    this.rows.push({ values, formats });
    return this.rows.length - 1;
  }
  title(text: string): number {
    const r = this.push([text]);
    this.bold.push({ r0: r, c0: 0, r1: r, c1: 0 });
    return r;
  }
  header(names: string[]): number {
    const r = this.push(names);
    this.bold.push({ r0: r, c0: 0, r1: r, c1: names.length - 1 });
    return r;
  }
  blank(): void {
    this.push([]);
  }
}

function capCount(limit: number | undefined, count: number): LayoutValue {
  return limit === undefined ? "no cap" : count;
}

function summaryRows(b: Builder, input: DiagnosticsInput): void {
  const { result } = input;
  const s = result.summary;
  const f = FORMATS;
  const rows: [string, LayoutValue, string | null][] = [
    ["Status", STATUS_WORDS[result.status], null],
    ["Iterations", result.iterations, f.integer],
    ["Max residual (proportion)", result.maxResidual, f.small],
    ["Tolerance (proportion)", input.tolerance, f.small],
    ["Engine", BACKEND_WORDS[result.backend], null],
    ["Threads", result.threads, f.integer],
    ["Engine time (seconds)", result.elapsedMs / 1000, f.seconds],
    ["Cell fast path", result.cellPath ? `yes (${result.cells} cells)` : "no (respondent by respondent)", null],
    ["Respondents (n)", s.n, f.count],
    ["Sum of weights", s.sumWeights, f.weight],
    ["Weighting efficiency %", s.efficiencyPct, f.pct],
    ["Design effect (Kish)", s.deff, f.ratio],
    ["Effective sample size", s.effectiveN, "#,##0.0"],
    ["Minimum weight", s.min, f.weight],
    ["Maximum weight", s.max, f.weight],
    ["Mean weight", s.mean, f.weight],
    ["Max / min ratio", s.ratio, f.ratio],
    ["At the minimum cap", capCount(input.caps?.min, s.atCapMin), f.count],
    ["At the maximum cap", capCount(input.caps?.max, s.atCapMax), f.count],
  ];
  for (const [label, value, format] of rows) b.push([label, value], [null, typeof value === "number" ? format : null]);
  if (input.warnings.length === 0) b.push(["Warnings", "none"]);
  input.warnings.forEach((w, i) => b.push([i === 0 ? "Warnings" : "", w]));
}

function categoryRowValues(row: CategoryRow, input: DiagnosticsInput, grouped: boolean): Row {
  const v = input.variables[row.variable];
  const groupLabel = row.group === null ? "All" : (input.group?.labels[row.group] ?? String(row.group + 1));
  const lead: LayoutValue[] = grouped ? [groupLabel] : [];
  const f = FORMATS;
  return {
    values: [
      ...lead,
      v?.name ?? `variable ${row.variable + 1}`,
      v?.categories[row.category] ?? String(row.category + 1),
      row.unweightedN,
      row.unweightedPct,
      row.targetPct,
      row.weightedPct,
      row.diffPct,
    ],
    formats: [...lead.map(() => null), null, null, f.count, f.pct, f.pct, f.pct, f.diff],
  };
}

function categoryRows(b: Builder, input: DiagnosticsInput): void {
  const grouped = input.group !== undefined;
  const names = [
    "Variable",
    "Category",
    "Unweighted n",
    "Unweighted %",
    "Target %",
    "Weighted %",
    "Difference (points)",
  ];
  b.header(grouped ? [input.group!.name, ...names] : names);
  for (const row of input.result.categories) {
    const r = categoryRowValues(row, input, grouped);
    b.push(r.values, r.formats);
  }
}

function groupRows(b: Builder, input: DiagnosticsInput): void {
  const f = FORMATS;
  b.header([
    input.group!.name,
    "n",
    "Sum of weights",
    "Mean",
    "Min",
    "Max",
    "Max / min",
    "Efficiency %",
    "Design effect",
    "Effective n",
    "At min cap",
    "At max cap",
    "Status",
    "Iterations",
    "Max residual",
  ]);
  input.result.groups.forEach((g: WeightSummary, i) => {
    const run = input.result.groupRuns.find((x) => x.group === (g.group ?? i));
    const label = input.group!.labels[g.group ?? i] ?? String(i + 1);
    b.push(
      [
        label,
        g.n,
        g.sumWeights,
        g.mean,
        g.min,
        g.max,
        g.ratio,
        g.efficiencyPct,
        g.deff,
        g.effectiveN,
        capCount(input.caps?.min, g.atCapMin),
        capCount(input.caps?.max, g.atCapMax),
        run ? run.status : "",
        run ? run.iterations : "",
        run ? run.maxResidual : "",
      ],
      [
        null,
        f.count,
        f.weight,
        f.weight,
        f.weight,
        f.weight,
        f.ratio,
        f.pct,
        f.ratio,
        "#,##0.0",
        f.count,
        f.count,
        null,
        f.integer,
        f.small,
      ],
    );
  });
}

function bandLabel(lo: number, hi: number): string {
  if (lo === 0) return `under ${hi}`;
  if (hi === Infinity) return `${lo} or more`;
  return `${lo} to under ${hi}`;
}

/** Respondents and weight share per band of weight / mean weight. */
export function weightBands(
  weights: Float64Array,
  mean: number,
): { lo: number; hi: number; count: number; weightSum: number }[] {
  const bands = BAND_EDGES.slice(0, -1).map((lo, i) => ({ lo, hi: BAND_EDGES[i + 1], count: 0, weightSum: 0 }));
  for (let i = 0; i < weights.length; i++) {
    const w = weights[i];
    const rel = mean > 0 ? w / mean : 0;
    let k = bands.length - 1;
    while (k > 0 && rel < bands[k].lo) k--;
    bands[k].count++;
    bands[k].weightSum += w;
  }
  return bands;
}

function distributionRows(b: Builder, input: DiagnosticsInput): void {
  const { weights, summary } = input.result;
  const f = FORMATS;
  b.header(["Weight / mean weight", "From weight", "To weight", "Respondents", "% of respondents", "% of weight sum"]);
  for (const band of weightBands(weights, summary.mean)) {
    const to: LayoutValue = band.hi === Infinity ? "" : band.hi * summary.mean;
    b.push(
      [
        bandLabel(band.lo, band.hi),
        band.lo * summary.mean,
        to,
        band.count,
        summary.n ? (100 * band.count) / summary.n : 0,
        summary.sumWeights ? (100 * band.weightSum) / summary.sumWeights : 0,
      ],
      [null, f.weight, typeof to === "number" ? f.weight : null, f.count, f.pct, f.pct],
    );
  }
}

/** Whole-sample target and weighted % per "variable: category", the chart's source. */
function chartRows(b: Builder, input: DiagnosticsInput): LayoutRect | null {
  const whole = input.result.categories.filter((row) => row.group === null);
  const top = b.header(["Target vs achieved (whole sample)", "Target %", "Weighted %"]);
  for (const row of whole) {
    const v = input.variables[row.variable];
    b.push(
      [
        `${v?.name ?? row.variable + 1}: ${v?.categories[row.category] ?? row.category + 1}`,
        row.targetPct,
        row.weightedPct,
      ],
      [null, FORMATS.pct, FORMATS.pct],
    );
  }
  return whole.length ? { r0: top, c0: 0, r1: top + whole.length, c1: 2 } : null;
}

/** A1 of the sheet: its title, and the marker by which the writer recognises the sheet as its own. */
export const DIAGNOSTICS_TITLE = "RIM weighting diagnostics";

/** Builds the whole sheet. */
export function layoutDiagnostics(input: DiagnosticsInput): DiagnosticsLayout {
  const b = new Builder();
  b.title(DIAGNOSTICS_TITLE);
  b.push(["Run at", input.runAt]);
  b.push(["Data", input.dataAddress]);
  b.push(["Weights written to", input.weightAddress]);
  b.blank();
  const summary = b.title("Run summary");
  summaryRows(b, input);
  b.blank();
  const categories = b.title("Targets and achieved, per variable and category");
  categoryRows(b, input);
  b.blank();
  let groups: number | null = null;
  if (input.group) {
    groups = b.title(`Per group (${input.group.name})`);
    groupRows(b, input);
    b.blank();
  }
  const distribution = b.title("Weight distribution");
  distributionRows(b, input);
  b.blank();
  const chartData = b.rows.length;
  const source = chartRows(b, input);
  return finish(b, { summary, categories, groups, distribution, chartData }, source);
}

/** The rows as a rectangle: padded to the widest row, formats kept on numeric cells only. */
export function builderGrid(b: Builder): Pick<DiagnosticsLayout, "values" | "numberFormats" | "width"> {
  const width = Math.max(...b.rows.map((r) => r.values.length));
  const pad = <T>(xs: T[], fill: T) => [...xs, ...Array.from({ length: width - xs.length }, () => fill)];
  return {
    values: b.rows.map((r) => pad(r.values, "")),
    numberFormats: b.rows.map((r) =>
      pad(
        r.values.map((v, i) => (typeof v === "number" ? (r.formats[i] ?? null) : null)),
        null,
      ),
    ),
    width,
  };
}

function finish(b: Builder, sections: DiagnosticsLayout["sections"], source: LayoutRect | null): DiagnosticsLayout {
  return {
    ...builderGrid(b),
    bold: b.bold,
    sections,
    chart: source ? { source, title: "Target vs achieved, % (whole sample)" } : null,
  };
}

// Diagnostics (docs/ENGINE.md §6): the weight summaries (overall, then each group) from the final respondent
// weights, in respondent order; the variable × category table (whole sample, then each group) from the answers
// validation counted and the groups' final weight sums per category (the joint tables the raking gathered last).
// Imports only the contract and the engine's own modules: no Excel, no messages.

import { type CategoryRow, type Problem, type WeightSummary } from "./contract";
import { capEdges, type CapBounds } from "./caps";
import { groupCount, groupTargets, type AnswerCounts } from "./validate";

export interface Diagnostics {
  categories: CategoryRow[];
  summary: WeightSummary;
  groups: WeightSummary[];
}

export interface DiagnosticsInput {
  problem: Problem;
  weights: Float64Array;
  /** valid answers, counts[v][g*K + c] (validate.ts) */
  counts: AnswerCounts;
  /** sums[g][v][c]: group g's final weights summed per category (rim.ts GroupOutcome) */
  sums: Float64Array[][];
  /** T_g per group (one entry, the total, when ungrouped) */
  groupTotals: Float64Array;
  /** cap bounds per group */
  bounds: CapBounds[];
  capMin: number | undefined;
  capMax: number | undefined;
}

export function computeDiagnostics(input: DiagnosticsInput): Diagnostics {
  const summaries = weightSummaries(input);
  return {
    categories: categoryRows(input),
    summary: summaries.overall,
    groups: input.problem.group ? summaries.groups : [],
  };
}

/** x / y, or 0 when y is 0 (an empty group or a variable with no valid answer). */
function ratioOrZero(x: number, y: number): number {
  return y === 0 ? 0 : x / y;
}

/** Category rows: whole sample (group null), then each group in label order; variables, then categories. */
export function categoryRows(input: DiagnosticsInput): CategoryRow[] {
  const { problem, counts, sums, groupTotals } = input;
  const groups = groupCount(problem);
  const wholeRows: CategoryRow[] = [];
  const groupRows: CategoryRow[][] = Array.from({ length: groups }, () => []);
  problem.variables.forEach((variable, v) => {
    const k = variable.categories.length;
    const groupCount_ = counts[v];
    // The whole sample's weight sums add the groups' in label order (diagnostics.rs `tally`).
    const count = new Float64Array(k);
    const sumW = new Float64Array(k);
    const groupSumW = new Float64Array(groups * k);
    for (let g = 0; g < groups; g++) {
      for (let c = 0; c < k; c++) {
        count[c] += groupCount_[g * k + c];
        sumW[c] += sums[g][v][c];
      }
      groupSumW.set(sums[g][v], g * k);
    }
    // Whole-sample target when grouped: 100 · Σ_g T_g·target_g[c] / Σ_g T_g over groups with valid weight > 0.
    const validGroup = new Uint8Array(groups);
    for (let g = 0; g < groups; g++) validGroup[g] = sumRange(groupSumW, g * k, k) > 0 ? 1 : 0;
    const wholeTarget = (c: number): number => {
      if (!problem.group) return 100 * variable.targets[c];
      let num = 0;
      let den = 0;
      for (let g = 0; g < groups; g++) {
        if (!validGroup[g]) continue;
        num += groupTotals[g] * groupTargets(variable, g)[c];
        den += groupTotals[g];
      }
      return ratioOrZero(100 * num, den);
    };
    pushRows(wholeRows, v, null, count, sumW, 0, k, wholeTarget);
    if (problem.group) {
      for (let g = 0; g < groups; g++) {
        const targets = groupTargets(variable, g);
        pushRows(groupRows[g], v, g, groupCount_, groupSumW, g * k, k, (c) => 100 * targets[c]);
      }
    }
  });
  return problem.group ? wholeRows.concat(...groupRows) : wholeRows;
}

function sumRange(values: Float64Array, offset: number, k: number): number {
  let s = 0;
  for (let c = 0; c < k; c++) s += values[offset + c];
  return s;
}

function pushRows(
  rows: CategoryRow[],
  variable: number,
  group: number | null,
  count: Float64Array,
  sumW: Float64Array,
  offset: number,
  k: number,
  targetPct: (c: number) => number,
): void {
  // valid and Σw(valid) are sums over categories, in category order
  const valid = sumRange(count, offset, k);
  const validW = sumRange(sumW, offset, k);
  for (let c = 0; c < k; c++) {
    const weightedPct = ratioOrZero(100 * sumW[offset + c], validW);
    const target = targetPct(c);
    rows.push({
      variable,
      category: c,
      group,
      unweightedN: count[offset + c],
      unweightedPct: ratioOrZero(100 * count[offset + c], valid),
      targetPct: target,
      weightedPct,
      diffPct: weightedPct - target,
    });
  }
}

/** Summaries: overall and per group (per group also when ungrouped, where it equals overall). */
export function weightSummaries(input: DiagnosticsInput): { overall: WeightSummary; groups: WeightSummary[] } {
  const { problem, weights, bounds, capMin, capMax } = input;
  const n = problem.n;
  const groups = groupCount(problem);
  const groupCodes = problem.group?.codes;
  const count = new Float64Array(groups);
  const sum = new Float64Array(groups);
  const sumSq = new Float64Array(groups);
  const min = new Float64Array(groups).fill(Number.POSITIVE_INFINITY);
  const max = new Float64Array(groups).fill(Number.NEGATIVE_INFINITY);
  const atMin = new Float64Array(groups);
  const atMax = new Float64Array(groups);
  let allSum = 0;
  let allSumSq = 0;
  let allMin = Number.POSITIVE_INFINITY;
  let allMax = Number.NEGATIVE_INFINITY;
  const minEdge = bounds.map((b) => capEdges(b).minEdge);
  const maxEdge = bounds.map((b) => capEdges(b).maxEdge);
  for (let i = 0; i < n; i++) {
    const w = weights[i];
    const g = groupCodes ? groupCodes[i] : 0;
    count[g]++;
    sum[g] += w;
    sumSq[g] += w * w;
    if (w < min[g]) min[g] = w;
    if (w > max[g]) max[g] = w;
    if (capMin !== undefined && w <= minEdge[g]) atMin[g]++;
    if (capMax !== undefined && w >= maxEdge[g]) atMax[g]++;
    allSum += w;
    allSumSq += w * w;
    if (w < allMin) allMin = w;
    if (w > allMax) allMax = w;
  }
  let totalAtMin = 0;
  let totalAtMax = 0;
  const groupSummaries: WeightSummary[] = [];
  for (let g = 0; g < groups; g++) {
    totalAtMin += atMin[g];
    totalAtMax += atMax[g];
    groupSummaries.push(summarise(g, count[g], sum[g], sumSq[g], min[g], max[g], atMin[g], atMax[g]));
  }
  return {
    overall: summarise(null, n, allSum, allSumSq, allMin, allMax, totalAtMin, totalAtMax),
    groups: groupSummaries,
  };
}

/**
 * One summary. Kish (1965): deff = n·Σw²/(Σw)², effective n = (Σw)²/Σw², efficiency = 100/deff written as
 * 100·(Σw)²/(n·Σw²). An empty group reports zeros throughout.
 */
export function summarise(
  group: number | null,
  n: number,
  sumW: number,
  sumSq: number,
  min: number,
  max: number,
  atCapMin: number,
  atCapMax: number,
): WeightSummary {
  if (n === 0) {
    return {
      group,
      n,
      sumWeights: 0,
      mean: 0,
      min: 0,
      max: 0,
      ratio: 0,
      efficiencyPct: 0,
      deff: 0,
      effectiveN: 0,
      atCapMin,
      atCapMax,
    };
  }
  const sw2 = sumW * sumW;
  return {
    group,
    n,
    sumWeights: sumW,
    mean: sumW / n,
    min,
    max,
    ratio: ratioOrZero(max, min),
    efficiencyPct: ratioOrZero(100 * sw2, n * sumSq),
    deff: ratioOrZero(n * sumSq, sw2),
    effectiveN: ratioOrZero(sw2, sumSq),
    atCapMin,
    atCapMax,
  };
}

// Properties of the TS engine on generated problems (tests/engine/generate.ts): residuals, totals, shares,
// caps, positivity, permutation, fast path == respondent path, honest statuses.

import {
  STALL_IMPROVEMENT,
  STALL_WINDOW,
  missingCode,
  type Options,
  type Problem,
  type RakeResult,
} from "../../engine/contract";
import { rake, rakeInternal } from "../../engine/rim";
import { generateProblem, permuteProblem, permutation, prng, relDiff, type GenerateOptions } from "./generate";

const SCENARIOS: [string, GenerateOptions][] = [
  ["plain", {}],
  ["varying base weights", { baseWeights: "varying" }],
  ["Uint16 codes", { codeType: "u16", maxCategories: 8 }],
  ["missing values under exclude", { missing: true, variables: 4 }],
  ["crossed variable", { crossed: true }],
  ["groups without shares", { groups: 3, baseWeights: "varying" }],
  ["groups with shares", { groups: 3, shares: true }],
  ["groups with shares and own targets", { groups: 4, shares: true, perGroupTargets: true }],
  ["groups, crossed, own targets", { groups: 2, crossed: true, perGroupTargets: true }],
  ["caps with varying base weights", { caps: { min: 0.5, max: 2 }, baseWeights: "varying" }],
  ["caps with base weights constant in cells", { caps: { min: 0.3, max: 3 }, baseWeights: "cell" }],
  ["max cap only, grouped with shares", { groups: 3, shares: true, caps: { max: 2.5 } }],
  [
    "everything at once",
    {
      groups: 3,
      shares: true,
      perGroupTargets: true,
      crossed: true,
      missing: true,
      baseWeights: "varying",
      codeType: "u16",
      caps: { min: 0.2, max: 4 },
      total: 5000,
      variables: 4,
    },
  ],
];
const SEEDS = [1, 2, 3, 4, 5];

function groupOf(problem: Problem, i: number): number {
  return problem.group ? problem.group.codes[i] : 0;
}

function groups(problem: Problem): number {
  return problem.group ? problem.group.labels.length : 1;
}

function baseSum(problem: Problem): number {
  let s = 0;
  for (let i = 0; i < problem.n; i++) s += problem.baseWeights ? problem.baseWeights[i] : 1;
  return s;
}

/** T_g from the problem, by the documented rule. */
function groupTotals(problem: Problem, options: Options): number[] {
  const total = options.total ?? baseSum(problem);
  const G = groups(problem);
  if (!problem.group) return [total];
  if (problem.group.shares) return Array.from(problem.group.shares, (s) => s * total);
  const base = new Array(G).fill(0);
  for (let i = 0; i < problem.n; i++) base[groupOf(problem, i)] += problem.baseWeights ? problem.baseWeights[i] : 1;
  const all = baseSum(problem);
  return base.map((b) => (total * b) / all);
}

/** Max |achieved − target| recomputed from the respondent weights, per group, over valid answers. */
function recomputedResidual(problem: Problem, weights: Float64Array): number {
  let worst = 0;
  for (let g = 0; g < groups(problem); g++) {
    for (const variable of problem.variables) {
      const targets = variable.targetsByGroup?.[g] ?? variable.targets;
      const missing = missingCode(variable.codes);
      const sums = new Array(targets.length).fill(0);
      let valid = 0;
      for (let i = 0; i < problem.n; i++) {
        if (groupOf(problem, i) !== g || variable.codes[i] === missing) continue;
        sums[variable.codes[i]] += weights[i];
        valid += weights[i];
      }
      if (valid === 0) continue;
      sums.forEach((s, c) => (worst = Math.max(worst, Math.abs(s / valid - targets[c]))));
    }
  }
  return worst;
}

describe.each(SCENARIOS)("generated: %s", (_name, gen) => {
  const cases = SEEDS.map((seed) => {
    const { problem, options } = generateProblem(seed * 7919 + 13, gen);
    return { seed, problem, options, result: rake(problem, options) };
  });

  test.each(SEEDS.map((s, k) => [s, k]))("seed %i: weights finite and > 0", (_s, k) => {
    const { result } = cases[k];
    for (const w of result.weights) {
      expect(Number.isFinite(w)).toBe(true);
      expect(w).toBeGreaterThan(0);
    }
  });

  test.each(SEEDS.map((s, k) => [s, k]))("seed %i: the status tells the truth", (_s, k) => {
    const { problem, options, result } = cases[k];
    const tol = options.tolerance;
    if (!gen.caps) expect(result.status).toBe("converged"); // feasible by construction
    if (result.status === "converged") {
      expect(result.maxResidual).toBeLessThanOrEqual(tol);
      expect(recomputedResidual(problem, result.weights)).toBeLessThanOrEqual(tol + 1e-12);
    } else {
      expect(result.maxResidual).toBeGreaterThan(tol);
    }
    if (result.status === "stalled") {
      const t = result.residualTrace;
      const last = t.length - 1;
      expect(last).toBeGreaterThanOrEqual(STALL_WINDOW);
      expect(t[last]).toBeGreaterThan((1 - STALL_IMPROVEMENT) * t[last - STALL_WINDOW]);
    }
    expect(result.residualTrace.length).toBe(result.iterations);
    expect(result.residualTrace[result.iterations - 1]).toBe(result.maxResidual);
  });

  test.each(SEEDS.map((s, k) => [s, k]))("seed %i: category rows say what the respondent weights say", (_s, k) => {
    // The rows come from validation's counts and the last pass's joint tables; recount them from the codes and
    // the weights handed back, on both unit paths.
    const { problem, options, result } = cases[k];
    const respondents = rakeInternal(problem, options, { forceRespondentPath: true });
    for (const r of [result, respondents]) {
      for (const row of r.categories) {
        const variable = problem.variables[row.variable];
        const missing = missingCode(variable.codes);
        let n = 0;
        let valid = 0;
        let sum = 0;
        let validW = 0;
        for (let i = 0; i < problem.n; i++) {
          const code = variable.codes[i];
          if (code === missing || (row.group !== null && groupOf(problem, i) !== row.group)) continue;
          valid++;
          validW += r.weights[i];
          if (code === row.category) {
            n++;
            sum += r.weights[i];
          }
        }
        expect(row.unweightedN).toBe(n);
        expect(Math.abs(row.unweightedPct - (valid ? (100 * n) / valid : 0))).toBeLessThan(1e-12);
        expect(Math.abs(row.weightedPct - (validW ? (100 * sum) / validW : 0))).toBeLessThan(1e-10);
      }
    }
  });

  test.each(SEEDS.map((s, k) => [s, k]))("seed %i: totals (and shares) kept", (_s, k) => {
    const { problem, options, result } = cases[k];
    const totals = groupTotals(problem, options);
    const sums = new Array(totals.length).fill(0);
    for (let i = 0; i < problem.n; i++) sums[groupOf(problem, i)] += result.weights[i];
    totals.forEach((t, g) => expect(relDiff(sums[g], t)).toBeLessThan(1e-9));
    const total = options.total ?? baseSum(problem);
    expect(relDiff(result.summary.sumWeights, total)).toBeLessThan(1e-9);
  });

  test.each(SEEDS.map((s, k) => [s, k]))("seed %i: caps respected", (_s, k) => {
    const { problem, options, result } = cases[k];
    if (!options.caps) {
      expect(result.summary.atCapMin + result.summary.atCapMax).toBe(0);
      return;
    }
    const totals = groupTotals(problem, options);
    const sizes = new Array(totals.length).fill(0);
    for (let i = 0; i < problem.n; i++) sizes[groupOf(problem, i)]++;
    const min = options.caps.min ?? 0;
    const max = options.caps.max ?? Infinity;
    for (let i = 0; i < problem.n; i++) {
      const g = groupOf(problem, i);
      const relative = result.weights[i] / (totals[g] / sizes[g]);
      expect(relative).toBeGreaterThanOrEqual(min - 1e-8);
      expect(relative).toBeLessThanOrEqual(max + 1e-8);
    }
  });

  test.each(SEEDS.map((s, k) => [s, k]))("seed %i: permuting respondents permutes weights", (_s, k) => {
    const { problem, options, result, seed } = cases[k];
    const perm = permutation(prng(seed + 101), problem.n);
    const permuted = rake(permuteProblem(problem, perm), options);
    expect(permuted.status).toBe(result.status);
    if (result.status !== "converged") return; // a stall may be declared one pass apart under reordering
    for (let j = 0; j < problem.n; j++)
      expect(relDiff(permuted.weights[j], result.weights[perm[j]])).toBeLessThan(1e-8);
  });

  test.each(SEEDS.map((s, k) => [s, k]))("seed %i: fast path equals the respondent path", (_s, k) => {
    const { problem, options, result } = cases[k];
    const varyingBase = gen.baseWeights === "varying";
    expect(result.cellPath).toBe(!(gen.caps && varyingBase));
    const slow = rakeInternal(problem, options, { forceRespondentPath: true });
    expect(slow.cellPath).toBe(false);
    expect(slow.cells).toBe(result.cellPath ? result.cells : slow.cells);
    expect(slow.cells).toBeLessThanOrEqual(problem.n);
    expect(slow.status).toBe(result.status);
    if (result.status !== "converged") return;
    for (let i = 0; i < problem.n; i++) expect(relDiff(slow.weights[i], result.weights[i])).toBeLessThan(1e-8);
  });
});

describe("generated problems are deterministic and feasible", () => {
  test("same seed, same problem", () => {
    const a = generateProblem(42, { groups: 2, crossed: true, missing: true, baseWeights: "varying" });
    const b = generateProblem(42, { groups: 2, crossed: true, missing: true, baseWeights: "varying" });
    expect(a).toEqual(b);
    expect(generateProblem(43, {})).not.toEqual(generateProblem(42, {}));
  });

  test("code types and missing markers", () => {
    const u16 = generateProblem(5, { codeType: "u16", missing: true });
    expect(u16.problem.variables[0].codes).toBeInstanceOf(Uint16Array);
    const u8 = generateProblem(5, { missing: true, variables: 3 });
    expect(u8.problem.variables[0].codes).toBeInstanceOf(Uint8Array);
    expect(u8.options.missing).toBe("exclude");
    expect(Array.from(u8.problem.variables[0].codes).some((c) => c === 0xff)).toBe(true);
  });

  test("the crossed variable's categories are the crossing of its parents", () => {
    const { problem } = generateProblem(9, { crossed: true });
    const [a, b] = problem.variables;
    const x = problem.variables[problem.variables.length - 1];
    expect(x.categories.length).toBe(a.categories.length * b.categories.length);
    for (let i = 0; i < problem.n; i++) expect(x.codes[i]).toBe(a.codes[i] * b.categories.length + b.codes[i]);
  });

  test("a varying-base problem without caps still takes the fast path, with fewer cells than respondents", () => {
    const { problem, options } = generateProblem(3, { baseWeights: "varying", variables: 2, maxCategories: 3 });
    const result: RakeResult = rake(problem, options);
    expect(result.cellPath).toBe(true);
    expect(result.cells).toBeLessThan(problem.n);
  });
});

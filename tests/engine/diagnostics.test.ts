// Diagnostics maths (engine/diagnostics.ts), checked by hand on tiny cases.

import type { CategoryRow, Problem } from "../../engine/contract";
import { capBounds } from "../../engine/caps";
import { computeDiagnostics, summarise } from "../../engine/diagnostics";
import { rake } from "../../engine/rim";

const M = 0xff;

/**
 * Two groups of three. Weights 1..6, T = [6, 15]. x: [a b a | a b –], group South has its own targets 25/75.
 * y: [a b b | – – –], group North has its own targets 40/60; South has no valid answer to y.
 */
const problem: Problem = {
  n: 6,
  variables: [
    {
      name: "x",
      categories: ["a", "b"],
      codes: Uint8Array.from([0, 1, 0, 0, 1, M]),
      targets: Float64Array.from([0.5, 0.5]),
      targetsByGroup: [undefined, Float64Array.from([0.25, 0.75])],
    },
    {
      name: "y",
      categories: ["a", "b"],
      codes: Uint8Array.from([0, 1, 1, M, M, M]),
      targets: Float64Array.from([0.2, 0.8]),
      targetsByGroup: [Float64Array.from([0.4, 0.6])],
    },
  ],
  group: { name: "g", labels: ["North", "South"], codes: Uint8Array.from([0, 0, 0, 1, 1, 1]) },
};
const weights = Float64Array.from([1, 2, 3, 4, 5, 6]);
const groupTotals = Float64Array.from([6, 15]);
// caps 0.5 and 1.5 of the mean: North mean 2 → [1, 3]; South mean 5 → [2.5, 7.5]
const bounds = [capBounds(6, 3, 0.5, 1.5), capBounds(15, 3, 0.5, 1.5)];
// What validation counts and the raking's joint tables hand over, worked out by hand from the codes and weights:
// counts[v][g*2 + c]; sums[g][v][c] = Σ w over group g's answers c to v.
const counts = [Float64Array.from([2, 1, 1, 1]), Float64Array.from([1, 2, 0, 0])];
const sums = [
  [Float64Array.from([1 + 3, 2]), Float64Array.from([1, 2 + 3])],
  [Float64Array.from([4, 5]), Float64Array.from([0, 0])],
];
const input = { problem, weights, counts, sums, groupTotals };
const diagnostics = computeDiagnostics({ ...input, bounds, capMin: 0.5, capMax: 1.5 });

function row(variable: number, category: number, group: number | null): CategoryRow {
  const found = diagnostics.categories.find(
    (r) => r.variable === variable && r.category === category && r.group === group,
  );
  if (!found) throw new Error(`no row ${variable}/${category}/${group}`);
  return found;
}

function expectRow(r: CategoryRow, expected: Omit<CategoryRow, "variable" | "category" | "group" | "diffPct">): void {
  expect(r.unweightedN).toBe(expected.unweightedN);
  expect(r.unweightedPct).toBeCloseTo(expected.unweightedPct, 12);
  expect(r.weightedPct).toBeCloseTo(expected.weightedPct, 12);
  expect(r.targetPct).toBeCloseTo(expected.targetPct, 12);
  expect(r.diffPct).toBeCloseTo(expected.weightedPct - expected.targetPct, 12);
}

describe("category table", () => {
  test("row order: whole sample, then each group; variables, then categories", () => {
    expect(diagnostics.categories.map((r) => [r.group, r.variable, r.category])).toEqual([
      [null, 0, 0], [null, 0, 1], [null, 1, 0], [null, 1, 1],
      [0, 0, 0], [0, 0, 1], [0, 1, 0], [0, 1, 1],
      [1, 0, 0], [1, 0, 1], [1, 1, 0], [1, 1, 1],
    ]); // prettier-ignore
  });

  test("whole sample: counts over valid answers; target weighted by group totals", () => {
    // x: a = rows 1,3,4 (w 1+3+4 = 8), b = rows 2,5 (w 2+5 = 7); valid 5, Σw 15.
    // target a = 100·(6·0.5 + 15·0.25)/21 = 32.142857…, b = 100·(6·0.5 + 15·0.75)/21.
    expectRow(row(0, 0, null), { unweightedN: 3, unweightedPct: 60, weightedPct: 800 / 15, targetPct: 675 / 21 });
    expectRow(row(0, 1, null), { unweightedN: 2, unweightedPct: 40, weightedPct: 700 / 15, targetPct: 1425 / 21 });
    // y: only North has valid answers, so only North's own targets (40/60) count.
    expectRow(row(1, 0, null), { unweightedN: 1, unweightedPct: 100 / 3, weightedPct: 100 / 6, targetPct: 40 });
    expectRow(row(1, 1, null), { unweightedN: 2, unweightedPct: 200 / 3, weightedPct: 500 / 6, targetPct: 60 });
  });

  test("per group: that group's respondents and targets", () => {
    expectRow(row(0, 0, 0), { unweightedN: 2, unweightedPct: 200 / 3, weightedPct: 400 / 6, targetPct: 50 });
    expectRow(row(0, 1, 1), { unweightedN: 1, unweightedPct: 50, weightedPct: 500 / 9, targetPct: 75 });
    expectRow(row(1, 1, 0), { unweightedN: 2, unweightedPct: 200 / 3, weightedPct: 500 / 6, targetPct: 60 });
    // South has no valid y: percentages are 0, the target is still South's (the base 20/80)
    expectRow(row(1, 0, 1), { unweightedN: 0, unweightedPct: 0, weightedPct: 0, targetPct: 20 });
  });
});

describe("weight summaries", () => {
  test("overall: n 6, Σw 21, Σw² 91", () => {
    const s = diagnostics.summary;
    expect(s).toMatchObject({ group: null, n: 6, sumWeights: 21, mean: 3.5, min: 1, max: 6, ratio: 6 });
    expect(s.efficiencyPct).toBeCloseTo((100 * 441) / (6 * 91), 12); // 80.769…
    expect(s.deff).toBeCloseTo((6 * 91) / 441, 12); // 1.238…
    expect(s.effectiveN).toBeCloseTo(441 / 91, 12); // 4.846…
    expect(s.efficiencyPct * s.deff).toBeCloseTo(100, 12);
  });

  test("per group", () => {
    const [north, south] = diagnostics.groups;
    expect(north).toMatchObject({ group: 0, n: 3, sumWeights: 6, mean: 2, min: 1, max: 3, ratio: 3 });
    expect(north.efficiencyPct).toBeCloseTo((100 * 36) / (3 * 14), 12);
    expect(north.deff).toBeCloseTo(42 / 36, 12);
    expect(north.effectiveN).toBeCloseTo(36 / 14, 12);
    expect(south).toMatchObject({ group: 1, n: 3, sumWeights: 15, mean: 5, min: 4, max: 6, ratio: 1.5 });
    expect(south.effectiveN).toBeCloseTo(225 / 77, 12);
  });

  test("cap counts: by each group's own bounds, summed overall", () => {
    const [north, south] = diagnostics.groups;
    expect([north.atCapMin, north.atCapMax]).toEqual([1, 1]); // w = 1 at lo 1, w = 3 at hi 3
    expect([south.atCapMin, south.atCapMax]).toEqual([0, 0]); // 4, 5, 6 inside [2.5, 7.5]
    expect([diagnostics.summary.atCapMin, diagnostics.summary.atCapMax]).toEqual([1, 1]);
    const noCaps = computeDiagnostics({
      ...input,
      bounds: [capBounds(6, 3, undefined, undefined), capBounds(15, 3, undefined, undefined)],
      capMin: undefined,
      capMax: undefined,
    });
    expect([noCaps.summary.atCapMin, noCaps.summary.atCapMax]).toEqual([0, 0]);
  });

  test("an empty group reports zeros", () => {
    expect(summarise(2, 0, 0, 0, Infinity, -Infinity, 0, 0)).toEqual({
      group: 2, n: 0, sumWeights: 0, mean: 0, min: 0, max: 0, ratio: 0, efficiencyPct: 0, deff: 0, effectiveN: 0, atCapMin: 0, atCapMax: 0,
    }); // prettier-ignore
  });
});

describe("diagnostics of a raked problem", () => {
  // Three respondents, x = [a a b], target 50/50: weights 0.75, 0.75, 1.5.
  const tiny: Problem = {
    n: 3,
    variables: [
      { name: "x", categories: ["a", "b"], codes: Uint8Array.from([0, 0, 1]), targets: Float64Array.from([0.5, 0.5]) },
    ],
  };

  test("ungrouped: one table, no group summaries", () => {
    const result = rake(tiny, { tolerance: 1e-12, maxIterations: 10, missing: "error" });
    expect(Array.from(result.weights)).toEqual([0.75, 0.75, 1.5]);
    expect(result.groups).toEqual([]);
    expect(result.categories.map((r) => r.group)).toEqual([null, null]);
    expect(result.categories[0]).toMatchObject({ unweightedN: 2, weightedPct: 50, targetPct: 50, diffPct: 0 });
    expect(result.categories[0].unweightedPct).toBeCloseTo(200 / 3, 12);
    // Σw 3, Σw² 3.375: efficiency 100·9/(3·3.375) = 88.9, deff 1.125, effective n 8/3
    expect(result.summary.efficiencyPct).toBeCloseTo(800 / 9, 12);
    expect(result.summary.deff).toBeCloseTo(1.125, 12);
    expect(result.summary.effectiveN).toBeCloseTo(8 / 3, 12);
    expect(result.summary.ratio).toBe(2);
  });

  test("a binding max cap: the capped respondent is counted and the run stalls", () => {
    // b would need 1.5 but the cap is 1.2 × mean 1; the cap correction settles at [0.9, 0.9, 1.2].
    const result = rake(tiny, { tolerance: 1e-12, maxIterations: 100, missing: "error", caps: { max: 1.2 } });
    expect(result.status).toBe("stalled");
    expect(result.weights[2]).toBeCloseTo(1.2, 8);
    expect(result.weights[0]).toBeCloseTo(0.9, 8);
    expect(result.summary.atCapMax).toBe(1);
    expect(result.summary.atCapMin).toBe(0);
    expect(result.maxResidual).toBeCloseTo(0.1, 8);
    expect(result.categories[1].diffPct).toBeCloseTo(-10, 6);
  });
});

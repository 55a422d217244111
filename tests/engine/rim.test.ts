// Known results for the TS engine (engine/rim.ts): R survey::rake on apiclus1, the classic 4×4 IPF table,
// and the loop's statuses and bookkeeping on small hand-made problems.

import { STALL_IMPROVEMENT, STALL_WINDOW, type Options, type Problem } from "../../engine/contract";
import { rake, rakeInternal, mergeTraces, overallStatus } from "../../engine/rim";

const TIGHT: Options = { tolerance: 1e-10, maxIterations: 1000, missing: "error" };

function u8(values: number[]): Uint8Array {
  return Uint8Array.from(values);
}

/** Respondents from cell counts: one row per respondent, codes per variable. */
function fromCells(cells: { codes: number[]; count: number; base?: number }[]) {
  const codes: number[][] = cells[0].codes.map(() => []);
  const base: number[] = [];
  const cellOf: number[] = [];
  cells.forEach((cell, j) => {
    for (let r = 0; r < cell.count; r++) {
      cell.codes.forEach((c, v) => codes[v].push(c));
      base.push(cell.base ?? 1);
      cellOf.push(j);
    }
  });
  return { codes, base: Float64Array.from(base), cellOf };
}

describe("R survey::rake on apiclus1 (stype × sch.wide)", () => {
  // apiclus1: 183 schools, pw 33.847; rake(dclus1, list(~stype, ~sch.wide), list(stype E/H/M 4421/755/1018,
  // sch.wide No/Yes 1072/5122)) gives these weights per cell (R 4.x, survey 4.x).
  const cells = [
    { codes: [0, 0], count: 12, expected: 39.83924 },
    { codes: [0, 1], count: 132, expected: 29.87067 },
    { codes: [1, 0], count: 3, expected: 67.12553 },
    { codes: [1, 1], count: 11, expected: 50.3294 },
    { codes: [2, 0], count: 8, expected: 49.06907 },
    { codes: [2, 1], count: 17, expected: 36.79102 },
  ];
  const data = fromCells(cells.map((c) => ({ ...c, base: 33.847 })));
  const problem: Problem = {
    n: 183,
    baseWeights: data.base,
    variables: [
      {
        name: "stype",
        categories: ["E", "H", "M"],
        codes: u8(data.codes[0]),
        targets: Float64Array.from([4421 / 6194, 755 / 6194, 1018 / 6194]),
      },
      {
        name: "sch.wide",
        categories: ["No", "Yes"],
        codes: u8(data.codes[1]),
        targets: Float64Array.from([1072 / 6194, 5122 / 6194]),
      },
    ],
  };
  const result = rake(problem, { ...TIGHT, total: 6194 });

  test("weights match survey::rake to 1e-5", () => {
    expect(result.status).toBe("converged");
    for (let i = 0; i < problem.n; i++) {
      expect(Math.abs(result.weights[i] - cells[data.cellOf[i]].expected)).toBeLessThan(1e-5);
    }
  });

  test("margins hit to the tight tolerance, total 6194", () => {
    expect(result.maxResidual).toBeLessThanOrEqual(1e-10);
    const total = result.weights.reduce((s, w) => s + w, 0);
    expect(Math.abs(total - 6194) / 6194).toBeLessThan(1e-12);
    const stypeE = result.weights.filter((_, i) => data.codes[0][i] === 0).reduce((s, w) => s + w, 0);
    expect(Math.abs(stypeE - 4421)).toBeLessThan(1e-6);
  });

  test("Kish design effect 1.051657", () => {
    expect(Math.abs(result.summary.deff - 1.051657)).toBeLessThan(5e-7);
    expect(result.summary.n).toBe(183);
  });

  test("uses the cell path with six cells; the respondent path agrees", () => {
    expect(result.cellPath).toBe(true);
    expect(result.cells).toBe(6);
    const slow = rakeInternal(problem, { ...TIGHT, total: 6194 }, { forceRespondentPath: true });
    expect(slow.cellPath).toBe(false);
    for (let i = 0; i < problem.n; i++) expect(Math.abs(slow.weights[i] / result.weights[i] - 1)).toBeLessThan(1e-12);
  });

  test("reports the ts backend", () => {
    expect(result.backend).toBe("ts");
    expect(result.threads).toBe(1);
    expect(result.elapsedMs).toBeGreaterThanOrEqual(0);
  });
});

describe("classic 4×4 IPF table", () => {
  const seed = [
    [40, 30, 20, 10],
    [35, 50, 100, 75],
    [30, 80, 70, 120],
    [20, 30, 40, 50],
  ];
  const rows: number[] = [];
  const cols: number[] = [];
  const base: number[] = [];
  seed.forEach((row, r) => row.forEach((x, c) => (rows.push(r), cols.push(c), base.push(x))));
  const problem: Problem = {
    n: 16,
    baseWeights: Float64Array.from(base),
    variables: [
      {
        name: "row",
        categories: ["r1", "r2", "r3", "r4"],
        codes: u8(rows),
        targets: Float64Array.from([150, 300, 400, 150].map((x) => x / 1000)),
      },
      {
        name: "col",
        categories: ["c1", "c2", "c3", "c4"],
        codes: u8(cols),
        targets: Float64Array.from([200, 300, 400, 100].map((x) => x / 1000)),
      },
    ],
  };
  const result = rake(problem, { ...TIGHT, total: 1000 });
  const cell = (r: number, c: number) => result.weights[r * 4 + c];

  test("fitted cells", () => {
    expect(result.status).toBe("converged");
    expect(Math.abs(cell(0, 0) - 64.5585)).toBeLessThan(5e-5);
    expect(Math.abs(cell(1, 2) - 156.4985)).toBeLessThan(5e-5);
    expect(Math.abs(cell(2, 1) - 144.4282)).toBeLessThan(5e-5);
    expect(Math.abs(cell(3, 3) - 17.0337)).toBeLessThan(5e-5);
  });

  test("row and column totals", () => {
    for (let r = 0; r < 4; r++) {
      const sum = [0, 1, 2, 3].reduce((s, c) => s + cell(r, c), 0);
      expect(Math.abs(sum - [150, 300, 400, 150][r])).toBeLessThan(1e-6);
    }
    for (let c = 0; c < 4; c++) {
      const sum = [0, 1, 2, 3].reduce((s, r) => s + cell(r, c), 0);
      expect(Math.abs(sum - [200, 300, 400, 100][c])).toBeLessThan(1e-6);
    }
  });

  test("the trace falls and ends at the reported residual", () => {
    expect(result.residualTrace.length).toBe(result.iterations);
    expect(result.residualTrace[result.iterations - 1]).toBe(result.maxResidual);
    expect(result.residualTrace[result.iterations - 1]).toBeLessThan(result.residualTrace[0]);
  });
});

describe("loop statuses", () => {
  // Crossed targets that contradict a parent's targets: no weights satisfy both, IPF oscillates.
  const a = [0, 0, 1, 1, 0, 1];
  const b = [0, 1, 0, 1, 1, 0];
  const contradiction: Problem = {
    n: 6,
    variables: [
      { name: "a", categories: ["a0", "a1"], codes: u8(a), targets: Float64Array.from([0.5, 0.5]) },
      {
        name: "a×b",
        categories: ["a0b0", "a0b1", "a1b0", "a1b1"],
        codes: u8(a.map((x, i) => x * 2 + b[i])),
        targets: Float64Array.from([0.35, 0.35, 0.15, 0.15]),
      },
    ],
  };

  test("an impossible problem is reported as stalled, never converged", () => {
    const result = rake(contradiction, TIGHT);
    expect(result.status).toBe("stalled");
    expect(result.maxResidual).toBeGreaterThan(TIGHT.tolerance);
    const t = result.residualTrace;
    expect(t.length).toBe(result.iterations);
    expect(t.length).toBeGreaterThan(STALL_WINDOW);
    expect(t[t.length - 1]).toBeGreaterThan((1 - STALL_IMPROVEMENT) * t[t.length - 1 - STALL_WINDOW]);
  });

  test("running out of passes is max_iterations", () => {
    const result = rake(contradiction, { ...TIGHT, maxIterations: 3 });
    expect(result.status).toBe("max_iterations");
    expect(result.iterations).toBe(3);
    expect(result.residualTrace.length).toBe(3);
  });

  test("an already-matching sample converges after one pass with unchanged weights", () => {
    const problem: Problem = {
      n: 4,
      variables: [
        { name: "x", categories: ["p", "q"], codes: u8([0, 1, 0, 1]), targets: Float64Array.from([0.5, 0.5]) },
      ],
    };
    const result = rake(problem, TIGHT);
    expect(result.status).toBe("converged");
    expect(result.iterations).toBe(1);
    expect(Array.from(result.weights)).toEqual([1, 1, 1, 1]);
    expect(result.groupRuns).toEqual([]);
  });

  test("overall status: max_iterations beats stalled beats converged", () => {
    const run = (status: "converged" | "stalled" | "max_iterations") => ({
      group: 0,
      status,
      iterations: 1,
      maxResidual: 0,
    });
    expect(overallStatus([run("converged"), run("stalled")])).toBe("stalled");
    expect(overallStatus([run("stalled"), run("max_iterations"), run("converged")])).toBe("max_iterations");
    expect(overallStatus([run("converged")])).toBe("converged");
  });

  test("merged trace: per pass max over groups, a finished group keeps its last value", () => {
    expect(mergeTraces([[0.5, 0.1], [0.3, 0.2, 0.05, 0.01], []])).toEqual([0.5, 0.2, 0.1, 0.1]);
  });

  test("grouped: iterations and residual are the max over groups", () => {
    const problem: Problem = {
      n: 8,
      variables: [
        {
          name: "x",
          categories: ["p", "q"],
          codes: u8([0, 1, 0, 1, 0, 0, 0, 1]),
          targets: Float64Array.from([0.5, 0.5]),
        },
      ],
      group: { name: "region", labels: ["N", "S"], codes: u8([0, 0, 0, 0, 1, 1, 1, 1]) },
    };
    const result = rake(problem, TIGHT);
    expect(result.groupRuns.map((r) => r.group)).toEqual([0, 1]);
    expect(result.iterations).toBe(Math.max(...result.groupRuns.map((r) => r.iterations)));
    expect(result.maxResidual).toBe(Math.max(...result.groupRuns.map((r) => r.maxResidual)));
    // each group keeps its share of the base (4 of 8), and within group S: 3 p and 1 q → 2/3 and 2
    expect(Array.from(result.weights.slice(4))).toEqual([2 / 3, 2 / 3, 2 / 3, 2]);
  });
});

describe("options", () => {
  const problem: Problem = {
    n: 5,
    variables: [
      { name: "x", categories: ["p", "q"], codes: u8([0, 1, 0, 0, 1]), targets: Float64Array.from([0.4, 0.6]) },
    ],
    baseWeights: Float64Array.from([1, 2, 3, 4, 5]),
  };

  test("total defaults to the sum of base weights", () => {
    const result = rake(problem, TIGHT);
    expect(result.summary.sumWeights).toBeCloseTo(15, 12);
    // p: base 1+3+4 = 8 of 15, target 0.4·15 = 6: factor 3/4; q: base 2+5 = 7, target 9: factor 9/7
    expect(result.weights[0]).toBeCloseTo(0.75, 12);
    expect(result.weights[1]).toBeCloseTo(2 * (9 / 7), 12);
  });

  test("an explicit total rescales", () => {
    const result = rake(problem, { ...TIGHT, total: 100 });
    expect(result.summary.sumWeights).toBeCloseTo(100, 10);
  });

  test("missing: exclude leaves a missing respondent unadjusted by that variable", () => {
    const withMissing: Problem = {
      n: 4,
      variables: [
        { name: "x", categories: ["p", "q"], codes: u8([0, 0, 1, 255]), targets: Float64Array.from([0.5, 0.5]) },
      ],
    };
    const result = rake(withMissing, { ...TIGHT, missing: "exclude" });
    expect(result.status).toBe("converged");
    // valid weight 3: p gets 1.5 (0.75 each), q gets 1.5; the missing respondent stays at 1
    expect(Array.from(result.weights)).toEqual([0.75, 0.75, 1.5, 1]);
  });
});

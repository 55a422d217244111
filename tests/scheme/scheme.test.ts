// Scheme parser, happy paths: target units, normalisation, crossed variables, groups and shares, labels
// from numbers, code widths, missing answers, blank rows, and the engine running on what the parser builds.
import { MISSING_U8, type EngineError, type Problem } from "../../engine/contract";
import { rake } from "../../engine/rim";
import {
  cellAddress,
  describeSchemeWarning,
  engineErrorWhere,
  locateEngineError,
  parseSchemeOptions,
  weightColumn,
  type Scheme,
  type SchemeOutcome,
  readCell,
  readGrid,
  labelOf,
} from "../../scheme/scheme";
import { parseGrids, type Grid, type GridSettings } from "./grids";

const DATA_AT = { sheet: "Data", row: 0, col: 0 };
const TARGETS_AT = { sheet: "Targets", row: 0, col: 0 };

export function parse(data: Grid, targets: Grid, settings?: GridSettings): SchemeOutcome {
  return parseGrids({ data, dataAt: DATA_AT, targets, targetsAt: TARGETS_AT, settings });
}

function ok(outcome: SchemeOutcome): Scheme {
  if (!outcome.ok) throw new Error(`expected a scheme, got ${JSON.stringify(outcome.error)}`);
  return outcome;
}

function targetsOf(scheme: Scheme, name: string): number[] {
  const v = scheme.problem.variables.find((x) => x.name === name)!;
  return Array.from(v.targets);
}

function expectClose(actual: number[], expected: number[], digits = 12): void {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((x, i) => expect(x).toBeCloseTo(expected[i], digits));
}

// 8 respondents: gender M/F, age young/old
const DATA: Grid = [
  ["id", "gender", "age"],
  [1, "M", "young"],
  [2, "F", "young"],
  [3, "M", "old"],
  [4, "F", "old"],
  [5, "F", "young"],
  [6, "F", "old"],
  [7, "M", "young"],
  [8, "F", "old"],
];

describe("target units", () => {
  test("percentages: proportions over categories in target order, codes index them", () => {
    const s = ok(
      parse(DATA, [
        ["variable", "category", "target"],
        ["gender", "M", 40],
        ["gender", "F", 60],
        ["age", "old", 30],
        ["age", "young", 70],
      ]),
    );
    expect(s.problem.n).toBe(8);
    expect(s.problem.variables.map((v) => v.name)).toEqual(["gender", "age"]);
    expect(s.problem.variables[1].categories).toEqual(["old", "young"]);
    expectClose(targetsOf(s, "gender"), [0.4, 0.6]);
    expect(Array.from(s.problem.variables[1].codes)).toEqual([1, 1, 0, 0, 1, 0, 1, 0]);
    expect(s.problem.variables[0].codes).toBeInstanceOf(Uint8Array);
    expect(s.warnings).toEqual([]);
    expect(s.total).toEqual({ source: "base" });
    expect(s.options).toEqual({ tolerance: 1e-6, maxIterations: 1000, missing: "error" });
  });

  test("proportions", () => {
    const s = ok(
      parse(DATA, [
        ["variable", "category", "target"],
        ["gender", "M", 0.45],
        ["gender", "F", 0.55],
      ]),
    );
    expectClose(targetsOf(s, "gender"), [0.45, 0.55]);
    expect(s.warnings).toEqual([]);
    expect(s.options.total).toBeUndefined();
  });

  test("counts that agree imply the total", () => {
    const s = ok(
      parse(DATA, [
        ["variable", "category", "target"],
        ["gender", "M", 300],
        ["gender", "F", 700],
        ["age", "young", 450],
        ["age", "old", 550],
      ]),
    );
    expectClose(targetsOf(s, "gender"), [0.3, 0.7]);
    expect(s.options.total).toBe(1000);
    expect(s.total).toEqual({ source: "counts", value: 1000 });
    expect(s.warnings).toEqual([]);
  });

  test("counts that disagree: a warning and the base-weight total; an explicit total silences it", () => {
    const targets = [
      ["variable", "category", "target"],
      ["gender", "M", 300],
      ["gender", "F", 700],
      ["age", "young", 450],
      ["age", "old", 500],
    ];
    const s = ok(parse(DATA, targets));
    expect(s.options.total).toBeUndefined();
    expect(s.warnings.map((w) => w.code)).toEqual(["counts_disagree"]);
    expect(describeSchemeWarning(s.warnings[0])).toBe(
      "targets: the count targets do not agree on a total ('gender' 1000, 'age' 950); the weights sum to the base weights instead (set a total to choose one).",
    );
    const t = ok(parse(DATA, targets, { total: 8 }));
    expect(t.warnings).toEqual([]);
    expect(t.total).toEqual({ source: "option", value: 8 });
  });

  test("a percentage sum off 100 is normalised with a warning naming the variable and the sum", () => {
    const s = ok(
      parse(DATA, [
        ["variable", "category", "target"],
        ["gender", "M", 49.5],
        ["gender", "F", 50],
      ]),
    );
    expectClose(targetsOf(s, "gender"), [49.5 / 99.5, 50 / 99.5]);
    expect(s.warnings).toEqual([
      { code: "targets_normalised", variable: "gender", group: null, sum: 99.5, unit: "percent" },
    ]);
    expect(describeSchemeWarning(s.warnings[0])).toBe(
      "targets: the targets of 'gender' add up to 99.5%, not 100%; they were scaled to 100%.",
    );
  });

  test("proportions off 1 are normalised with a warning; float noise is not", () => {
    const s = ok(
      parse(DATA, [
        ["variable", "category", "target"],
        ["gender", "M", 0.5],
        ["gender", "F", 0.49],
      ]),
    );
    expect(describeSchemeWarning(s.warnings[0])).toBe(
      "targets: the targets of 'gender' add up to 0.99, not 1; they were scaled to 1.",
    );
    const t = ok(
      parse(DATA, [
        ["variable", "category", "target"],
        ["gender", "M", 0.1 + 0.2],
        ["gender", "F", 0.7],
      ]),
    );
    expect(t.warnings).toEqual([]);
  });

  test("targets as text (a CSV), with a % sign, are numbers", () => {
    const s = ok(
      parse(DATA, [
        ["variable", "category", "target"],
        ["gender", "M", "25%"],
        [" gender ", "F", " 75 "],
      ]),
    );
    expectClose(targetsOf(s, "gender"), [0.25, 0.75]);
  });
});

describe("target table layout", () => {
  test("headers in any case and order", () => {
    const s = ok(
      parse(DATA, [
        ["TARGET", "Category", "Variable"],
        [40, "M", "gender"],
        [60, "F", "gender"],
      ]),
    );
    expectClose(targetsOf(s, "gender"), [0.4, 0.6]);
  });

  test("no header row when the first row's target cell is a number", () => {
    const s = ok(
      parse(DATA, [
        ["gender", "M", 40],
        ["gender", "F", 60],
      ]),
    );
    expect(s.problem.variables[0].categories).toEqual(["M", "F"]);
    expectClose(targetsOf(s, "gender"), [0.4, 0.6]);
  });

  test("a blank variable cell repeats the variable above; blank rows are skipped", () => {
    const s = ok(
      parse(DATA, [
        ["variable", "category", "target"],
        ["gender", "M", 40],
        ["", "F", 60],
        ["", "", ""],
        ["age", "young", 50],
        ["", "old", 50],
      ]),
    );
    expect(s.problem.variables.map((v) => v.categories)).toEqual([
      ["M", "F"],
      ["young", "old"],
    ]);
  });

  test("settings.variables picks the variables; unused targets are a warning", () => {
    const s = ok(
      parse(
        DATA,
        [
          ["variable", "category", "target"],
          ["gender", "M", 40],
          ["gender", "F", 60],
          ["age", "young", 50],
          ["age", "old", 50],
        ],
        {
          variables: ["age"],
        },
      ),
    );
    expect(s.problem.variables.map((v) => v.name)).toEqual(["age"]);
    expect(s.warnings).toEqual([{ code: "targets_unused", variables: ["gender"] }]);
  });
});

describe("labels", () => {
  test("numbers are labels as Excel shows them: 1 → '1', 1.5 → '1.5', 0.1 + 0.2 → '0.3'", () => {
    expect(labelOf(readCell(1))).toBe("1");
    expect(labelOf(readCell(1.5))).toBe("1.5");
    expect(labelOf(readCell(0.1 + 0.2))).toBe("0.3");
    expect(labelOf(readCell(true))).toBe("TRUE");
    expect(labelOf(readCell("  x  "))).toBe("x");
    const data = [["q"], [1], [2], [1.5], ["2"], [" 1 "]];
    const s = ok(
      parse(data, [
        ["variable", "category", "target"],
        ["q", 1, 50],
        ["q", "2", 30],
        ["q", "1.5", 20],
      ]),
    );
    expect(s.problem.variables[0].categories).toEqual(["1", "2", "1.5"]);
    expect(Array.from(s.problem.variables[0].codes)).toEqual([0, 1, 2, 1, 0]);
  });

  test("labels match case-sensitively", () => {
    const data = [["g"], ["a"], ["A"]];
    const s = ok(
      parse(data, [
        ["variable", "category", "target"],
        ["g", "a", 50],
        ["g", "A", 50],
      ]),
    );
    expect(Array.from(s.problem.variables[0].codes)).toEqual([0, 1]);
  });

  test("Uint16Array codes from 255 categories, Uint8Array below", () => {
    const build = (k: number) => {
      const data: unknown[][] = [["v"]];
      const targets: unknown[][] = [["variable", "category", "target"]];
      for (let c = 0; c < k; c++) {
        data.push([`c${c}`]);
        targets.push(["v", `c${c}`, 1]);
      }
      return ok(parse(data, targets)).problem.variables[0].codes;
    };
    expect(build(254)).toBeInstanceOf(Uint8Array);
    const wide = build(300);
    expect(wide).toBeInstanceOf(Uint16Array);
    expect(wide[299]).toBe(299);
  });
});

describe("crossed variables", () => {
  const targets = [
    ["variable", "category", "target"],
    ["age x gender", "young x M", 20],
    ["age x gender", "young x F", 30],
    ["age x gender", "old x M", 15],
    ["age x gender", "old x F", 35],
  ];

  test("'age x gender' is one variable whose categories are the crossing", () => {
    const s = ok(parse(DATA, targets));
    const v = s.problem.variables[0];
    expect(v.name).toBe("age x gender");
    expect(v.categories).toEqual(["young x M", "young x F", "old x M", "old x F"]);
    // respondents: young M, young F, old M, old F, young F, old F, young M, old F
    expect(Array.from(v.codes)).toEqual([0, 1, 2, 3, 1, 3, 0, 3]);
    expectClose(Array.from(v.targets), [0.2, 0.3, 0.15, 0.35]);
    expect(s.locations.variableColumns).toEqual([[2, 1]]);
  });

  test("'×' and ' X ' work too, and category spacing is forgiven", () => {
    const s = ok(
      parse(
        DATA,
        targets.map((row, r) => (r === 0 ? row : ["age × gender", String(row[1]).replace(" x ", "×"), row[2]])),
      ),
    );
    expect(s.problem.variables[0].categories).toEqual(["young × M", "young × F", "old × M", "old × F"]);
    const t = ok(
      parse(
        DATA,
        targets.map((row, r) =>
          r === 0
            ? row
            : [
                "Age X Gender".replace("Age", "age").replace("Gender", "gender"),
                String(row[1]).replace(" x ", "  X "),
                row[2],
              ],
        ),
      ),
    );
    expect(t.problem.variables[0].categories[0]).toBe("young x M");
    expect(Array.from(t.problem.variables[0].codes)).toEqual([0, 1, 2, 3, 1, 3, 0, 3]);
  });

  test("three columns, and a crossing next to an ordinary variable", () => {
    const data = [
      ["a", "b", "c"],
      ["1", "x1", "p"],
      ["2", "x1", "p"],
      ["1", "x1", "q"],
    ];
    const s = ok(
      parse(data, [
        ["variable", "category", "target"],
        ["a x b x c", "1 x x1 x p", 40],
        ["a x b x c", "2 x x1 x p", 30],
        ["a x b x c", "1 x x1 x q", 30],
        ["c", "p", 60],
        ["c", "q", 40],
      ]),
    );
    expect(Array.from(s.problem.variables[0].codes)).toEqual([0, 1, 2]);
    expect(s.problem.variables[1].name).toBe("c");
  });

  test("a blank part makes the crossing missing under exclude", () => {
    const data = DATA.map((row, r) => (r === 1 ? [row[0], "", row[2]] : row));
    const s = ok(parse(data, targets, { missing: "exclude" }));
    expect(Array.from(s.problem.variables[0].codes)).toEqual([MISSING_U8, 1, 2, 3, 1, 3, 0, 3]);
  });
});

describe("groups", () => {
  const data = [
    ["region", "gender", "age"],
    ["N", "M", "young"],
    ["N", "F", "old"],
    ["S", "M", "old"],
    ["S", "F", "young"],
    ["N", "F", "young"],
    ["S", "F", "old"],
  ];

  test("rows with a group apply to that group; rows without one to all groups", () => {
    const s = ok(
      parse(
        data,
        [
          ["variable", "category", "target", "group"],
          ["gender", "M", 40, "N"],
          ["gender", "F", 60, "N"],
          ["gender", "M", 50, "S"],
          ["gender", "F", 50, "S"],
          ["age", "young", 50, ""],
          ["age", "old", 50, ""],
        ],
        { group: "region" },
      ),
    );
    const g = s.problem.group!;
    expect(g.name).toBe("region");
    expect(g.labels).toEqual(["N", "S"]);
    expect(Array.from(g.codes)).toEqual([0, 0, 1, 1, 0, 1]);
    expect(g.shares).toBeUndefined();
    const gender = s.problem.variables[0];
    expectClose(Array.from(gender.targetsByGroup![0]!), [0.4, 0.6]);
    expectClose(Array.from(gender.targetsByGroup![1]!), [0.5, 0.5]);
    expectClose(Array.from(gender.targets), [0.45, 0.55]);
    expect(s.problem.variables[1].targetsByGroup).toBeUndefined();
    expect(s.names.group).toEqual({ name: "region", labels: ["N", "S"] });
  });

  test("group shares from a grid with a header, in percent, normalised with a warning", () => {
    const s = ok(
      parse(
        data,
        [
          ["variable", "category", "target"],
          ["gender", "M", 50],
          ["gender", "F", 50],
        ],
        {
          group: "region",
          groupShares: [
            ["group", "share"],
            ["S", 30],
            ["N", 69],
          ],
          groupSharesAt: { sheet: "Shares", row: 0, col: 0 },
        },
      ),
    );
    expectClose(Array.from(s.problem.group!.shares!), [69 / 99, 30 / 99]);
    expect(s.warnings.map((w) => w.code)).toEqual(["shares_normalised"]);
  });

  test("group shares from a map", () => {
    const s = ok(
      parse(
        data,
        [
          ["gender", "M", 50],
          ["gender", "F", 50],
        ],
        { group: "region", groupShares: { N: 0.25, S: 0.75 } },
      ),
    );
    expectClose(Array.from(s.problem.group!.shares!), [0.25, 0.75]);
  });

  test("per-group count targets imply the shares and the total", () => {
    const s = ok(
      parse(
        data,
        [
          ["variable", "category", "target", "group"],
          ["gender", "M", 100, "N"],
          ["gender", "F", 200, "N"],
          ["gender", "M", 400, "S"],
          ["gender", "F", 300, "S"],
        ],
        { group: "region" },
      ),
    );
    expectClose(Array.from(s.problem.group!.shares!), [0.3, 0.7]);
    expect(s.options.total).toBe(1000);
    const result = rake(s.problem, s.options);
    const north = result.groups.find((x) => x.group === 0)!;
    expect(north.sumWeights).toBeCloseTo(300, 9);
  });
});

describe("missing answers, blank rows, base weights", () => {
  const targets = [
    ["variable", "category", "target"],
    ["gender", "M", 50],
    ["gender", "F", 50],
  ];

  test("exclude codes blanks and error values as MISSING", () => {
    const data = [
      ["id", "gender"],
      [1, "M"],
      [2, ""],
      [3, "#N/A"],
      [4, { type: "Error", basicValue: "#VALUE!" }],
      [5, "F"],
      [6, null],
    ];
    const s = ok(parse(data, targets, { missing: "exclude" }));
    expect(Array.from(s.problem.variables[0].codes)).toEqual([0, MISSING_U8, MISSING_U8, MISSING_U8, 1, MISSING_U8]);
    expect(s.options.missing).toBe("exclude");
  });

  test("blank rows are skipped with a warning, and weightColumn lines weights up with the grid", () => {
    const data = [
      ["gender", "w"],
      ["M", 1],
      ["", ""],
      ["F", 2],
      [" ", null],
    ];
    const s = ok(parse(data, targets, { base: "w" }));
    expect(Array.from(s.rowMap)).toEqual([1, 3]);
    expect(s.dataRows).toBe(4);
    // the trailing blank row is below the data, not a skipped respondent row (review: whole-column ranges)
    expect(describeSchemeWarning(s.warnings[0])).toBe(
      "data: 1 blank row was skipped (first at Data!A3); it gets no weight.",
    );
    expect(Array.from(s.problem.baseWeights!)).toEqual([1, 2]);
    expect(weightColumn(s, Float64Array.from([0.5, 1.5]))).toEqual([0.5, "", 1.5, ""]);
  });

  test("base weights from text (CSV) and numbers", () => {
    const s = ok(
      parse(
        [
          ["gender", "w"],
          ["M", "1.5"],
          ["F", 2],
        ],
        targets,
        { base: "w" },
      ),
    );
    expect(Array.from(s.problem.baseWeights!)).toEqual([1.5, 2]);
  });

  test("options pass through", () => {
    const s = ok(parse(DATA, targets, { tolerance: 1e-9, maxIterations: 50, caps: { max: 3 }, total: 100 }));
    expect(s.options).toEqual({ tolerance: 1e-9, maxIterations: 50, missing: "error", caps: { max: 3 }, total: 100 });
  });
});

describe("addresses", () => {
  test("cells are named relative to the grid's top-left", () => {
    expect(cellAddress({ sheet: "Data", row: 0, col: 0 }, 16, 2)).toBe("Data!C17");
    expect(cellAddress({ sheet: "My Data", row: 4, col: 2 }, 5, 0)).toBe("'My Data'!C10");
    expect(cellAddress({ sheet: "data.csv", row: 0, col: 0 }, 0, 27)).toBe("data.csv!AB1");
    expect(cellAddress(undefined, 0, 0)).toBe("A1");
    expect(cellAddress({ sheet: "O'Brien", row: 0, col: 0 }, 0, 0)).toBe("'O''Brien'!A1");
  });
});

describe("the engine on parsed schemes", () => {
  test("apiclus1-like data: the survey::rake reference weights", () => {
    const cells: [string, string, number][] = [
      ["E", "No", 12],
      ["E", "Yes", 132],
      ["H", "No", 3],
      ["H", "Yes", 11],
      ["M", "No", 8],
      ["M", "Yes", 17],
    ];
    const data: unknown[][] = [["stype", "sch.wide", "pw"]];
    for (const [stype, wide, count] of cells) for (let i = 0; i < count; i++) data.push([stype, wide, 33.847]);
    const s = ok(
      parse(
        data,
        [
          ["variable", "category", "target"],
          ["stype", "E", 4421],
          ["stype", "H", 755],
          ["stype", "M", 1018],
          ["sch.wide", "No", 1072],
          ["sch.wide", "Yes", 5122],
        ],
        { base: "pw", tolerance: 1e-10 },
      ),
    );
    expect(s.problem.n).toBe(183);
    expect(s.options.total).toBe(6194);
    const result = rake(s.problem, s.options);
    expect(result.status).toBe("converged");
    const expected = [39.83924, 29.87067, 67.12553, 50.3294, 49.06907, 36.79102];
    let row = 0;
    cells.forEach(([, , count], k) => {
      expect(Math.abs(result.weights[row] - expected[k])).toBeLessThan(2e-5);
      row += count;
    });
    expect(result.summary.sumWeights).toBeCloseTo(6194, 8);
  });

  test("locateEngineError names the data cell of a respondent and the target cell of a category", () => {
    const s = ok(
      parse(
        DATA,
        [
          ["variable", "category", "target"],
          ["gender", "M", 50],
          ["gender", "F", 50],
        ],
        { base: "id" },
      ),
    );
    const missing: EngineError = { code: "missing_value", variable: 0, row: 4, count: 2 };
    // the words are engine/errors.ts's; the parser adds the cell after the respondent
    expect(locateEngineError(missing, s)).toContain("'gender' has no answer at respondent 5 (Data!B6)");
    expect(locateEngineError({ code: "bad_base_weight", row: 0, value: 0 }, s)).toContain("respondent 1 (Data!A2)");
    const empty = locateEngineError({ code: "empty_category", variable: 0, category: 1, group: null }, s);
    expect(empty).toContain("'F'");
    expect(empty).toContain("(Targets!B3)");
  });

  test("rowMap carries skipped rows into engine error cells", () => {
    const data = [["gender"], ["M"], [""], ["F"]];
    const s = ok(
      parse(data, [
        ["gender", "M", 50],
        ["gender", "F", 50],
      ]),
    );
    const problem: Problem = s.problem;
    expect(problem.n).toBe(2);
    expect(locateEngineError({ code: "missing_value", variable: 0, row: 1, count: 1 }, s)).toContain(
      "respondent 2 (Data!A4)",
    );
    expect(engineErrorWhere({ code: "missing_value", variable: 0, row: 1, count: 1 }, s)).toBe("Data!A4");
    expect(engineErrorWhere({ code: "cancelled" }, s)).toBeUndefined();
  });
});

describe("options from name/value pairs", () => {
  test("names in any spelling, values as text or numbers", () => {
    const parsed = parseSchemeOptions(
      readGrid([
        ["Max iterations", "50"],
        ["cap_max", 4],
        ["capMin", "0.25"],
        ["tolerance", 1e-8],
        ["missing", "Exclude"],
        ["base", "pw"],
        ["variables", "age, gender"],
        ["total", ""],
      ]),
    );
    expect(parsed).toEqual({
      ok: true,
      settings: {
        maxIterations: 50,
        caps: { max: 4, min: 0.25 },
        tolerance: 1e-8,
        missing: "exclude",
        base: "pw",
        variables: ["age", "gender"],
      },
    });
  });
});

describe("targets that look like mistyped percentages or proportions", () => {
  const SMALL = [
    ["g", "a"],
    ["m", 1],
    ["f", 2],
    ["m", 2],
    ["f", 1],
  ];

  test("percentages adding up to 90 are read as counts with a warning (they set the total)", () => {
    const s = ok(
      parse(SMALL, [
        ["g", "m", 50],
        ["g", "f", 40],
        ["a", 1, 50],
        ["a", 2, 50],
      ]),
    );
    expect(s.total).toEqual({ source: "counts", value: 90 });
    expect(s.warnings.map(describeSchemeWarning)).toEqual([
      "targets: the targets of 'g' add up to 90, too far from 100% or 1 to be read as percentages or proportions; they were read as counts, which can set the total the weights sum to. Correct them if they are percentages or proportions.",
    ]);
  });

  test("proportions adding up to 0.9 warn too; real counts and in-band sums do not", () => {
    const low = ok(
      parse(SMALL, [
        ["g", "m", 0.3],
        ["g", "f", 0.6],
      ]),
    );
    expect(low.warnings.map((w) => w.code)).toEqual(["targets_read_as_counts"]);
    const counts = ok(
      parse(SMALL, [
        ["g", "m", 600],
        ["g", "f", 400],
      ]),
    );
    expect(counts.warnings).toEqual([]);
    const percent = ok(
      parse(SMALL, [
        ["g", "m", 60],
        ["g", "f", 40],
      ]),
    );
    expect(percent.warnings).toEqual([]);
  });

  test("trailing blank rows (a generous range) are not reported as skipped; inner ones are", () => {
    const targets = [
      ["g", "m", 60],
      ["g", "f", 40],
    ];
    expect(ok(parse([...SMALL, ["", ""], ["", ""], ["", ""]], targets)).warnings).toEqual([]);
    const inner = ok(parse([SMALL[0], SMALL[1], ["", ""], ...SMALL.slice(2), ["", ""]], targets));
    expect(inner.warnings.map(describeSchemeWarning)).toEqual([
      "data: 1 blank row was skipped (first at Data!A3); it gets no weight.",
    ]);
  });
});

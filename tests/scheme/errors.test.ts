// Scheme parser, validation: every SchemeError code, with its message naming the variable, category,
// group and cells. Messages are asserted whole: they are what the task pane, =RIM.WEIGHT() and the CLI say.
import {
  checkScheme,
  describeSchemeError,
  parseSchemeOptions,
  readGrid,
  type SchemeErrorCode,
  type SchemeOutcome,
} from "../../scheme/scheme";
import { parseGrids, type Grid, type GridSettings } from "./grids";

const DATA_AT = { sheet: "Data", row: 0, col: 0 };
const TARGETS_AT = { sheet: "Targets", row: 0, col: 0 };

function parse(data: Grid, targets: Grid, settings?: GridSettings): SchemeOutcome {
  return parseGrids({ data, dataAt: DATA_AT, targets, targetsAt: TARGETS_AT, settings });
}

/**
 * Infeasible targets are the engine's to find (its validation step 8), the parser's to locate: the message the
 * pane's Check and every run give, naming the target cell.
 */
function infeasible(outcome: SchemeOutcome): string | null {
  if (!outcome.ok) throw new Error(`expected a scheme, got ${JSON.stringify(outcome.error)}`);
  return checkScheme(outcome)?.message ?? null;
}

/** The message of the error the parse must fail with, after checking its code. */
function failure(outcome: SchemeOutcome, code: SchemeErrorCode): string {
  if (outcome.ok) throw new Error(`expected ${code}, got a scheme`);
  expect(outcome.error.code).toBe(code);
  return describeSchemeError(outcome.error);
}

const HEAD = ["variable", "category", "target"];

// id | gender | region | w   (rows 2..7 on the sheet)
const DATA: Grid = [
  ["id", "gender", "region", "w"],
  [1, "M", "North", 1],
  [2, "F", "North", 1],
  [3, "M", "South", 2],
  [4, "F", "South", 2],
  [5, "F", "North", 1],
  [6, "M", "South", 1],
];
const GENDER = [HEAD, ["gender", "M", 50], ["gender", "F", 50]];

describe("the data grid", () => {
  test("empty", () => {
    expect(failure(parse([], GENDER), "empty_data")).toBe(
      "data: the data range is empty (Data!A1); it needs a header row and at least one respondent.",
    );
    expect(failure(parse([["", ""]], GENDER), "empty_data")).toContain("empty");
  });

  test("header only", () => {
    expect(failure(parse([["id", "gender"]], GENDER), "no_respondents")).toBe(
      "data: the data has a header row but no respondents (Data!A1).",
    );
    expect(
      failure(
        parse(
          [
            ["id", "gender"],
            ["", ""],
          ],
          GENDER,
        ),
        "no_respondents",
      ),
    ).toContain("no respondents");
  });

  test("duplicate header names both cells", () => {
    const data = [
      ["id", "gender", "x", "gender"],
      [1, "M", 0, "F"],
    ];
    expect(failure(parse(data, GENDER), "duplicate_header")).toBe(
      "data: the column name 'gender' appears twice (Data!B1 and Data!D1); column names must be unique.",
    );
  });

  test("a target variable that is not a column: the target cell, the headers and a hint", () => {
    const targets = [HEAD, ["gender", "M", 50], ["gender", "F", 50], ["Region", "North", 50], ["Region", "South", 50]];
    expect(failure(parse(DATA, targets), "unknown_variable")).toBe(
      "targets: 'Region' is not a column of the data (Targets!A4); the columns are 'id', 'gender', 'region', 'w'. Did you mean 'region'? (names must match exactly, including case)",
    );
    const crossed = [HEAD, ["gender x regio", "M x North", 100]];
    expect(failure(parse(DATA, crossed), "unknown_variable")).toContain(
      "'regio' is not a column of the data (Targets!A2)",
    );
  });

  test("base and group columns that are not columns", () => {
    expect(failure(parse(DATA, GENDER, { base: "wt" }), "unknown_column")).toBe(
      "options: the base weight column 'wt' is not a column of the data; the columns are 'id', 'gender', 'region', 'w'.",
    );
    expect(failure(parse(DATA, GENDER, { group: "REGION" }), "unknown_column")).toContain(
      "the group column 'REGION' is not a column of the data",
    );
    expect(failure(parse(DATA, GENDER, { group: "REGION" }), "unknown_column")).toContain("Did you mean 'region'?");
  });
});

describe("categories", () => {
  test("a category in the data but not in the targets: cells, count, and a near-match hint", () => {
    const data = [["gender"], ["M"], ["F"], ["f "], ["M"], ["f"], ["x"]];
    expect(failure(parse(data, GENDER), "unknown_category")).toBe(
      "data: category 'f' of 'gender' is not in the targets (2 cells: Data!A4, Data!A6) (and 1 other category not in the targets); add a target row for it or correct the data. Did you mean 'F'? (labels must match exactly, including case)",
    );
  });

  test("more than three cells are listed as the first three and a count", () => {
    const data = [["gender"], ["M"], ["F"], ["X"], ["X"], ["X"], ["X"], ["X"]];
    expect(failure(parse(data, GENDER), "unknown_category")).toBe(
      "data: category 'X' of 'gender' is not in the targets (5 cells: Data!A4, Data!A5, Data!A6, …); add a target row for it or correct the data.",
    );
  });

  test("a crossing in the data that the targets lack", () => {
    const targets = [
      HEAD,
      ["gender x region", "M x North", 25],
      ["gender x region", "F x North", 25],
      ["gender x region", "M x South", 50],
    ];
    expect(failure(parse(DATA, targets), "unknown_category")).toBe(
      "data: category 'F x South' of 'gender x region' is not in the targets (1 cell: Data!B5); add a target row for it or correct the data.",
    );
  });

  test("a target above 0 for a category with no respondents names the target row's category cell", () => {
    const targets = [HEAD, ["gender", "M", 45], ["gender", "F", 45], ["gender", "Other", 10]];
    expect(infeasible(parse(DATA, targets))).toBe(
      "targets: category 'Other' of 'gender' has no respondents, but its target is above 0 (Targets!B4).",
    );
  });

  test("an empty category within a group", () => {
    const data = [
      ["g", "x"],
      ["A", "p"],
      ["A", "q"],
      ["B", "p"],
    ];
    const targets = [
      ["variable", "category", "target", "group"],
      ["x", "p", 50, ""],
      ["x", "q", 50, ""],
    ];
    expect(infeasible(parse(data, targets, { group: "g" }))).toBe(
      "targets: category 'q' of 'x' has no respondents in group 'B', but its target is above 0 (Targets!B3).",
    );
  });

  test("a target of 0 for a category with respondents", () => {
    const targets = [HEAD, ["gender", "M", 100], ["gender", "F", 0]];
    expect(infeasible(parse(DATA, targets))).toBe(
      "targets: category 'F' of 'gender' has a target of 0 but 3 respondents; their weights cannot be 0 (Targets!B3).",
    );
  });

  test("a group's own targets that leave out a category its respondents have", () => {
    const targets = [
      ["variable", "category", "target", "group"],
      ["gender", "M", 100, "North"],
      ["gender", "M", 50, "South"],
      ["gender", "F", 50, "South"],
    ];
    // no row for 'F' in North's own targets: the message points at North's targets
    expect(infeasible(parse(DATA, targets, { group: "region" }))).toBe(
      "targets: category 'F' of 'gender' has a target of 0 but 2 respondents in group 'North'; their weights cannot be 0 (Targets!D2).",
    );
  });

  test("a crossed category that does not name one category per column", () => {
    const targets = [HEAD, ["gender x region", "M x North", 50], ["gender x region", "M", 50]];
    expect(failure(parse(DATA, targets), "bad_crossed_category")).toBe(
      "targets: category 'M' of 'gender x region' should name one category of each of 'gender', 'region', joined by ' x ' (Targets!B3).",
    );
  });
});

describe("the target table", () => {
  test("empty", () => {
    expect(failure(parse(DATA, []), "empty_targets")).toBe("targets: the target table has no rows (Targets!A1).");
    expect(failure(parse(DATA, [HEAD]), "empty_targets")).toBe("targets: the target table has no rows (Targets!A1).");
  });

  test("too few columns", () => {
    expect(failure(parse(DATA, [["gender", "M"]]), "targets_shape")).toBe(
      "targets: the target table needs the columns variable, category and target (it has 2 columns) (Targets!A1).",
    );
  });

  test("blank, non-numeric and negative targets name the cell", () => {
    expect(failure(parse(DATA, [HEAD, ["gender", "M", 50], ["gender", "F", ""]]), "bad_target")).toBe(
      "targets: the target of category 'F' of 'gender' is blank (Targets!C3); targets must be numbers of at least 0.",
    );
    expect(failure(parse(DATA, [HEAD, ["gender", "M", "fifty"], ["gender", "F", 50]]), "bad_target")).toBe(
      "targets: the target of category 'M' of 'gender' is not a number ('fifty') (Targets!C2); targets must be numbers of at least 0.",
    );
    expect(failure(parse(DATA, [HEAD, ["gender", "M", 150], ["gender", "F", -50]]), "bad_target")).toBe(
      "targets: the target of category 'F' of 'gender' is negative ('-50') (Targets!C3); targets must be numbers of at least 0.",
    );
    expect(failure(parse(DATA, [HEAD, ["gender", "M", "#N/A"]]), "bad_target")).toContain(
      "is not a number ('#N/A') (Targets!C2)",
    );
  });

  test("several blank targets are named all together, as runs of cells", () => {
    const targets = [HEAD, ["gender", "M", ""], ["gender", "F", ""], ["region", "North", 50], ["region", "South", ""]];
    expect(failure(parse(DATA, targets), "blank_targets")).toBe(
      "targets: 3 targets are blank (Targets!C2:C3, Targets!C5); fill in a number of at least 0 for each category.",
    );
  });

  test("a blank category or a first variable cell", () => {
    expect(failure(parse(DATA, [HEAD, ["gender", "", 50]]), "blank_target_field")).toBe(
      "targets: the category is blank (Targets!B2).",
    );
    expect(failure(parse(DATA, [HEAD, ["", "M", 50]]), "blank_target_field")).toBe(
      "targets: the variable is blank (Targets!A2).",
    );
  });

  test("duplicate rows name both cells", () => {
    const targets = [HEAD, ["gender", "M", 50], ["gender", "F", 50], ["gender", "M", 40]];
    expect(failure(parse(DATA, targets), "duplicate_target")).toBe(
      "targets: category 'M' of 'gender' is given twice (Targets!B2 and Targets!B4).",
    );
    const grouped = [
      ["variable", "category", "target", "group"],
      ["gender", "M", 50, "North"],
      ["gender", "M", 50, "North"],
    ];
    expect(failure(parse(DATA, grouped, { group: "region" }), "duplicate_target")).toBe(
      "targets: category 'M' of 'gender' for group 'North' is given twice (Targets!B2 and Targets!B3).",
    );
  });

  test("targets that add up to 0", () => {
    expect(failure(parse(DATA, [HEAD, ["gender", "M", 0], ["gender", "F", 0]]), "zero_sum_targets")).toBe(
      "targets: the targets of 'gender' add up to 0 (Targets!C2).",
    );
  });

  test("a chosen variable without targets", () => {
    expect(failure(parse(DATA, GENDER, { variables: ["gender", "region"] }), "no_targets")).toBe(
      "targets: 'region' is chosen for weighting but has no target rows.",
    );
  });

  test("too many categories", () => {
    const data: unknown[][] = [["v"], ["c0"]];
    const targets: unknown[][] = [HEAD];
    for (let c = 0; c < 65535; c++) targets.push(["v", `c${c}`, 1]);
    expect(failure(parse(data, targets), "too_many_categories")).toBe(
      "targets: 'v' has 65535 categories; at most 65534 are supported.",
    );
  });
});

describe("missing answers and base weights", () => {
  test("blanks and error values under policy error: first three cells and the count", () => {
    const data = [
      ["id", "gender"],
      [1, "M"],
      [2, ""],
      [3, "#N/A"],
      [4, "F"],
      [5, { type: "Error", errorType: "Value", basicValue: "#VALUE!" }],
      [6, "#DIV/0!"],
    ];
    expect(failure(parse(data, GENDER), "missing_values")).toBe(
      "data: 'gender' has 4 blank or error cells (Data!B3, Data!B4, Data!B6, …); fill them in or choose to exclude missing answers.",
    );
  });

  test("a crossed variable names the blank part's cell", () => {
    const data = [
      ["a", "b"],
      ["1", "x"],
      ["2", ""],
      ["1", "y"],
    ];
    const targets = [HEAD, ["a x b", "1 x x", 50], ["a x b", "1 x y", 50]];
    expect(failure(parse(data, targets), "missing_values")).toBe(
      "data: 'a x b' has 1 blank or error cell (Data!B3); fill them in or choose to exclude missing answers.",
    );
  });

  test("non-positive and non-numeric base weights", () => {
    const data = [
      ["gender", "w"],
      ["M", 1],
      ["F", 0],
      ["M", "abc"],
      ["F", -2],
      ["M", ""],
    ];
    expect(failure(parse(data, GENDER, { base: "w" }), "bad_base_weight")).toBe(
      "data: base weights in 'w' must be numbers greater than 0, but Data!B3 is '0' (4 bad cells: Data!B3, Data!B4, Data!B5, …).",
    );
    const blank = [
      ["gender", "w"],
      ["M", ""],
      ["F", 1],
    ];
    expect(failure(parse(blank, GENDER, { base: "w" }), "bad_base_weight")).toBe(
      "data: base weights in 'w' must be numbers greater than 0, but Data!B2 is blank (1 bad cell: Data!B2).",
    );
  });
});

describe("groups and shares", () => {
  const GROUPED_HEAD = ["variable", "category", "target", "group"];

  test("a blank group cell", () => {
    const data = [
      ["g", "gender"],
      ["A", "M"],
      ["", "F"],
      ["#N/A", "M"],
    ];
    expect(failure(parse(data, GENDER, { group: "g" }), "missing_group")).toBe(
      "data: the group column 'g' has 2 blank or error cells (Data!A3, Data!A4); every respondent needs a group.",
    );
  });

  test("group targets without a group column", () => {
    const targets = [GROUPED_HEAD, ["gender", "M", 50, "North"], ["gender", "F", 50, "North"]];
    expect(failure(parse(DATA, targets), "group_not_chosen")).toBe(
      "targets: the row at Targets!D2 is for group 'North', but no group column is chosen; choose the group column or clear the group cells.",
    );
  });

  test("an empty group: targets for a group with no respondents", () => {
    const targets = [
      GROUPED_HEAD,
      ["gender", "M", 50, ""],
      ["gender", "F", 50, ""],
      ["gender", "M", 50, "West"],
      ["gender", "F", 50, "West"],
    ];
    expect(failure(parse(DATA, targets, { group: "region" }), "empty_group")).toBe(
      "targets: group 'West' of 'region' has no respondents (Targets!D4).",
    );
  });

  test("a group with neither its own targets nor rows for all groups", () => {
    const targets = [GROUPED_HEAD, ["gender", "M", 50, "North"], ["gender", "F", 50, "North"]];
    expect(failure(parse(DATA, targets, { group: "region" }), "missing_group_targets")).toBe(
      "targets: 'gender' has no targets for group 'South'; give rows for group 'South' or rows without a group.",
    );
  });

  test("shares: a share for an empty group, a missing share, a bad share, a duplicate", () => {
    const at = { sheet: "Shares", row: 0, col: 0 };
    const settings = (groupShares: Grid | Record<string, number>): GridSettings => ({
      group: "region",
      groupShares,
      groupSharesAt: at,
    });
    expect(
      failure(
        parse(
          DATA,
          GENDER,
          settings([
            ["North", 50],
            ["South", 40],
            ["West", 10],
          ]),
        ),
        "empty_group",
      ),
    ).toBe("shares: group 'West' of 'region' has no respondents (Shares!B3).");
    expect(failure(parse(DATA, GENDER, settings({ North: 1 })), "missing_share")).toBe(
      "shares: group 'South' of 'region' has respondents but no share; give every group a share or leave the shares out.",
    );
    expect(
      failure(
        parse(
          DATA,
          GENDER,
          settings([
            ["group", "share"],
            ["North", "half"],
            ["South", 50],
          ]),
        ),
        "bad_share",
      ),
    ).toBe(
      "shares: the share of group 'North' is not a number ('half') (Shares!B2); shares must be numbers of at least 0.",
    );
    expect(
      failure(
        parse(
          DATA,
          GENDER,
          settings([
            ["North", 50],
            ["South", 50],
            ["North", 50],
          ]),
        ),
        "duplicate_share",
      ),
    ).toBe("shares: group 'North' is given twice (Shares!B1 and Shares!B3).");
    expect(
      failure(
        parse(
          DATA,
          GENDER,
          settings([
            ["North", 0],
            ["South", 0],
          ]),
        ),
        "zero_sum_shares",
      ),
    ).toBe("shares: the group shares add up to 0.");
  });
});

describe("options", () => {
  test("bad values use the engine's rules", () => {
    expect(failure(parse(DATA, GENDER, { tolerance: -1 }), "bad_option")).toBe(
      "options: the tolerance is '-1'; it must be a number of at least 0.",
    );
    expect(failure(parse(DATA, GENDER, { caps: { max: 0.5 } }), "bad_option")).toBe(
      "options: the maximum weight cap is '0.5'; it must be a number of at least 1 (a multiple of the mean weight).",
    );
    const pairs = parseSchemeOptions(readGrid([["max iterations", "2.5"]]));
    expect(pairs.ok).toBe(false);
    if (!pairs.ok)
      expect(describeSchemeError(pairs.error)).toBe(
        "options: the maximum iterations is '2.5'; it must be a whole number of at least 1.",
      );
    const missing = parseSchemeOptions({ missing: "skip" });
    if (!missing.ok)
      expect(describeSchemeError(missing.error)).toBe(
        "options: the missing-answer policy is 'skip'; it must be 'error' or 'exclude'.",
      );
    else throw new Error("expected an error");
  });

  test("an unknown option", () => {
    const parsed = parseSchemeOptions(readGrid([["speed", "fast"]]));
    if (parsed.ok) throw new Error("expected an error");
    expect(describeSchemeError(parsed.error)).toBe(
      "options: 'speed' is not an option; the options are 'tolerance', 'maxIterations', 'capMax', 'capMin', 'total', 'missing', 'base', 'group', 'variables'.",
    );
  });
});

describe("error values in the target table", () => {
  const SMALL = [
    ["g", "a"],
    ["m", 1],
    ["f", 2],
    ["m", 2],
    ["f", 1],
  ];

  test("an error in the group cell is an error naming the cell, not a row for every group", () => {
    const targets = [
      ["variable", "category", "target", "group"],
      ["g", "m", 50, "#N/A"],
      ["g", "f", 50, ""],
      ["g", "m", 30, 2],
      ["g", "f", 70, 2],
    ];
    expect(failure(parse(SMALL, targets, { group: "a" }), "blank_target_field")).toBe(
      "targets: the group cell holds an error value (Targets!D2); correct it or clear it.",
    );
    const asObject = targets.map((row, r) => (r === 1 ? ["g", "m", 50, { type: "Error", basicValue: "#REF!" }] : row));
    expect(failure(parse(SMALL, asObject, { group: "a" }), "blank_target_field")).toBe(
      "targets: the group cell holds an error value (Targets!D2); correct it or clear it.",
    );
  });

  test("an error in the category or variable cell is called an error, not blank", () => {
    const head = ["variable", "category", "target"];
    expect(failure(parse(SMALL, [head, ["g", "#N/A", 50], ["g", "f", 50]]), "blank_target_field")).toBe(
      "targets: the category cell holds an error value (Targets!B2); correct it or clear it.",
    );
    expect(failure(parse(SMALL, [head, ["#VALUE!", "m", 50], ["g", "f", 50]]), "blank_target_field")).toBe(
      "targets: the variable cell holds an error value (Targets!A2); correct it or clear it.",
    );
    // a truly blank category still says blank
    expect(failure(parse(SMALL, [head, ["g", "", 50], ["g", "f", 50]]), "blank_target_field")).toBe(
      "targets: the category is blank (Targets!B2).",
    );
  });
});

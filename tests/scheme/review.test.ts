// Review regressions for the scheme parser (scheme/scheme.ts): error cells in the target table, mistyped
// percentages read as counts, and blank rows below the data.
import { describeSchemeError, describeSchemeWarning } from "../../scheme/scheme";
import { parseGrids, type Grid, type GridSettings } from "./grids";

const DATA = [
  ["g", "a"],
  ["m", 1],
  ["f", 2],
  ["m", 2],
  ["f", 1],
];
const at = { data: { sheet: "Data", row: 0, col: 0 }, targets: { sheet: "Targets", row: 0, col: 0 } };

function parse(data: Grid, targets: Grid, settings: GridSettings = {}) {
  return parseGrids({ data, dataAt: at.data, targets, targetsAt: at.targets, settings });
}

function message(data: Grid, targets: Grid, settings: GridSettings = {}): string {
  const s = parse(data, targets, settings);
  if (s.ok) throw new Error("expected a scheme error");
  return describeSchemeError(s.error);
}

describe("error values in the target table", () => {
  test("an error in the group cell is an error naming the cell, not a row for every group", () => {
    const targets = [
      ["variable", "category", "target", "group"],
      ["g", "m", 50, "#N/A"],
      ["g", "f", 50, ""],
      ["g", "m", 30, 2],
      ["g", "f", 70, 2],
    ];
    expect(message(DATA, targets, { group: "a" })).toBe(
      "targets: the group cell holds an error value (Targets!D2); correct it or clear it.",
    );
    const asObject = targets.map((row, r) => (r === 1 ? ["g", "m", 50, { type: "Error", basicValue: "#REF!" }] : row));
    expect(message(DATA, asObject, { group: "a" })).toBe(
      "targets: the group cell holds an error value (Targets!D2); correct it or clear it.",
    );
  });

  test("an error in the category or variable cell is called an error, not blank", () => {
    expect(
      message(DATA, [
        ["variable", "category", "target"],
        ["g", "#N/A", 50],
        ["g", "f", 50],
      ]),
    ).toBe("targets: the category cell holds an error value (Targets!B2); correct it or clear it.");
    expect(
      message(DATA, [
        ["variable", "category", "target"],
        ["#VALUE!", "m", 50],
        ["g", "f", 50],
      ]),
    ).toBe("targets: the variable cell holds an error value (Targets!A2); correct it or clear it.");
    // a truly blank category still says blank
    expect(
      message(DATA, [
        ["variable", "category", "target"],
        ["g", "", 50],
        ["g", "f", 50],
      ]),
    ).toBe("targets: the category is blank (Targets!B2).");
  });
});

describe("targets that look like mistyped percentages or proportions", () => {
  test("percentages adding up to 90 are read as counts with a warning (they set the total)", () => {
    const s = parse(DATA, [
      ["g", "m", 50],
      ["g", "f", 40],
      ["a", 1, 50],
      ["a", 2, 50],
    ]);
    if (!s.ok) throw new Error(describeSchemeError(s.error));
    expect(s.total).toEqual({ source: "counts", value: 90 });
    expect(s.warnings.map(describeSchemeWarning)).toEqual([
      "targets: the targets of 'g' add up to 90, too far from 100% or 1 to be read as percentages or proportions; they were read as counts, which can set the total the weights sum to. Correct them if they are percentages or proportions.",
    ]);
  });

  test("proportions adding up to 0.9 warn too; real counts and in-band sums do not", () => {
    const low = parse(DATA, [
      ["g", "m", 0.3],
      ["g", "f", 0.6],
    ]);
    expect(low.ok && low.warnings.map((w) => w.code)).toEqual(["targets_read_as_counts"]);
    const counts = parse(DATA, [
      ["g", "m", 600],
      ["g", "f", 400],
    ]);
    expect(counts.ok && counts.warnings).toEqual([]);
    const percent = parse(DATA, [
      ["g", "m", 60],
      ["g", "f", 40],
    ]);
    expect(percent.ok && percent.warnings).toEqual([]);
  });
});

describe("blank rows below the data", () => {
  test("trailing blank rows (a generous range) are not reported as skipped; inner ones are", () => {
    const data = [...DATA, ["", ""], ["", ""], ["", ""]];
    const s = parse(data, [
      ["g", "m", 60],
      ["g", "f", 40],
    ]);
    expect(s.ok && s.warnings).toEqual([]);
    const inner = parse(
      [DATA[0], DATA[1], ["", ""], ...DATA.slice(2), ["", ""]],
      [
        ["g", "m", 60],
        ["g", "f", 40],
      ],
    );
    expect(inner.ok && inner.warnings.map(describeSchemeWarning)).toEqual([
      "data: 1 blank row was skipped (first at Data!A3); it gets no weight.",
    ]);
  });
});

describe("sheet names in cell addresses", () => {
  test("a sheet named like an R1C1 reference is quoted, in the parser's messages and the pane's addresses", async () => {
    const { cellAddress } = await import("../../scheme/cells");
    const { formatSheetAddress, parseSheetAddress } = await import("../../taskpane/address");
    expect(cellAddress({ sheet: "R1C1", row: 0, col: 0 }, 1, 2)).toBe("'R1C1'!C2");
    expect(cellAddress({ sheet: "RC", row: 0, col: 0 }, 0, 0)).toBe("'RC'!A1");
    expect(cellAddress({ sheet: "Results", row: 0, col: 0 }, 0, 0)).toBe("Results!A1");
    const rect = { sheet: "R1C1", r0: 0, c0: 0, r1: 4, c1: 2 };
    expect(formatSheetAddress(rect)).toBe("'R1C1'!A1:C5");
    expect(parseSheetAddress(formatSheetAddress(rect))).toEqual(rect);
  });
});

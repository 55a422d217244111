// The scheme parser reads the respondent data through a DataSource, column by column. The same data given as a
// value grid (=RIM.WEIGHT(), the CLI), as gridSource(grid), as the task pane's compact columns
// (compactSource, what taskpane/run.ts parses) and as the compact columns' row-by-row grid (compactGrid, the
// pane's former path) must give identical outcomes: the same Problem, warnings and locations, or the same
// error naming the same cells with the same message.
import {
  describeSchemeError,
  describeSchemeWarning,
  gridSource,
  parseScheme,
  type SchemeOutcome,
} from "../../scheme/scheme";
import { BLANK_CELL, labelOf, readCell, readGrid, type Cell, type CellGrid } from "../../scheme/cells";
import { cellSettings, type Grid, type GridSettings } from "./grids";
import { labelColumnBuilder, numberColumnBuilder } from "../../taskpane/columns";
import { LabelDictionary } from "../../scheme/source";
import { compactCell, compactSource, type CompactColumn, type CompactData } from "../../taskpane/compact-grid";

/** The reference view: the compact columns as a plain value grid, cell by cell (header row first). */
function compactGrid(data: CompactData): CellGrid {
  const rows: Cell[][] = [[...data.header]];
  for (let i = 0; i < data.rows; i++) {
    const row = new Array<Cell>(data.header.length).fill(BLANK_CELL);
    for (const [c, column] of data.columns) row[c] = compactCell(column, i);
    rows.push(row);
  }
  return rows;
}
import { neededColumns } from "../../taskpane/scheme-input";
import { prng } from "../engine/generate";

const DATA_AT = { sheet: "Data", row: 4, col: 2 };
const TARGETS_AT = { sheet: "Targets", row: 0, col: 0 };
const HEAD = ["variable", "category", "target"];

function headerNames(grid: Grid): string[] {
  return (grid[0] ?? []).map((v) => labelOf(readCell(v)) ?? "");
}

/**
 * Packs a grid's respondent rows into compact columns as the pane's reader does (in small blocks, to exercise
 * the offsets): the base column as numbers, the others as labels. `only`: the columns to read (default all).
 */
function compactOf(grid: Grid, settings: GridSettings, only?: { labels: number[]; numbers: number[] }): CompactData {
  const header = (grid[0] ?? []).map(readCell);
  const names = headerNames(grid);
  const rows = Math.max(0, grid.length - 1);
  const width = grid.reduce((w, row) => Math.max(w, row.length), 0);
  const all = Array.from({ length: width }, (_, c) => c);
  const numbers = only ? only.numbers : all.filter((c) => settings.base !== undefined && names[c] === settings.base);
  const labels = only ? only.labels.filter((c) => !numbers.includes(c)) : all.filter((c) => !numbers.includes(c));
  const columns = new Map<number, CompactColumn>();
  const pack = (
    c: number,
    builder: { add(start: number, cells: readonly unknown[]): void; finish(): CompactColumn },
  ) => {
    const cells = grid.slice(1).map((row) => row[c]);
    for (let start = 0; start < rows; start += 3) builder.add(start, cells.slice(start, start + 3));
    columns.set(c, builder.finish());
  };
  for (const c of labels) pack(c, labelColumnBuilder(names[c] ?? "", rows));
  for (const c of numbers) pack(c, numberColumnBuilder(names[c] ?? "", rows));
  return { header, rows, columns };
}

function parseWith(
  data: Parameters<typeof parseScheme>[0]["data"],
  targets: Grid,
  settings: GridSettings,
): SchemeOutcome {
  return parseScheme({
    data,
    dataAt: DATA_AT,
    targets: readGrid(targets),
    targetsAt: TARGETS_AT,
    settings: cellSettings(settings),
  });
}

/** What a user sees of an outcome: the error's message, or the warnings' lines. */
function words(outcome: SchemeOutcome): string[] {
  return outcome.ok ? outcome.warnings.map(describeSchemeWarning) : [describeSchemeError(outcome.error)];
}

/** Parses the data every way; all outcomes must be equal. Returns the grid path's outcome. */
function same(grid: Grid, targets: Grid, settings: GridSettings = {}): SchemeOutcome {
  const viaGrid = parseWith(readGrid(grid), targets, settings);
  const outcomes: [string, SchemeOutcome][] = [
    ["gridSource", parseWith(gridSource(readGrid(grid)), targets, settings)],
  ];
  if (grid.length > 0) {
    const compact = compactOf(grid, settings);
    outcomes.push(["compactSource", parseWith(compactSource(compact), targets, settings)]);
    outcomes.push(["compactGrid", parseWith(compactGrid(compact), targets, settings)]);
    // the columns the pane would read, and only those
    const needed = neededColumns(headerNames(grid), readGrid(targets), cellSettings(settings)!);
    const paneCompact = compactOf(grid, settings, needed);
    const viaPane = parseWith(compactSource(paneCompact), targets, settings);
    const viaPaneGrid = parseWith(compactGrid(paneCompact), targets, settings);
    expect(viaPane).toEqual(viaPaneGrid);
    expect(words(viaPane)).toEqual(words(viaPaneGrid));
  }
  for (const [, outcome] of outcomes) {
    expect(outcome).toEqual(viaGrid);
    expect(words(outcome)).toEqual(words(viaGrid));
  }
  return viaGrid;
}

function errorOf(outcome: SchemeOutcome): string {
  if (outcome.ok) throw new Error("expected an error, got a scheme");
  return describeSchemeError(outcome.error);
}

const DATA: Grid = [
  ["id", "gender", "region", "w", "age"],
  [1, "M", "North", 1, 1],
  [2, "F", "North", 1.5, 2],
  ["", "", "", "", ""],
  [3, "M", "South", 2, 2],
  [4, "F", "South", "2", 1],
  [5, " F ", "North", 1, "1"],
  [6, "M", "South", 1, 2.0],
];
const TARGETS: Grid = [
  HEAD,
  ["gender", "M", 50],
  ["gender", "F", 50],
  ["region", "North", 40],
  ["region", "South", 60],
  ["age", 1, 0.5],
  ["age", "2", 0.5],
];

describe("column sources and grids give identical outcomes", () => {
  test("a valid scheme with a blank row, numbers as labels and a base weight", () => {
    const outcome = same(DATA, TARGETS, { base: "w" });
    expect(outcome.ok).toBe(true);
    expect(words(outcome)).toEqual(["data: 1 blank row was skipped (first at Data!C8); it gets no weight."]);
  });

  test("crossed variables and a group column", () => {
    const targets = [
      HEAD,
      ["gender x region", "M x North", 25],
      ["gender x region", "M x South", 25],
      ["gender x region", "F x North", 25],
      ["gender x region", "F x South", 25],
      ["age", 1, 50],
      ["age", 2, 50],
    ];
    expect(same(DATA, targets).ok).toBe(true);
    expect(
      same(DATA, [HEAD, ["age", 1, 50], ["age", 2, 50]], { group: "region", groupShares: { North: 1, South: 1 } }).ok,
    ).toBe(true);
  });

  test("unknown category: the first label's cells, the count, other labels and the hint", () => {
    const data = [
      ["gender", "region"],
      ["M", "North"],
      ["f", "North"],
      ["X", "South"],
      ["f", "South"],
      ["", ""],
      ["f", "North"],
      ["f", "South"],
      ["Y", "North"],
      ["F", "South"],
    ];
    const message = errorOf(same(data, [HEAD, ["gender", "M", 50], ["gender", "F", 50]]));
    expect(message).toContain("'f'");
    expect(message).toContain("Data!C7");
    // numbers written differently: 1.0 is 1, and "01" nearly matches 1
    errorOf(same([["age"], [1], ["01"], [2]], [HEAD, ["age", 1, 50], ["age", 2, 50]]));
    errorOf(same([["age"], [0.1 + 0.2], [0.3], [0.30000001]], [HEAD, ["age", 0.3, 100]]));
  });

  test("unknown crossed combinations and parts", () => {
    const targets = [HEAD, ["gender x region", "M x North", 50], ["gender x region", "F x South", 50]];
    expect(errorOf(same(DATA, targets))).toContain("'F x North'");
    const parts = [HEAD, ["gender × region", "M × North", 50], ["gender × region", "F × South", 50]];
    errorOf(
      same(
        [
          ["gender", "region"],
          ["M", "North"],
          ["F", "East"],
          ["Q", "North"],
          ["F", "South"],
        ],
        parts,
      ),
    );
  });

  test("missing values: blanks, error strings and error objects, simple and crossed, both policies", () => {
    const data = [
      ["id", "gender", "region"],
      [1, "M", "North"],
      [2, "", "South"],
      [3, "#N/A", "North"],
      [4, "F", ""],
      [5, { type: "Error", errorType: "Value", basicValue: "#VALUE!" }, "South"],
      [6, "F", "#DIV/0!"],
      [7, "M", "South"],
      [8, "F", "North"],
      [9, "F", "South"],
    ];
    const gender = [HEAD, ["gender", "M", 50], ["gender", "F", 50]];
    const crossed = [
      HEAD,
      ["gender x region", "M x North", 25],
      ["gender x region", "M x South", 25],
      ["gender x region", "F x North", 25],
      ["gender x region", "F x South", 25],
    ];
    expect(errorOf(same(data, gender))).toBe(
      "data: 'gender' has 3 blank or error cells (Data!D7, Data!D8, Data!D10); fill them in or choose to exclude missing answers.",
    );
    expect(errorOf(same(data, crossed))).toContain("5 blank or error cells (Data!D7, Data!D8, Data!E9, …)");
    expect(same(data, gender, { missing: "exclude" }).ok).toBe(true);
    expect(same(data, crossed, { missing: "exclude" }).ok).toBe(true);
    // a missing part wins over an unknown one in the same row
    expect(
      errorOf(
        same(
          [
            ["a", "b"],
            ["1", "x"],
            ["9", ""],
            ["1", "y"],
          ],
          [HEAD, ["a x b", "1 x x", 50], ["a x b", "1 x y", 50]],
        ),
      ),
    ).toContain("blank or error cell (Data!D7)");
  });

  test("bad base weights: zero, negative, text, blank, error values", () => {
    const data = [
      ["gender", "w"],
      ["M", 1],
      ["F", 0],
      ["M", "abc"],
      ["F", -2],
      ["M", ""],
      ["F", "#N/A"],
      ["M", { type: "Error", basicValue: "#DIV/0!" }],
      ["F", true],
      ["M", "25%"],
    ];
    const gender = [HEAD, ["gender", "M", 50], ["gender", "F", 50]];
    expect(errorOf(same(data, gender, { base: "w" }))).toBe(
      "data: base weights in 'w' must be numbers greater than 0, but Data!D7 is '0' (7 bad cells: Data!D7, Data!D8, Data!D9, …).",
    );
    expect(
      errorOf(
        same(
          [
            ["gender", "w"],
            ["M", 1],
            ["F", "#DIV/0!"],
            ["M", 2],
            ["F", 1],
          ],
          gender,
          { base: "w" },
        ),
      ),
    ).toContain("'#DIV/0!'");
    expect(
      errorOf(
        same(
          [
            ["gender", "w"],
            ["M", { type: "Error", basicValue: "#REF!" }],
            ["F", 1],
          ],
          gender,
          { base: "w" },
        ),
      ),
    ).toContain("'#REF!'");
    expect(
      same(
        [
          ["gender", "w"],
          ["M", "1.5"],
          ["F", " 2 "],
          ["M", 1],
          ["F", 1],
        ],
        gender,
        { base: "w" },
      ).ok,
    ).toBe(true);
    // the base column is also a raking variable: read as numbers and as labels
    expect(same([["w"], [1], [2], [1]], [HEAD, ["w", 1, 50], ["w", 2, 50]], { base: "w" }).ok).toBe(true);
  });

  test("blank rows: skipped, all blank, and a row blank only in the columns used", () => {
    const gender = [HEAD, ["gender", "M", 50], ["gender", "F", 50]];
    const blanks = [["gender", "note"], ["", ""], ["M", ""], ["  ", null], ["F", "x"], [], ["M", undefined]];
    expect(words(same(blanks, gender))).toEqual([
      "data: 3 blank rows were skipped (first at Data!C6); they get no weight.",
    ]);
    expect(errorOf(same([["gender"], [""], [null]], gender))).toContain("no respondents");
    expect(errorOf(same([], gender))).toContain("empty");
    expect(
      errorOf(
        same(
          [
            ["", " "],
            ["M", "F"],
          ],
          gender,
        ),
      ),
    ).toContain("empty");
    // a row whose only value is a bad base weight is a respondent, not a blank row
    expect(
      errorOf(
        same(
          [
            ["gender", "w"],
            ["M", 1],
            ["", "abc"],
            ["F", 1],
            ["", ""],
          ],
          gender,
          { base: "w" },
        ),
      ),
    ).toContain("Data!D7 is 'abc'");
    // "note" holds a value where gender is blank: a respondent with a missing answer (the pane reads every column here)
    expect(
      errorOf(
        same(
          [
            ["gender", "note"],
            ["M", ""],
            ["", "x"],
            ["F", ""],
          ],
          gender,
        ),
      ),
    ).toContain("Data!C7");
  });

  test("groups: missing group cells, labels in order of first appearance", () => {
    const data = [
      ["g", "gender"],
      ["b", "M"],
      ["a", "F"],
      ["", "M"],
      ["b", "F"],
      ["#N/A", "M"],
    ];
    const gender = [HEAD, ["gender", "M", 50], ["gender", "F", 50]];
    expect(errorOf(same(data, gender, { group: "g" }))).toBe(
      "data: the group column 'g' has 2 blank or error cells (Data!C8, Data!C10); every respondent needs a group.",
    );
    const ok = same(
      data.slice(0, 3).concat([
        ["a", "M"],
        ["b", "F"],
      ]),
      gender,
      { group: "g" },
    );
    expect(ok.ok && ok.problem.group?.labels).toEqual(["b", "a"]);
  });

  test("random data with blanks, unknowns, error values and a base column", () => {
    const rand = prng(77);
    const cats = [
      ["A", "B", "C"],
      [1, 2, 3, 4],
      ["x", "y"],
    ];
    const seen = new Set<string>();
    for (let round = 0; round < 40; round++) {
      const n = 5 + Math.floor(rand() * 60);
      const pBlank = rand() * 0.1;
      const pOdd = round % 3 === 0 ? 0.02 : 0;
      const grid: unknown[][] = [["v0", "v1", "v2", "w", "g"]];
      for (let i = 0; i < n; i++) {
        if (rand() < 0.05) {
          grid.push(["", "", "", "", ""]);
          continue;
        }
        const row: unknown[] = cats.map((cs) => {
          const u = rand();
          if (u < pBlank) return rand() < 0.5 ? "" : "#N/A";
          if (u < pBlank + pOdd) return rand() < 0.5 ? "Z" : 9;
          return cs[Math.floor(rand() * cs.length)];
        });
        row.push(rand() < 0.03 ? "bad" : 0.5 + rand(), rand() < 0.5 ? "g1" : "g2");
        grid.push(row);
      }
      const targets: unknown[][] = [HEAD];
      cats.forEach((cs, v) => cs.forEach((c) => targets.push([`v${v}`, c, 1 / cs.length])));
      if (round % 4 === 1) cats[0].forEach((a) => cats[2].forEach((b) => targets.push(["v0 x v2", `${a} x ${b}`, 1])));
      const settings: GridSettings = { missing: round % 2 ? "exclude" : "error" };
      if (round % 5 !== 0) settings.base = "w";
      if (round % 7 === 3) settings.group = "g";
      const outcome = same(grid, targets, settings);
      seen.add(outcome.ok ? "ok" : outcome.error.code);
    }
    expect([...seen].sort()).toEqual(
      expect.arrayContaining(["bad_base_weight", "missing_values", "ok", "unknown_category"]),
    );
  });
});

test("LabelDictionary.codeOf(value) is code(readCell(value)), numbers and text sharing labels", () => {
  const values: unknown[] = [
    1,
    "1",
    2.5,
    -0,
    0,
    " 0 ",
    Number.NaN,
    Number.POSITIVE_INFINITY,
    "",
    null,
    true,
    "#N/A",
    1e21,
    3,
  ];
  const viaCells = new LabelDictionary();
  const direct = new LabelDictionary();
  const expected = values.map((v) => viaCells.code(readCell(v)));
  expect(values.map((v) => direct.codeOf(v))).toEqual(expected);
  expect(direct.labels).toEqual(viaCells.labels);
});

// Draft target tables (scheme/draft.ts): one row per category present, numbers in numeric order, text in data
// order, crossed variables, missing answers noted, and a drafted table that the scheme parser reads back.
import { describeDraftMissing, draftGrid, draftTargets, type Draft } from "../../scheme/draft";
import { parseScheme, readGrid, type SchemeOutcome } from "../../scheme/scheme";

function draftOf(data: unknown[][], variables: string[], missing?: "error" | "exclude"): Draft {
  const draft = draftTargets({ data: readGrid(data), dataAt: { sheet: "Data", row: 0, col: 0 }, variables, missing });
  if (!draft.ok) throw new Error(JSON.stringify(draft.error));
  return draft;
}

const SURVEY = [
  ["id", "size", "region", "sex"],
  [1, 10, "West", "F"],
  [2, 2, "East", "M"],
  [3, 10, "West", "M"],
  [4, "2", "North", "F"],
  [5, 1.5, "East", "F"],
];

test("numeric categories in numeric order (text that is a number counts as that number), text in data order", () => {
  const draft = draftOf(SURVEY, ["size", "region"]);
  expect(draft.rows.map((r) => [r.variable, r.category, r.sampleN])).toEqual([
    ["size", "1.5", 1],
    ["size", "2", 2],
    ["size", "10", 2],
    ["region", "West", 2],
    ["region", "East", 2],
    ["region", "North", 1],
  ]);
  expect(draft.rows[1].samplePct).toBeCloseTo(40, 12);
  expect(draft.missing).toEqual([]);
  expect(draft.respondents).toBe(5);
});

test("a crossed variable: only the combinations present, ordered by the first part then the second", () => {
  const draft = draftOf(SURVEY, ["region x sex"]);
  expect(draft.rows.map((r) => [r.category, r.sampleN])).toEqual([
    ["West x F", 1],
    ["West x M", 1],
    ["East x F", 1],
    ["East x M", 1],
    ["North x F", 1],
  ]);
});

test("blank and error cells are left out of sample % and noted with their cells, in the policy's words", () => {
  const data = [
    ["id", "q"],
    [1, "a"],
    [2, ""],
    [3, "b"],
    [4, "#N/A"],
    [5, "a"],
  ];
  const draft = draftOf(data, ["q"], "error");
  expect(draft.rows.map((r) => [r.category, r.sampleN, r.samplePct])).toEqual([
    ["a", 2, (100 * 2) / 3],
    ["b", 1, 100 / 3],
  ]);
  expect(draft.missing).toEqual([{ variable: "q", count: 2, cells: ["Data!B3", "Data!B5"], policy: "error" }]);
  expect(describeDraftMissing(draft.missing[0])).toMatch(
    /2 respondents have no answer on "q" \(Data!B3, Data!B5\).*stop/,
  );
  const excluded = draftOf(data, ["q"], "exclude");
  expect(describeDraftMissing(excluded.missing[0])).toMatch(/leave them out of this variable's adjustment/);
});

test("an unknown column is an error naming the option and the columns", () => {
  const draft = draftTargets({ data: readGrid(SURVEY), variables: ["regoin"] });
  expect(draft.ok).toBe(false);
  if (draft.ok) return;
  expect(draft.error).toMatchObject({ code: "unknown_column", setting: "variables", name: "regoin" });
  const crossed = draftTargets({ data: readGrid(SURVEY), variables: ["region x gender"] });
  expect(!crossed.ok && crossed.error).toMatchObject({ code: "unknown_column", name: "gender" });
});

test("an id column chosen by mistake is refused as the run would refuse it, not drafted into 70,000 rows", () => {
  const data = [["id"], ...Array.from({ length: 70_000 }, (_, i) => [i])];
  const draft = draftTargets({ data: readGrid(data), variables: ["id"] });
  expect(!draft.ok && draft.error).toEqual({ code: "too_many_categories", variable: "id", count: 70_000 });
});

test("the drafted grid, once its targets are filled, is read back by the scheme parser category for category", () => {
  const draft = draftOf(SURVEY, ["size", "region x sex"]);
  const grid = draftGrid(draft);
  expect(grid[0]).toEqual(["variable", "category", "sample n", "sample %", "target"]);
  expect(grid[1]).toEqual(["size", 1.5, 1, 20, ""]);
  expect(grid.slice(1).every((row) => row[4] === "")).toBe(true);
  // Fill each target with the sample share: the parser must accept every label and give those targets.
  const filled = grid.map((row, r) => (r === 0 ? row : [...row.slice(0, 4), row[3]]));
  const scheme: SchemeOutcome = parseScheme({ data: readGrid(SURVEY), targets: readGrid(filled) });
  if (!scheme.ok) throw new Error(JSON.stringify(scheme.error));
  expect(scheme.problem.variables.map((v) => v.categories)).toEqual([
    ["1.5", "2", "10"],
    ["West x F", "West x M", "East x F", "East x M", "North x F"],
  ]);
  expect(Array.from(scheme.problem.variables[0].targets)).toEqual([0.2, 0.4, 0.4]);
});

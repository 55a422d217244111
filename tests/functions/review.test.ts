// Review regressions for =RIM.WEIGHT()'s options argument (functions/weight.ts): layouts other than one
// name | value pair per row are read as pairs, not misread or silently cut.
import { rake } from "../../engine/rim";
import { weightColumn } from "../../scheme/scheme";
import { parseGrids as parseScheme, type Grid } from "../scheme/grids";
import { computeWeights, type RakeEngine } from "../../functions/weight";

const tsEngine: RakeEngine = async (problem, options) => rake(problem, options);
const DATA: Grid = [
  ["id", "gender", "region"],
  [1, "M", "N"],
  [2, "F", "N"],
  [3, "F", "S"],
  [4, "F", "S"],
  [5, "M", "N"],
  [6, "F", "N"],
];
const TARGETS: Grid = [
  ["variable", "category", "target"],
  ["gender", "M", 50],
  ["gender", "F", 50],
  ["region", "N", 60],
  ["region", "S", 40],
];

function expected(total: number): number[] {
  const s = parseScheme({ data: DATA, targets: TARGETS, settings: { total, tolerance: 1e-9 } });
  if (!s.ok) throw new Error("bad scheme");
  return weightColumn(s, rake(s.problem, s.options).weights) as number[];
}

async function weights(options: Grid): Promise<number[]> {
  return (await computeWeights({ data: DATA, targets: TARGETS, options }, tsEngine)).map((r) => r[0] as number);
}

describe("=RIM.WEIGHT options layouts", () => {
  test("pairs side by side on one row are all read (the second pair was silently dropped)", async () => {
    await expect(weights([["total", 600, "tolerance", 1e-9]])).resolves.toEqual(expected(600));
  });

  test("names across the first row with values below are read as pairs (the names were read as values)", async () => {
    await expect(
      weights([
        ["total", "tolerance"],
        [600, 1e-9],
      ]),
    ).resolves.toEqual(expected(600));
    await expect(
      weights([
        ["total", "tolerance", "allow_unconverged"],
        [600, 1e-9, false],
      ]),
    ).resolves.toEqual(expected(600));
  });

  test("one pair per row, with a header row or a notes column, reads as before", async () => {
    await expect(
      weights([
        ["option", "value"],
        ["total", 600],
        ["tolerance", 1e-9],
      ]),
    ).resolves.toEqual(expected(600));
    await expect(
      weights([
        ["total", 600, "weights sum to the population"],
        ["tolerance", 1e-9, ""],
      ]),
    ).resolves.toEqual(expected(600));
  });
});

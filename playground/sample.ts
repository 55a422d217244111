// A generated sample survey and its targets, as cell grids, for the playground and the browser tests: the same
// seed gives the same sheet on any machine (the test generator's mulberry32, no Math.random). No Excel, no DOM.
import { prng } from "../tests/engine/generate";

export interface SampleOptions {
  /** respondents (default 10,000) */
  n?: number;
  seed?: number;
  /**
   * A column the user owns, right of the data with one empty column between (the weights' place):
   * header "note" in column H, text on every tenth row.
   */
  userColumn?: boolean;
}

export interface SampleSurvey {
  /** header row + n rows: id | age | gender | region | education | base_weight */
  data: (string | number)[][];
  /** the long target table with a header row: variable | category | target (percent) */
  targets: (string | number)[][];
  /** `note` column cells (header first) for column H, or null */
  userColumn: string[] | null;
  headers: string[];
}

export const SAMPLE_SHEET = "Survey";
export const TARGETS_SHEET = "Targets";

interface SampleVariable {
  name: string;
  categories: string[];
  /** how the sample falls (skewed, so raking has work to do) */
  sample: number[];
  /** population targets in percent */
  targets: number[];
}

/** Labels chosen so that Excel keeps them as text (no "1-12" that Excel would read as a date). */
export const SAMPLE_VARIABLES: readonly SampleVariable[] = [
  { name: "age", categories: ["18 to 34", "35 to 54", "55 plus"], sample: [0.2, 0.35, 0.45], targets: [30, 35, 35] },
  { name: "gender", categories: ["Female", "Male"], sample: [0.58, 0.42], targets: [51, 49] },
  {
    name: "region",
    categories: ["North", "South", "East", "West"],
    sample: [0.4, 0.2, 0.25, 0.15],
    targets: [25, 30, 20, 25],
  },
  {
    name: "education",
    categories: ["Primary", "Secondary", "Tertiary"],
    sample: [0.15, 0.4, 0.45],
    targets: [25, 45, 30],
  },
];

function draw(rand: () => number, p: readonly number[]): number {
  let x = rand();
  for (let c = 0; c < p.length - 1; c++) {
    if (x < p[c]) return c;
    x -= p[c];
  }
  return p.length - 1;
}

/** The sample survey: every category is present (the first rows cover them all), the rest drawn at random. */
export function generateSample(options: SampleOptions = {}): SampleSurvey {
  const n = options.n ?? 10_000;
  const rand = prng(options.seed ?? 20240611);
  const headers = ["id", ...SAMPLE_VARIABLES.map((v) => v.name), "base_weight"];
  const data: (string | number)[][] = [headers];
  for (let i = 0; i < n; i++) {
    const row: (string | number)[] = [i + 1];
    for (const v of SAMPLE_VARIABLES) {
      const c = i < v.categories.length ? i : draw(rand, v.sample);
      row.push(v.categories[c]);
    }
    // A design weight: the over-sampled North gets less, rounded like real survey files.
    const region = row[3];
    const base = (region === "North" ? 0.8 : 1.1) * (0.75 + 0.5 * rand());
    row.push(Math.round(base * 1000) / 1000);
    data.push(row);
  }
  const targets: (string | number)[][] = [["variable", "category", "target"]];
  for (const v of SAMPLE_VARIABLES) v.categories.forEach((c, k) => targets.push([v.name, c, v.targets[k]]));
  const userColumn = options.userColumn
    ? ["note", ...Array.from({ length: n }, (_, i) => (i % 10 === 0 ? `checked ${i + 1}` : ""))]
    : null;
  return { data, targets, userColumn, headers };
}

/** What the seeding needs from the fake host's test handle (FakeWorkbookHandle). */
export interface SeedableWorkbook {
  sheetNames(): string[];
  addSheet(name: string, values?: unknown[][]): void;
  deleteSheet(name: string): void;
  setValues(sheet: string, address: string, values: unknown[][], opts?: { raw?: boolean }): void;
  activate(name: string): void;
}

/**
 * Puts the survey on sheet "Survey" (A1) and the targets on "Targets" (A1), replacing a default empty
 * "Sheet1"; the user column, when asked for, goes to Survey!H1 (G stays empty for the weights).
 */
export function seedSample(workbook: SeedableWorkbook, options: SampleOptions = {}): SampleSurvey {
  const sample = generateSample(options);
  const names = workbook.sheetNames();
  if (!names.includes(SAMPLE_SHEET)) workbook.addSheet(SAMPLE_SHEET);
  if (!names.includes(TARGETS_SHEET)) workbook.addSheet(TARGETS_SHEET);
  workbook.setValues(SAMPLE_SHEET, "A1", sample.data, { raw: true });
  workbook.setValues(TARGETS_SHEET, "A1", sample.targets, { raw: true });
  if (sample.userColumn) {
    workbook.setValues(
      SAMPLE_SHEET,
      "H1",
      sample.userColumn.map((x) => [x]),
      { raw: true },
    );
  }
  if (names.includes("Sheet1") && names.length === 1) workbook.deleteSheet("Sheet1");
  workbook.activate(SAMPLE_SHEET);
  return sample;
}

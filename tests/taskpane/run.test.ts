import { createFakeHost, type FakeHost } from "../fake-excel";
import { prng } from "../engine/generate";
import { rake } from "../../engine/rim";
import type { Options, Problem, RakeResult } from "../../engine/contract";
import { prepareScheme, previewScheme, runWeighting, type RunDeps, type RunEngine } from "../../taskpane/run";
import { loadWeightColumns } from "../../taskpane/excel/scheme-settings";
import { emptyScheme, type SavedScheme } from "../../taskpane/saved-scheme";
import { CancelledError, PaneError } from "../../taskpane/errors";
import { describeSchemeError } from "../../scheme/scheme";
import { parseGrids } from "../scheme/grids";

const REGIONS = ["North", "South", "East", "West"];
const GENDERS = ["m", "f"];
const AGES = ["18-34", "35-54", "55+"];
const TARGETS = [
  ["variable", "category", "target"],
  ["region", "North", 30],
  ["region", "South", 20],
  ["region", "East", 25],
  ["region", "West", 25],
  ["gender", "m", 48],
  ["gender", "f", 52],
  ["age", "18-34", 30],
  ["age", "35-54", 35],
  ["age", "55+", 35],
];

/** id, region, gender, age, base weight, and a user's notes column. */
function survey(n: number): unknown[][] {
  const rand = prng(11);
  const pick = (xs: string[]) => xs[Math.floor(rand() * xs.length)];
  const rows: unknown[][] = [["id", "region", "gender", "age", "wt0"]];
  for (let i = 0; i < n; i++)
    rows.push([i + 1, pick(REGIONS), pick(GENDERS), pick(AGES), Math.round((0.5 + rand()) * 1000) / 1000]);
  return rows;
}

/** The same problem built by hand from the grid, for engine/rim.ts directly. */
function directProblem(rows: unknown[][], base: boolean): Problem {
  const body = rows.slice(1);
  const variable = (col: number, name: string, categories: string[], targets: number[]) => ({
    name,
    categories,
    codes: Uint8Array.from(body, (r) => categories.indexOf(String(r[col]))),
    targets: Float64Array.from(targets, (t) => t / 100),
  });
  const problem: Problem = {
    n: body.length,
    variables: [
      variable(1, "region", REGIONS, [30, 20, 25, 25]),
      variable(2, "gender", GENDERS, [48, 52]),
      variable(3, "age", AGES, [30, 35, 35]),
    ],
  };
  if (base) problem.baseWeights = Float64Array.from(body, (r) => r[4] as number);
  return problem;
}

const tsEngine: RunEngine = {
  rake: async (problem: Problem, options: Options): Promise<RakeResult> => rake(problem, options),
};

function scheme(patch: Partial<SavedScheme> = {}, n = 300): SavedScheme {
  return { ...emptyScheme(), dataAddress: `Data!A1:E${n + 1}`, targetsAddress: "Targets!A1:C10", ...patch };
}

function workbook(
  n: number,
  mode: "web" | "desktop" = "web",
): { host: FakeHost; rows: unknown[][]; uninstall: () => void } {
  const rows = survey(n);
  const host = createFakeHost({
    mode,
    sheets: { Data: rows, Targets: TARGETS },
    limits: { payloadLimitBytes: 40_000 },
  });
  host.workbook.setValues("Data", "G1", [["notes"], ["keep me"]]);
  return { host, rows, uninstall: host.install(globalThis) };
}

describe("runWeighting end to end", () => {
  let uninstall: () => void = () => undefined;
  afterEach(() => uninstall());

  it("writes the same weights as engine/rim.ts rake called directly", async () => {
    const n = 300;
    const w = workbook(n);
    uninstall = w.uninstall;
    const stages: string[] = [];
    // how many progress reports had been made at each clock read: one before reading, one after diagnostics
    const clockReads: number[] = [];
    const outcome = await runWeighting(scheme({ baseColumn: "wt0" }, n), {
      engine: tsEngine,
      confirmReplace: async () => "replace",
      initialBlockRows: 120,
      onProgress: (p) => stages.push(p.stage),
      now: () => new Date(2025, 0, 1),
      clock: () => (clockReads.push(stages.length), 1000 + 400 * clockReads.length),
    });
    const expected = rake(directProblem(w.rows, true), {
      tolerance: 1e-6,
      maxIterations: 1000,
      missing: "error",
    }).weights;
    expect(outcome.weightAddress).toBe(`Data!F1:F${n + 1}`);
    expect(outcome.result.status).toBe("converged");
    const written = w.host.workbook.getValues("Data", `F1:F${n + 1}`).map((r) => r[0]);
    expect(written[0]).toBe("weight");
    expect(written.slice(1)).toEqual(Array.from(expected));
    expect(w.host.workbook.getValues("Data", "G1:G2").map((r) => r[0])).toEqual(["notes", "keep me"]);
    expect(outcome.readStats.blocks).toBeGreaterThan(1);
    expect(new Set(stages)).toEqual(new Set(["reading", "weighting", "writing", "diagnostics"]));
    expect(stages.indexOf("writing")).toBeGreaterThan(stages.lastIndexOf("weighting"));
    expect(outcome.diagnosticsSheet).toBe("RIM Diagnostics");
    // the whole run is timed, from before the first read to after the diagnostics sheet
    expect(clockReads).toEqual([0, stages.length]);
    expect(outcome.elapsedMs).toBe(400);
    expect(w.host.workbook.sheetNames()).toContain("RIM Diagnostics");
    expect(loadWeightColumns()).toEqual([{ sheet: "Data", column: 5, header: "weight", headerRow: 0, lastRow: n }]);
  });

  it("sends no request that another could carry: small ranges together, the header with the weights", async () => {
    // On Excel on the web every request is a round trip (tens to hundreds of ms).
    const w = workbook(300, "desktop");
    uninstall = w.uninstall;
    const run = () =>
      runWeighting(scheme({ baseColumn: "wt0" }), {
        engine: tsEngine,
        confirmReplace: async () => "replace",
        skipDiagnostics: true,
      });
    await run();
    // header, targets and shares with the columns right of the data in one; the free column's cells (its used
    // range is not null); the data; the column re-checked before writing (used range, cells); the weights with the header
    expect(w.host.workbook.counters.syncs).toBe(6);
    expect(w.host.workbook.getValues("Data", "F1")[0][0]).toBe("weight");
    w.host.workbook.resetCounters();
    await run();
    // a re-run reads its own column's header in the first request and does not read that column's cells to find
    // it not empty; the user's notes column is read up to its first cell; the re-check reads the header again
    // with the rows below the old weights; the old column is cleared in the first block's request
    expect(w.host.workbook.counters.syncs).toBe(5);
    expect(w.host.workbook.getValues("Data", "F1")[0][0]).toBe("weight");
  });

  it("costs three requests beyond its data blocks, four when it replaces its column (issue 15: syncs per run)", async () => {
    // On Excel on the web each request is a round trip: the scheme's small ranges travel with the survey of the
    // columns right of the data, the diagnostics sheet's look-up with the check before writing, and the sheet
    // with its layout. Sizes as on the web, with a limit small enough for several blocks each way.
    const n = 3000;
    const rows = survey(n);
    const host = createFakeHost({
      mode: "web",
      sheets: { Data: rows, Targets: TARGETS },
      limits: { payloadLimitBytes: 40_000 },
    });
    uninstall = host.install(globalThis);
    const run = () =>
      runWeighting(scheme({ baseColumn: "wt0" }, n), { engine: tsEngine, confirmReplace: async () => "replace" });
    const beyondBlocks = (outcome: { readStats: { syncs: number }; writeStats: { syncs: number } }) =>
      host.workbook.counters.syncs - outcome.readStats.syncs - outcome.writeStats.syncs;
    const first = await run();
    // and the settings (the column and the sheet this add-in made) saved once
    expect(host.workbook.settings.saveCount).toBe(1);
    expect(first.readStats.blocks).toBeGreaterThan(1);
    expect(first.writeStats.blocks).toBeGreaterThan(1);
    // the first request, the check before writing, the diagnostics sheet
    expect(beyondBlocks(first)).toBe(3);
    host.workbook.resetCounters();
    const again = await run();
    expect(again.replaced).toBe(true);
    // and our diagnostics sheet's title, read before it is replaced; the old weights are not read through
    expect(beyondBlocks(again)).toBe(4);
    expect(host.workbook.settings.saveCount).toBe(2);
    expect(host.workbook.sheetNames()).toEqual(["Data", "Targets", "RIM Diagnostics"]);
  });

  it("times the run without the time the user takes to answer the replace question", async () => {
    const w = workbook(30, "desktop");
    uninstall = w.uninstall;
    let now = 0;
    const deps = {
      engine: tsEngine,
      skipDiagnostics: true,
      clock: () => now,
      confirmReplace: async () => ((now += 60_000), "replace" as const),
    };
    await runWeighting(scheme({}, 30), deps);
    const again = await runWeighting(scheme({}, 30), deps);
    expect(now).toBe(60_000);
    expect(again.elapsedMs).toBe(0);
  });

  it("re-runs into the same column when the user confirms", async () => {
    const w = workbook(50, "desktop");
    uninstall = w.uninstall;
    const deps = { engine: tsEngine, confirmReplace: jest.fn(async () => "replace" as const), skipDiagnostics: true };
    await runWeighting(scheme({}, 50), deps);
    expect(deps.confirmReplace).not.toHaveBeenCalled();
    const again = await runWeighting(scheme({}, 50), deps);
    expect(deps.confirmReplace).toHaveBeenCalledTimes(1);
    expect(again.replaced).toBe(true);
    expect(again.weightAddress).toBe("Data!F1:F51");
  });

  it("replaces its own diagnostics sheet after the workbook was saved and reopened (new worksheet ids)", async () => {
    const w = workbook(40, "desktop");
    uninstall = w.uninstall;
    const deps = { engine: tsEngine, confirmReplace: async () => "replace" as const };
    await runWeighting(scheme({}, 40), deps);
    w.host.workbook.reopen();
    const again = await runWeighting(scheme({}, 40), deps);
    expect(again.diagnosticsSheet).toBe("RIM Diagnostics");
    expect(w.host.workbook.sheetNames()).toEqual(["Data", "Targets", "RIM Diagnostics"]);
  });

  it("leaves the workbook untouched when cancelled before the write", async () => {
    const w = workbook(80, "desktop");
    uninstall = w.uninstall;
    const before = {
      used: w.host.workbook.usedRange("Data"),
      sheets: w.host.workbook.sheetNames(),
      values: w.host.workbook.getValues("Data", "A1:H81"),
      settings: w.host.workbook.settings.saved(),
    };
    const controller = new AbortController();
    const engine: RunEngine = {
      rake: async (problem, options) => {
        const result = rake(problem, options);
        controller.abort(); // the user presses Cancel while the engine runs
        return result;
      },
    };
    await expect(
      runWeighting(scheme({}, 80), { engine, confirmReplace: async () => "replace", signal: controller.signal }),
    ).rejects.toBeInstanceOf(CancelledError);
    expect(w.host.workbook.usedRange("Data")).toBe(before.used);
    expect(w.host.workbook.sheetNames()).toEqual(before.sheets);
    expect(w.host.workbook.getValues("Data", "A1:H81")).toEqual(before.values);
    expect(w.host.workbook.settings.saved()).toEqual(before.settings);
  });

  it("reports scheme problems with the cell they concern, before anything is written", async () => {
    const w = workbook(40, "desktop");
    uninstall = w.uninstall;
    w.host.workbook.setValues("Data", "C5", [["x"]]);
    const run = runWeighting(scheme({}, 40), { engine: tsEngine, confirmReplace: async () => "replace" });
    await expect(run).rejects.toBeInstanceOf(PaneError);
    await expect(
      runWeighting(scheme({}, 40), { engine: tsEngine, confirmReplace: async () => "replace" }),
    ).rejects.toMatchObject({ where: "Data!C5" });
    expect(w.host.workbook.usedRange("Data")).toBe("Data!A1:G41");
  });

  it("a target variable that names no data column: Check and Run say so, in the function's words", async () => {
    const w = workbook(40, "desktop");
    uninstall = w.uninstall;
    w.host.workbook.setValues("Targets", "A2:A5", [["Region"], ["Region"], ["Region"], ["Region"]]);
    const targets = TARGETS.map((row, r) => (r >= 1 && r <= 4 ? ["Region", ...row.slice(1)] : row));
    const parsed = parseGrids({ data: w.rows, targets, targetsAt: { sheet: "Targets", row: 0, col: 0 } });
    if (parsed.ok) throw new Error("expected the parser to fail");
    const words = describeSchemeError(parsed.error);
    expect(words).toBe(
      "targets: 'Region' is not a column of the data (Targets!A2); the columns are 'id', 'region', 'gender', 'age', 'wt0'. Did you mean 'region'? (names must match exactly, including case)",
    );
    await expect(previewScheme(scheme({}, 40))).rejects.toMatchObject({ message: words, where: "Targets!A2" });
    const run = runWeighting(scheme({}, 40), { engine: tsEngine, confirmReplace: async () => "replace" });
    await expect(run).rejects.toMatchObject({ message: words });
    // an empty target range is an empty target table, not a data range without respondents
    await expect(previewScheme(scheme({ targetsAddress: "Targets!H1:J10" }, 40))).rejects.toMatchObject({
      message: "targets: the target table has no rows (Targets!H1).",
    });
    expect(w.host.workbook.usedRange("Data")).toBe("Data!A1:G41");
  });

  it("Check finds infeasible targets (the engine's validation) and names the target cell", async () => {
    const w = workbook(40, "desktop");
    uninstall = w.uninstall;
    w.host.workbook.setValues("Targets", "A11:C11", [["region", "Central", 0.5]]);
    await expect(previewScheme(scheme({ targetsAddress: "Targets!A1:C11" }, 40))).rejects.toMatchObject({
      message: "targets: category 'Central' of 'region' has no respondents, but its target is above 0 (Targets!B11).",
      where: "Targets!B11",
    });
    // a run finds it in the engine, with the same words and cell, before anything is written
    const run = runWeighting(scheme({ targetsAddress: "Targets!A1:C11" }, 40), {
      engine: tsEngine,
      confirmReplace: async () => "replace",
    });
    await expect(run).rejects.toMatchObject({
      message: "targets: category 'Central' of 'region' has no respondents, but its target is above 0 (Targets!B11).",
      where: "Targets!B11",
    });
    expect(w.host.workbook.usedRange("Data")).toBe("Data!A1:G41");
  });

  it("previews variables, categories and targets", async () => {
    const w = workbook(60, "desktop");
    uninstall = w.uninstall;
    const preview = await previewScheme(scheme({ variables: ["gender", "age"] }, 60));
    expect(preview.respondents).toBe(60);
    expect(preview.variables.map((v) => v.name)).toEqual(["gender", "age"]);
    expect(preview.variables[0].columns).toEqual(["Data!C1"]);
    expect(preview.variables[0].categories.map((c) => c.label)).toEqual(["m", "f"]);
    expect(preview.variables[0].categories.reduce((s, c) => s + c.respondents, 0)).toBe(60);
    expect(preview.variables[0].categories[1].targetPct).toBeCloseTo(52);
    expect(preview.warnings.join(" ")).toMatch(/region/);
    const prepared = await prepareScheme(scheme({}, 60));
    expect([...prepared.data.columns.keys()].sort()).toEqual([1, 2, 3]);
  });
});

// Small sheets for the range shapes a user sets: whole columns, whole rows, generous ranges.
const SMALL_DATA = [
  ["id", "g", "a"],
  [1, "m", 1],
  [2, "f", 2],
  [3, "m", 2],
  [4, "f", 1],
  [5, "m", 1],
  [6, "f", 2],
  [7, "m", 2],
  [8, "f", 1],
];
const SMALL_TARGETS = [
  ["g", "m", 60],
  ["g", "f", 40],
];

function smallDeps(confirm: RunDeps["confirmReplace"] = async () => "replace"): RunDeps {
  return { engine: tsEngine, confirmReplace: confirm, skipDiagnostics: true };
}

function smallScheme(patch: Partial<SavedScheme>): SavedScheme {
  return { ...emptyScheme(), targetsAddress: "T!A1:C2", ...patch };
}

describe("runWeighting on whole-column, generous and previously weighted ranges", () => {
  let uninstall: () => void = () => undefined;
  afterEach(() => uninstall());

  function install(sheets: Record<string, unknown[][]>) {
    const host = createFakeHost({ mode: "web", sheets });
    uninstall = host.install(globalThis);
    return host;
  }

  it("a whole-column data range writes weights down to the last respondent only, without a blank-rows warning", async () => {
    const host = install({ Data: SMALL_DATA, T: SMALL_TARGETS });
    const outcome = await runWeighting(smallScheme({ dataAddress: "Data!A:C" }), smallDeps());
    expect(outcome.weightAddress).toBe("Data!D1:D9");
    expect(outcome.warnings).toEqual([]);
    expect(loadWeightColumns()).toEqual([{ sheet: "Data", column: 3, header: "weight", headerRow: 0, lastRow: 8 }]);
    expect(host.workbook.usedRange("Data")).toBe("Data!A1:D9");
    expect(host.workbook.getValues("Data", "D1:D3").map((r) => r[0])).toEqual(["weight", 1.2, 0.8]);
  });

  it("a generous data range (A1:C500 over 8 respondents) gets weights down to the last respondent only", async () => {
    const host = install({ Data: SMALL_DATA, T: SMALL_TARGETS });
    const outcome = await runWeighting(smallScheme({ dataAddress: "Data!A1:C500" }), smallDeps());
    expect(outcome.weightAddress).toBe("Data!D1:D9");
    expect(outcome.warnings).toEqual([]);
    expect(loadWeightColumns()[0].lastRow).toBe(8);
    expect(host.workbook.usedRange("Data")).toBe("Data!A1:D9");
    expect(host.workbook.getNumberFormats("Data", "D10")[0][0]).not.toBe("0.0000");
  });

  it("replacing a previous weight column never overwrites the user's cells below the old weights", async () => {
    const host = install({ Data: SMALL_DATA, T: SMALL_TARGETS });
    await runWeighting(smallScheme({ dataAddress: "Data!A1:C5" }), smallDeps());
    host.workbook.setValues("Data", "D8", [["my note"]]);
    const confirm = jest.fn(async () => "replace" as const);
    const outcome = await runWeighting(smallScheme({ dataAddress: "Data!A1:C9" }), smallDeps(confirm));
    expect(confirm).not.toHaveBeenCalled();
    expect(outcome.weightAddress).toBe("Data!E1:E9");
    expect(host.workbook.getValues("Data", "D8")[0][0]).toBe("my note");
    expect(host.workbook.getValues("Data", "E1:E2").map((r) => r[0])).toEqual(["weight", 1.2]);
  });

  it("still replaces a previous column when the rows it grows into are empty", async () => {
    const host = install({ Data: SMALL_DATA, T: SMALL_TARGETS });
    await runWeighting(smallScheme({ dataAddress: "Data!A1:C5" }), smallDeps());
    const confirm = jest.fn(async () => "replace" as const);
    const outcome = await runWeighting(smallScheme({ dataAddress: "Data!A1:C9" }), smallDeps(confirm));
    expect(confirm).toHaveBeenCalledTimes(1);
    expect(outcome.replaced).toBe(true);
    expect(outcome.weightAddress).toBe("Data!D1:D9");
    expect(host.workbook.usedRange("Data")).toBe("Data!A1:D9");
  });

  it("refuses a weight header that is already a data column's name, naming the cell, before writing", async () => {
    const host = install({ Data: SMALL_DATA.map((row, r) => [...row, r === 0 ? "Weight" : 1]), T: SMALL_TARGETS });
    const run = runWeighting(smallScheme({ dataAddress: "Data!A1:D9" }), smallDeps());
    await expect(run).rejects.toThrow(
      new PaneError(
        "The data already has a column named 'Weight' (Data!D1); choose another header for the weight column.",
      ),
    );
    expect(host.workbook.usedRange("Data")).toBe("Data!A1:D9");
    const renamed = await runWeighting(
      smallScheme({ dataAddress: "Data!A1:D9", weightHeader: "rim_weight" }),
      smallDeps(),
    );
    expect(renamed.weightAddress).toBe("Data!E1:E9");
  });

  it("says so when the data range takes in a previous run's weight column", async () => {
    install({ Data: SMALL_DATA, T: SMALL_TARGETS });
    await runWeighting(smallScheme({ dataAddress: "Data!A1:C9" }), smallDeps());
    await expect(runWeighting(smallScheme({ dataAddress: "Data!A1:D9" }), smallDeps())).rejects.toThrow(
      "The data range Data!A1:D9 takes in the weight column of a previous run (Data!D1); set the data range without that column.",
    );
  });
});

describe("preview of a whole-column data range", () => {
  it("counts only the blank rows between respondents as skipped", async () => {
    const host = createFakeHost({
      mode: "web",
      sheets: { Data: [...SMALL_DATA.slice(0, 3), ["", "", ""], ...SMALL_DATA.slice(3)], T: SMALL_TARGETS },
    });
    const uninstall = host.install(globalThis);
    try {
      const model = await previewScheme(smallScheme({ dataAddress: "Data!A:C" }));
      expect(model.respondents).toBe(8);
      expect(model.skippedRows).toBe(1);
      expect(model.warnings).toEqual(["data: 1 blank row was skipped (first at Data!A4); it gets no weight."]);
    } finally {
      uninstall();
    }
  });
});

describe("whole-column ranges on Excel on the web (the fake returns every row, like Excel)", () => {
  it("reads the target table and the data only down to their last used rows", async () => {
    const host = createFakeHost({
      mode: "web",
      sheets: { Data: SMALL_DATA, T: SMALL_TARGETS },
      wholeRangeReads: "full",
    });
    const uninstall = host.install(globalThis);
    try {
      const confirm = jest.fn(async () => "replace" as const);
      const outcome = await runWeighting(
        smallScheme({ dataAddress: "Data!A:C", targetsAddress: "T!A:C" }),
        smallDeps(confirm),
      );
      expect(outcome.weightAddress).toBe("Data!D1:D9");
      expect(outcome.readStats.blocks).toBe(1);
      expect(outcome.writeStats.blocks).toBe(1);
      expect(host.workbook.counters.payloadErrors).toBe(0);
      expect(host.workbook.getValues("Data", "D1:D2").map((r) => r[0])).toEqual(["weight", 1.2]);
    } finally {
      uninstall();
    }
  });
});

describe("whole-row ranges", () => {
  it("a data range of whole rows (Data!1:9) ends at the last used column: the weights go right of the data", async () => {
    const host = createFakeHost({ mode: "web", sheets: { Data: SMALL_DATA, T: SMALL_TARGETS } });
    const uninstall = host.install(globalThis);
    try {
      const outcome = await runWeighting(
        smallScheme({ dataAddress: "Data!1:9", targetsAddress: "T!1:2" }),
        smallDeps(),
      );
      expect(outcome.weightAddress).toBe("Data!D1:D9");
      expect(host.workbook.getValues("Data", "D1:D2").map((r) => r[0])).toEqual(["weight", 1.2]);
    } finally {
      uninstall();
    }
  });
});

describe("whole columns with blank rows above the header", () => {
  it("start at the header row", async () => {
    const host = createFakeHost({ mode: "web", sheets: { Data: [], T: SMALL_TARGETS } });
    host.workbook.setValues("Data", "A3", SMALL_DATA);
    const uninstall = host.install(globalThis);
    try {
      const outcome = await runWeighting(smallScheme({ dataAddress: "Data!A:C" }), smallDeps());
      expect(outcome.weightAddress).toBe("Data!D3:D11");
      expect(host.workbook.getValues("Data", "D3:D4").map((r) => r[0])).toEqual(["weight", 1.2]);
      expect(host.workbook.getValues("Data", "D1:D2").map((r) => r[0])).toEqual(["", ""]);
    } finally {
      uninstall();
    }
  });
});

describe("weight header text", () => {
  it("a header of spaces falls back to 'weight', and a padded one is trimmed, so re-runs recognise the column", async () => {
    const host = createFakeHost({ mode: "web", sheets: { Data: SMALL_DATA, T: SMALL_TARGETS } });
    const uninstall = host.install(globalThis);
    try {
      const first = await runWeighting(smallScheme({ dataAddress: "Data!A1:C9", weightHeader: "   " }), smallDeps());
      expect(host.workbook.getValues("Data", "D1")[0][0]).toBe("weight");
      const confirm = jest.fn(async () => "replace" as const);
      const again = await runWeighting(
        smallScheme({ dataAddress: "Data!A1:C9", weightHeader: " w2 " }),
        smallDeps(confirm),
      );
      expect(confirm).toHaveBeenCalledTimes(1);
      expect(again.weightAddress).toBe(first.weightAddress);
      expect(host.workbook.getValues("Data", "D1")[0][0]).toBe("w2");
    } finally {
      uninstall();
    }
  });
});

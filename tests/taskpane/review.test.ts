// Review regressions for the task pane's run (taskpane/run.ts, taskpane/excel/weight-column.ts) on the fake host:
// whole-column data ranges, replacing a previous weight column that the data outgrew, and a weight header that
// clashes with a data column.
import { createFakeHost } from "../fake-excel";
import { rake } from "../../engine/rim";
import type { Options, Problem, RakeResult } from "../../engine/contract";
import { runWeighting, type RunDeps, type RunEngine } from "../../taskpane/run";
import { loadWeightColumns } from "../../taskpane/excel/scheme-settings";
import { emptyScheme, type SavedScheme } from "../../taskpane/saved-scheme";
import { PaneError } from "../../taskpane/errors";

const tsEngine: RunEngine = {
  rake: async (problem: Problem, options: Options): Promise<RakeResult> => rake(problem, options),
};
const DATA = [
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
const TARGETS = [
  ["g", "m", 60],
  ["g", "f", 40],
];

function deps(confirm: RunDeps["confirmReplace"] = async () => "replace"): RunDeps {
  return { engine: tsEngine, confirmReplace: confirm, skipDiagnostics: true };
}

function scheme(patch: Partial<SavedScheme>): SavedScheme {
  return { ...emptyScheme(), targetsAddress: "T!A1:C2", ...patch };
}

describe("task pane run: review regressions", () => {
  let uninstall: () => void = () => undefined;
  afterEach(() => uninstall());

  function install(sheets: Record<string, unknown[][]>) {
    const host = createFakeHost({ mode: "web", sheets });
    uninstall = host.install(globalThis);
    return host;
  }

  it("a whole-column data range writes weights down to the last respondent only, without a blank-rows warning", async () => {
    const host = install({ Data: DATA, T: TARGETS });
    const outcome = await runWeighting(scheme({ dataAddress: "Data!A:C" }), deps());
    expect(outcome.weightAddress).toBe("Data!D1:D9");
    expect(outcome.warnings).toEqual([]);
    expect(loadWeightColumns()).toEqual([{ sheet: "Data", column: 3, header: "weight", headerRow: 0, lastRow: 8 }]);
    expect(host.workbook.usedRange("Data")).toBe("Data!A1:D9");
    expect(host.workbook.getValues("Data", "D1:D3").map((r) => r[0])).toEqual(["weight", 1.2, 0.8]);
  });

  it("a generous data range (A1:C500 over 8 respondents) gets weights down to the last respondent only", async () => {
    const host = install({ Data: DATA, T: TARGETS });
    const outcome = await runWeighting(scheme({ dataAddress: "Data!A1:C500" }), deps());
    expect(outcome.weightAddress).toBe("Data!D1:D9");
    expect(outcome.warnings).toEqual([]);
    expect(loadWeightColumns()[0].lastRow).toBe(8);
    expect(host.workbook.usedRange("Data")).toBe("Data!A1:D9");
    expect(host.workbook.getNumberFormats("Data", "D10")[0][0]).not.toBe("0.0000");
  });

  it("replacing a previous weight column never overwrites the user's cells below the old weights", async () => {
    const host = install({ Data: DATA, T: TARGETS });
    await runWeighting(scheme({ dataAddress: "Data!A1:C5" }), deps());
    host.workbook.setValues("Data", "D8", [["my note"]]);
    const confirm = jest.fn(async () => "replace" as const);
    const outcome = await runWeighting(scheme({ dataAddress: "Data!A1:C9" }), deps(confirm));
    expect(confirm).not.toHaveBeenCalled();
    expect(outcome.weightAddress).toBe("Data!E1:E9");
    expect(host.workbook.getValues("Data", "D8")[0][0]).toBe("my note");
    expect(host.workbook.getValues("Data", "E1:E2").map((r) => r[0])).toEqual(["weight", 1.2]);
  });

  it("still replaces a previous column when the rows it grows into are empty", async () => {
    const host = install({ Data: DATA, T: TARGETS });
    await runWeighting(scheme({ dataAddress: "Data!A1:C5" }), deps());
    const confirm = jest.fn(async () => "replace" as const);
    const outcome = await runWeighting(scheme({ dataAddress: "Data!A1:C9" }), deps(confirm));
    expect(confirm).toHaveBeenCalledTimes(1);
    expect(outcome.replaced).toBe(true);
    expect(outcome.weightAddress).toBe("Data!D1:D9");
    expect(host.workbook.usedRange("Data")).toBe("Data!A1:D9");
  });

  it("refuses a weight header that is already a data column's name, naming the cell, before writing", async () => {
    const host = install({ Data: DATA.map((row, r) => [...row, r === 0 ? "Weight" : 1]), T: TARGETS });
    const run = runWeighting(scheme({ dataAddress: "Data!A1:D9" }), deps());
    await expect(run).rejects.toThrow(
      new PaneError(
        "The data already has a column named 'Weight' (Data!D1); choose another header for the weight column.",
      ),
    );
    expect(host.workbook.usedRange("Data")).toBe("Data!A1:D9");
    const renamed = await runWeighting(scheme({ dataAddress: "Data!A1:D9", weightHeader: "rim_weight" }), deps());
    expect(renamed.weightAddress).toBe("Data!E1:E9");
  });

  it("says so when the data range takes in a previous run's weight column", async () => {
    install({ Data: DATA, T: TARGETS });
    await runWeighting(scheme({ dataAddress: "Data!A1:C9" }), deps());
    await expect(runWeighting(scheme({ dataAddress: "Data!A1:D9" }), deps())).rejects.toThrow(
      "The data range Data!A1:D9 takes in the weight column of a previous run (Data!D1); set the data range without that column.",
    );
  });
});

describe("preview of a whole-column data range", () => {
  it("counts only the blank rows between respondents as skipped", async () => {
    const { previewScheme } = await import("../../taskpane/run");
    const host = createFakeHost({
      mode: "web",
      sheets: { Data: [...DATA.slice(0, 3), ["", "", ""], ...DATA.slice(3)], T: TARGETS },
    });
    const uninstall = host.install(globalThis);
    try {
      const model = await previewScheme(scheme({ dataAddress: "Data!A:C" }));
      expect(model.respondents).toBe(8);
      expect(model.skippedRows).toBe(1);
      expect(model.warnings).toEqual(["data: 1 blank row was skipped (first at Data!A4); it gets no weight."]);
    } finally {
      uninstall();
    }
  });
});

describe("typed range addresses", () => {
  it("a list of areas is not read as one range on a sheet named 'Data!A1:C5,Data'", async () => {
    const { parseSheetAddress } = await import("../../taskpane/address");
    const { rectOf } = await import("../../taskpane/excel/read-data");
    expect(parseSheetAddress("Data!A1:C5,Data!E1:E5")).toBeNull();
    expect(() => rectOf("Data!A1:C5,Data!E1:E5", "data range")).toThrow(
      "The data range 'Data!A1:C5,Data!E1:E5' is not a range address like Data!A1:F500; set it from the selection.",
    );
    expect(parseSheetAddress("'Bob''s data, 2024'!A1:C5")).toEqual({
      sheet: "Bob's data, 2024",
      r0: 0,
      c0: 0,
      r1: 4,
      c1: 2,
    });
  });
});

describe("whole-column ranges on Excel on the web (the fake returns every row, like Excel)", () => {
  it("reads the target table and the data only down to their last used rows", async () => {
    const host = createFakeHost({ mode: "web", sheets: { Data: DATA, T: TARGETS }, wholeRangeReads: "full" });
    const uninstall = host.install(globalThis);
    try {
      const confirm = jest.fn(async () => "replace" as const);
      const outcome = await runWeighting(scheme({ dataAddress: "Data!A:C", targetsAddress: "T!A:C" }), deps(confirm));
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
    const host = createFakeHost({ mode: "web", sheets: { Data: DATA, T: TARGETS } });
    const uninstall = host.install(globalThis);
    try {
      const outcome = await runWeighting(scheme({ dataAddress: "Data!1:9", targetsAddress: "T!1:2" }), deps());
      expect(outcome.weightAddress).toBe("Data!D1:D9");
      expect(host.workbook.getValues("Data", "D1:D2").map((r) => r[0])).toEqual(["weight", 1.2]);
    } finally {
      uninstall();
    }
  });
});

describe("whole columns with blank rows above the header", () => {
  it("start at the header row", async () => {
    const host = createFakeHost({ mode: "web", sheets: { Data: [], T: TARGETS } });
    host.workbook.setValues("Data", "A3", DATA);
    const uninstall = host.install(globalThis);
    try {
      const outcome = await runWeighting(scheme({ dataAddress: "Data!A:C" }), deps());
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
    const host = createFakeHost({ mode: "web", sheets: { Data: DATA, T: TARGETS } });
    const uninstall = host.install(globalThis);
    try {
      const first = await runWeighting(scheme({ dataAddress: "Data!A1:C9", weightHeader: "   " }), deps());
      expect(host.workbook.getValues("Data", "D1")[0][0]).toBe("weight");
      const confirm = jest.fn(async () => "replace" as const);
      const again = await runWeighting(scheme({ dataAddress: "Data!A1:C9", weightHeader: " w2 " }), deps(confirm));
      expect(confirm).toHaveBeenCalledTimes(1);
      expect(again.weightAddress).toBe(first.weightAddress);
      expect(host.workbook.getValues("Data", "D1")[0][0]).toBe("w2");
    } finally {
      uninstall();
    }
  });
});

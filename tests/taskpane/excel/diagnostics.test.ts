import { createFakeHost } from "../../fake-excel";
import type { RakeResult } from "../../../engine/contract";
import {
  layoutDiagnostics,
  DIAGNOSTICS_TITLE,
  FORMATS,
  STATUS_WORDS,
  weightBands,
  type DiagnosticsInput,
} from "../../../taskpane/excel/diagnostics-layout";
import { writeDiagnosticsSheet, freeSheetName } from "../../../taskpane/excel/diagnostics-sheet";

function handMade(): DiagnosticsInput {
  const summary = {
    group: null,
    n: 4,
    sumWeights: 4,
    mean: 1,
    min: 0.5,
    max: 1.5,
    ratio: 3,
    efficiencyPct: 88.8888888889,
    deff: 1.125,
    effectiveN: 3.5555555556,
    atCapMin: 0,
    atCapMax: 1,
  };
  const result: RakeResult = {
    weights: Float64Array.from([0.5, 1.5, 0.8, 1.2]),
    status: "converged",
    iterations: 3,
    maxResidual: 2e-8,
    residualTrace: [0.1, 0.001, 2e-8],
    categories: [
      {
        variable: 0,
        category: 0,
        group: null,
        unweightedN: 2,
        unweightedPct: 50,
        targetPct: 40,
        weightedPct: 40,
        diffPct: 0,
      },
      {
        variable: 0,
        category: 1,
        group: null,
        unweightedN: 2,
        unweightedPct: 50,
        targetPct: 60,
        weightedPct: 60,
        diffPct: 0,
      },
    ],
    summary,
    groups: [],
    groupRuns: [{ group: 0, status: "converged", iterations: 3, maxResidual: 2e-8 }],
    cellPath: true,
    cells: 2,
    backend: "ts",
    threads: 1,
    elapsedMs: 12,
  };
  return {
    result,
    variables: [{ name: "score", categories: ["=1+1", "-5 to 5"] }],
    warnings: ["+ a warning that starts with a plus"],
    dataAddress: "Data!A1:C5",
    weightAddress: "Data!D1:D5",
    tolerance: 1e-6,
    caps: { max: 1.5 },
    runAt: "2025-01-01 10:00",
  };
}

describe("diagnostics layout", () => {
  it("lays out summary, categories, distribution and chart source with formats", () => {
    const layout = layoutDiagnostics(handMade());
    const find = (label: string) => layout.values.findIndex((row) => row[0] === label);
    expect(layout.values[0][0]).toBe("RIM weighting diagnostics");
    expect(layout.values[find("Status")][1]).toBe(STATUS_WORDS.converged);
    expect(layout.values[find("Iterations")][1]).toBe(3);
    expect(layout.values[find("Engine")][1]).toMatch(/TypeScript/);
    expect(layout.values[find("Weighting efficiency %")][1]).toBeCloseTo(88.89, 2);
    expect(layout.numberFormats[find("Weighting efficiency %")][1]).toBe(FORMATS.pct);
    expect(layout.values[find("Design effect (Kish)")][1]).toBe(1.125);
    expect(layout.values[find("At the maximum cap")][1]).toBe(1);
    expect(layout.values[find("At the minimum cap")][1]).toBe("no cap");
    expect(layout.numberFormats[find("At the minimum cap")][1]).toBeNull();
    expect(layout.values[find("Warnings")][1]).toBe("+ a warning that starts with a plus");

    const header = layout.sections.categories + 1;
    expect(layout.values[header].slice(0, 7)).toEqual([
      "Variable",
      "Category",
      "Unweighted n",
      "Unweighted %",
      "Target %",
      "Weighted %",
      "Difference (points)",
    ]);
    expect(layout.values[header + 1].slice(0, 7)).toEqual(["score", "=1+1", 2, 50, 40, 40, 0]);
    expect(layout.numberFormats[header + 1].slice(0, 7)).toEqual([
      null,
      null,
      FORMATS.count,
      FORMATS.pct,
      FORMATS.pct,
      FORMATS.pct,
      FORMATS.diff,
    ]);
    expect(layout.bold).toContainEqual({ r0: header, c0: 0, r1: header, c1: 6 });
    expect(layout.sections.groups).toBeNull();

    const bands = weightBands(handMade().result.weights, 1);
    expect(bands.reduce((s, b) => s + b.count, 0)).toBe(4);
    expect(bands.find((b) => b.lo === 0.5)!.count).toBe(1);

    expect(layout.chart).not.toBeNull();
    const src = layout.chart!.source;
    expect(layout.values[src.r0].slice(0, 3)).toEqual(["Target vs achieved (whole sample)", "Target %", "Weighted %"]);
    expect(layout.values[src.r1].slice(0, 3)).toEqual(["score: -5 to 5", 60, 60]);
    for (const row of layout.values) expect(row).toHaveLength(layout.width);
  });
});

describe("diagnostics sheet", () => {
  let uninstall: () => void = () => undefined;
  afterEach(() => uninstall());

  it("writes labels starting with = + - @ as text, formats after values, and a clustered column chart", async () => {
    const host = createFakeHost({ mode: "web", sheets: { Data: [["x"]] } });
    uninstall = host.install(globalThis);
    const input = handMade();
    input.variables[0].categories = ["=1+1", "@home"];
    const layout = layoutDiagnostics(input);
    const record = await writeDiagnosticsSheet(layout, null);
    expect(record.name).toBe("RIM Diagnostics");
    const row = layout.sections.categories + 2;
    const label = host.workbook.getCell("RIM Diagnostics", `B${row + 1}`);
    expect(label.value).toBe("=1+1");
    expect(label.formula).toBeUndefined();
    const at = host.workbook.getCell("RIM Diagnostics", `B${row + 2}`);
    expect(at.value).toBe("@home");
    expect(at.formula).toBeUndefined();
    const warn = layout.values.findIndex((r) => r[0] === "Warnings");
    expect(host.workbook.getCell("RIM Diagnostics", `B${warn + 1}`).formula).toBeUndefined();
    expect(host.workbook.getCell("RIM Diagnostics", `E${row + 1}`).numberFormat).toBe(FORMATS.pct);
    expect(host.workbook.getCell("RIM Diagnostics", `E${row + 1}`).value).toBe(40);
    const charts = host.workbook.charts();
    expect(charts).toHaveLength(1);
    expect(charts[0].type).toBe("ColumnClustered");
    expect(charts[0].sheet).toBe("RIM Diagnostics");
    // the sheet names; the new sheet with its rows, bold, widths and chart in one request
    expect(host.workbook.counters.syncs).toBe(2);
  });

  it("replaces only a sheet it created; a user's sheet of that name gets a new name", async () => {
    const host = createFakeHost({ mode: "desktop", sheets: { Data: [["x"]], "RIM Diagnostics": [["mine"]] } });
    uninstall = host.install(globalThis);
    const layout = layoutDiagnostics(handMade());
    const first = await writeDiagnosticsSheet(layout, null);
    expect(first.name).toBe("RIM Diagnostics (2)");
    expect(host.workbook.getValues("RIM Diagnostics", "A1")[0][0]).toBe("mine");
    const second = await writeDiagnosticsSheet(layout, first);
    expect(second.name).toBe("RIM Diagnostics (2)");
    expect(host.workbook.sheetNames().sort()).toEqual(["Data", "RIM Diagnostics", "RIM Diagnostics (2)"]);
    expect(host.workbook.charts()).toHaveLength(1);
    // a sheet of the recorded name without our title in A1 (the user deleted ours and made their own) is not ours
    host.workbook.deleteSheet("RIM Diagnostics (2)");
    host.workbook.addSheet("RIM Diagnostics (2)", [["user"]]);
    const third = await writeDiagnosticsSheet(layout, second);
    expect(third.name).toBe("RIM Diagnostics (3)");
    expect(host.workbook.getValues("RIM Diagnostics (2)", "A1")[0][0]).toBe("user");
  });

  it("with the sheet names from an earlier request, a first diagnostics sheet is a single request", async () => {
    const host = createFakeHost({ mode: "web", sheets: { Data: [["x"]] } });
    uninstall = host.install(globalThis);
    const record = await writeDiagnosticsSheet(layoutDiagnostics(handMade()), null, ["Data"]);
    expect(record.name).toBe("RIM Diagnostics");
    expect(host.workbook.getValues("RIM Diagnostics", "A1")[0][0]).toBe(DIAGNOSTICS_TITLE);
    expect(host.workbook.counters.syncs).toBe(1);
  });

  it("a user's sheet that took the name after the names were read stays, and the failure is told", async () => {
    // the names came from a request made before the weights were written; the user has added a sheet since
    const host = createFakeHost({
      mode: "web",
      sheets: {
        Data: [["x"]],
        "RIM Diagnostics": [
          [null, null],
          [null, "mine"],
        ],
      },
    });
    uninstall = host.install(globalThis);
    await expect(writeDiagnosticsSheet(layoutDiagnostics(handMade()), null, ["Data"])).rejects.toThrow(
      /diagnostics sheet 'RIM Diagnostics' could not be made/,
    );
    expect(host.workbook.sheetNames().sort()).toEqual(["Data", "RIM Diagnostics"]);
    expect(host.workbook.getValues("RIM Diagnostics", "A1:B2")).toEqual([
      ["", ""],
      ["", "mine"],
    ]);
  });

  it("a sheet it made and failed to finish is removed again", async () => {
    const host = createFakeHost({ mode: "web", sheets: { Data: [["x"]] } });
    uninstall = host.install(globalThis);
    const layout = layoutDiagnostics(handMade());
    // the chart comes last in the request: the sheet and its values are in, then Excel refuses the chart's range
    const broken = { ...layout, chart: { ...layout.chart!, source: { r0: -1, c0: 0, r1: 2, c1: 2 } } };
    await expect(writeDiagnosticsSheet(broken, null, ["Data"])).rejects.toThrow(
      /diagnostics sheet 'RIM Diagnostics' could not be made/,
    );
    expect(host.workbook.sheetNames()).toEqual(["Data"]);
  });

  it("picks free names without regard to case", () => {
    expect(freeSheetName(["rim diagnostics", "RIM Diagnostics (2)"])).toBe("RIM Diagnostics (3)");
    expect(freeSheetName(["Data"])).toBe("RIM Diagnostics");
  });
});

// The advisor in the pane against the fake host: the form's checks, the section on the diagnostics sheet
// (values from the advice, text labels never formulas, a line chart), the run's diagnostics kept, advising
// again replacing its own section, and a new sheet (never a user's) when there is no diagnostics sheet yet.
import { createFakeHost } from "../fake-excel";
import { prng } from "../engine/generate";
import { advise } from "../../engine/advise";
import { rake } from "../../engine/rim";
import { ADVISOR_TITLE } from "../../taskpane/excel/advisor-layout";
import { DIAGNOSTICS_TITLE } from "../../taskpane/excel/diagnostics-layout";
import { ADVISOR_CHART } from "../../taskpane/excel/advisor-section";
import { adviseRequest, adviseWeighting, type AdviseEngine, type AdviseForm } from "../../taskpane/advise";
import { prepareScheme, runWeighting } from "../../taskpane/run";
import { loadDiagnosticsSheet } from "../../taskpane/excel/scheme-settings";
import { emptyScheme, type SavedScheme } from "../../taskpane/saved-scheme";
import { CancelledError, PaneError } from "../../taskpane/errors";

/** `+region` is typed with an apostrophe, as a user types a name that starts with a plus. */
function survey(n: number): unknown[][] {
  const rand = prng(5);
  const pick = (xs: string[]) => xs[Math.floor(rand() * xs.length)];
  const rows: unknown[][] = [["id", "'+region", "sex", "age"]];
  for (let i = 0; i < n; i++) rows.push([i + 1, pick(["N", "S", "N", "E"]), pick(["m", "f"]), pick(["y", "o", "o"])]);
  return rows;
}

const TARGETS = [
  ["variable", "category", "target"],
  ["'+region", "N", 30],
  ["'+region", "S", 40],
  ["'+region", "E", 30],
  ["sex", "m", 49],
  ["sex", "f", 51],
  ["age", "y", 45],
  ["age", "o", 55],
];

const FORM: AdviseForm = { caps: "1.5, 2, 3", budgetKind: "maxDeff", budget: "1.2" };
const tsEngine: AdviseEngine = {
  advise: async (problem, options, request, call) => advise(problem, options, request, call?.onProgress),
};
const saved = (): SavedScheme => ({ ...emptyScheme(), dataAddress: "Data!A1:D201", targetsAddress: "Targets!A1:C8" });
const NOW = () => new Date(2025, 0, 1);

function findRow(host: ReturnType<typeof createFakeHost>, sheet: string, label: string, from = 0): number {
  const column = host.workbook.getValues(sheet, "A1:A400").map((r) => r[0]);
  const r = column.findIndex((v, i) => i >= from && v === label);
  if (r < 0) throw new Error(`no row '${label}' on ${sheet}`);
  return r + 1;
}

describe("advisor in the pane", () => {
  let uninstall: () => void = () => undefined;
  afterEach(() => uninstall());

  function install(sheets: Record<string, unknown[][]>) {
    const host = createFakeHost({ mode: "web", sheets });
    uninstall = host.install(globalThis);
    return host;
  }

  it("checks the form, naming the field", () => {
    expect(adviseRequest({ caps: "1.5,2,8", budgetKind: "none", budget: "" })).toEqual({ caps: [1.5, 2, 8] });
    expect(adviseRequest({ caps: "2", budgetKind: "minEfficiency", budget: " 80 " })).toEqual({
      caps: [2],
      budget: { minEfficiency: 80 },
    });
    const where = (form: AdviseForm) => {
      try {
        adviseRequest(form);
      } catch (e) {
        return [(e as PaneError).where, (e as PaneError).message];
      }
      return null;
    };
    expect(where({ caps: "2, x", budgetKind: "none", budget: "" })).toEqual([
      "caps to try",
      "Caps to try: 'x' is not a cap; each must be a number of at least 1 (times the mean weight).",
    ]);
    expect(where({ caps: " ", budgetKind: "none", budget: "" })?.[0]).toBe("caps to try");
    expect(where({ caps: "2", budgetKind: "maxDeff", budget: "" })?.[0]).toBe("maximum design effect");
    expect(where({ caps: "2", budgetKind: "maxDeff", budget: "0.5" })?.[0]).toBe("maximum design effect");
    expect(where({ caps: "2", budgetKind: "minEfficiency", budget: "120" })?.[0]).toBe("minimum efficiency %");
  });

  it("writes its section below the run's diagnostics: sweep, variable cost, budget in words, line chart", async () => {
    const host = install({ Data: survey(200), Targets: TARGETS });
    await runWeighting(saved(), {
      engine: { rake: async (p, o) => rake(p, o) },
      confirmReplace: async () => "replace",
    });
    const diag = loadDiagnosticsSheet()!.name;
    const before = host.workbook.getValues(diag, "A1:H400");
    const progress: string[] = [];
    const out = await adviseWeighting(saved(), FORM, {
      engine: tsEngine,
      now: NOW,
      onProgress: (p) => progress.push(p.message),
    });
    expect(out.sheet).toBe(diag);
    expect(host.workbook.sheetNames()).toHaveLength(3);
    // the run's diagnostics are intact above the section
    const top = findRow(host, diag, ADVISOR_TITLE);
    expect(top).toBeGreaterThan(20);
    expect(host.workbook.getValues(diag, `A1:H${top - 1}`)).toEqual(before.slice(0, top - 1));
    expect(
      host.workbook
        .charts()
        .map((c) => c.type)
        .sort(),
    ).toEqual(["ColumnClustered", "Line"]);

    const { scheme } = await prepareScheme(saved());
    const expected = advise(scheme.problem, scheme.options, { caps: [1.5, 2, 3], budget: { maxDeff: 1.2 } });
    const sweep = findRow(host, diag, "Cap (× mean weight)", top) + 1;
    const rows = host.workbook.getValues(diag, `A${sweep}:H${sweep + 3}`);
    expect(rows.map((r) => r[0])).toEqual(["no cap", 1.5, 2, 3]);
    rows.forEach((row, i) => {
      const run = expected.sweep[i];
      expect(row.slice(1)).toEqual([
        run.efficiencyPct,
        run.effectiveN,
        run.maxWeight,
        run.minWeight,
        run.status,
        run.maxResidual,
        run.iterations,
      ]);
    });
    expect(host.workbook.getCell(diag, `B${sweep}`).numberFormat).toBe("0.00");

    const loo = findRow(host, diag, "Variable left out", top) + 1;
    const costs = host.workbook.getValues(diag, `A${loo}:E${loo + 2}`);
    expect(costs.map((r) => r[0])).toEqual(["+region", "sex", "age"]);
    const plus = host.workbook.getCell(diag, `A${loo}`);
    expect(plus.formula).toBeUndefined();
    expect(plus.numberFormat).toBe("@");
    expected.leaveOneOut.forEach((run, i) => {
      expect(costs[i][1]).toBe(run.efficiencyPct);
      expect(costs[i][2]).toBe(run.efficiencyPct - expected.reference.efficiencyPct);
      expect(costs[i][4]).toBe(run.effectiveN - expected.reference.effectiveN);
    });

    const budget = findRow(host, diag, "Design-effect budget", top);
    const words = host.workbook.getValues(diag, `A${budget + 1}:A${budget + 2}`).map((r) => r[0]);
    expect(words[0]).toMatch(/^Budget: design effect at most 1.2 \(\d+ caps raked\)$/);
    expect(words[1]).toMatch(/cap/);

    const line = host.workbook.charts().find((c) => c.type === "Line")!;
    expect(line.name).toBe(ADVISOR_CHART);
    const chartTop = findRow(host, diag, "Efficiency by cap", top);
    expect(line.sourceAddress).toBe(`'${diag}'!A${chartTop}:B${chartTop + 4}`);
    expect(host.workbook.getValues(diag, `A${chartTop + 1}:B${chartTop + 1}`)).toEqual([
      ["no cap", expected.sweep[0].efficiencyPct],
    ]);
    // every run reported, the last before the writing (the budget search may need fewer runs than planned)
    expect(progress.at(-2)).toMatch(new RegExp(`^Advisor: ${out.advice.runs} of up to \\d+ runs$`));
    expect(progress.at(-1)).toMatch(/^Writing the advice/);

    // advising again replaces its own section and chart, in the same place
    await adviseWeighting(saved(), { ...FORM, budgetKind: "none" }, { engine: tsEngine, now: NOW });
    expect(findRow(host, diag, ADVISOR_TITLE)).toBe(top);
    expect(host.workbook.charts()).toHaveLength(2);
    expect(host.workbook.getValues(diag, "A1:A400").filter((r) => r[0] === ADVISOR_TITLE)).toHaveLength(1);
    expect(() => findRow(host, diag, "Design-effect budget", top)).not.toThrow();
    expect(() => findRow(host, diag, "Efficiency by cap", top)).not.toThrow();
    expect(host.workbook.getValues(diag, `A1:H${top - 1}`)).toEqual(before.slice(0, top - 1));
  });

  it("makes a new diagnostics sheet when there is none, never writing over a user's sheet of that name", async () => {
    const host = install({ Data: survey(200), Targets: TARGETS, "RIM Diagnostics": [["the user's"]] });
    const out = await adviseWeighting(saved(), FORM, { engine: tsEngine, now: NOW });
    expect(out.sheet).toBe("RIM Diagnostics (2)");
    expect(loadDiagnosticsSheet()?.name).toBe("RIM Diagnostics (2)");
    expect(host.workbook.getValues("RIM Diagnostics", "A1:B2")).toEqual([
      ["the user's", ""],
      ["", ""],
    ]);
    // the run's title in A1, the advice below it: a later run recognises the sheet as ours and replaces it
    expect(host.workbook.getValues("RIM Diagnostics (2)", "A1")).toEqual([[DIAGNOSTICS_TITLE]]);
    expect(host.workbook.getValues("RIM Diagnostics (2)", "A4")).toEqual([[ADVISOR_TITLE]]);
    await runWeighting(saved(), {
      engine: { rake: async (p, o) => rake(p, o) },
      confirmReplace: async () => "replace",
    });
    expect(host.workbook.sheetNames().filter((n) => n.startsWith("RIM Diagnostics"))).toEqual([
      "RIM Diagnostics",
      "RIM Diagnostics (2)",
    ]);
  });

  it("writes nothing when cancelled", async () => {
    const host = install({ Data: survey(200), Targets: TARGETS });
    const controller = new AbortController();
    const engine: AdviseEngine = {
      advise: async (problem, options, request) => {
        const advice = advise(problem, options, request);
        controller.abort();
        return advice;
      },
    };
    await expect(adviseWeighting(saved(), FORM, { engine, signal: controller.signal })).rejects.toBeInstanceOf(
      CancelledError,
    );
    expect(host.workbook.sheetNames().sort()).toEqual(["Data", "Targets"]);
  });
});

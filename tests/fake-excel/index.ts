/**
 * A strict, in-memory fake of the Office.js subset this add-in uses (Office, Excel, OfficeExtension, CustomFunctions),
 * for jest and for a webpack-bundled browser test page. No Node-only imports.
 *
 *   const host = createFakeHost({ mode: "web" });
 *   host.install(globalThis);            // or window; returns uninstall()
 *   host.workbook.setValues("Sheet1", "A1", [["x"], [1]]);
 *   await Excel.run(async (ctx) => { ... });
 *   expect(host.workbook.counters.syncs).toBe(1);
 *
 * See the README-style notes at the top of values.ts (cell input), limits.ts (limits) and context.ts (sync).
 */
import type { ClientObject } from "./client-object";
import { ClientResult } from "./client-object";
import { RequestContext, TrackedObjects, run, type ContextHost } from "./context";
import { CustomFunctionsError, CustomFunctionsErrorCode, CustomFunctionsRegistry } from "./custom-functions";
import { ExcelErrorCodes, FakeOfficeError, OfficeErrorCodes } from "./errors";
import { DEFAULT_LIMITS, FakeLimits } from "./limits";
import { WorkbookModel, type FormulaContext } from "./model";
import { Chart, ChartCollection, ChartLegend, ChartTitle, Table, TableCollection } from "./objects";
import { DEFAULT_REQUIREMENT_SETS, createOffice } from "./office";
import { Range, RangeFill, RangeFont, RangeFormat } from "./range";
import { FakeSettings } from "./settings";
import { FakeWorkbookHandle } from "./test-handle";
import type { CellValue } from "./values";
import { Application, Workbook } from "./workbook";
import { Worksheet, WorksheetCollection, WorksheetFreezePanes } from "./worksheet";

export { FakeOfficeError, OfficeErrorCodes, ExcelErrorCodes } from "./errors";
export { CustomFunctionsError, CustomFunctionsErrorCode } from "./custom-functions";
export type { InvocationHandle, InvokeOptions, CellOutcome } from "./custom-functions";
export type { FakeLimits, FakeCounters } from "./limits";
export type { CellInfo, TableInfo, ChartInfo } from "./test-handle";
export { FakeWorkbookHandle, FakeSettingsHandle } from "./test-handle";
export { DEFAULT_LIMITS } from "./limits";
export { parseAddress, formatAddress, colToIndex, indexToCol, MAX_ROWS, MAX_COLS } from "./address";
export { RequestContext, Range, Worksheet, Workbook };

export interface FakeHostOptions {
  mode: "web" | "desktop";
  /** overrides of DEFAULT_LIMITS (maxCellsPerRead 5,000,000; payloadLimitBytes 5 MiB, web only) */
  limits?: Partial<FakeLimits>;
  /** initial sheets: names (empty) or name -> grid written at A1 as typed input. Default: one empty "Sheet1". */
  sheets?: string[] | Record<string, unknown[][]>;
  /** Office.context.platform; default "OfficeOnline" for web, "PC" for desktop */
  platform?: string;
  /** requirement sets for isSetSupported (name -> highest version); default ExcelApi 1.17, CustomFunctionsRuntime 1.5, SharedRuntime 1.1, … */
  requirementSets?: Record<string, string>;
  /** value a formula cell reads back through `values`; default "#NAME?" (the fake has no calculation engine) */
  formulaValue?: (formula: string, cell: FormulaContext) => CellValue;
  /** Whole-row/column reads ("A:A", getEntireColumn, getRange()): "bounded" (default) materialises values only up to
   *  the used range; "full" returns all 1,048,576 rows like Excel. Address/rowCount are the full range either way. */
  wholeRangeReads?: "bounded" | "full";
  /** Excel.run syncs operations left queued when the batch resolves, like Office.js (default true) */
  implicitFinalSync?: boolean;
  /** > 0: each sync waits this many ms (setTimeout); default 0: a microtask */
  syncDelayMs?: number;
  /** settings persisted before the session (loaded into Office.context.document.settings) */
  settings?: Record<string, unknown>;
  /** settings size limit for saveAsync (default 2 MiB) */
  settingsLimitBytes?: number;
}

export interface FakeHost {
  Office: ReturnType<typeof createOffice>;
  Excel: ReturnType<typeof createExcelNamespace>;
  CustomFunctions: {
    associate: CustomFunctionsRegistry["associate"];
    Error: typeof CustomFunctionsError;
    ErrorCode: typeof CustomFunctionsErrorCode;
  };
  OfficeExtension: typeof OfficeExtension;
  /** test-side handle: seed/inspect sheets directly, counters, limits, mode, settings */
  workbook: FakeWorkbookHandle;
  /** test-side custom function registry: ids(), get(id), invoke(id, args, opts) */
  functions: CustomFunctionsRegistry;
  /** put Office, Excel, OfficeExtension, CustomFunctions on a global object; returns a function restoring what was there */
  install(globalObject?: object, opts?: { exposeAs?: string }): () => void;
}

export const OfficeExtension = {
  Error: FakeOfficeError,
  ErrorCodes: OfficeErrorCodes,
  ClientResult,
  TrackedObjects,
  Promise,
  config: { extendedErrorLogging: false },
};

const EXCEL_ENUMS = {
  ErrorCodes: ExcelErrorCodes,
  ChartSeriesBy: { auto: "Auto", columns: "Columns", rows: "Rows" },
  ChartType: {
    columnClustered: "ColumnClustered",
    columnStacked: "ColumnStacked",
    columnStacked100: "ColumnStacked100",
    barClustered: "BarClustered",
    barStacked: "BarStacked",
    barStacked100: "BarStacked100",
    line: "Line",
    lineMarkers: "LineMarkers",
    lineStacked: "LineStacked",
    pie: "Pie",
    doughnut: "Doughnut",
    area: "Area",
    areaStacked: "AreaStacked",
    xyscatter: "XYScatter",
    xyscatterLines: "XYScatterLines",
    xyscatterSmooth: "XYScatterSmooth",
    radar: "Radar",
    histogram: "Histogram",
    boxwhisker: "Boxwhisker",
    pareto: "Pareto",
    waterfall: "Waterfall",
    treemap: "Treemap",
  },
  ChartLegendPosition: {
    invalid: "Invalid",
    top: "Top",
    bottom: "Bottom",
    left: "Left",
    right: "Right",
    corner: "Corner",
    custom: "Custom",
  },
  CalculationMode: { automatic: "Automatic", automaticExceptTables: "AutomaticExceptTables", manual: "Manual" },
  CalculationType: { recalculate: "Recalculate", full: "Full", fullRebuild: "FullRebuild" },
  ClearApplyTo: {
    all: "All",
    formats: "Formats",
    contents: "Contents",
    hyperlinks: "Hyperlinks",
    removeHyperlinks: "RemoveHyperlinks",
    resetContents: "ResetContents",
  },
  SheetVisibility: { visible: "Visible", hidden: "Hidden", veryHidden: "VeryHidden" },
  RangeValueType: {
    unknown: "Unknown",
    empty: "Empty",
    string: "String",
    integer: "Integer",
    double: "Double",
    boolean: "Boolean",
    error: "Error",
    richValue: "RichValue",
  },
  HorizontalAlignment: {
    general: "General",
    left: "Left",
    center: "Center",
    right: "Right",
    fill: "Fill",
    justify: "Justify",
    centerAcrossSelection: "CenterAcrossSelection",
    distributed: "Distributed",
  },
} as const;

function createExcelNamespace(host: ContextHost & { implicitFinalSync: boolean }) {
  class BoundRequestContext extends RequestContext {
    constructor() {
      super(host);
    }
  }
  return {
    ...EXCEL_ENUMS,
    run<T>(batch: (context: RequestContext) => Promise<T>): Promise<T> {
      return run(host, batch);
    },
    RequestContext: BoundRequestContext,
    Workbook,
    Application,
    Worksheet,
    WorksheetCollection,
    WorksheetFreezePanes,
    Range,
    RangeFormat,
    RangeFont,
    RangeFill,
    Table,
    TableCollection,
    Chart,
    ChartCollection,
    ChartTitle,
    ChartLegend,
  };
}

export function createFakeHost(options: FakeHostOptions = { mode: "web" }): FakeHost {
  const limits: FakeLimits = { ...DEFAULT_LIMITS, ...(options.limits ?? {}) };
  const model = new WorkbookModel(options.mode, limits, options.formulaValue ?? (() => "#NAME?"));
  model.wholeRangeReads = options.wholeRangeReads ?? "bounded";
  const tracked = new Set<ClientObject>();
  const delay = options.syncDelayMs ?? 0;
  const host: ContextHost & { implicitFinalSync: boolean } = {
    model,
    tracked,
    implicitFinalSync: options.implicitFinalSync ?? true,
    syncDelay: () => (delay > 0 ? new Promise<void>((r) => setTimeout(r, delay)) : Promise.resolve()),
  };
  const settings = new FakeSettings(options.settingsLimitBytes, options.settings);
  const workbook = new FakeWorkbookHandle(model, tracked, settings);

  const sheets = options.sheets ?? ["Sheet1"];
  if (Array.isArray(sheets)) sheets.forEach((n) => model.addSheet(n));
  else for (const [name, grid] of Object.entries(sheets)) workbook.addSheet(name, grid.length ? grid : undefined);
  if (model.liveSheets().length === 0) model.addSheet("Sheet1");

  const Office = createOffice({
    platform: options.platform ?? (options.mode === "web" ? "OfficeOnline" : "PC"),
    requirementSets: options.requirementSets ?? DEFAULT_REQUIREMENT_SETS,
    settings,
  });
  const Excel = createExcelNamespace(host);
  const functions = new CustomFunctionsRegistry({
    read: (sheet, address) => ({
      values: workbook.getValues(sheet, address),
      types: workbook.getValueTypes(sheet, address),
    }),
    mode: () => model.mode,
    parameterAddresses: () => Office.context.requirements.isSetSupported("CustomFunctionsRuntime", "1.3"),
  });
  const CustomFunctions = {
    associate: functions.associate.bind(functions) as CustomFunctionsRegistry["associate"],
    Error: CustomFunctionsError,
    ErrorCode: CustomFunctionsErrorCode,
  };

  const fake: FakeHost = {
    Office,
    Excel,
    CustomFunctions,
    OfficeExtension,
    workbook,
    functions,
    install(globalObject: object = globalThis, opts: { exposeAs?: string } = {}) {
      return install(globalObject, fake, opts);
    },
  };
  return fake;
}

/** Put the fake's Office/Excel/OfficeExtension/CustomFunctions on `globalObject` (window or globalThis). Returns an uninstaller. */
export function install(globalObject: object, host: FakeHost, opts: { exposeAs?: string } = {}): () => void {
  const g = globalObject as Record<string, unknown>;
  const names = ["Office", "Excel", "OfficeExtension", "CustomFunctions", ...(opts.exposeAs ? [opts.exposeAs] : [])];
  const previous = names.map((n) => [n, Object.prototype.hasOwnProperty.call(g, n), g[n]] as const);
  g.Office = host.Office;
  g.Excel = host.Excel;
  g.OfficeExtension = host.OfficeExtension;
  g.CustomFunctions = host.CustomFunctions;
  if (opts.exposeAs) g[opts.exposeAs] = host;
  return () => {
    for (const [n, had, v] of previous) {
      if (had) g[n] = v;
      else delete g[n];
    }
  };
}

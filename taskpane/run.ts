// Orchestration of a run: read (adaptive blocks → compact columns) → scheme → engine (a parameter: the shared
// Worker client in the pane, the TS engine in tests) → weight column → diagnostics sheet. Cancellable through
// an AbortSignal until the weights start being written; reports its stage. Nothing is written before the
// engine has finished. Imports Excel I/O and the engine's pure modules; no React.
import { RimEngineError, type Options, type Problem, type RakeResult } from "../engine/contract";
import {
  checkScheme,
  describeSchemeWarning,
  engineErrorWhere,
  locateEngineError,
  parseScheme,
  type Scheme,
} from "../scheme/scheme";
import type { CellGrid, GridAddress } from "../scheme/cells";
import { formatSheetAddress, type SheetRect } from "./address";
import { compactSource, type CompactData } from "./compact-grid";
import { CancelledError, PaneError, throwIfAborted } from "./errors";
import { layoutDiagnostics } from "./excel/diagnostics-layout";
import { queueSheetNames, writeDiagnosticsSheet, type DiagnosticsSheetRecord } from "./excel/diagnostics-sheet";
import type { ReadStats } from "./excel/read-blocks";
import {
  dataHeader,
  headerRect,
  queueSmallGrids,
  readRespondents,
  rectOf,
  trimToUsedRows,
  type DataHeader,
} from "./excel/read-data";
import {
  loadDiagnosticsSheet,
  loadWeightColumns,
  persistSettings,
  recordDiagnosticsSheet,
  recordWeightColumn,
} from "./excel/scheme-settings";
import { readTogether, type QueuedRead } from "./excel/queued-read";
import {
  checkPlacement,
  planWeightColumn,
  queueColumnSurvey,
  queuePlacementCheck,
  trimPlacement,
  writeWeightColumn,
  type ReplaceAnswer,
  type ReplaceQuestion,
} from "./excel/weight-column";
import type { WriteStats } from "./excel/write-blocks";
import { previewModel, type PreviewModel } from "./preview-model";
import type { SavedScheme } from "./saved-scheme";
import { gridAddress, neededColumns, schemePaneError, schemeSettings } from "./scheme-input";

export type Stage = "reading" | "weighting" | "writing" | "diagnostics";

export interface Progress {
  stage: Stage;
  /** 0…1, or null while the stage cannot measure itself (the engine) */
  fraction: number | null;
  message: string;
}

/** What run.ts needs of an engine: the shared client's rake, or the TS engine wrapped in a promise. */
export interface RunEngine {
  rake(problem: Problem, options: Options, call?: { signal?: AbortSignal }): Promise<RakeResult>;
}

export interface ReadOptions {
  signal?: AbortSignal;
  onProgress?: (progress: Progress) => void;
  /** rows per block to start with (default about 20k) */
  initialBlockRows?: number;
}

export interface RunDeps extends ReadOptions {
  engine: RunEngine;
  /** asked only when a previous run's weight column exists */
  confirmReplace: (question: ReplaceQuestion) => Promise<ReplaceAnswer>;
  /** the time stamp on the diagnostics sheet */
  now?: () => Date;
  /** skip the diagnostics sheet (default false) */
  skipDiagnostics?: boolean;
  /** milliseconds, for the whole run's time (default performance.now) */
  clock?: () => number;
}

export interface PreparedScheme {
  scheme: Scheme;
  rect: SheetRect;
  data: CompactData;
  readStats: ReadStats;
}

export interface RunOutcome {
  result: RakeResult;
  weightAddress: string;
  replaced: boolean;
  diagnosticsSheet: string | null;
  warnings: string[];
  readStats: ReadStats;
  writeStats: WriteStats;
  /** the whole run (read, weight, write, diagnostics); the engine's share is result.elapsedMs */
  elapsedMs: number;
}

/** The group shares range, when the scheme has one. */
function sharesRectOf(saved: SavedScheme): SheetRect | undefined {
  return saved.groupColumn && saved.sharesAddress ? rectOf(saved.sharesAddress, "group shares range") : undefined;
}

/** The scheme's small ranges: the data header, the target table and the shares, read in one request. */
export interface SchemeRanges {
  /** the data range, whole columns cut to their used rows */
  rect: SheetRect;
  header: DataHeader;
  targetsRect: SheetRect;
  targets: CellGrid;
  shares?: { grid: CellGrid; at: GridAddress };
}

/** The scheme's small ranges, queued to travel in one request with other reads; the data range already trimmed. */
async function queueSchemeRanges(saved: SavedScheme): Promise<{ rect: SheetRect; read: QueuedRead<SchemeRanges> }> {
  if (!saved.dataAddress)
    throw new PaneError("Set the respondent data range first (header row and respondents).", "data range");
  if (!saved.targetsAddress)
    throw new PaneError("Set the target table range first (variable | category | target).", "target table");
  // whole columns: only down to the last used row (the rows below hold no respondents)
  const rect = await trimToUsedRows(rectOf(saved.dataAddress, "data range"));
  const targetsRect = rectOf(saved.targetsAddress, "target table");
  const sharesRect = sharesRectOf(saved);
  const grids = await queueSmallGrids({
    header: headerRect(rect),
    targets: targetsRect,
    ...(sharesRect ? { shares: sharesRect } : {}),
  });
  const read: QueuedRead<SchemeRanges> = (context) => {
    const take = grids(context);
    return () => {
      const small = take();
      return {
        rect,
        header: dataHeader(small.header),
        targetsRect,
        targets: small.targets,
        shares: sharesRect && small.shares ? { grid: small.shares, at: gridAddress(sharesRect) } : undefined,
      };
    };
  };
  return { rect, read };
}

/** The scheme's small ranges in one request: on Excel on the web each one is a round trip. */
export async function readSchemeRanges(saved: SavedScheme): Promise<SchemeRanges> {
  const [ranges] = await readTogether((await queueSchemeRanges(saved)).read);
  return ranges;
}

/**
 * Reads every range of the scheme (the small ones unless the caller read them) and parses it; throws PaneError
 * naming the cell of the first problem.
 */
export async function prepareScheme(
  saved: SavedScheme,
  options: ReadOptions = {},
  read?: SchemeRanges,
): Promise<PreparedScheme> {
  const report = (fraction: number | null, message: string) =>
    options.onProgress?.({ stage: "reading", fraction, message });
  report(0, "Reading the target table");
  const { rect, header, targetsRect, targets, shares } = read ?? (await readSchemeRanges(saved));
  const settings = schemeSettings(saved, shares);
  const needed = neededColumns(header.names, targets, settings);
  const { data, stats } = await readRespondents({
    rect,
    header: header.cells,
    labelColumns: needed.labels,
    numberColumns: needed.numbers,
    signal: options.signal,
    initialBlockRows: options.initialBlockRows,
    onProgress: (done, rows) =>
      report(
        rows ? done / rows : 1,
        `Reading rows: ${done.toLocaleString("en-US")} of ${rows.toLocaleString("en-US")}`,
      ),
  });
  throwIfAborted(options.signal);
  const outcome = parseScheme({
    data: compactSource(data),
    dataAt: gridAddress(rect),
    targets,
    targetsAt: gridAddress(targetsRect),
    settings,
  });
  if (!outcome.ok) throw schemePaneError(outcome.error);
  return { scheme: outcome, rect, data, readStats: stats };
}

/** Reads and parses without running: what the preview shows. */
export async function previewScheme(saved: SavedScheme, options: ReadOptions = {}): Promise<PreviewModel> {
  const prepared = await prepareScheme(saved, options);
  const invalid = checkScheme(prepared.scheme);
  if (invalid !== null) throw new PaneError(invalid.message, invalid.cell);
  return previewModel(prepared.scheme);
}

/** Weights per data row below the header (skipped blank rows get NaN, written as blank). */
export function weightsByRow(scheme: Scheme, weights: Float64Array): Float64Array {
  const out = new Float64Array(scheme.dataRows).fill(Number.NaN);
  for (let i = 0; i < scheme.rowMap.length; i++) out[scheme.rowMap[i] - 1] = weights[i];
  return out;
}

async function rakeWithEngine(prepared: PreparedScheme, deps: RunDeps): Promise<RakeResult> {
  deps.onProgress?.({
    stage: "weighting",
    fraction: null,
    message: `Weighting ${prepared.scheme.problem.n.toLocaleString("en-US")} respondents`,
  });
  try {
    return await deps.engine.rake(prepared.scheme.problem, prepared.scheme.options, { signal: deps.signal });
  } catch (error) {
    if (error instanceof RimEngineError && error.error.code !== "cancelled")
      throw new PaneError(
        locateEngineError(error.error, prepared.scheme),
        engineErrorWhere(error.error, prepared.scheme),
      );
    throw error;
  }
}

/** Engine-side warnings worth a line on the diagnostics sheet and in the pane. */
function resultWarnings(scheme: Scheme, result: RakeResult): string[] {
  const words = scheme.warnings.map(describeSchemeWarning);
  if (result.status === "stalled")
    words.push(
      "The raking stalled: the weights stopped getting closer to the targets (conflicting targets or tight caps).",
    );
  if (result.status === "max_iterations")
    words.push(
      `The raking stopped at the iteration limit (${result.iterations}) with a residual of ${result.maxResidual.toExponential(2)}.`,
    );
  return words;
}

async function writeDiagnostics(
  prepared: PreparedScheme,
  result: RakeResult,
  weightAddress: string,
  warnings: string[],
  deps: RunDeps,
  sheetNames: readonly string[],
): Promise<DiagnosticsSheetRecord> {
  deps.onProgress?.({ stage: "diagnostics", fraction: null, message: "Writing the diagnostics sheet" });
  const { scheme } = prepared;
  const layout = layoutDiagnostics({
    result,
    variables: scheme.names.variables,
    group: scheme.names.group,
    warnings,
    dataAddress: formatSheetAddress(prepared.rect),
    weightAddress,
    tolerance: scheme.options.tolerance,
    caps: scheme.options.caps,
    runAt: (deps.now ?? (() => new Date()))().toLocaleString(),
  });
  const record = await writeDiagnosticsSheet(layout, loadDiagnosticsSheet(), sheetNames);
  recordDiagnosticsSheet(record);
  return record;
}

/**
 * The weight column's header must not be the name of a data column (compared as Excel compares headers:
 * trimmed, without case): two columns of the same name confuse the next run and every tool downstream.
 * A data range that takes in a previous run's weight column is told so.
 */
function checkHeaderClash(rect: SheetRect, header: DataHeader, weightHeader: string): void {
  const wanted = weightHeader.trim().toLowerCase();
  const c = header.names.findIndex((name) => name.trim().toLowerCase() === wanted);
  if (c < 0) return;
  const column = rect.c0 + c;
  const cell = formatSheetAddress({ sheet: rect.sheet, r0: rect.r0, r1: rect.r0, c0: column, c1: column });
  const previous = loadWeightColumns().find(
    (r) => r.sheet === rect.sheet && r.column === column && r.headerRow === rect.r0,
  );
  if (previous) {
    throw new PaneError(
      `The data range ${formatSheetAddress(rect)} takes in the weight column of a previous run (${cell}); set the data range without that column.`,
      cell,
    );
  }
  throw new PaneError(
    `The data already has a column named '${header.names[c]}' (${cell}); choose another header for the weight column.`,
    cell,
  );
}

/** The whole run. Throws CancelledError (workbook untouched), PaneError (message + cell), or an Office error. */
export async function runWeighting(saved: SavedScheme, deps: RunDeps): Promise<RunOutcome> {
  // One request for the scheme's small ranges and for where the weights can go: each request is a round trip on
  // the web, and neither needs the other's answer (the data range's address is known before either).
  const scheme = await queueSchemeRanges(saved);
  const records = loadWeightColumns();
  const [ranges, survey] = await readTogether(scheme.read, queueColumnSurvey(scheme.rect, records));
  const { rect } = ranges;
  // trimmed: a header of spaces reads back blank, and the column would never be recognised as ours again
  const weightHeader = saved.weightHeader.trim() || "weight";
  checkHeaderClash(rect, ranges.header, weightHeader);
  const planned = await planWeightColumn(rect, records, deps.confirmReplace, survey);
  if (!planned) throw new CancelledError();
  // timed from here: the time the user took to answer the replace question is not the run's
  const clock = deps.clock ?? (() => performance.now());
  const started = clock();
  const prepared = await prepareScheme(saved, deps, ranges);
  const result = await rakeWithEngine(prepared, deps);
  throwIfAborted(deps.signal);
  // Weights down to the last respondent only: blank rows below it (a whole-column or generous range) get no cells.
  const { rowMap } = prepared.scheme;
  const lastGridRow = rowMap.length > 0 ? rowMap[rowMap.length - 1] : 0;
  if (rect.r0 + lastGridRow > planned.lastRow) {
    // the sheet grew below a whole-column range while the weights were computed
    throw new PaneError(
      `The data range ${formatSheetAddress(rect)} changed while the weights were computed; nothing was written. Run again.`,
      formatSheetAddress(rect),
    );
  }
  const placement = trimPlacement(planned, rect.r0 + lastGridRow);
  // the diagnostics sheet's look-up rides with the last check before writing
  const [facts, sheetNames] = await readTogether(queuePlacementCheck(placement), queueSheetNames());
  await checkPlacement(placement, facts);
  const weights = weightsByRow(prepared.scheme, result.weights).subarray(0, lastGridRow);
  const report = (done: number) =>
    deps.onProgress?.({
      stage: "writing",
      fraction: weights.length ? done / weights.length : 1,
      message: `Writing weights: ${done.toLocaleString("en-US")} of ${weights.length.toLocaleString("en-US")}`,
    });
  report(0);
  const written = await writeWeightColumn(placement, weights, {
    header: weightHeader,
    signal: deps.signal,
    onProgress: report,
  });
  const warnings = resultWarnings(prepared.scheme, result);
  // the column and the sheet are recorded and saved once (a save is a round trip on the web); the column's
  // record is saved even when the diagnostics fail, so the next run still recognises the column as ours
  recordWeightColumn(written.record);
  let sheet: DiagnosticsSheetRecord | null = null;
  try {
    if (!deps.skipDiagnostics)
      sheet = await writeDiagnostics(prepared, result, placement.address, warnings, deps, sheetNames);
  } finally {
    await persistSettings();
  }
  return {
    result,
    weightAddress: placement.address,
    replaced: placement.replaces !== null,
    diagnosticsSheet: sheet?.name ?? null,
    warnings,
    readStats: prepared.readStats,
    writeStats: written.stats,
    elapsedMs: clock() - started,
  };
}

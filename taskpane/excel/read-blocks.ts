// The adaptive block reader: respondent columns are read in row blocks sized by their bytes (block-size.ts:
// about 20k rows to start, then toward a safe fraction of Excel on the web's 5 MB response limit), halving the
// block on a payload error, never asking for more than 5,000,000 cells in one request, and treating a `null`
// values answer (Excel's silent answer above its read limit) as an error. Each block goes to the caller at
// once (to be packed into typed arrays) and is then dropped. Calls Excel.run; imports no React, no engine.
import { columnAddress, formatSheetAddress, type SheetRect } from "../address";
import { PaneError, throwIfAborted } from "../errors";
import { cellBytes, createBlockSizer, sampledBytes } from "./block-size";
import { isPayloadError, yieldToUi } from "./office-errors";

export const START_BLOCK_ROWS = 20_000;
export const MAX_CELLS_PER_READ = 5_000_000;

/** Rows `start … start + rows − 1` (0-based, relative to `firstRow`); `columns[k][i]` is the cell of column k. */
export interface RowBlock {
  start: number;
  rows: number;
  columns: unknown[][];
}

export interface ReadColumnsRequest {
  sheet: string;
  /** 0-based sheet row of the first respondent */
  firstRow: number;
  rowCount: number;
  /** 0-based sheet columns, in the order the blocks list them */
  columns: number[];
  initialBlockRows?: number;
  maxCells?: number;
  signal?: AbortSignal;
  /** "formulas" shows a formula cell as its formula (used to tell truly empty cells); default "values" */
  property?: "values" | "formulas";
  onBlock: (block: RowBlock) => void;
  /** asked after each block: true when the caller has seen enough, and the rows after it are not read */
  done?: () => boolean;
  /** rows read so far */
  onProgress?: (rowsDone: number) => void;
}

export interface ReadStats {
  blocks: number;
  /** how often a block was halved after a payload error */
  halvings: number;
  /** block size in rows at the end */
  blockRows: number;
  /** requests sent, refused ones included */
  syncs: number;
  /** response bytes of the blocks read (estimated from a sample of each block's rows) */
  bytes: number;
  /** the largest of them */
  maxBlockBytes: number;
}

/** Contiguous runs of sheet columns, so adjacent columns are read as one range. */
interface ColumnRun {
  c0: number;
  c1: number;
}

export function columnRuns(columns: readonly number[]): ColumnRun[] {
  const sorted = [...new Set(columns)].sort((a, b) => a - b);
  const runs: ColumnRun[] = [];
  for (const c of sorted) {
    const last = runs[runs.length - 1];
    if (last && last.c1 === c - 1) last.c1 = c;
    else runs.push({ c0: c, c1: c });
  }
  return runs;
}

/** The most rows one read may ask for: maxCells cells over all columns, and no more rows than there are. */
function maxBlockRows(request: Pick<ReadColumnsRequest, "maxCells" | "columns" | "rowCount">): number {
  const width = Math.max(1, new Set(request.columns).size);
  const byCells = Math.floor((request.maxCells ?? MAX_CELLS_PER_READ) / width);
  return Math.max(1, Math.min(byCells, request.rowCount));
}

/** Block rows to start with: near 20k, and never more than maxCells cells over all columns. */
export function firstBlockRows(
  request: Pick<ReadColumnsRequest, "initialBlockRows" | "maxCells" | "columns" | "rowCount">,
): number {
  return Math.max(1, Math.min(request.initialBlockRows ?? START_BLOCK_ROWS, maxBlockRows(request)));
}

/** Response bytes of a block's grids (`[[a,b],[c,d]]` per run), estimated from a sample of its rows. */
function gridBytes(grids: unknown[][][], rows: number): number {
  return sampledBytes(rows, (i) => {
    let bytes = 0;
    for (const grid of grids) for (const cell of grid[i]) bytes += cellBytes(cell);
    return bytes + 2 * grids.length;
  });
}

/** One read of rows [row, row + rows) of each run, in one request. */
async function readRuns(
  sheet: string,
  row: number,
  rows: number,
  runs: ColumnRun[],
  property: "values" | "formulas",
): Promise<unknown[][][]> {
  return Excel.run(async (context) => {
    const worksheet = context.workbook.worksheets.getItem(sheet);
    const ranges = runs.map((run) =>
      worksheet.getRangeByIndexes(row, run.c0, rows, run.c1 - run.c0 + 1).load(property),
    );
    await context.sync();
    return ranges.map((range, k) =>
      checkedValues(property === "values" ? range.values : range.formulas, sheet, row, rows, runs[k]),
    );
  });
}

function checkedValues(
  values: unknown[][] | null | undefined,
  sheet: string,
  row: number,
  rows: number,
  run: ColumnRun,
): unknown[][] {
  if (Array.isArray(values) && values.length === rows) return values;
  const address = formatSheetAddress({ sheet, r0: row, r1: row + rows - 1, c0: run.c0, c1: run.c1 });
  throw new PaneError(
    `Excel returned no values for ${address} (the request was too large or the range could not be read); nothing was weighted.`,
    address,
  );
}

/** Re-orders a block's run grids into one array per requested column. */
function blockColumns(grids: unknown[][][], runs: ColumnRun[], columns: readonly number[], rows: number): unknown[][] {
  return columns.map((c) => {
    const k = runs.findIndex((run) => c >= run.c0 && c <= run.c1);
    const grid = grids[k];
    const offset = c - runs[k].c0;
    const out = new Array<unknown>(rows);
    for (let i = 0; i < rows; i++) out[i] = grid[i][offset];
    return out;
  });
}

/**
 * Reads every row of the requested columns, block by block, in order; resolves when all rows were delivered, or
 * earlier when the caller says it is done.
 */
export async function readColumnsInBlocks(request: ReadColumnsRequest): Promise<ReadStats> {
  const runs = columnRuns(request.columns);
  const sizer = createBlockSizer({ firstRows: firstBlockRows(request), maxRows: maxBlockRows(request) });
  const stats: ReadStats = { blocks: 0, halvings: 0, blockRows: sizer.rows, syncs: 0, bytes: 0, maxBlockBytes: 0 };
  let start = 0;
  while (start < request.rowCount) {
    throwIfAborted(request.signal);
    const rows = Math.min(sizer.rows, request.rowCount - start);
    let grids: unknown[][][];
    stats.syncs++;
    try {
      grids = await readRuns(request.sheet, request.firstRow + start, rows, runs, request.property ?? "values");
    } catch (error) {
      if (!isPayloadError(error) || rows <= 1) throw tooLarge(error, request, start, rows);
      sizer.refused(rows);
      stats.halvings++;
      continue;
    }
    const bytes = gridBytes(grids, rows);
    sizer.succeeded(rows, bytes);
    stats.bytes += bytes;
    stats.maxBlockBytes = Math.max(stats.maxBlockBytes, bytes);
    throwIfAborted(request.signal);
    request.onBlock({ start, rows, columns: blockColumns(grids, runs, request.columns, rows) });
    stats.blocks++;
    start += rows;
    request.onProgress?.(start);
    if (request.done?.()) break;
    await yieldToUi();
  }
  stats.blockRows = sizer.rows;
  return stats;
}

function tooLarge(error: unknown, request: ReadColumnsRequest, start: number, rows: number): unknown {
  if (!isPayloadError(error)) return error;
  const first = request.columns[0] ?? 0;
  const rect: SheetRect = {
    sheet: request.sheet,
    r0: request.firstRow + start,
    r1: request.firstRow + start + rows - 1,
    c0: first,
    c1: first,
  };
  const address = columnAddress(rect, first);
  return new PaneError(
    `Excel refused to send even one row starting at ${address}: the cells hold too much data.`,
    address,
  );
}

// The block writer: a column of numbers goes into the sheet in row blocks sized by their bytes (block-size.ts:
// a safe fraction of Excel on the web's 5 MB request limit, from a sample of the values; halved on a payload
// error), each block in one request with calculation suspended, values first and the number format (one cell
// for the whole block) after. The block arrays are allocated once and refilled in place. Calls Excel.run;
// imports no React, no engine.
import { columnAddress } from "../address";
import { CancelledError, PaneError } from "../errors";
import { cellBytes, createBlockSizer, sampledBytes, TARGET_BYTES } from "./block-size";
import { isPayloadError, yieldToUi } from "./office-errors";

export interface WriteColumnRequest {
  sheet: string;
  column: number;
  /** 0-based sheet row of values[0] */
  firstRow: number;
  values: Float64Array;
  /** applied after the values of each block, e.g. "0.0000" */
  numberFormat?: string;
  initialBlockRows?: number;
  /** Checked between blocks; on abort CancelledError is thrown (after the rollback below, when asked for). */
  signal?: AbortSignal;
  /**
   * The column was empty before: on abort or failure clear the rows written so far, so nothing is left
   * half-written. (A replaced column cannot be restored, so the caller passes no signal for it.)
   */
  rollback?: boolean;
  onProgress?: (rowsDone: number) => void;
  /**
   * Queued in the request of the first block, before its values (e.g. clearing a replaced column), and in
   * the request of the last block, after its values (e.g. the header): on Excel on the web each request is a
   * round trip, so small writes ride along with the blocks instead of costing one of their own.
   */
  withFirstBlock?: (sheet: Excel.Worksheet) => void;
  withLastBlock?: (sheet: Excel.Worksheet) => void;
}

export interface WriteStats {
  blocks: number;
  halvings: number;
  /** block size in rows at the end */
  blockRows: number;
  /** requests sent, refused ones included */
  syncs: number;
  /** request bytes of the blocks written (estimated from a sample of each block's rows) */
  bytes: number;
  /** the largest of them */
  maxBlockBytes: number;
}

/** The 2-D arrays a block is written from, kept across blocks: one row array per row, refilled in place. */
class BlockArrays {
  private readonly cells: (number | string)[][] = [];

  /** values[start … start + rows) as Excel rows; non-finite numbers become empty cells. */
  values(values: Float64Array, start: number, rows: number): (number | string)[][] {
    const cells = this.cells;
    while (cells.length < rows) cells.push([0]);
    cells.length = rows;
    for (let i = 0; i < rows; i++) {
      const x = values[start + i];
      cells[i][0] = Number.isFinite(x) ? x : "";
    }
    return cells;
  }
}

async function writeBlock(
  request: WriteColumnRequest,
  arrays: BlockArrays,
  start: number,
  rows: number,
): Promise<void> {
  await Excel.run(async (context) => {
    context.workbook.application.suspendApiCalculationUntilNextSync();
    const sheet = context.workbook.worksheets.getItem(request.sheet);
    if (start === 0) request.withFirstBlock?.(sheet);
    if (rows > 0) {
      const range = sheet.getRangeByIndexes(request.firstRow + start, request.column, rows, 1);
      range.values = arrays.values(request.values, start, rows);
      // One 1×1 format for the whole block: Excel applies a single number format to every cell of the range
      // (office-js-docs-reference #578, office-js-docs-pr #5400), so the request carries no format per row.
      if (request.numberFormat !== undefined) range.numberFormat = [[request.numberFormat]];
    }
    if (start + rows === request.values.length) request.withLastBlock?.(sheet);
    await context.sync();
  });
}

/** Rows of the first block: as many as the target bytes hold, from a sample of the whole column. */
function firstWriteRows(request: WriteColumnRequest): number {
  const total = request.values.length;
  if (request.initialBlockRows !== undefined) return Math.min(request.initialBlockRows, total);
  const perRow = blockBytes(request, 0, total) / Math.max(1, total);
  return Math.min(total, Math.floor(TARGET_BYTES / perRow));
}

/** Request bytes of a block: `[x],` per row (the number format is one cell for the block). */
function blockBytes(request: WriteColumnRequest, start: number, rows: number): number {
  return sampledBytes(rows, (i) => {
    const x = request.values[start + i];
    return (Number.isFinite(x) ? cellBytes(x) : cellBytes("")) + 2;
  });
}

/** Clears rows [firstRow, firstRow + rows) of the column: undoes a partial write into a column that was empty. */
export async function clearColumnRows(sheet: string, column: number, firstRow: number, rows: number): Promise<void> {
  if (rows <= 0) return;
  await Excel.run(async (context) => {
    context.workbook.worksheets.getItem(sheet).getRangeByIndexes(firstRow, column, rows, 1).clear("All");
    await context.sync();
  });
}

export async function writeColumnInBlocks(request: WriteColumnRequest): Promise<WriteStats> {
  const total = request.values.length;
  // The values are known before the first request, so even the first block is sized by its bytes.
  const sizer = createBlockSizer({ firstRows: firstWriteRows(request), maxRows: Math.max(1, total) });
  const arrays = new BlockArrays();
  const stats: WriteStats = { blocks: 0, halvings: 0, blockRows: sizer.rows, syncs: 0, bytes: 0, maxBlockBytes: 0 };
  let start = 0;
  // no values: the first and last block's extras still go, in one request
  if (total === 0 && (request.withFirstBlock || request.withLastBlock)) {
    stats.syncs++;
    await writeBlock(request, arrays, 0, 0);
  }
  while (start < total) {
    if (request.signal?.aborted) {
      if (request.rollback) await clearColumnRows(request.sheet, request.column, request.firstRow, start);
      throw new CancelledError();
    }
    const rows = Math.min(sizer.rows, total - start);
    stats.syncs++;
    try {
      await writeBlock(request, arrays, start, rows);
    } catch (error) {
      if (!isPayloadError(error) || rows <= 1) {
        if (request.rollback)
          await clearColumnRows(request.sheet, request.column, request.firstRow, start).catch(() => undefined);
        throw writeFailure(error, request, start, rows);
      }
      sizer.refused(rows);
      stats.halvings++;
      continue;
    }
    const bytes = blockBytes(request, start, rows);
    sizer.succeeded(rows, bytes);
    stats.blocks++;
    stats.bytes += bytes;
    stats.maxBlockBytes = Math.max(stats.maxBlockBytes, bytes);
    start += rows;
    request.onProgress?.(start);
    await yieldToUi();
  }
  stats.blockRows = sizer.rows;
  return stats;
}

function writeFailure(error: unknown, request: WriteColumnRequest, start: number, rows: number): unknown {
  const address = columnAddress(
    { sheet: request.sheet, r0: 0, r1: 0, c0: request.column, c1: request.column },
    request.column,
    request.firstRow + start,
    request.firstRow + start + rows - 1,
  );
  if (isPayloadError(error))
    return new PaneError(`Excel refused the weights for ${address}: the request was too large.`, address);
  if (error instanceof Error)
    return new PaneError(`Writing the weights to ${address} failed: ${error.message}`, address);
  return error;
}

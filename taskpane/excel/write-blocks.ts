// The block writer: a column of numbers goes into the sheet in row blocks (about 20k rows to start, halved on
// a payload error), each block in one request with calculation suspended, values first and the number format
// after. Calls Excel.run; imports no React, no engine.
import { columnAddress } from "../address";
import { CancelledError, PaneError } from "../errors";
import { isPayloadError, yieldToUi } from "./office-errors";
import { START_BLOCK_ROWS } from "./read-blocks";

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
}

export interface WriteStats {
  blocks: number;
  halvings: number;
  blockRows: number;
}

function cellsOf(values: Float64Array, start: number, rows: number): (number | string)[][] {
  const grid = new Array<(number | string)[]>(rows);
  for (let i = 0; i < rows; i++) {
    const x = values[start + i];
    grid[i] = [Number.isFinite(x) ? x : ""];
  }
  return grid;
}

async function writeBlock(request: WriteColumnRequest, start: number, rows: number): Promise<void> {
  await Excel.run(async (context) => {
    context.workbook.application.suspendApiCalculationUntilNextSync();
    const range = context.workbook.worksheets
      .getItem(request.sheet)
      .getRangeByIndexes(request.firstRow + start, request.column, rows, 1);
    range.values = cellsOf(request.values, start, rows);
    if (request.numberFormat) range.numberFormat = Array.from({ length: rows }, () => [request.numberFormat]);
    await context.sync();
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
  const stats: WriteStats = {
    blocks: 0,
    halvings: 0,
    blockRows: Math.max(1, Math.min(request.initialBlockRows ?? START_BLOCK_ROWS, total)),
  };
  let start = 0;
  while (start < total) {
    if (request.signal?.aborted) {
      if (request.rollback) await clearColumnRows(request.sheet, request.column, request.firstRow, start);
      throw new CancelledError();
    }
    const rows = Math.min(stats.blockRows, total - start);
    try {
      await writeBlock(request, start, rows);
    } catch (error) {
      if (!isPayloadError(error) || rows <= 1) {
        if (request.rollback)
          await clearColumnRows(request.sheet, request.column, request.firstRow, start).catch(() => undefined);
        throw writeFailure(error, request, start, rows);
      }
      stats.blockRows = Math.max(1, Math.floor(rows / 2));
      stats.halvings++;
      continue;
    }
    stats.blocks++;
    start += rows;
    request.onProgress?.(start);
    await yieldToUi();
  }
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

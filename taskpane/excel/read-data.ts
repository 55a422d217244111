// Reading the scheme's ranges: the data header, small grids (targets, shares) queued for one request, and the
// respondent columns the scheme needs through the adaptive block reader, packed into compact columns block by
// block. Calls Excel.run (directly or through read-blocks.ts); imports no React.
import { labelOf, readGrid, type CellGrid, type CellRow } from "../../scheme/cells";
import {
  MAX_SHEET_COLS,
  MAX_SHEET_ROWS,
  formatSheetAddress,
  parseSheetAddress,
  rectColumns,
  rectRows,
  type SheetRect,
} from "../address";
import { labelColumnBuilder, numberColumnBuilder } from "../columns";
import type { CompactColumn, CompactData } from "../compact-grid";
import { PaneError } from "../errors";
import { readTogether, type QueuedRead } from "./queued-read";
import { MAX_CELLS_PER_READ, readColumnsInBlocks, type ReadStats } from "./read-blocks";

/** A sheet-qualified address as a rect, or a PaneError naming the field. */
export function rectOf(address: string, field: string): SheetRect {
  const rect = parseSheetAddress(address);
  if (!rect)
    throw new PaneError(
      `The ${field} '${address}' is not a range address like Data!A1:F500; set it from the selection.`,
      field,
    );
  return rect;
}

/**
 * A range that runs to the sheet's last row (whole columns, "Data!A:F") cut to its last used row (and one
 * that runs to the last column, whole rows, cut to its last used column), so a million
 * empty rows are neither read (on the web their values alone pass the 5 MB request limit) nor weighted.
 * Whole columns also start at their first used row. Other ranges are returned as they are.
 */
export async function trimToUsedRows(rect: SheetRect): Promise<SheetRect> {
  const wholeRows = rect.c1 >= MAX_SHEET_COLS - 1;
  if (rect.r1 < MAX_SHEET_ROWS - 1 && !wholeRows) return rect;
  const used = await Excel.run(async (context) => {
    const range = context.workbook.worksheets
      .getItem(rect.sheet)
      .getRangeByIndexes(rect.r0, rect.c0, rectRows(rect), rectColumns(rect));
    const usedRange = range.getUsedRangeOrNullObject(true).load("address");
    await context.sync();
    return usedRange.isNullObject ? null : usedRange.address;
  });
  const usedRect = used === null ? null : parseSheetAddress(used);
  // whole rows ("Data!1:500") likewise end at the last used column
  const c1 = wholeRows ? (usedRect ? Math.max(rect.c0, Math.min(rect.c1, usedRect.c1)) : rect.c0) : rect.c1;
  // whole columns ("Data!A:F") start at the first used row: blank rows above the header are not the header
  const r0 = usedRect && rect.r0 === 0 && rect.r1 >= MAX_SHEET_ROWS - 1 ? Math.max(rect.r0, usedRect.r0) : rect.r0;
  return { ...rect, r0, r1: usedRect ? Math.max(r0, Math.min(rect.r1, usedRect.r1)) : rect.r0, c1 };
}

/**
 * Small ranges' cells (the target table, the shares, a header row), queued to travel in one request with other
 * reads: on Excel on the web every request is a round trip. Whole-column ranges are first cut to their used
 * rows (a request each, only for whole columns). A range over Excel's read limit, or a null answer, is an error
 * naming it.
 */
export async function queueSmallGrids<T extends Record<string, SheetRect>>(
  wholes: T,
): Promise<QueuedRead<{ [K in keyof T]: CellGrid }>> {
  const keys = Object.keys(wholes) as (keyof T & string)[];
  const rects: SheetRect[] = [];
  for (const key of keys) rects.push(await trimToUsedRows(wholes[key]));
  for (const rect of rects) {
    if (rectRows(rect) * rectColumns(rect) > MAX_CELLS_PER_READ) {
      const address = formatSheetAddress(rect);
      throw new PaneError(
        `The range ${address} has more than ${MAX_CELLS_PER_READ.toLocaleString("en-US")} cells; choose a smaller range.`,
        address,
      );
    }
  }
  return (context) => {
    const ranges = rects.map((rect) =>
      context.workbook.worksheets
        .getItem(rect.sheet)
        .getRangeByIndexes(rect.r0, rect.c0, rectRows(rect), rectColumns(rect))
        .load("values"),
    );
    return () => {
      const grids = {} as { [K in keyof T]: CellGrid };
      keys.forEach((key, k) => {
        const grid = ranges[k].values as unknown[][] | null;
        const address = formatSheetAddress(rects[k]);
        if (!Array.isArray(grid))
          throw new PaneError(`Excel returned no values for ${address}; choose a smaller range.`, address);
        grids[key] = readGrid(grid);
      });
      return grids;
    };
  };
}

/** Small ranges' cells in a request of their own (queueSmallGrids). */
export async function readSmallGrids<T extends Record<string, SheetRect>>(
  wholes: T,
): Promise<{ [K in keyof T]: CellGrid }> {
  const [grids] = await readTogether(await queueSmallGrids(wholes));
  return grids;
}

/** The header row of a data range, as a range of its own. */
export function headerRect(data: SheetRect): SheetRect {
  return { ...data, r1: data.r0 };
}

export interface DataHeader {
  cells: CellRow;
  /** "" for a blank or error header cell */
  names: string[];
}

export function dataHeader(grid: CellGrid): DataHeader {
  const cells = grid[0] ?? [];
  return { cells, names: cells.map((cell) => labelOf(cell) ?? "") };
}

/** The header row of the data range, in a request of its own. */
export async function readHeader(data: SheetRect): Promise<DataHeader> {
  return dataHeader((await readSmallGrids({ header: headerRect(data) })).header);
}

export interface RespondentRead {
  data: CompactData;
  stats: ReadStats;
}

export interface ReadRespondentsRequest {
  rect: SheetRect;
  header: CellRow;
  /** data-range column indices to read as labels and as numbers */
  labelColumns: number[];
  numberColumns: number[];
  signal?: AbortSignal;
  onProgress?: (rowsDone: number, rows: number) => void;
  initialBlockRows?: number;
}

/** Reads the respondent rows of the chosen columns into compact columns, block by block. */
export async function readRespondents(request: ReadRespondentsRequest): Promise<RespondentRead> {
  const { rect } = request;
  const rows = rectRows(rect) - 1;
  const numbers = [...new Set(request.numberColumns)];
  const labels = [...new Set(request.labelColumns)].filter((c) => !numbers.includes(c));
  const nameOf = (c: number) => labelOf(request.header[c]) ?? "";
  const builders = [
    ...labels.map((c) => ({ c, b: labelColumnBuilder(nameOf(c), rows) })),
    ...numbers.map((c) => ({ c, b: numberColumnBuilder(nameOf(c), rows) })),
  ];
  const stats = await readColumnsInBlocks({
    sheet: rect.sheet,
    firstRow: rect.r0 + 1,
    rowCount: rows,
    columns: builders.map(({ c }) => rect.c0 + c),
    signal: request.signal,
    initialBlockRows: request.initialBlockRows,
    onBlock: (block) => builders.forEach(({ b }, k) => b.add(block.start, block.columns[k])),
    onProgress: (done) => request.onProgress?.(done, rows),
  });
  const columns = new Map<number, CompactColumn>(builders.map(({ c, b }) => [c, b.finish()]));
  return { data: { header: request.header, rows, columns }, stats };
}

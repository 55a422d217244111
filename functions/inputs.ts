// The custom function's range arguments before parsing: any argument as a 2-D grid, trailing blank rows cut
// off, and the size limits of a worksheet function. Imports only the scheme's cell helpers: no Excel API.

import { rowIsBlank, type Grid } from "../scheme/cells";

/**
 * At most this many data rows (below the header, after trailing blank rows are cut). The parse runs on the
 * shared runtime's UI thread and the weights come back through Excel's custom-function channel; larger
 * data belongs in the task pane, which reads the sheet in blocks and writes the column itself.
 */
export const MAX_DATA_ROWS = 200_000;

/**
 * At most this many bytes of arguments, estimated as JSON. Excel on the web caps a custom function's
 * payload at 5 MB; this leaves a margin for the envelope and the estimate's slack. The result needs no
 * check of its own: a weight is at most about 21 bytes as JSON (`[0.6666666666666666],`), so the row limit
 * keeps it under 4.2 MB.
 */
export const MAX_PAYLOAD_BYTES = 4_000_000;

/** Any argument as rows of cells: a matrix as it is, a single value as a 1×1 grid, nothing as no rows. */
export function asGrid(value: unknown): unknown[][] {
  if (value === null || value === undefined) return [];
  if (!Array.isArray(value)) return [[value]];
  return value.map((row) => (Array.isArray(row) ? row : [row]));
}

/** True for a grid with no cell holding anything (an omitted argument or a blank range). */
export function gridIsBlank(grid: Grid): boolean {
  return grid.every((row) => rowIsBlank(row));
}

/**
 * The grid without the blank rows at its end, so a generous range (A1:F100000 or A:F over a growing table)
 * weights only down to its last filled row and the result spills no further.
 */
export function trimTrailingBlankRows<T extends readonly unknown[]>(grid: readonly T[]): readonly T[] {
  let end = grid.length;
  while (end > 0 && rowIsBlank(grid[end - 1])) end--;
  return end === grid.length ? grid : grid.slice(0, end);
}

/** Bytes of one cell as JSON, roughly: the value's text plus quotes and a separator. */
function cellBytes(value: unknown): number {
  if (typeof value === "number")
    return Number.isInteger(value) && Math.abs(value) < 1e15 ? String(value).length + 1 : 20;
  if (typeof value === "string") return value.length + 3;
  if (typeof value === "boolean") return 6;
  if (value === null || value === undefined) return 5;
  return 40; // an error object: { code, message }
}

/** The grids' JSON size, roughly, counting only until it passes `budget` (it is then > budget). */
export function estimatePayloadBytes(grids: readonly Grid[], budget: number): number {
  let bytes = 0;
  for (const grid of grids) {
    for (const row of grid) {
      bytes += 2;
      for (let c = 0; c < row.length; c++) bytes += cellBytes(row[c]);
      if (bytes > budget) return bytes;
    }
  }
  return bytes;
}

/** What a worksheet function can take, or which limit the arguments break. */
export type SizeCheck = { ok: true } | { ok: false; limit: "rows"; rows: number } | { ok: false; limit: "bytes" };

/** Checks the data rows and the arguments' estimated payload against the limits. */
export function checkSize(data: Grid, others: readonly Grid[]): SizeCheck {
  const rows = Math.max(0, data.length - 1);
  if (rows > MAX_DATA_ROWS) return { ok: false, limit: "rows", rows };
  return estimatePayloadBytes([data, ...others], MAX_PAYLOAD_BYTES) > MAX_PAYLOAD_BYTES
    ? { ok: false, limit: "bytes" }
    : { ok: true };
}

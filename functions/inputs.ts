// The custom function's range arguments before parsing: the door where Excel's values become Cells (an empty
// cell that Excel desktop passed as 0 told apart by its value type), trailing blank rows cut off, and the size
// limits of a worksheet function. Imports only the scheme's cell helpers and types: no Excel API.

import { BLANK_CELL, isBlankRow, readCell, type CellGrid } from "../scheme/cells";
import type { ValueTypes } from "./value-types";

/** A grid of values as Excel passes a range argument. */
type ValueGrid = readonly (readonly unknown[])[];

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

/**
 * An argument's values as Cells, each read once: a cell whose value type is "Empty" is blank whatever value
 * Excel passed for it (0 on Excel desktop); without types, every value is read as it is (a 0 stays 0).
 */
export function argumentCells(values: ValueGrid, types?: ValueTypes): CellGrid {
  if (!types) return values.map((row) => row.map(readCell));
  return values.map((row, r) => row.map((value, c) => (types[r]?.[c] === "Empty" ? BLANK_CELL : readCell(value))));
}

/**
 * The grid without the blank rows at its end, so a generous range (A1:F100000 or A:F over a growing table)
 * weights only down to its last filled row and the result spills no further.
 */
export function trimTrailingBlankRows(grid: CellGrid): CellGrid {
  let end = grid.length;
  while (end > 0 && isBlankRow(grid[end - 1])) end--;
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
export function estimatePayloadBytes(grids: readonly ValueGrid[], budget: number): number {
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

/** Checks the data rows (`rows`: below the header, trailing blank rows cut) and the arguments' payload. */
export function checkSize(rows: number, grids: readonly ValueGrid[]): SizeCheck {
  if (rows > MAX_DATA_ROWS) return { ok: false, limit: "rows", rows };
  return estimatePayloadBytes(grids, MAX_PAYLOAD_BYTES) > MAX_PAYLOAD_BYTES
    ? { ok: false, limit: "bytes" }
    : { ok: true };
}

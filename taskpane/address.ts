// A1 addresses as the task pane handles them: "Data!A1:F1001" ⇄ { sheet, r0, c0, r1, c1 } (0-based, inclusive).
// Pure; imports only scheme/cells.ts for column letters. No Excel API, no React.
import { columnLetters } from "../scheme/cells";

export interface SheetRect {
  sheet: string;
  r0: number;
  c0: number;
  r1: number;
  c1: number;
}

export const MAX_SHEET_ROWS = 1_048_576;
export const MAX_SHEET_COLS = 16_384;

function columnIndex(letters: string): number {
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
}

/** Splits "'My Sheet'!A1:B2" into the unquoted sheet name and the reference. */
function splitSheet(address: string): { sheet: string; ref: string } | null {
  const bang = address.lastIndexOf("!");
  if (bang < 0) return null;
  let sheet = address.slice(0, bang).trim();
  if (sheet.startsWith("'") && sheet.endsWith("'") && sheet.length >= 2) sheet = sheet.slice(1, -1).replace(/''/g, "'");
  // Excel allows none of : \ / ? * [ ] in a sheet name: such a "sheet" is a typo or several areas ("Data!A1:B2,Data!D1")
  if (/[:\\/?*[\]]/.test(sheet)) return null;
  return sheet ? { sheet, ref: address.slice(bang + 1).trim() } : null;
}

const CELL = /^\$?([A-Za-z]{1,3})\$?(\d{1,7})$/;
const COLUMN = /^\$?([A-Za-z]{1,3})$/;
const ROW = /^\$?(\d{1,7})$/;

function endsOf(a: string, b: string): [number, number, number, number] | null {
  const ca = CELL.exec(a);
  const cb = CELL.exec(b);
  if (ca && cb) return [Number(ca[2]) - 1, columnIndex(ca[1]), Number(cb[2]) - 1, columnIndex(cb[1])];
  const ka = COLUMN.exec(a);
  const kb = COLUMN.exec(b);
  if (ka && kb) return [0, columnIndex(ka[1]), MAX_SHEET_ROWS - 1, columnIndex(kb[1])];
  const ra = ROW.exec(a);
  const rb = ROW.exec(b);
  if (ra && rb) return [Number(ra[1]) - 1, 0, Number(rb[1]) - 1, MAX_SHEET_COLS - 1];
  return null;
}

/** Parses a sheet-qualified A1 address; null when it is not one. */
export function parseSheetAddress(address: string): SheetRect | null {
  const split = splitSheet(address.trim());
  if (!split) return null;
  const parts = split.ref.split(":");
  if (parts.length > 2) return null;
  const ends = endsOf(parts[0], parts[1] ?? parts[0]);
  if (!ends) return null;
  const [ra, ca, rb, cb] = ends;
  const rect = {
    sheet: split.sheet,
    r0: Math.min(ra, rb),
    c0: Math.min(ca, cb),
    r1: Math.max(ra, rb),
    c1: Math.max(ca, cb),
  };
  if (rect.r0 < 0 || rect.c0 < 0 || rect.r1 >= MAX_SHEET_ROWS || rect.c1 >= MAX_SHEET_COLS) return null;
  return rect;
}

/** Excel quotes a sheet name in a reference unless it is a plain word that cannot be read as a cell. */
export function quoteSheet(sheet: string): string {
  const plain =
    /^[A-Za-z_][A-Za-z0-9_.]*$/.test(sheet) &&
    !/^[A-Za-z]{1,3}[0-9]+$/.test(sheet) &&
    !/^(R\d*C?\d*|C\d*)$/i.test(sheet);
  return plain ? sheet : `'${sheet.replace(/'/g, "''")}'`;
}

export function cellName(row: number, col: number): string {
  return `${columnLetters(col)}${row + 1}`;
}

/** "Data!A1:F1001" (or "Data!B7" for one cell). */
export function formatSheetAddress(rect: SheetRect): string {
  const start = cellName(rect.r0, rect.c0);
  const end = cellName(rect.r1, rect.c1);
  return `${quoteSheet(rect.sheet)}!${start === end ? start : `${start}:${end}`}`;
}

export function rectRows(rect: SheetRect): number {
  return rect.r1 - rect.r0 + 1;
}

export function rectColumns(rect: SheetRect): number {
  return rect.c1 - rect.c0 + 1;
}

/** The column `col` (absolute) of a rect, rows r0..r1 (or a sub-span), as an address. */
export function columnAddress(rect: SheetRect, col: number, r0 = rect.r0, r1 = rect.r1): string {
  return formatSheetAddress({ sheet: rect.sheet, r0, r1, c0: col, c1: col });
}

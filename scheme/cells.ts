// Cells and addresses for the scheme parser: the one reading of a host value (Excel grid value, CSV field) as a
// Cell (blank, number, text or error), what a Cell reads as (label, number, shown text), and how a grid position
// becomes an A1 address like `Data!C17`.
// Pure functions; imports nothing (no Excel API, no DOM, no Node).

/** Where a grid's top-left cell sits on its sheet: 0-based row and column, sheet name optional. */
export interface GridAddress {
  sheet?: string;
  row: number;
  col: number;
}

/** Column letters for a 0-based column index: 0 → A, 25 → Z, 26 → AA. */
export function columnLetters(col: number): string {
  let n = col + 1;
  let letters = "";
  while (n > 0) {
    const rem = (n - 1) % 26;
    letters = String.fromCharCode(65 + rem) + letters;
    n = Math.floor((n - 1) / 26);
  }
  return letters;
}

/** Excel quotes a sheet name in a reference unless it is a plain word. */
function sheetPrefix(sheet: string | undefined): string {
  if (sheet === undefined || sheet === "") return "";
  // not a name Excel could read as a cell: A1 style (AB12) or R1C1 style (R, C, R2, C3, RC, R1C1)
  const plain =
    /^[A-Za-z_][A-Za-z0-9_.]*$/.test(sheet) &&
    !/^[A-Za-z]{1,3}[0-9]+$/.test(sheet) &&
    !/^(R\d*C?\d*|C\d*)$/i.test(sheet);
  return plain ? `${sheet}!` : `'${sheet.replace(/'/g, "''")}'!`;
}

/** The A1 address of the cell at (r, c) of a grid (0-based, relative to the grid) whose top-left is `at`. */
export function cellAddress(at: GridAddress | undefined, r: number, c: number): string {
  const row = (at?.row ?? 0) + r;
  const col = (at?.col ?? 0) + c;
  return `${sheetPrefix(at?.sheet)}${columnLetters(col)}${row + 1}`;
}

/** The error values Excel shows in a cell; a cell holding one of these counts as missing. */
export const EXCEL_ERRORS: ReadonlySet<string> = new Set([
  "#N/A",
  "#VALUE!",
  "#DIV/0!",
  "#REF!",
  "#NAME?",
  "#NUM!",
  "#NULL!",
  "#SPILL!",
  "#CALC!",
  "#GETTING_DATA",
  "#FIELD!",
  "#BLOCKED!",
  "#CONNECT!",
  "#BUSY!",
  "#UNKNOWN!",
]);

/**
 * A cell once interpreted: blank, a number, text (trimmed; TRUE/FALSE for a boolean) or an Excel error. A host
 * value becomes a Cell once, at the door where it enters (readCell: the function's arguments, the pane's block
 * reader, the CLI's CSV), so the parser never sees how a host spells an empty cell ("", null, or 0 on Excel
 * desktop: the function's door tells that 0 apart, see functions/value-types.ts).
 */
export type Cell =
  | { readonly kind: "blank" }
  | { readonly kind: "number"; readonly value: number }
  | { readonly kind: "text"; readonly text: string }
  | { readonly kind: "error"; readonly text: string };

export type CellRow = readonly Cell[];
export type CellGrid = readonly CellRow[];

/** The one blank cell (blanks are most cells of a generous range: no object per blank). */
export const BLANK_CELL: Cell = Object.freeze({ kind: "blank" });

/**
 * A number as Excel shows it in a General cell, as far as labels go: integers as digits, fractions with
 * the floating-point noise removed (15 significant digits, Excel's precision), so 0.1 + 0.2 reads "0.3".
 */
export function numberLabel(x: number): string {
  if (Number.isInteger(x)) return String(x);
  return String(Number(x.toPrecision(15)));
}

function isErrorString(text: string): boolean {
  return text.charCodeAt(0) === 35 /* # */ && EXCEL_ERRORS.has(text.toUpperCase());
}

export function numberCell(value: number): Cell {
  return Number.isFinite(value) ? { kind: "number", value } : { kind: "error", text: "#NUM!" };
}

/** Text as a cell: blank when empty or only spaces, an error for Excel's error words ("#N/A"), else trimmed text. */
export function textCell(value: string): Cell {
  const text = value.trim();
  if (text === "") return BLANK_CELL;
  return isErrorString(text) ? { kind: "error", text: text.toUpperCase() } : { kind: "text", text };
}

/**
 * Excel error objects: office.js `valuesAsJson` ({ type: "Error", basicValue: "#N/A" }), a custom
 * function's error argument ({ code: "#N/A" } or an Error); a typed value ({ basicValue: "x" }) as its value.
 */
function objectCell(value: object): Cell {
  const record = value as Record<string, unknown>;
  const shown = record.basicValue ?? record.code ?? record.errorType;
  const errorText = typeof shown === "string" && isErrorString(shown.trim()) ? shown.trim().toUpperCase() : "#VALUE!";
  if (value instanceof Error || record.type === "Error" || record.errorType !== undefined)
    return { kind: "error", text: errorText };
  const basic = record.basicValue ?? record.text;
  if (typeof basic === "string" || typeof basic === "number" || typeof basic === "boolean") {
    const cell = readCell(basic);
    return cell.kind === "blank" ? { kind: "error", text: errorText } : cell;
  }
  return { kind: "error", text: errorText };
}

/**
 * The one reading of a host value: "" / null / undefined / spaces are blank; a finite number is a number (a
 * non-finite one an error); a boolean is the text TRUE or FALSE; a string is trimmed text, or an error when it
 * is one of Excel's error words; an error object is an error. A 0 is always the number 0: where a host passes
 * 0 for an empty cell, its door says so (functions/value-types.ts).
 */
export function readCell(value: unknown): Cell {
  if (typeof value === "number") return numberCell(value);
  if (typeof value === "string") return textCell(value);
  if (value === null || value === undefined) return BLANK_CELL;
  if (typeof value === "boolean") return { kind: "text", text: value ? "TRUE" : "FALSE" };
  if (typeof value === "object") return objectCell(value);
  return { kind: "error", text: "#VALUE!" };
}

/** A grid of host values read cell by cell (rows may be ragged). */
export function readGrid(grid: readonly (readonly unknown[])[]): CellGrid {
  return grid.map((row) => row.map(readCell));
}

/** A category label: text as it is, a number as Excel shows it; null for a blank or an error cell. */
export function labelOf(cell: Cell | undefined): string | null {
  if (cell === undefined) return null;
  if (cell.kind === "text") return cell.text;
  return cell.kind === "number" ? numberLabel(cell.value) : null;
}

/** Text that is a plain decimal number, as a CSV or a typed cell gives it (no thousands separators). */
export const PLAIN_NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Text as a number: a plain decimal number, optionally with a trailing % that is dropped ("25%" → 25); else NaN. */
export function textNumber(value: string): number {
  let text = value.trim();
  if (text.endsWith("%")) text = text.slice(0, -1).trimEnd();
  return PLAIN_NUMBER.test(text) ? Number(text) : Number.NaN;
}

/** A cell as a number: a number as it is, text read by textNumber; NaN for a blank or an error. */
export function numberOf(cell: Cell | undefined): number {
  if (cell === undefined) return Number.NaN;
  if (cell.kind === "number") return cell.value;
  return cell.kind === "text" ? textNumber(cell.text) : Number.NaN;
}

/** What the user sees in a cell, for a message: "" for a blank. */
export function textOf(cell: Cell | undefined): string {
  if (cell === undefined || cell.kind === "blank") return "";
  return cell.kind === "number" ? numberLabel(cell.value) : cell.text;
}

/** True for a blank cell, or a position past the end of a ragged row. */
export function isBlank(cell: Cell | undefined): boolean {
  return cell === undefined || cell.kind === "blank";
}

/** A key under which labels that differ only in case or spaces meet: used for "did you mean" hints. */
export function nearKey(label: string): string {
  return label.toLowerCase().replace(/\s+/g, "");
}

/** The first of `candidates` that `label` nearly matches (case, spaces, or the same number written differently). */
export function nearMatch(label: string, candidates: Iterable<string>): string | undefined {
  const key = nearKey(label);
  const asNumber = textNumber(label);
  for (const candidate of candidates) {
    if (candidate === label) continue;
    if (nearKey(candidate) === key) return candidate;
    if (!Number.isNaN(asNumber) && textNumber(candidate) === asNumber) return candidate;
  }
  return undefined;
}

/** True when every cell of the row is blank (a missing row too). */
export function isBlankRow(row: CellRow | undefined): boolean {
  return row === undefined || row.every(isBlank);
}

// Cell values and addresses for the scheme parser: how a value from an Excel grid (or a CSV field) reads as
// a label, a number, a blank or an error, and how a grid position becomes an A1 address like `Data!C17`.
// Pure functions; imports nothing (no Excel API, no DOM, no Node).

/** Where a grid's top-left cell sits on its sheet: 0-based row and column, sheet name optional. */
export interface GridAddress {
  sheet?: string;
  row: number;
  col: number;
}

/** A grid as Excel hands it over: rows of strings, numbers, booleans, "" for empty (or error values). */
export type Grid = readonly (readonly unknown[])[];

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

/** What a cell holds once read: a blank, an error value, or text (numbers and booleans as Excel shows them). */
export const BLANK = 0;
export const ERROR = 1;

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

/**
 * Excel error objects: office.js `valuesAsJson` ({ type: "Error", basicValue: "#N/A" }), a custom
 * function's error argument ({ code: "#N/A" } or an Error), anything else we cannot read as a value.
 */
function objectLabel(value: object): string | typeof ERROR {
  const record = value as Record<string, unknown>;
  if (value instanceof Error || record.type === "Error" || record.errorType !== undefined) return ERROR;
  const basic = record.basicValue ?? record.text;
  if (typeof basic === "string" || typeof basic === "number" || typeof basic === "boolean") {
    const label = cellLabel(basic);
    return label === BLANK ? ERROR : label;
  }
  return ERROR;
}

/**
 * A cell as a category label: trimmed text, a number as Excel shows it, TRUE/FALSE; BLANK for an empty
 * cell (or only spaces); ERROR for an Excel error value (text like "#N/A" included) or a non-finite number.
 */
export function cellLabel(value: unknown): string | typeof BLANK | typeof ERROR {
  if (typeof value === "string") {
    const text = value.trim();
    if (text === "") return BLANK;
    return isErrorString(text) ? ERROR : text;
  }
  if (typeof value === "number") return Number.isFinite(value) ? numberLabel(value) : ERROR;
  if (value === null || value === undefined) return BLANK;
  if (typeof value === "boolean") return value ? "TRUE" : "FALSE";
  if (typeof value === "object") return objectLabel(value);
  return ERROR;
}

/** Text that is a plain decimal number, as a CSV or a typed cell gives it (no thousands separators). */
export const PLAIN_NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * A cell as a number: numbers as they are; text that is a plain decimal number (as a CSV gives it,
 * optionally with a trailing %, which is dropped: "25%" → 25). NaN when it is not a number, blank included.
 */
export function cellNumber(value: unknown): number {
  if (typeof value === "number") return value;
  if (typeof value !== "string") return Number.NaN;
  let text = value.trim();
  if (text.endsWith("%")) text = text.slice(0, -1).trimEnd();
  if (!PLAIN_NUMBER.test(text)) return Number.NaN;
  return Number(text);
}

/** The text of a cell for a message: what the user sees in it. */
export function cellText(value: unknown): string {
  const label = cellLabel(value);
  if (label === BLANK) return "";
  if (label === ERROR) {
    if (typeof value === "string") return value.trim();
    const record = value as Record<string, unknown> | null;
    const shown = record?.basicValue ?? record?.code ?? record?.errorType;
    return typeof shown === "string" ? shown : "#VALUE!";
  }
  return label;
}

/** A key under which labels that differ only in case or spaces meet: used for "did you mean" hints. */
export function nearKey(label: string): string {
  return label.toLowerCase().replace(/\s+/g, "");
}

/** The first of `candidates` that `label` nearly matches (case, spaces, or the same number written differently). */
export function nearMatch(label: string, candidates: Iterable<string>): string | undefined {
  const key = nearKey(label);
  const asNumber = cellNumber(label);
  for (const candidate of candidates) {
    if (candidate === label) continue;
    if (nearKey(candidate) === key) return candidate;
    if (!Number.isNaN(asNumber) && cellNumber(candidate) === asNumber) return candidate;
  }
  return undefined;
}

/** True when every cell of the row is blank. */
export function rowIsBlank(row: readonly unknown[] | undefined): boolean {
  if (!row) return true;
  for (let c = 0; c < row.length; c++) {
    const v = row[c];
    if (v === "" || v === null || v === undefined) continue;
    if (typeof v === "string" && v.trim() === "") continue;
    return false;
  }
  return true;
}

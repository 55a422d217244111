/** A1 address parsing and formatting. Rects are 0-based and inclusive. */
import { officeError } from "./errors";

export const MAX_ROWS = 1048576;
export const MAX_COLS = 16384;

export interface Rect {
  r0: number;
  c0: number;
  r1: number;
  c1: number;
}

export interface ParsedAddress {
  sheet?: string;
  rect: Rect;
}

export function colToIndex(letters: string): number {
  let n = 0;
  for (const ch of letters.toUpperCase()) {
    const code = ch.charCodeAt(0);
    if (code < 65 || code > 90) throw officeError("InvalidArgument", `Invalid column '${letters}'.`);
    n = n * 26 + (code - 64);
  }
  return n - 1;
}

export function indexToCol(index: number): string {
  let n = index + 1;
  let s = "";
  while (n > 0) {
    const rem = (n - 1) % 26;
    s = String.fromCharCode(65 + rem) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

/** Split "Sheet1!A1:B2" / "'My Sheet'!A1" into sheet name (unquoted) and the rest. */
export function splitSheet(address: string): { sheet?: string; ref: string } {
  const a = address.trim();
  if (a.startsWith("'")) {
    let i = 1;
    let name = "";
    while (i < a.length) {
      if (a[i] === "'") {
        if (a[i + 1] === "'") {
          name += "'";
          i += 2;
          continue;
        }
        break;
      }
      name += a[i++];
    }
    if (a[i] !== "'" || a[i + 1] !== "!") throw badAddress(address);
    return { sheet: name, ref: a.slice(i + 2) };
  }
  const bang = a.lastIndexOf("!");
  if (bang >= 0) return { sheet: a.slice(0, bang), ref: a.slice(bang + 1) };
  return { ref: a };
}

function badAddress(address: string) {
  return officeError(
    "InvalidArgument",
    `The argument is invalid or missing or has an incorrect format. (address '${address}')`,
  );
}

const CELL = /^\$?([A-Za-z]{1,3})\$?(\d{1,7})$/;
const COL = /^\$?([A-Za-z]{1,3})$/;
const ROW = /^\$?(\d{1,7})$/;

export function parseAddress(address: string): ParsedAddress {
  if (typeof address !== "string" || address.trim() === "") throw badAddress(String(address));
  const { sheet, ref } = splitSheet(address);
  const parts = ref.split(":");
  if (parts.length > 2 || parts.some((p) => p === "")) throw badAddress(address);
  const [a, b = parts[0]] = parts;
  let rect: Rect;
  const ca = CELL.exec(a),
    cb = CELL.exec(b);
  if (ca && cb) {
    const r0 = +ca[2] - 1,
      c0 = colToIndex(ca[1]),
      r1 = +cb[2] - 1,
      c1 = colToIndex(cb[1]);
    rect = { r0: Math.min(r0, r1), c0: Math.min(c0, c1), r1: Math.max(r0, r1), c1: Math.max(c0, c1) };
  } else if (parts.length === 2 && COL.test(a) && COL.test(b)) {
    const c0 = colToIndex(COL.exec(a)![1]),
      c1 = colToIndex(COL.exec(b)![1]);
    rect = { r0: 0, r1: MAX_ROWS - 1, c0: Math.min(c0, c1), c1: Math.max(c0, c1) };
  } else if (parts.length === 2 && ROW.test(a) && ROW.test(b)) {
    const r0 = +ROW.exec(a)![1] - 1,
      r1 = +ROW.exec(b)![1] - 1;
    rect = { c0: 0, c1: MAX_COLS - 1, r0: Math.min(r0, r1), r1: Math.max(r0, r1) };
  } else {
    throw badAddress(address);
  }
  checkRect(rect, address);
  return { sheet, rect };
}

export function checkRect(rect: Rect, what = "range"): void {
  const ok =
    Number.isInteger(rect.r0) &&
    Number.isInteger(rect.c0) &&
    Number.isInteger(rect.r1) &&
    Number.isInteger(rect.c1) &&
    rect.r0 >= 0 &&
    rect.c0 >= 0 &&
    rect.r1 < MAX_ROWS &&
    rect.c1 < MAX_COLS &&
    rect.r0 <= rect.r1 &&
    rect.c0 <= rect.c1;
  if (!ok) throw badAddress(what);
}

export function quoteSheetName(name: string): string {
  // Excel quotes names that are not plain identifiers or that could be read as a cell reference.
  const plain =
    /^[A-Za-z_\u00C0-\uFFFF][A-Za-z0-9_.\u00C0-\uFFFF]*$/.test(name) &&
    !/^[A-Za-z]{1,3}\d+$/.test(name) &&
    !/^(R|C|RC)(\d*)$/i.test(name);
  return plain ? name : `'${name.replace(/'/g, "''")}'`;
}

export function formatRect(rect: Rect): string {
  const fullRows = rect.r0 === 0 && rect.r1 === MAX_ROWS - 1;
  const fullCols = rect.c0 === 0 && rect.c1 === MAX_COLS - 1;
  if (fullCols) return `${rect.r0 + 1}:${rect.r1 + 1}`;
  if (fullRows) return `${indexToCol(rect.c0)}:${indexToCol(rect.c1)}`;
  const a = `${indexToCol(rect.c0)}${rect.r0 + 1}`;
  if (rect.r0 === rect.r1 && rect.c0 === rect.c1) return a;
  return `${a}:${indexToCol(rect.c1)}${rect.r1 + 1}`;
}

export function formatAddress(sheetName: string, rect: Rect): string {
  return `${quoteSheetName(sheetName)}!${formatRect(rect)}`;
}

export function rectRows(r: Rect): number {
  return r.r1 - r.r0 + 1;
}
export function rectCols(r: Rect): number {
  return r.c1 - r.c0 + 1;
}
export function rectCells(r: Rect): number {
  return rectRows(r) * rectCols(r);
}
export function intersect(a: Rect, b: Rect): Rect | null {
  const r = { r0: Math.max(a.r0, b.r0), c0: Math.max(a.c0, b.c0), r1: Math.min(a.r1, b.r1), c1: Math.min(a.c1, b.c1) };
  return r.r0 <= r.r1 && r.c0 <= r.c1 ? r : null;
}
export function boundingRect(a: Rect, b: Rect): Rect {
  return { r0: Math.min(a.r0, b.r0), c0: Math.min(a.c0, b.c0), r1: Math.max(a.r1, b.r1), c1: Math.max(a.c1, b.c1) };
}

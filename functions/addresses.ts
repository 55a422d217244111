// Where a custom function's range arguments sit: invocation.parameterAddresses ("Sheet1!B2:F101",
// "'My data'!A1:C9", "[Book1]Sheet1!$A$1:$C$9") read as the top-left GridAddress the scheme parser uses to
// name cells in its messages. Imports only the scheme's cell types: no Excel API.

import type { GridAddress } from "../scheme/cells";

const CELL = /^\$?([A-Za-z]{1,3})\$?(\d{1,7})$/;
const COLUMN = /^\$?([A-Za-z]{1,3})$/;
const ROW = /^\$?(\d{1,7})$/;

function columnIndex(letters: string): number {
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
}

/** "'It''s'" → "It's"; a workbook prefix "[Book1]" is dropped. */
function sheetName(raw: string): string {
  // the workbook prefix sits inside the quotes ("'[Book1]My data'") or before a plain name ("[Book1]Data")
  let sheet = raw.trim().replace(/^\[[^\]]*\]/, "");
  if (sheet.startsWith("'") && sheet.endsWith("'") && sheet.length >= 2) sheet = sheet.slice(1, -1).replace(/''/g, "'");
  return sheet.replace(/^\[[^\]]*\]/, "");
}

/** "Data!A1:E501" → sheet "Data", range "A1:E501"; "'[Book1]My data'!A1" → "My data", "A1"; no sheet → undefined. */
export function sheetAndRange(address: string): { sheet: string; range: string } | undefined {
  const bang = address.lastIndexOf("!");
  if (bang <= 0) return undefined;
  const sheet = sheetName(address.slice(0, bang));
  const range = address.slice(bang + 1).trim();
  return sheet === "" || range === "" ? undefined : { sheet, range };
}

/**
 * The top-left cell of a parameter's address, or undefined when the argument is not a plain cell range
 * (an array constant, another function's result, no address given). Messages
 * then count cells from the argument's own top-left, as the scheme parser does without an address.
 */
export function gridAddressOf(address: string | undefined | null): GridAddress | undefined {
  if (typeof address !== "string" || address.trim() === "") return undefined;
  const text = address.trim();
  const bang = text.lastIndexOf("!");
  const sheet = bang >= 0 ? sheetName(text.slice(0, bang)) : undefined;
  const first = (bang >= 0 ? text.slice(bang + 1) : text).split(":")[0].trim();
  const cell = CELL.exec(first);
  const column = COLUMN.exec(first);
  const row = ROW.exec(first);
  let at: GridAddress;
  if (cell) at = { row: Number(cell[2]) - 1, col: columnIndex(cell[1]) };
  else if (column)
    at = { row: 0, col: columnIndex(column[1]) }; // "A:F"
  else if (row)
    at = { row: Number(row[1]) - 1, col: 0 }; // "3:9"
  else return undefined;
  if (sheet) at.sheet = sheet;
  return at;
}

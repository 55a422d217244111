// A data grid for the scheme parser built on compact columns: it looks like `header row + one row per
// respondent` (engine/scheme-cells' Grid), but each row is made only when the parser asks for it, from typed
// arrays, and holds only the columns that were read (the others read as blank). So the parser sees exactly
// what it would see in the sheet for those columns, and 10M boxed values are never alive at once.
// Pure; no Excel API, no React.
import type { Grid } from "../engine/scheme-cells";
import { LABEL_BLANK, LABEL_ERROR, type LabelColumn, type NumberColumn } from "./columns";

export type CompactColumn = LabelColumn | NumberColumn;

export interface CompactData {
  /** the header row as read (full width of the data range) */
  header: readonly unknown[];
  /** respondent rows below the header */
  rows: number;
  /** columns read, by 0-based column index within the data range */
  columns: Map<number, CompactColumn>;
}

/** The cell value a compact column gives back for a respondent: what the parser would have read. */
export function compactCell(column: CompactColumn, i: number): unknown {
  if (column.kind === "numbers") {
    const x = column.values[i];
    return Number.isNaN(x) ? (column.invalidTexts.get(i) ?? "") : x;
  }
  const code = column.codes[i];
  if (code === LABEL_BLANK) return "";
  if (code === LABEL_ERROR) return "#N/A";
  return column.labels[code];
}

function makeRow(entries: [number, CompactColumn][], width: number, i: number): unknown[] {
  const row = new Array<unknown>(width);
  for (const [c, column] of entries) row[c] = compactCell(column, i);
  return row;
}

/** The grid: row 0 is the header, row r ≥ 1 is respondent r − 1. Read-only. */
export function compactGrid(data: CompactData): Grid {
  const width = data.header.length;
  const entries = [...data.columns.entries()];
  const header = [...data.header];
  const length = data.rows + 1;
  const target: unknown[] = [];
  return new Proxy(target, {
    get(_t, key) {
      if (typeof key === "string") {
        const r = key.length > 0 && key.length < 10 && key.charCodeAt(0) <= 57 ? Number(key) : Number.NaN;
        if (Number.isInteger(r)) {
          if (r === 0) return header;
          return r > 0 && r < length ? makeRow(entries, width, r - 1) : undefined;
        }
        if (key === "length") return length;
      }
      return Reflect.get(target, key);
    },
    has(_t, key) {
      const r = typeof key === "string" ? Number(key) : Number.NaN;
      return (Number.isInteger(r) && r >= 0 && r < length) || Reflect.has(target, key);
    },
  }) as Grid;
}

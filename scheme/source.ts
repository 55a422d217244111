// Respondent data for the scheme parser, column by column: a DataSource hands the parser each column it needs
// as category labels (a small dictionary of distinct labels + one Uint32 code per data row) or as numbers,
// plus which data rows are blank. The parser then codes a raking variable by mapping the column's dictionary
// to category indices once and remapping the codes in a typed-array loop: no per-cell strings, no row arrays.
// Two implementations: gridSource() here, over a value grid (=RIM.WEIGHT(), the CLI, tests), and the task
// pane's compactSource() (taskpane/compact-grid.ts), over the typed columns its block reader built. Both read
// cells exactly as the parser always has (cells.ts cellLabel / cellNumber / cellText / rowIsBlank).
// Pure; imports the scheme's cell helpers only (no Excel API, no DOM, no Node).

import { BLANK, ERROR, cellLabel, cellNumber, cellText, numberLabel, rowIsBlank, type Grid } from "./cells";

/** Code of a blank cell (empty, or only spaces) in LabelCodes. */
export const CODE_BLANK = 0xffffffff;
/** Code of an error cell (#N/A …, a non-finite number, an error object) in LabelCodes. */
export const CODE_ERROR = 0xfffffffe;

/** A column as labels: data row r reads `labels[codes[r]]`, or is blank / an error (CODE_BLANK, CODE_ERROR). */
export interface LabelCodes {
  /** distinct labels (cellLabel of the cells), any order */
  labels: readonly string[];
  /** one per data row below the header */
  codes: Uint32Array;
}

/** One data column, as the parser reads it. Rows are data rows below the header, 0-based. */
export interface SourceColumn {
  /** the cells as category labels (cellLabel) */
  labels(): LabelCodes;
  /** the cells as numbers: a number as it is, else cellNumber (NaN when not a number, blank included) */
  numbers(): Float64Array;
  /** what one cell shows, for messages (cellText) */
  text(row: number): string;
}

/** The data range: header row and respondent rows, column by column. */
export interface DataSource {
  readonly kind: "data-source";
  /** the header row's cells; undefined when the range has no rows at all */
  readonly header: readonly unknown[] | undefined;
  /** data rows below the header (respondents plus blank rows) */
  readonly rows: number;
  /** a column by 0-based index within the range (any index: a column beyond the cells reads as blank) */
  column(c: number): SourceColumn;
  /** 1 for each data row whose cells are all blank (rowIsBlank), else 0 */
  blankRows(): Uint8Array;
}

export function isDataSource(value: unknown): value is DataSource {
  return (
    typeof value === "object" && value !== null && !Array.isArray(value) && (value as DataSource).kind === "data-source"
  );
}

/**
 * Encodes cells as labels: `cell(r)` for r = 0 … rows − 1. Numbers are labelled once per distinct value
 * (numberLabel is the costly part of cellLabel), and a number meets the text with the same label ("1" and 1).
 */
export function encodeLabels(rows: number, cell: (r: number) => unknown): LabelCodes {
  const codes = new Uint32Array(rows);
  const labels: string[] = [];
  const byLabel = new Map<string, number>();
  const byNumber = new Map<number, number>();
  const codeOf = (label: string): number => {
    let code = byLabel.get(label);
    if (code === undefined) {
      code = labels.length;
      byLabel.set(label, code);
      labels.push(label);
    }
    return code;
  };
  for (let r = 0; r < rows; r++) {
    const value = cell(r);
    if (typeof value === "number" && Number.isFinite(value)) {
      let code = byNumber.get(value);
      if (code === undefined) byNumber.set(value, (code = codeOf(numberLabel(value))));
      codes[r] = code;
      continue;
    }
    const label = cellLabel(value);
    codes[r] = label === BLANK ? CODE_BLANK : label === ERROR ? CODE_ERROR : codeOf(label);
  }
  return { labels, codes };
}

/** A cell as the parser reads it as a number (a base weight). */
export function cellAsNumber(value: unknown): number {
  return typeof value === "number" ? value : cellNumber(value);
}

/** A column read cell by cell, its labels and numbers made once on first use. */
export function cellColumn(rows: number, cell: (r: number) => unknown): SourceColumn {
  let labels: LabelCodes | undefined;
  let numbers: Float64Array | undefined;
  return {
    labels: () => (labels ??= encodeLabels(rows, cell)),
    numbers() {
      if (!numbers) {
        numbers = new Float64Array(rows);
        for (let r = 0; r < rows; r++) numbers[r] = cellAsNumber(cell(r));
      }
      return numbers;
    },
    text: (r) => cellText(cell(r)),
  };
}

/** A plain value grid (header row + one row per respondent, rows may be ragged) as a DataSource. */
export function gridSource(grid: Grid): DataSource {
  const rows = Math.max(0, grid.length - 1);
  const columns = new Map<number, SourceColumn>();
  return {
    kind: "data-source",
    header: grid.length > 0 ? grid[0] : undefined,
    rows,
    column(c) {
      let column = columns.get(c);
      if (!column) columns.set(c, (column = cellColumn(rows, (r) => grid[r + 1]?.[c])));
      return column;
    },
    blankRows() {
      const blank = new Uint8Array(rows);
      for (let r = 0; r < rows; r++) if (rowIsBlank(grid[r + 1])) blank[r] = 1;
      return blank;
    },
  };
}

// Respondent data for the scheme parser, column by column: a DataSource hands the parser each column it needs
// as category labels (a small dictionary of distinct labels + one Uint32 code per data row) or as numbers,
// plus which data rows are blank. The parser then codes a raking variable by mapping the column's dictionary
// to category indices once and remapping the codes in a typed-array loop: no per-cell strings, no row arrays.
// Two implementations: gridSource() here, over a grid of Cells (=RIM.WEIGHT(), the CLI, tests), and the task
// pane's compactSource() (taskpane/compact-grid.ts), over the typed columns its block reader built. Both hold
// cells already read at their door (cells.ts readCell), so they agree by construction.
// Pure; imports the scheme's cell helpers only (no Excel API, no DOM, no Node).

import {
  BLANK_CELL,
  isBlankRow,
  numberLabel,
  numberOf,
  readCell,
  textOf,
  type Cell,
  type CellGrid,
  type CellRow,
} from "./cells";

/** Code of a blank cell (empty, or only spaces) in LabelCodes. */
export const CODE_BLANK = 0xffffffff;
/** Code of an error cell (#N/A …, a non-finite number, an error object) in LabelCodes. */
export const CODE_ERROR = 0xfffffffe;

/** A column as labels: data row r reads `labels[codes[r]]`, or is blank / an error (CODE_BLANK, CODE_ERROR). */
export interface LabelCodes {
  /** distinct labels (labelOf the cells), any order */
  labels: readonly string[];
  /** one per data row below the header */
  codes: Uint32Array;
}

/** One data column, as the parser reads it. Rows are data rows below the header, 0-based. */
export interface SourceColumn {
  /** the cells as category labels (labelOf) */
  labels(): LabelCodes;
  /** the cells as numbers (numberOf: NaN when not a number, blank included) */
  numbers(): Float64Array;
  /** what one cell shows, for messages (textOf) */
  text(row: number): string;
}

/** The data range: header row and respondent rows, column by column. */
export interface DataSource {
  readonly kind: "data-source";
  /** the header row's cells; undefined when the range has no rows at all */
  readonly header: CellRow | undefined;
  /** data rows below the header (respondents plus blank rows) */
  readonly rows: number;
  /** a column by 0-based index within the range (any index: a column beyond the cells reads as blank) */
  column(c: number): SourceColumn;
  /** 1 for each data row whose cells are all blank, else 0 */
  blankRows(): Uint8Array;
}

export function isDataSource(value: unknown): value is DataSource {
  return (
    typeof value === "object" && value !== null && !Array.isArray(value) && (value as DataSource).kind === "data-source"
  );
}

/** A label dictionary under construction: one code per distinct label, numbers labelled once per value. */
export class LabelDictionary {
  readonly labels: string[] = [];
  private readonly byLabel = new Map<string, number>();
  private readonly byNumber = new Map<number, number>();

  /** The code of a cell: CODE_BLANK, CODE_ERROR, or its label's index (a number meets the text "1" as 1). */
  code(cell: Cell): number {
    switch (cell.kind) {
      case "blank":
        return CODE_BLANK;
      case "error":
        return CODE_ERROR;
      case "number":
        return this.numberCode(cell.value);
      case "text":
        return this.labelCode(cell.text);
    }
  }

  /**
   * The code of a host value as readCell reads it: `code(readCell(value))`, without making a Cell for a finite
   * number (the task pane's door codes millions of them).
   */
  codeOf(value: unknown): number {
    return typeof value === "number" && Number.isFinite(value) ? this.numberCode(value) : this.code(readCell(value));
  }

  private numberCode(value: number): number {
    // numberLabel is the costly part: once per distinct value
    let code = this.byNumber.get(value);
    if (code === undefined) this.byNumber.set(value, (code = this.labelCode(numberLabel(value))));
    return code;
  }

  private labelCode(label: string): number {
    let code = this.byLabel.get(label);
    if (code === undefined) {
      code = this.labels.length;
      this.byLabel.set(label, code);
      this.labels.push(label);
    }
    return code;
  }
}

/** Encodes cells as labels: `cell(r)` for r = 0 … rows − 1. */
export function encodeLabels(rows: number, cell: (r: number) => Cell): LabelCodes {
  const codes = new Uint32Array(rows);
  const dictionary = new LabelDictionary();
  for (let r = 0; r < rows; r++) codes[r] = dictionary.code(cell(r));
  return { labels: dictionary.labels, codes };
}

/** A column read cell by cell, its labels and numbers made once on first use. */
export function cellColumn(rows: number, cell: (r: number) => Cell): SourceColumn {
  let labels: LabelCodes | undefined;
  let numbers: Float64Array | undefined;
  return {
    labels: () => (labels ??= encodeLabels(rows, cell)),
    numbers() {
      if (!numbers) {
        numbers = new Float64Array(rows);
        for (let r = 0; r < rows; r++) numbers[r] = numberOf(cell(r));
      }
      return numbers;
    },
    text: (r) => textOf(cell(r)),
  };
}

/** A grid of cells (header row + one row per respondent, rows may be ragged) as a DataSource. */
export function gridSource(grid: CellGrid): DataSource {
  const rows = Math.max(0, grid.length - 1);
  const columns = new Map<number, SourceColumn>();
  return {
    kind: "data-source",
    header: grid.length > 0 ? grid[0] : undefined,
    rows,
    column(c) {
      let column = columns.get(c);
      if (!column) columns.set(c, (column = cellColumn(rows, (r) => grid[r + 1]?.[c] ?? BLANK_CELL)));
      return column;
    },
    blankRows() {
      const blank = new Uint8Array(rows);
      for (let r = 0; r < rows; r++) if (isBlankRow(grid[r + 1])) blank[r] = 1;
      return blank;
    },
  };
}

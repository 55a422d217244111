// The respondent data for the scheme parser, built on compact columns (taskpane/columns.ts): compactSource()
// hands the parser each column as it already is (a label column's dictionary and Uint32 codes go to it
// unchanged; a number column's Float64 values serve the base weights), so no row arrays and no per-cell
// strings are made. Only the columns that were read hold cells; the others read as blank (as in the sheet for
// the parser's purposes: it looks at no other column). compactCell() gives the same data as Cells, the
// parser's reading of which compactSource() reproduces exactly.
// Pure; no Excel API, no React.
import { BLANK_CELL, numberCell, textCell, textNumber, type Cell, type CellRow } from "../scheme/cells";
import {
  cellColumn,
  CODE_BLANK,
  CODE_ERROR,
  type DataSource,
  type LabelCodes,
  type SourceColumn,
} from "../scheme/source";
import { LABEL_BLANK, LABEL_ERROR, type LabelColumn, type NumberColumn } from "./columns";

export type CompactColumn = LabelColumn | NumberColumn;

export interface CompactData {
  /** the header row as read (full width of the data range) */
  header: CellRow;
  /** respondent rows below the header */
  rows: number;
  /** columns read, by 0-based column index within the data range */
  columns: Map<number, CompactColumn>;
}

/** The cell a compact column gives back for a respondent: what the parser would have read. */
export function compactCell(column: CompactColumn, i: number): Cell {
  if (column.kind === "numbers") {
    const x = column.values[i];
    return Number.isNaN(x) ? textCell(column.invalidTexts.get(i) ?? "") : numberCell(x);
  }
  const code = column.codes[i];
  if (code === LABEL_BLANK) return BLANK_CELL;
  if (code === LABEL_ERROR) return { kind: "error", text: "#N/A" };
  return { kind: "text", text: column.labels[code] };
}

/** A label column as the parser reads it: its dictionary and codes as they are (labels are labelOf's already). */
function labelSource(column: LabelColumn): SourceColumn {
  const labels: LabelCodes = { labels: column.labels, codes: column.codes };
  let numbers: Float64Array | undefined;
  return {
    labels: () => labels,
    numbers() {
      if (!numbers) {
        // each distinct label read as a number once
        const byCode = Float64Array.from(column.labels, textNumber);
        numbers = new Float64Array(column.codes.length);
        for (let i = 0; i < numbers.length; i++) {
          const code = column.codes[i];
          numbers[i] = code >= CODE_ERROR ? Number.NaN : byCode[code];
        }
      }
      return numbers;
    },
    text: (i) => {
      const code = column.codes[i];
      return code === CODE_BLANK ? "" : code === CODE_ERROR ? "#N/A" : column.labels[code];
    },
  };
}

/** A number column as the parser reads it: the values (NaN where not a number), the kept text of the others. */
function numberSource(column: NumberColumn, rows: number): SourceColumn {
  const cells = cellColumn(rows, (i) => compactCell(column, i));
  return { labels: () => cells.labels(), numbers: () => column.values, text: (i) => cells.text(i) };
}

/** A column that was not read: every cell blank. */
function blankSource(rows: number): SourceColumn {
  return cellColumn(rows, () => BLANK_CELL);
}

/** The compact columns as the scheme parser's DataSource: header row, then respondent r − 1 at grid row r. */
export function compactSource(data: CompactData): DataSource {
  const sources = new Map<number, SourceColumn>();
  return {
    kind: "data-source",
    header: data.header,
    rows: data.rows,
    column(c) {
      let source = sources.get(c);
      if (!source) {
        const column = data.columns.get(c);
        source = !column
          ? blankSource(data.rows)
          : column.kind === "labels"
            ? labelSource(column)
            : numberSource(column, data.rows);
        sources.set(c, source);
      }
      return source;
    },
    blankRows() {
      const blank = new Uint8Array(data.rows).fill(1);
      for (const column of data.columns.values()) {
        if (column.kind === "labels") {
          const codes = column.codes;
          for (let i = 0; i < data.rows; i++) if (codes[i] !== LABEL_BLANK) blank[i] = 0;
        } else {
          const values = column.values;
          for (let i = 0; i < data.rows; i++) {
            if (!Number.isNaN(values[i])) blank[i] = 0;
            else if ((column.invalidTexts.get(i) ?? "").trim() !== "") blank[i] = 0;
          }
        }
      }
      return blank;
    },
  };
}

// Compact respondent columns: each block of cell values read from Excel is turned at once into typed arrays
// (a label dictionary + Uint32 codes, or Float64 numbers), so 10M boxed cell values are never held together.
// This is the pane's door: each value is read once as a Cell (scheme/cells.ts readCell), as the function's and
// the CLI's doors read theirs. Pure; no Excel API, no React.
import { numberOf, readCell, textOf } from "../scheme/cells";
import { CODE_BLANK, CODE_ERROR, LabelDictionary } from "../scheme/source";

/** Code of a blank cell in a LabelColumn (the scheme parser's own, so the codes go to it as they are). */
export const LABEL_BLANK = CODE_BLANK;
/** Code of an Excel error value (#N/A …) in a LabelColumn. */
export const LABEL_ERROR = CODE_ERROR;

/** A column of category labels: `labels[codes[i]]`, or LABEL_BLANK / LABEL_ERROR. */
export interface LabelColumn {
  kind: "labels";
  header: string;
  /** distinct labels in order of first appearance */
  labels: string[];
  codes: Uint32Array;
  /** respondents per label (same index as labels) */
  counts: Float64Array;
  blanks: number;
  errors: number;
  /** 0-based respondent index of the first error value, or -1 */
  firstError: number;
}

/** A column of numbers: NaN where a cell is blank or not a number. */
export interface NumberColumn {
  kind: "numbers";
  header: string;
  values: Float64Array;
  /** 0-based respondent index of the first cell that is not a number (blank included), or -1 */
  firstInvalid: number;
  /** what the first few invalid cells held (their text), by respondent index, for messages */
  invalidTexts: Map<number, string>;
}

/** Invalid cells whose text is kept for messages. */
const KEPT_INVALID_TEXTS = 100;

export interface LabelColumnBuilder {
  /** Adds cells for respondents `start`, `start + 1`, … */
  add(start: number, cells: readonly unknown[]): void;
  finish(): LabelColumn;
}

export function labelColumnBuilder(header: string, n: number): LabelColumnBuilder {
  const codes = new Uint32Array(n);
  const dictionary = new LabelDictionary();
  let counts: number[] = [];
  let blanks = 0;
  let errors = 0;
  let firstError = -1;
  return {
    add(start, cells) {
      for (let i = 0; i < cells.length; i++) {
        const code = dictionary.codeOf(cells[i]);
        codes[start + i] = code;
        if (code === LABEL_BLANK) blanks++;
        else if (code === LABEL_ERROR) {
          errors++;
          if (firstError < 0) firstError = start + i;
        } else counts[code] = (counts[code] ?? 0) + 1;
      }
    },
    finish() {
      const result: LabelColumn = {
        kind: "labels",
        header,
        labels: dictionary.labels,
        codes,
        counts: Float64Array.from(dictionary.labels, (_, code) => counts[code] ?? 0),
        blanks,
        errors,
        firstError,
      };
      counts = [];
      return result;
    },
  };
}

export interface NumberColumnBuilder {
  add(start: number, cells: readonly unknown[]): void;
  finish(): NumberColumn;
}

export function numberColumnBuilder(header: string, n: number): NumberColumnBuilder {
  const values = new Float64Array(n);
  let firstInvalid = -1;
  const invalidTexts = new Map<number, string>();
  return {
    add(start, cells) {
      for (let i = 0; i < cells.length; i++) {
        const cell = readCell(cells[i]);
        const x = numberOf(cell);
        values[start + i] = x;
        if (!Number.isNaN(x)) continue;
        if (firstInvalid < 0) firstInvalid = start + i;
        if (invalidTexts.size < KEPT_INVALID_TEXTS) invalidTexts.set(start + i, textOf(cell));
      }
    },
    finish: () => ({ kind: "numbers", header, values, firstInvalid, invalidTexts }),
  };
}

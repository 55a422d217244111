// Compact respondent columns: each block of cell values read from Excel is turned at once into typed arrays
// (a label dictionary + Uint32 codes, or Float64 numbers), so 10M boxed cell values are never held together.
// Pure; reads cells with scheme/cells.ts so labels match the scheme parser's. No Excel API, no React.
import { BLANK, cellLabel, cellNumber, cellText, ERROR, numberLabel } from "../scheme/cells";
import { CODE_BLANK, CODE_ERROR } from "../scheme/source";

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
  const index = new Map<string, number>();
  const labels: string[] = [];
  let counts: number[] = [];
  let blanks = 0;
  let errors = 0;
  let firstError = -1;
  const byNumber = new Map<number, number>();
  const codeOf = (label: string): number => {
    let code = index.get(label);
    if (code === undefined) {
      code = labels.length;
      index.set(label, code);
      labels.push(label);
      counts.push(0);
    }
    return code;
  };
  return {
    add(start, cells) {
      for (let i = 0; i < cells.length; i++) {
        const value = cells[i];
        if (typeof value === "number" && Number.isFinite(value)) {
          // a number's label is made once per distinct value (numbers meet text of the same label: 1 and "1")
          let code = byNumber.get(value);
          if (code === undefined) byNumber.set(value, (code = codeOf(numberLabel(value))));
          codes[start + i] = code;
          counts[code]++;
          continue;
        }
        const label = cellLabel(value);
        if (label === BLANK) {
          codes[start + i] = LABEL_BLANK;
          blanks++;
        } else if (label === ERROR) {
          codes[start + i] = LABEL_ERROR;
          errors++;
          if (firstError < 0) firstError = start + i;
        } else {
          const code = codeOf(label);
          codes[start + i] = code;
          counts[code]++;
        }
      }
    },
    finish() {
      const result: LabelColumn = {
        kind: "labels",
        header,
        labels,
        codes,
        counts: Float64Array.from(counts),
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
        const x = cellNumber(cells[i]);
        values[start + i] = x;
        if (!Number.isNaN(x)) continue;
        if (firstInvalid < 0) firstInvalid = start + i;
        if (invalidTexts.size < KEPT_INVALID_TEXTS) invalidTexts.set(start + i, cellText(cells[i]));
      }
    },
    finish: () => ({ kind: "numbers", header, values, firstInvalid, invalidTexts }),
  };
}

/**
 * How a value written through `values` / `formulas` becomes a cell, and how a cell reads back as `text`.
 *
 * Choices (Excel entry semantics, as far as the fake models them):
 * - `null` (and NaN/±Infinity, which JSON turns into null on the wire) leaves the cell unchanged.
 * - `""` clears the cell's value/formula (formats stay).
 * - numbers and booleans are stored as they are.
 * - On a cell whose numberFormat is "@" (Text), any string is stored verbatim as text: no formula, no number parsing,
 *   and a leading apostrophe is kept as part of the text.
 * - Otherwise a string is parsed like typed input:
 *     "'rest"            -> text "rest" with the quote-prefix flag; `values` and `formulas` both read back "rest"
 *                          (Office.js drops the apostrophe in `formulas` too: OfficeDev/office-js#6687).
 *     "=..." (len > 1)  -> formula "=..."; its value is `formulaValue(formula)` (default "#NAME?", an Error value).
 *     "+x", "-x", "@x"  -> when not a number: formula "=+x" / "=-x" / "=@x" (Excel's typed-entry rule), value as above.
 *     numeric text        -> number ("007" -> 7, "1e3" -> 1000, "12%" -> 0.12); "TRUE"/"FALSE" -> boolean.
 *     anything else       -> text.
 *   Dates and currency strings are not parsed (they stay text) — a known simplification.
 */
import { officeError } from "./errors";

export type CellValue = string | number | boolean;

export interface CellWrite {
  /** undefined: leave unchanged */
  kind: "skip" | "clear" | "value" | "formula";
  value?: CellValue;
  formula?: string;
  quotePrefix?: boolean;
}

export const ERROR_VALUES = new Set([
  "#NAME?",
  "#VALUE!",
  "#DIV/0!",
  "#N/A",
  "#REF!",
  "#NUM!",
  "#NULL!",
  "#SPILL!",
  "#CALC!",
  "#BUSY!",
  "#GETTING_DATA",
  "#FIELD!",
  "#BLOCKED!",
  "#CONNECT!",
  "#UNKNOWN!",
]);

const NUMERIC = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const PERCENT = /^[+-]?(\d+\.?\d*|\.\d+)%$/;

export function coerceInput(input: unknown, numberFormat: string | undefined): CellWrite {
  if (input === null || input === undefined) return { kind: "skip" };
  if (typeof input === "number") {
    if (!Number.isFinite(input)) return { kind: "skip" };
    return { kind: "value", value: input };
  }
  if (typeof input === "boolean") return { kind: "value", value: input };
  if (typeof input !== "string") {
    throw officeError(
      "InvalidArgument",
      `The argument is invalid or missing or has an incorrect format. (cell input of type ${Array.isArray(input) ? "array" : typeof input})`,
    );
  }
  if (input === "") return { kind: "clear" };
  if (numberFormat === "@") return { kind: "value", value: input };
  const first = input[0];
  if (first === "'") return { kind: "value", value: input.slice(1), quotePrefix: true };
  if (first === "=" && input.length > 1) return { kind: "formula", formula: input };
  const t = input.trim();
  if (NUMERIC.test(t)) return { kind: "value", value: Number(t) };
  if (PERCENT.test(t)) return { kind: "value", value: Number(t.slice(0, -1)) / 100 };
  if ((first === "+" || first === "-" || first === "@") && input.length > 1)
    return { kind: "formula", formula: "=" + input };
  const upper = t.toUpperCase();
  if (upper === "TRUE" || upper === "FALSE") return { kind: "value", value: upper === "TRUE" };
  return { kind: "value", value: input };
}

export function valueType(v: CellValue | undefined, quotePrefix: boolean): string {
  if (v === undefined || v === "") return "Empty";
  if (typeof v === "boolean") return "Boolean";
  if (typeof v === "number") return "Double";
  if (!quotePrefix && ERROR_VALUES.has(v)) return "Error";
  return "String";
}

/** Minimal display formatting for `text`: General, fixed decimals ("0.00", "#,##0.0"), percent ("0%", "0.0%"), "@". */
export function formatText(v: CellValue | undefined, nf: string | undefined): string {
  if (v === undefined) return "";
  if (typeof v === "boolean") return v ? "TRUE" : "FALSE";
  if (typeof v === "string") return v;
  const fmt = nf ?? "General";
  if (fmt === "General" || fmt === "@") return generalNumber(v);
  const m = /^(#,##)?0(\.(0+))?(%)?$/.exec(fmt);
  if (m) {
    const decimals = m[3] ? m[3].length : 0;
    const x = m[4] ? v * 100 : v;
    let s = x.toFixed(decimals);
    if (m[1]) {
      const [int, frac] = s.split(".");
      s = int.replace(/\B(?=(\d{3})+(?!\d))/g, ",") + (frac !== undefined ? "." + frac : "");
    }
    return s + (m[4] ? "%" : "");
  }
  return generalNumber(v);
}

function generalNumber(v: number): string {
  if (Number.isInteger(v) && Math.abs(v) < 1e11) return String(v);
  const s = Number(v.toPrecision(10)).toString();
  return s.length > 11
    ? v
        .toExponential(5)
        .replace(/\.?0+e/, "E")
        .replace("e", "E")
    : s;
}

// CSV (RFC 4180) in and out: a char-code scanner over the whole text (quotes, "" escapes, CRLF / LF / CR,
// a leading BOM, newlines inside quotes), fields kept as text. Used by the CLI; pure, imports nothing.

export class CsvError extends Error {
  constructor(
    message: string,
    /** 1-based line where the problem starts */
    readonly line: number,
  ) {
    super(message);
    this.name = "CsvError";
  }
}

const QUOTE = 34;
const CR = 13;
const LF = 10;
const BOM = 0xfeff;
/**
 * Short repeated fields (category labels) share one string, per column, which saves a third of the memory
 * of a million-row file; a column with more distinct values than this (ids, weights) stops being interned.
 */
const INTERN_LIMIT = 4096;
const INTERN_MAX_LENGTH = 24;

export interface CsvParseOptions {
  /** field separator, one character (default ",") */
  delimiter?: string;
}

/**
 * Parses CSV text into rows of strings. A final line break does not make an empty last row; an empty line
 * elsewhere is a row with one empty field. Unquoted fields are taken as they are (a stray quote inside one
 * is kept); an unterminated quoted field is a CsvError naming the line it started on.
 */
export function parseCsv(text: string, options: CsvParseOptions = {}): string[][] {
  const delimiter = (options.delimiter ?? ",").charCodeAt(0);
  const rows: string[][] = [];
  const interned: (Map<string, string> | null)[] = [];
  const keep = (field: string, column: number): string => {
    if (field.length > INTERN_MAX_LENGTH) return field;
    let table = interned[column];
    if (table === null) return field;
    if (table === undefined) interned[column] = table = new Map();
    const seen = table.get(field);
    if (seen !== undefined) return seen;
    if (table.size < INTERN_LIMIT) table.set(field, field);
    else interned[column] = null;
    return field;
  };
  const length = text.length;
  let i = length > 0 && text.charCodeAt(0) === BOM ? 1 : 0;
  let line = 1;
  let row: string[] = [];
  while (i < length) {
    let field: string;
    let ch = text.charCodeAt(i);
    if (ch === QUOTE) {
      const startLine = line;
      let pieces = "";
      let start = ++i;
      for (;;) {
        if (i >= length) throw new CsvError(`unterminated quoted field starting on line ${startLine}`, startLine);
        ch = text.charCodeAt(i);
        if (ch === QUOTE) {
          if (i + 1 < length && text.charCodeAt(i + 1) === QUOTE) {
            pieces += text.slice(start, i + 1);
            i += 2;
            start = i;
            continue;
          }
          pieces += text.slice(start, i);
          i++;
          break;
        }
        if (ch === LF || (ch === CR && text.charCodeAt(i + 1) !== LF)) line++;
        i++;
      }
      // Text after the closing quote, up to the separator, is kept (lenient, as spreadsheets are).
      start = i;
      while (i < length && (ch = text.charCodeAt(i)) !== delimiter && ch !== LF && ch !== CR) i++;
      field = start === i ? pieces : pieces + text.slice(start, i);
    } else {
      const start = i;
      while (i < length && (ch = text.charCodeAt(i)) !== delimiter && ch !== LF && ch !== CR) i++;
      field = text.slice(start, i);
    }
    row.push(keep(field, row.length));
    if (i >= length) break;
    ch = text.charCodeAt(i);
    i++;
    if (ch === delimiter) {
      // a separator at the very end leaves an empty last field
      if (i >= length) row.push("");
      continue;
    }
    if (ch === CR && i < length && text.charCodeAt(i) === LF) i++;
    line++;
    rows.push(row);
    row = [];
    // an empty line: one empty field
    while (i < length && (text.charCodeAt(i) === LF || text.charCodeAt(i) === CR)) {
      if (text.charCodeAt(i) === CR && text.charCodeAt(i + 1) === LF) i++;
      i++;
      line++;
      if (i < length) rows.push([""]);
    }
  }
  if (row.length > 0) rows.push(row);
  return rows;
}

export interface CsvWriteOptions {
  delimiter?: string;
  /** line ending (default "\n"); RFC 4180 says "\r\n" */
  eol?: string;
}

/** Numbers as the shortest text that reads back as the same double; null/undefined as an empty field. */
function fieldText(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return "";
  return typeof value === "string" ? value : String(value);
}

/** A field quoted when it holds the separator, a quote, a line break, or spaces at either end. */
export function csvField(value: string | number | boolean | null | undefined, delimiter = ","): string {
  const text = fieldText(value);
  let needs = false;
  for (let i = 0; i < text.length && !needs; i++) {
    const ch = text[i];
    needs = ch === delimiter || ch === '"' || ch === "\n" || ch === "\r";
  }
  if (!needs && text.length > 0 && (text[0] === " " || text[text.length - 1] === " ")) needs = true;
  return needs ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Writes rows as CSV text, one line per row, each line ended with `eol`. */
export function formatCsv(
  rows: readonly (readonly (string | number | boolean | null | undefined)[])[],
  options: CsvWriteOptions = {},
): string {
  const delimiter = options.delimiter ?? ",";
  const eol = options.eol ?? "\n";
  const parts: string[] = new Array(rows.length);
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r];
    let line = "";
    for (let c = 0; c < row.length; c++) line += (c > 0 ? delimiter : "") + csvField(row[c], delimiter);
    parts[r] = line + eol;
  }
  return parts.join("");
}

// The scheme parser: value grids and A1 addresses in, the engine's Problem + Options out (DESIGN.md §2, §4).
// The respondent data is read column by column through a DataSource (source.ts: a grid, or the task
// pane's compact columns), each raking column coded from its label dictionary in a typed-array loop.
// Shared by the task pane, =RIM.WEIGHT() and the CLI, so all three give identical results and messages.
// Errors are values (errors.ts); messages are written there. Imports the contract, the engine's error
// words and the scheme's siblings only: no Excel API, no DOM, no Node.

import {
  MISSING_U16,
  MISSING_U8,
  type Codes,
  type EngineError,
  type Options,
  type Problem,
  type Variable,
} from "../engine/contract";
import { describeEngineError, type ErrorNames } from "../engine/errors";
import {
  BLANK,
  ERROR,
  cellAddress,
  cellLabel,
  cellNumber,
  cellText,
  nearMatch,
  rowIsBlank,
  type Grid,
  type GridAddress,
} from "./cells";
import { CODE_ERROR, gridSource, isDataSource, type DataSource, type LabelCodes } from "./source";
import type { SchemeError, SchemeFailure, SchemeWarning } from "./errors";
import { checkSettings, type SchemeSettings } from "./options";

export * from "./cells";
export * from "./errors";
export * from "./options";
export * from "./source";

export interface SchemeInput {
  /**
   * header row + one row per respondent: a value grid, or the same data column by column (a DataSource:
   * gridSource() of a grid, or the task pane's compact columns), read identically
   */
  data: Grid | DataSource;
  /** top-left cell of `data` (default A1, no sheet) */
  dataAt?: GridAddress;
  /** long table `variable | category | target [| group]`, header row optional */
  targets: Grid;
  targetsAt?: GridAddress;
  settings?: SchemeSettings;
}

/** Where the parts of a scheme came from, so engine errors can name cells. */
export interface SchemeLocations {
  dataAt?: GridAddress;
  targetsAt?: GridAddress;
  /** data grid columns of each variable (two or more for a crossed variable) */
  variableColumns: number[][];
  baseColumn?: number;
  groupColumn?: number;
  /** category cell of the target row behind (variable, group index or -1 for all groups, category) */
  targetCells: Map<string, string>;
}

export interface Scheme {
  ok: true;
  problem: Problem;
  options: Options;
  warnings: SchemeWarning[];
  /** names for describeEngineError */
  names: ErrorNames;
  /** respondent index → row of the data grid (the header is row 0); blank rows have no respondent */
  rowMap: Int32Array;
  /** rows of the data grid below the header (respondents plus skipped blank rows) */
  dataRows: number;
  /** where the total comes from: the option, count targets, or the base weights (engine default) */
  total: { source: "option" | "counts" | "base"; value?: number };
  locations: SchemeLocations;
}

export type SchemeOutcome = Scheme | SchemeFailure;

/** Percent targets add up to 100 ± this, proportions to 1 ± this / 100; anything else is counts. */
const UNIT_BAND = 5;
/** A percent or proportion sum further than this (relative) from 100 / 1 is normalised with a warning. */
const SUM_SLACK = 1e-9;
/** Count targets agree on a total when their sums are this close (relative). */
const COUNT_AGREEMENT = 1e-6;
/** A crossed variable's name joins column names with " x " (any case) or "×". */
/** Splits a crossed variable name or category label (" x " or " × ") into its parts. */
export const CROSS_SPLIT = /\s+x\s+|\s*×\s*/i;
/** The most categories a variable may have: every u16 code but the missing marker. */
export const MAX_CATEGORIES = MISSING_U16 - 1;
const FIRST_CELLS = 3;

class SchemeStop {
  constructor(readonly error: SchemeError) {}
}

/** Stops the parser (and draft.ts) with `error`; parseScheme / schemeStep turn it into `{ ok: false, error }`. */
export function fail(error: SchemeError): never {
  throw new SchemeStop(error);
}

/** Parses a scheme: a Scheme, or `{ ok: false, error }` naming the first problem found. */
export function parseScheme(input: SchemeInput): SchemeOutcome {
  return schemeStep(() => buildScheme(input));
}

/** Runs parser steps (here and in draft.ts), turning the first failure into `{ ok: false, error }`. */
export function schemeStep<T>(step: () => T): T | SchemeFailure {
  try {
    return step();
  } catch (caught) {
    if (caught instanceof SchemeStop) return { ok: false, error: caught.error };
    throw caught;
  }
}

// ---------------------------------------------------------------- data header and rows

export interface DataTable {
  source: DataSource;
  at?: GridAddress;
  headers: string[];
  columns: Map<string, number>;
  /** respondent → grid row (the header is row 0, so data row = grid row − 1) */
  rowMap: Int32Array;
}

export function readData(source: DataSource, at: GridAddress | undefined, warnings: SchemeWarning[]): DataTable {
  const header = source.header;
  if (header === undefined || rowIsBlank(header)) fail({ code: "empty_data", cell: cellAddress(at, 0, 0) });
  const headers = header.map((value) => {
    const label = cellLabel(value);
    return label === BLANK || label === ERROR ? "" : label;
  });
  const columns = new Map<string, number>();
  headers.forEach((name, c) => {
    if (name === "") return;
    const seen = columns.get(name);
    if (seen !== undefined)
      fail({ code: "duplicate_header", name, cells: [cellAddress(at, 0, seen), cellAddress(at, 0, c)] });
    columns.set(name, c);
  });
  const blank = source.blankRows();
  // Blank rows after the last respondent (a generous or whole-column range) are not part of the data: no
  // warning for them. Blank rows between respondents are skipped with a warning.
  let last = source.rows - 1;
  while (last >= 0 && blank[last] !== 0) last--;
  let skipped = 0;
  let firstSkipped = -1;
  let inner = 0;
  for (let r = 0; r < source.rows; r++) {
    if (blank[r] === 0) continue;
    if (skipped++ === 0) firstSkipped = r + 1;
    if (r < last) inner++;
  }
  const rowMap = new Int32Array(source.rows - skipped);
  for (let r = 0, i = 0; r < source.rows; r++) if (blank[r] === 0) rowMap[i++] = r + 1;
  if (rowMap.length === 0) fail({ code: "no_respondents", cell: cellAddress(at, 0, 0) });
  if (inner > 0) warnings.push({ code: "blank_rows_skipped", count: inner, cell: cellAddress(at, firstSkipped, 0) });
  return { source, at, headers, columns, rowMap };
}

export function dataCell(data: DataTable, respondent: number, col: number): string {
  return cellAddress(data.at, data.rowMap[respondent], col);
}

/** The data column named `name`, or an error naming the setting with the available headers. */
export function settingColumn(data: DataTable, setting: "base" | "group" | "variables", name: string): number {
  const col = data.columns.get(name);
  if (col !== undefined) return col;
  const available = data.headers.filter((h) => h !== "");
  fail({ code: "unknown_column", setting, name, available, hint: nearMatch(name, available) });
}

// ---------------------------------------------------------------- target table

interface TargetRow {
  variable: string;
  category: string;
  group: string | null;
  value: number;
  /** grid row */
  r: number;
}

interface TargetTable {
  rows: TargetRow[];
  at?: GridAddress;
  cols: { variable: number; category: number; target: number; group: number };
}

const TARGET_HEADERS: Record<string, "variable" | "category" | "target" | "group"> = {
  variable: "variable",
  var: "variable",
  question: "variable",
  category: "category",
  cat: "category",
  level: "category",
  value: "category",
  label: "category",
  answer: "category",
  target: "target",
  targets: "target",
  "%": "target",
  percent: "target",
  pct: "target",
  proportion: "target",
  share: "target",
  count: "target",
  group: "group",
};

/** Header columns by name (any case); the documented positions when the names are not all there. */
function targetColumns(header: readonly unknown[]): TargetTable["cols"] {
  const found: Partial<TargetTable["cols"]> = {};
  header.forEach((value, c) => {
    const label = cellLabel(value);
    if (typeof label !== "string") return;
    const role = TARGET_HEADERS[label.toLowerCase()];
    if (role && found[role] === undefined) found[role] = c;
  });
  if (found.variable !== undefined && found.category !== undefined && found.target !== undefined) {
    return { variable: found.variable, category: found.category, target: found.target, group: found.group ?? -1 };
  }
  return { variable: 0, category: 1, target: 2, group: header.length > 3 ? 3 : -1 };
}

function readTargets(grid: Grid, at: GridAddress | undefined): TargetTable {
  let first = 0;
  while (first < grid.length && rowIsBlank(grid[first])) first++;
  if (first === grid.length) fail({ code: "empty_targets", cell: cellAddress(at, 0, 0) });
  const width = grid.reduce((w, row) => Math.max(w, row.length), 0);
  if (width < 3) fail({ code: "targets_shape", columns: width, cell: cellAddress(at, first, 0) });
  // No header when the first row's target cell is already a number.
  const headerless = !Number.isNaN(cellNumber(grid[first][2]));
  const cols = headerless
    ? { variable: 0, category: 1, target: 2, group: width > 3 ? 3 : -1 }
    : targetColumns(grid[first]);
  const rows: TargetRow[] = [];
  const blanks: { r: number; cell: string; error: SchemeError }[] = [];
  let variable: string | null = null;
  for (let r = headerless ? first : first + 1; r < grid.length; r++) {
    const row = grid[r];
    if (rowIsBlank(row)) continue;
    const name = cellLabel(row[cols.variable]);
    // A blank variable cell repeats the one above (tables often name the variable once per block).
    if (typeof name === "string") variable = name;
    else if (name === ERROR || variable === null) fail(blankField("variable", name, cellAddress(at, r, cols.variable)));
    const category = cellLabel(row[cols.category]);
    if (typeof category !== "string") fail(blankField("category", category, cellAddress(at, r, cols.category)));
    const groupLabel = cols.group >= 0 ? cellLabel(row[cols.group]) : BLANK;
    // An error in the group cell is not "no group" (which would apply the row to every group).
    if (groupLabel === ERROR) fail(blankField("group", groupLabel, cellAddress(at, r, cols.group)));
    const group = typeof groupLabel === "string" ? groupLabel : null;
    const cell = cellAddress(at, r, cols.target);
    // Blank targets are gathered, so the message points at every one (a drafted table starts all blank).
    if (cellLabel(row[cols.target]) === BLANK) {
      blanks.push({
        r,
        cell,
        error: { code: "bad_target", variable: variable!, category, group, cell, value: "", reason: "blank" },
      });
      continue;
    }
    const value = targetValue(row[cols.target], variable!, category, group, cell);
    rows.push({ variable: variable!, category, group, value, r });
  }
  if (blanks.length === 1) fail(blanks[0].error);
  if (blanks.length > 1)
    fail({
      code: "blank_targets",
      count: blanks.length,
      cell: blanks[0].cell,
      ranges: blankRanges(
        blanks.map((b) => b.r),
        at,
        cols.target,
      ),
    });
  if (rows.length === 0) fail({ code: "empty_targets", cell: cellAddress(at, first, 0) });
  return { rows, at, cols };
}

/** Runs of consecutive grid rows as addresses in one column: "Targets!C2:C9", "Targets!C12". */
function blankRanges(rowsAt: number[], at: GridAddress | undefined, col: number): string[] {
  const ranges: string[] = [];
  for (let i = 0; i < rowsAt.length;) {
    let j = i;
    while (j + 1 < rowsAt.length && rowsAt[j + 1] === rowsAt[j] + 1) j++;
    const start = cellAddress(at, rowsAt[i], col);
    ranges.push(j === i ? start : `${start}:${cellAddress({ row: at?.row ?? 0, col: at?.col ?? 0 }, rowsAt[j], col)}`);
    i = j + 1;
  }
  return ranges;
}

function blankField(
  field: "variable" | "category" | "group",
  label: typeof BLANK | typeof ERROR,
  cell: string,
): SchemeError {
  return label === ERROR
    ? { code: "blank_target_field", field, cell, reason: "error" }
    : { code: "blank_target_field", field, cell };
}

function targetValue(raw: unknown, variable: string, category: string, group: string | null, cell: string): number {
  const base = { code: "bad_target" as const, variable, category, group, cell, value: cellText(raw) };
  if (cellLabel(raw) === BLANK) fail({ ...base, reason: "blank" });
  const value = cellNumber(raw);
  if (!Number.isFinite(value)) fail({ ...base, reason: "not_a_number" });
  if (value < 0) fail({ ...base, reason: "negative" });
  return value;
}

function targetCell(targets: TargetTable, row: TargetRow, col: number): string {
  return cellAddress(targets.at, row.r, col);
}

// ---------------------------------------------------------------- variables: columns, categories, codes

interface VariablePlan {
  name: string;
  columns: number[];
  /** " x " or " × " for a crossed variable, "" otherwise */
  separator: string;
  rows: TargetRow[];
}

/** The columns of a variable: its own column, or the columns of a crossed name like `age x gender`. */
function variableColumns(
  name: string,
  data: DataTable,
  firstRow: TargetRow,
  targets: TargetTable,
): { columns: number[]; separator: string } {
  const own = data.columns.get(name);
  if (own !== undefined) return { columns: [own], separator: "" };
  const parts = name.split(CROSS_SPLIT).map((p) => p.trim());
  const cell = targetCell(targets, firstRow, targets.cols.variable);
  const available = data.headers.filter((h) => h !== "");
  if (parts.length < 2 || parts.some((p) => p === "")) {
    fail({ code: "unknown_variable", variable: name, cell, available, hint: nearMatch(name, available) });
  }
  const columns = parts.map((part) => {
    const col = data.columns.get(part);
    if (col === undefined)
      fail({ code: "unknown_variable", variable: part, cell, available, hint: nearMatch(part, available) });
    return col;
  });
  return { columns, separator: name.includes("×") ? " × " : " x " };
}

function planVariables(
  data: DataTable,
  targets: TargetTable,
  settings: SchemeSettings,
  warnings: SchemeWarning[],
): VariablePlan[] {
  const byName = new Map<string, TargetRow[]>();
  for (const row of targets.rows) {
    const list = byName.get(row.variable);
    if (list) list.push(row);
    else byName.set(row.variable, [row]);
  }
  const chosen = settings.variables ?? [...byName.keys()];
  for (const name of chosen) if (!byName.has(name)) fail({ code: "no_targets", variable: name });
  const unused = [...byName.keys()].filter((name) => !chosen.includes(name));
  if (unused.length > 0) warnings.push({ code: "targets_unused", variables: unused });
  return [...new Set(chosen)].map((name) => {
    const rows = byName.get(name)!;
    return { name, rows, ...variableColumns(name, data, rows[0], targets) };
  });
}

/** Categories of a variable (target rows, first appearance) and how a data row maps to one of them. */
interface CategoryIndex {
  categories: string[];
  /** canonical label (crossed parts rejoined) → category index */
  index: Map<string, number>;
  /** crossed only: per column, part label → part index; and the mixed-radix part tuple → category index */
  parts?: Map<string, number>[];
  tuples?: Map<number, number>;
  strides?: number[];
}

function canonicalCategory(plan: VariablePlan, row: TargetRow, targets: TargetTable): string {
  if (plan.separator === "") return row.category;
  const parts = row.category.split(CROSS_SPLIT).map((p) => p.trim());
  if (parts.length !== plan.columns.length || parts.some((p) => p === "")) {
    fail({
      code: "bad_crossed_category",
      variable: plan.name,
      category: row.category,
      parts: plan.name.split(CROSS_SPLIT).map((p) => p.trim()),
      separator: plan.separator,
      cell: targetCell(targets, row, targets.cols.category),
    });
  }
  return parts.join(plan.separator);
}

function indexCategories(plan: VariablePlan, targets: TargetTable): CategoryIndex {
  const categories: string[] = [];
  const index = new Map<string, number>();
  for (const row of plan.rows) {
    const label = canonicalCategory(plan, row, targets);
    if (!index.has(label)) {
      index.set(label, categories.length);
      categories.push(label);
    }
  }
  if (categories.length > MAX_CATEGORIES)
    fail({ code: "too_many_categories", variable: plan.name, count: categories.length });
  if (plan.separator === "") return { categories, index };
  const parts = plan.columns.map(() => new Map<string, number>());
  const split = categories.map((label) => label.split(plan.separator));
  for (const labels of split) labels.forEach((part, j) => parts[j].has(part) || parts[j].set(part, parts[j].size));
  const strides: number[] = [];
  let stride = 1;
  for (const map of parts) {
    strides.push(stride);
    stride *= map.size;
  }
  const tuples = new Map<number, number>();
  split.forEach((labels, c) =>
    tuples.set(
      labels.reduce((id, part, j) => id + parts[j].get(part)! * strides[j], 0),
      c,
    ),
  );
  return { categories, index, parts, tuples, strides };
}

/** The first few cells and the count of something found while scanning a column. */
class CellTally {
  cells: string[] = [];
  count = 0;
  /** respondent i's cell in data column col */
  add(data: DataTable, i: number, col: number): void {
    if (this.count++ < FIRST_CELLS) this.cells.push(dataCell(data, i, col));
  }
}

/** Data labels that are not categories: the first such label's cells, and how many other labels. */
class UnknownTally {
  label: string | null = null;
  tally = new CellTally();
  others = new Set<string>();
  add(label: string, data: DataTable, i: number, col: number): void {
    if (this.label === null) this.label = label;
    if (label === this.label) this.tally.add(data, i, col);
    else this.others.add(label);
  }
}

const NOT_FOUND = -1;

/** A column's dictionary mapped to indices once: `map.get(label) ?? -1` per distinct label. */
function dictionaryIndex(labels: readonly string[], map: Map<string, number>): Int32Array {
  const out = new Int32Array(labels.length);
  for (let d = 0; d < labels.length; d++) out[d] = map.get(labels[d]) ?? NOT_FOUND;
  return out;
}

/** A crossed variable's part tuple (mixed radix) → category: a dense table when small, else the map. */
function tupleLookup(index: CategoryIndex): (id: number) => number {
  const sizes = index.parts!.map((p) => p.size);
  const space = sizes.reduce((a, b) => a * b, 1);
  if (space > 1 << 20) return (id) => index.tuples!.get(id) ?? NOT_FOUND;
  const table = new Int32Array(space).fill(NOT_FOUND);
  for (const [id, c] of index.tuples!) table[id] = c;
  return (id) => table[id];
}

function codeVariable(
  plan: VariablePlan,
  index: CategoryIndex,
  data: DataTable,
  missingPolicy: "error" | "exclude",
): Codes {
  const n = data.rowMap.length;
  const rowMap = data.rowMap;
  const small = index.categories.length < MISSING_U8;
  const codes: Codes = small ? new Uint8Array(n) : new Uint16Array(n);
  const missingValue = small ? MISSING_U8 : MISSING_U16;
  const missing = new CellTally();
  const unknown = new UnknownTally();
  const col = plan.columns[0];
  const sources = plan.columns.map((c) => data.source.column(c).labels());
  if (plan.separator === "") {
    const { labels, codes: raw } = sources[0];
    const category = dictionaryIndex(labels, index.index);
    for (let i = 0; i < n; i++) {
      const d = raw[rowMap[i] - 1];
      if (d >= CODE_ERROR) {
        codes[i] = missingValue;
        missing.add(data, i, col);
        continue;
      }
      const c = category[d];
      if (c >= 0) codes[i] = c;
      else unknown.add(labels[d], data, i, col);
    }
  } else {
    const m = sources.length;
    const parts = sources.map((source, j) => dictionaryIndex(source.labels, index.parts![j]));
    const strides = index.strides!;
    const tuple = tupleLookup(index);
    const raws = sources.map((source) => source.codes);
    rows: for (let i = 0; i < n; i++) {
      const r = rowMap[i] - 1;
      let id = 0;
      let known = true;
      // A part that is blank or an error makes the row missing, whatever the other parts hold.
      for (let j = 0; j < m; j++) {
        const d = raws[j][r];
        if (d >= CODE_ERROR) {
          codes[i] = missingValue;
          missing.add(data, i, col);
          continue rows;
        }
        const part = parts[j][d];
        if (part < 0) known = false;
        else id += part * strides[j];
      }
      const c = known ? tuple(id) : NOT_FOUND;
      if (c >= 0) codes[i] = c;
      else unknown.add(sources.map((source) => source.labels[source.codes[r]]).join(plan.separator), data, i, col);
    }
  }
  if (unknown.label !== null) {
    fail({
      code: "unknown_category",
      variable: plan.name,
      category: unknown.label,
      cells: unknown.tally.cells,
      count: unknown.tally.count,
      others: unknown.others.size,
      hint: nearMatch(unknown.label, index.categories),
    });
  }
  if (missing.count > 0 && missingPolicy === "error") {
    // A crossed variable is missing where any of its columns is: name the cells of the blank column.
    const cells = plan.separator === "" ? missing.cells : firstMissingCells(plan, data, sources);
    fail({ code: "missing_values", variable: plan.name, cells, count: missing.count });
  }
  return codes;
}

function firstMissingCells(plan: VariablePlan, data: DataTable, sources: LabelCodes[]): string[] {
  const cells: string[] = [];
  for (let i = 0; i < data.rowMap.length && cells.length < FIRST_CELLS; i++) {
    const r = data.rowMap[i] - 1;
    const j = sources.findIndex((source) => source.codes[r] >= CODE_ERROR);
    if (j >= 0) cells.push(dataCell(data, i, plan.columns[j]));
  }
  return cells;
}

// ---------------------------------------------------------------- group column and base weights

interface GroupColumn {
  name: string;
  col: number;
  labels: string[];
  index: Map<string, number>;
  codes: Codes;
}

function readGroup(data: DataTable, name: string): GroupColumn {
  const col = settingColumn(data, "group", name);
  const n = data.rowMap.length;
  const rowMap = data.rowMap;
  const source = data.source.column(col).labels();
  // dictionary code → group index, given in order of first appearance among the respondents
  const groupOf = new Int32Array(source.labels.length).fill(-1);
  const labels: string[] = [];
  const index = new Map<string, number>();
  const raw = new Int32Array(n);
  const missing = new CellTally();
  for (let i = 0; i < n; i++) {
    const d = source.codes[rowMap[i] - 1];
    if (d >= CODE_ERROR) {
      missing.add(data, i, col);
      continue;
    }
    let g = groupOf[d];
    if (g < 0) {
      const label = source.labels[d];
      g = labels.length;
      groupOf[d] = g;
      index.set(label, g);
      labels.push(label);
    }
    raw[i] = g;
  }
  if (missing.count > 0) fail({ code: "missing_group", column: name, cells: missing.cells, count: missing.count });
  if (labels.length > MAX_CATEGORIES) fail({ code: "too_many_categories", variable: name, count: labels.length });
  const codes = labels.length < MISSING_U8 ? Uint8Array.from(raw) : Uint16Array.from(raw);
  return { name, col, labels, index, codes };
}

function readBaseWeights(data: DataTable, name: string): { col: number; weights: Float64Array } {
  const col = settingColumn(data, "base", name);
  const n = data.rowMap.length;
  const rowMap = data.rowMap;
  const column = data.source.column(col);
  const numbers = column.numbers();
  const weights = new Float64Array(n);
  const bad = new CellTally();
  let firstBad = "";
  for (let i = 0; i < n; i++) {
    const x = numbers[rowMap[i] - 1];
    if (Number.isFinite(x) && x > 0) weights[i] = x;
    else {
      if (bad.count === 0) firstBad = column.text(rowMap[i] - 1);
      bad.add(data, i, col);
    }
  }
  if (bad.count > 0)
    fail({ code: "bad_base_weight", column: name, cells: bad.cells, count: bad.count, value: firstBad });
  return { col, weights };
}

// ---------------------------------------------------------------- targets per variable and group

type Unit = "percent" | "proportion" | "count";

/** One variable's target rows for one group (null: all groups), by category. */
interface TargetSet {
  group: string | null;
  values: Map<number, { value: number; row: TargetRow }>;
}

function targetSets(plan: VariablePlan, index: CategoryIndex, targets: TargetTable): TargetSet[] {
  const sets = new Map<string | null, TargetSet>();
  for (const row of plan.rows) {
    const c = index.index.get(canonicalCategory(plan, row, targets))!;
    let set = sets.get(row.group);
    if (!set) sets.set(row.group, (set = { group: row.group, values: new Map() }));
    const seen = set.values.get(c);
    if (seen) {
      const col = targets.cols.category;
      fail({
        code: "duplicate_target",
        variable: plan.name,
        category: index.categories[c],
        group: row.group,
        cells: [targetCell(targets, seen.row, col), targetCell(targets, row, col)],
      });
    }
    set.values.set(c, { value: row.value, row });
  }
  return [...sets.values()];
}

function unitOf(sum: number): Unit {
  if (Math.abs(sum - 100) <= UNIT_BAND) return "percent";
  if (Math.abs(sum - 1) <= UNIT_BAND / 100) return "proportion";
  return "count";
}

/** A count sum within half of 100 or of 1: probably percentages or proportions that do not add up. */
function looksMistyped(sum: number): boolean {
  return (sum > 50 && sum < 150) || (sum > 0.5 && sum < 1.5);
}

interface Proportions {
  targets: Float64Array;
  unit: Unit;
  sum: number;
}

/** A set's targets as proportions; percent and proportion sums off 100% / 1 are scaled, with a warning. */
function proportionsOf(
  set: TargetSet,
  k: number,
  variable: string,
  targets: TargetTable,
  warnings: SchemeWarning[],
): Proportions {
  const out = new Float64Array(k);
  let sum = 0;
  for (const [c, { value }] of set.values) {
    out[c] = value;
    sum += value;
  }
  if (!(sum > 0)) {
    const first = set.values.values().next().value!;
    fail({
      code: "zero_sum_targets",
      variable,
      group: set.group,
      cell: targetCell(targets, first.row, targets.cols.target),
    });
  }
  const unit = unitOf(sum);
  const expected = unit === "percent" ? 100 : 1;
  if (unit !== "count" && Math.abs(sum - expected) > SUM_SLACK * expected) {
    warnings.push({ code: "targets_normalised", variable, group: set.group, sum, unit });
  }
  // A sum near 100 or 1 but outside the bands is most likely mistyped percentages or proportions, which read
  // as counts would silently set the total (weights summing to 90, or to 0.9): say so.
  if (unit === "count" && looksMistyped(sum))
    warnings.push({ code: "targets_read_as_counts", variable, group: set.group, sum });
  for (let c = 0; c < k; c++) out[c] /= sum;
  return { targets: out, unit, sum };
}

interface CountSum {
  variable: string;
  group: string | null;
  sum: number;
}

function agree(sums: CountSum[]): boolean {
  return sums.every((s) => Math.abs(s.sum - sums[0].sum) <= COUNT_AGREEMENT * Math.abs(sums[0].sum));
}

/** A variable's targets (and per-group targets), with the count sums found on the way. */
interface VariableTargets {
  targets: Float64Array;
  targetsByGroup?: (Float64Array | undefined)[];
  counts: CountSum[];
}

function variableTargets(
  plan: VariablePlan,
  index: CategoryIndex,
  sets: TargetSet[],
  targets: TargetTable,
  group: GroupColumn | undefined,
  locations: SchemeLocations,
  v: number,
  warnings: SchemeWarning[],
): VariableTargets {
  const k = index.categories.length;
  const counts: CountSum[] = [];
  let general: Float64Array | undefined;
  const byGroup: (Float64Array | undefined)[] = group ? new Array(group.labels.length).fill(undefined) : [];
  for (const set of sets) {
    let g = -1;
    if (set.group !== null) {
      const first = set.values.values().next().value!.row;
      const cell = targetCell(targets, first, targets.cols.group);
      if (!group) fail({ code: "group_not_chosen", label: set.group, cell });
      const found = group.index.get(set.group);
      if (found === undefined)
        fail({ code: "empty_group", column: group.name, label: set.group, cell, part: "targets" });
      g = found;
    }
    const p = proportionsOf(set, k, plan.name, targets, warnings);
    if (p.unit === "count") counts.push({ variable: plan.name, group: set.group, sum: p.sum });
    for (const [c, { row }] of set.values)
      locations.targetCells.set(`${v}|${g}|${c}`, targetCell(targets, row, targets.cols.category));
    if (g < 0) general = p.targets;
    else byGroup[g] = p.targets;
  }
  if (!group) return { targets: general!, counts };
  if (!general) {
    const lacking = byGroup.findIndex((t) => t === undefined);
    if (lacking >= 0) fail({ code: "missing_group_targets", variable: plan.name, group: group.labels[lacking] });
    general = averageTargets(byGroup as Float64Array[], k);
  }
  return byGroup.some((t) => t !== undefined)
    ? { targets: general, targetsByGroup: byGroup, counts }
    : { targets: general, counts };
}

/** Every group has its own targets: the variable's own (unused by the loop) are their mean, summing to 1. */
function averageTargets(sets: Float64Array[], k: number): Float64Array {
  const out = new Float64Array(k);
  for (const t of sets) for (let c = 0; c < k; c++) out[c] += t[c] / sets.length;
  return out;
}

// ---------------------------------------------------------------- shares and the total

function readShares(settings: SchemeSettings, group: GroupColumn, warnings: SchemeWarning[]): Float64Array {
  const input = settings.groupShares!;
  const entries: { label: string; raw: unknown; cell?: string }[] = [];
  if (Array.isArray(input)) {
    const grid = input as Grid;
    const at = settings.groupSharesAt;
    grid.forEach((row, r) => {
      if (rowIsBlank(row)) return;
      const label = cellLabel(row[0]);
      if (typeof label !== "string") return;
      // a header row: its share cell is not a number
      if (r === 0 && Number.isNaN(cellNumber(row[1]))) return;
      entries.push({ label, raw: row[1], cell: cellAddress(at, r, 1) });
    });
  } else {
    for (const [label, raw] of Object.entries(input)) entries.push({ label: String(label).trim(), raw });
  }
  const shares = new Float64Array(group.labels.length);
  const seen = new Map<string, string | undefined>();
  for (const { label, raw, cell } of entries) {
    if (seen.has(label)) fail({ code: "duplicate_share", label, cells: [seen.get(label) ?? label, cell ?? label] });
    seen.set(label, cell);
    const base = { code: "bad_share" as const, label, cell, value: cellText(raw) };
    if (cellLabel(raw) === BLANK) fail({ ...base, reason: "blank" });
    const x = cellNumber(raw);
    if (!Number.isFinite(x)) fail({ ...base, reason: "not_a_number" });
    if (x < 0) fail({ ...base, reason: "negative" });
    const g = group.index.get(label);
    if (g === undefined) {
      if (x > 0) fail({ code: "empty_group", column: group.name, label, cell, part: "shares" });
      continue;
    }
    shares[g] = x;
  }
  const lacking = group.labels.find((label) => !seen.has(label));
  if (lacking !== undefined) fail({ code: "missing_share", column: group.name, label: lacking });
  const sum = shares.reduce((a, b) => a + b, 0);
  if (!(sum > 0)) fail({ code: "zero_sum_shares" });
  const unit = unitOf(sum);
  const expected = unit === "percent" ? 100 : 1;
  if (unit !== "count" && Math.abs(sum - expected) > SUM_SLACK * expected)
    warnings.push({ code: "shares_normalised", sum, unit });
  return shares.map((x) => x / sum);
}

/**
 * The total and shares that count targets imply (documented in the CLI's --help):
 * - ungrouped, or grouped with no per-group counts: when every count-target variable sums to the same
 *   number, that is the total; when they disagree, a warning and the engine's default (Σ base weights).
 * - grouped with per-group counts: when every group's own count targets agree on a sum T_g, the shares are
 *   T_g / Σ T and the total Σ T; otherwise a warning and no implied shares or total.
 * Percent and proportion targets imply nothing.
 */
function impliedByCounts(
  counts: CountSum[],
  group: GroupColumn | undefined,
  warnings: SchemeWarning[],
  quiet: boolean,
): { total?: number; shares?: Float64Array } {
  const perGroup = counts.filter((s) => s.group !== null);
  if (!group || perGroup.length === 0) {
    const overall = counts.filter((s) => s.group === null);
    if (overall.length === 0) return {};
    if (agree(overall)) return { total: overall[0].sum };
    if (!quiet) warnings.push({ code: "counts_disagree", sums: overall });
    return {};
  }
  const totals = group.labels.map((label) => perGroup.filter((s) => s.group === label));
  if (totals.some((sums) => sums.length === 0 || !agree(sums))) {
    if (!quiet) warnings.push({ code: "counts_disagree", sums: perGroup });
    return {};
  }
  const sums = totals.map((s) => s[0].sum);
  const total = sums.reduce((a, b) => a + b, 0);
  return { total, shares: Float64Array.from(sums, (s) => s / total) };
}

// ---------------------------------------------------------------- feasibility, with target cells

/** Target > 0 with no respondents, or target 0 with respondents: caught here to name the target row's cell. */
function checkFeasible(problem: Problem, plans: VariablePlan[], data: DataTable, locations: SchemeLocations): void {
  const groups = problem.group ? problem.group.labels.length : 1;
  const groupCodes = problem.group?.codes;
  problem.variables.forEach((variable, v) => {
    const k = variable.categories.length;
    const counts = new Float64Array(groups * k);
    const first = new Int32Array(groups * k).fill(-1);
    const missing = variable.codes instanceof Uint8Array ? MISSING_U8 : MISSING_U16;
    for (let i = 0; i < problem.n; i++) {
      const c = variable.codes[i];
      if (c === missing) continue;
      const slot = (groupCodes ? groupCodes[i] : 0) * k + c;
      if (counts[slot]++ === 0) first[slot] = i;
    }
    for (let g = 0; g < groups; g++) {
      const own = variable.targetsByGroup?.[g];
      const targets = own ?? variable.targets;
      const setKey = own ? g : -1;
      const groupLabel = problem.group ? problem.group.labels[g] : null;
      for (let c = 0; c < k; c++) {
        const count = counts[g * k + c];
        const cell = locations.targetCells.get(`${v}|${setKey}|${c}`);
        const names = { variable: variable.name, category: variable.categories[c], group: groupLabel };
        if (targets[c] > 0 && count === 0) fail({ code: "empty_category", ...names, cell: cell! });
        if (targets[c] === 0 && count > 0) {
          const firstCell = dataCell(data, first[g * k + c], plans[v].columns[0]);
          fail({ code: "zero_target_with_respondents", ...names, cell, count, firstCell });
        }
      }
    }
  });
}

// ---------------------------------------------------------------- the whole scheme

function buildScheme(input: SchemeInput): Scheme {
  const settings = input.settings ?? {};
  const settingsError = checkSettings(settings);
  if (settingsError) fail(settingsError);
  const warnings: SchemeWarning[] = [];
  const source = isDataSource(input.data) ? input.data : gridSource(input.data);
  const data = readData(source, input.dataAt, warnings);
  const targets = readTargets(input.targets, input.targetsAt);
  const plans = planVariables(data, targets, settings, warnings);
  const group = settings.group !== undefined && settings.group !== "" ? readGroup(data, settings.group) : undefined;
  const base = settings.base !== undefined && settings.base !== "" ? readBaseWeights(data, settings.base) : undefined;
  const locations: SchemeLocations = {
    dataAt: input.dataAt,
    targetsAt: input.targetsAt,
    variableColumns: plans.map((p) => p.columns),
    baseColumn: base?.col,
    groupColumn: group?.col,
    targetCells: new Map(),
  };
  const missingPolicy = settings.missing ?? "error";
  const counts: CountSum[] = [];
  const variables: Variable[] = plans.map((plan, v) => {
    const index = indexCategories(plan, targets);
    // the target table's own faults (duplicates) before the data's
    const sets = targetSets(plan, index, targets);
    const codes = codeVariable(plan, index, data, missingPolicy);
    const t = variableTargets(plan, index, sets, targets, group, locations, v, warnings);
    counts.push(...t.counts);
    const variable: Variable = { name: plan.name, categories: index.categories, codes, targets: t.targets };
    if (t.targetsByGroup) variable.targetsByGroup = t.targetsByGroup;
    return variable;
  });
  const problem: Problem = { n: data.rowMap.length, variables };
  if (base) problem.baseWeights = base.weights;
  const explicitShares =
    group && settings.groupShares !== undefined ? readShares(settings, group, warnings) : undefined;
  const implied = impliedByCounts(
    counts,
    group,
    warnings,
    settings.total !== undefined || explicitShares !== undefined,
  );
  if (group) {
    problem.group = { name: group.name, labels: group.labels, codes: group.codes };
    const shares = explicitShares ?? implied.shares;
    if (shares) problem.group.shares = shares;
  }
  checkFeasible(problem, plans, data, locations);
  const options: Options = {
    tolerance: settings.tolerance ?? 1e-6,
    maxIterations: settings.maxIterations ?? 1000,
    missing: missingPolicy,
  };
  if (settings.caps && (settings.caps.min !== undefined || settings.caps.max !== undefined))
    options.caps = { ...settings.caps };
  const total =
    settings.total !== undefined
      ? { source: "option" as const, value: settings.total }
      : implied.total !== undefined
        ? { source: "counts" as const, value: implied.total }
        : { source: "base" as const };
  if (total.value !== undefined) options.total = total.value;
  const names: ErrorNames = { variables: variables.map((v) => ({ name: v.name, categories: v.categories })) };
  if (group) names.group = { name: group.name, labels: group.labels };
  return { ok: true, problem, options, warnings, names, rowMap: data.rowMap, dataRows: source.rows, total, locations };
}

// ---------------------------------------------------------------- after the engine

/** The weights lined up with the data grid's rows below the header; skipped blank rows get "". */
export function weightColumn(scheme: Scheme, weights: Float64Array): (number | "")[] {
  const out: (number | "")[] = new Array(scheme.dataRows).fill("");
  for (let i = 0; i < scheme.rowMap.length; i++) out[scheme.rowMap[i] - 1] = weights[i];
  return out;
}

/** The data cell behind a respondent-level engine error (0-based respondent row), if it has one. */
function engineErrorCell(error: EngineError, scheme: Scheme): string | undefined {
  const { locations } = scheme;
  let col: number | undefined;
  switch (error.code) {
    case "missing_value":
    case "code_out_of_range":
      col = locations.variableColumns[error.variable]?.[0];
      break;
    case "bad_base_weight":
      col = locations.baseColumn;
      break;
    case "missing_group":
    case "group_code_out_of_range":
      col = locations.groupColumn;
      break;
    default:
      return undefined;
  }
  const gridRow = scheme.rowMap[error.row];
  return col === undefined || gridRow === undefined ? undefined : cellAddress(locations.dataAt, gridRow, col);
}

/** The target row's cell behind a category-level engine error, if it has one. */
function engineTargetCell(error: EngineError, scheme: Scheme): string | undefined {
  if (error.code !== "empty_category" && error.code !== "zero_target_with_respondents") return undefined;
  const cells = scheme.locations.targetCells;
  const own = error.group === null ? undefined : cells.get(`${error.variable}|${error.group}|${error.category}`);
  return own ?? cells.get(`${error.variable}|-1|${error.category}`);
}

/** The engine's message for an error, with the sheet cell of the respondent or target row it is about. */
export function locateEngineError(error: EngineError, scheme: Scheme): string {
  const message = describeEngineError(error, scheme.names);
  const dataCellText = engineErrorCell(error, scheme);
  if (dataCellText !== undefined && "row" in error) {
    const who = `respondent ${error.row + 1}`;
    return message.includes(who) ? message.replace(who, `${who} (${dataCellText})`) : `${message} (${dataCellText})`;
  }
  const target = engineTargetCell(error, scheme);
  if (target !== undefined)
    return message.endsWith(".") ? `${message.slice(0, -1)} (${target}).` : `${message} (${target})`;
  return message;
}

// The scheme parser: grids of Cells and A1 addresses in, the engine's Problem + Options out (DESIGN.md §2, §4).
// The respondent data is read column by column through a DataSource (source.ts: a grid, or the task
// pane's compact columns), each raking column coded from its label dictionary in a typed-array loop; the
// target table, shares and implied total are read by targets.ts. Feasibility (a target above 0 with no
// respondents, a target of 0 with some) is the engine's validation alone: locateEngineError names the
// target cell of its error, and checkScheme runs it for a check without a run.
// Shared by the task pane, =RIM.WEIGHT() and the CLI, so all three give identical results and messages.
// Errors are values (errors.ts); messages are written there. Imports the contract, the engine's validation
// and error words, and the scheme's siblings only: no Excel API, no DOM, no Node.
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
import { validateProblem } from "../engine/validate";
import { cellAddress, isBlankRow, labelOf, nearMatch, type CellGrid, type GridAddress } from "./cells";
import { CODE_ERROR, gridSource, isDataSource, type DataSource, type LabelCodes } from "./source";
import type { SchemeFailure, SchemeWarning } from "./errors";
import { checkSettings, type SchemeSettings } from "./options";
import { fail, schemeStep } from "./stop";
import {
  averageTargets,
  impliedByCounts,
  proportionsOf,
  readShares,
  readTargets,
  targetCell,
  type CountSum,
  type TargetRow,
  type TargetSet,
  type TargetTable,
} from "./targets";

export * from "./cells";
export * from "./errors";
export * from "./options";
export * from "./source";

export interface SchemeInput {
  /**
   * header row + one row per respondent: a grid of cells, or the same data column by column (a DataSource:
   * gridSource() of a grid, or the task pane's compact columns), read identically
   */
  data: CellGrid | DataSource;
  /** top-left cell of `data` (default A1, no sheet) */
  dataAt?: GridAddress;
  /** long table `variable | category | target [| group]`, header row optional */
  targets: CellGrid;
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
  /** group cell of the first target row of a group's own targets (variable, group index) */
  groupTargetCells: Map<string, string>;
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

/** A crossed variable's name joins column names with " x " (any case) or "×". */
/** Splits a crossed variable name or category label (" x " or " × ") into its parts. */
export const CROSS_SPLIT = /\s+x\s+|\s*×\s*/i;
/** The most categories a variable may have: every u16 code but the missing marker. */
export const MAX_CATEGORIES = MISSING_U16 - 1;
const FIRST_CELLS = 3;

/** Parses a scheme: a Scheme, or `{ ok: false, error }` naming the first problem found. */
export function parseScheme(input: SchemeInput): SchemeOutcome {
  return schemeStep(() => buildScheme(input));
}

// ---------------------------------------------------------------- data header and rows

/** The data range's header: column names and where each is. */
export interface DataHeader {
  source: DataSource;
  at?: GridAddress;
  headers: string[];
  columns: Map<string, number>;
}

export interface DataTable extends DataHeader {
  /** respondent → grid row (the header is row 0, so data row = grid row − 1) */
  rowMap: Int32Array;
}

export function readHeader(source: DataSource, at: GridAddress | undefined): DataHeader {
  const header = source.header;
  if (header === undefined || isBlankRow(header)) fail({ code: "empty_data", cell: cellAddress(at, 0, 0) });
  const headers = header.map((cell) => labelOf(cell) ?? "");
  const columns = new Map<string, number>();
  headers.forEach((name, c) => {
    if (name === "") return;
    const seen = columns.get(name);
    if (seen !== undefined)
      fail({ code: "duplicate_header", name, cells: [cellAddress(at, 0, seen), cellAddress(at, 0, c)] });
    columns.set(name, c);
  });
  return { source, at, headers, columns };
}

/**
 * The respondents: every data row that is not blank. Read after the targets and the settings have named their
 * columns, so a name that matches no column is reported as such, not as rows that look blank (the pane reads
 * only the columns the scheme names).
 */
export function readRows(header: DataHeader, warnings: SchemeWarning[]): DataTable {
  const { source, at } = header;
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
  return { ...header, rowMap };
}

export function dataCell(data: DataTable, respondent: number, col: number): string {
  return cellAddress(data.at, data.rowMap[respondent], col);
}

/** The data column named `name`, or an error naming the setting with the available headers. */
export function settingColumn(data: DataHeader, setting: "base" | "group" | "variables", name: string): number {
  const col = data.columns.get(name);
  if (col !== undefined) return col;
  const available = data.headers.filter((h) => h !== "");
  fail({ code: "unknown_column", setting, name, available, hint: nearMatch(name, available) });
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
  data: DataHeader,
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
  data: DataHeader,
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

function readGroup(data: DataTable, name: string, col: number): GroupColumn {
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

function readBaseWeights(data: DataTable, name: string, col: number): { col: number; weights: Float64Array } {
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
      locations.groupTargetCells.set(`${v}|${g}`, cell);
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

// ---------------------------------------------------------------- the whole scheme

function buildScheme(input: SchemeInput): Scheme {
  const settings = input.settings ?? {};
  const settingsError = checkSettings(settings);
  if (settingsError) fail(settingsError);
  const warnings: SchemeWarning[] = [];
  const source = isDataSource(input.data) ? input.data : gridSource(input.data);
  const header = readHeader(source, input.dataAt);
  const targets = readTargets(input.targets, input.targetsAt);
  const plans = planVariables(header, targets, settings, warnings);
  const groupName = settings.group !== undefined && settings.group !== "" ? settings.group : undefined;
  const baseName = settings.base !== undefined && settings.base !== "" ? settings.base : undefined;
  const groupCol = groupName === undefined ? undefined : settingColumn(header, "group", groupName);
  const baseCol = baseName === undefined ? undefined : settingColumn(header, "base", baseName);
  const data = readRows(header, warnings);
  const group = groupCol === undefined ? undefined : readGroup(data, groupName!, groupCol);
  const base = baseCol === undefined ? undefined : readBaseWeights(data, baseName!, baseCol);
  const locations: SchemeLocations = {
    dataAt: input.dataAt,
    targetsAt: input.targetsAt,
    variableColumns: plans.map((p) => p.columns),
    baseColumn: base?.col,
    groupColumn: group?.col,
    targetCells: new Map(),
    groupTargetCells: new Map(),
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

/**
 * The target cell behind a category-level engine error (the engine's feasibility check, validation step 8):
 * the category's row in the group's own targets, else in the targets for all groups; a category a group's own
 * targets leave out (a target of 0 by omission) points at that group's targets.
 */
function engineTargetCell(error: EngineError, scheme: Scheme): string | undefined {
  if (error.code !== "empty_category" && error.code !== "zero_target_with_respondents") return undefined;
  const { targetCells, groupTargetCells } = scheme.locations;
  const v = error.variable;
  if (error.group !== null) {
    const own = targetCells.get(`${v}|${error.group}|${error.category}`) ?? groupTargetCells.get(`${v}|${error.group}`);
    if (own !== undefined) return own;
  }
  return targetCells.get(`${v}|-1|${error.category}`);
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

/** The sheet cell an engine error is about (a respondent's data cell or a target row's cell), if any. */
export function engineErrorWhere(error: EngineError, scheme: Scheme): string | undefined {
  return ("row" in error ? engineErrorCell(error, scheme) : undefined) ?? engineTargetCell(error, scheme);
}

/**
 * The engine's own validation of a parsed scheme (feasibility included), its error located at a cell: for a
 * check that runs no engine (the pane's Check scheme). A run needs no call: the engine validates first.
 */
export function checkScheme(scheme: Scheme): { message: string; cell?: string } | null {
  const error = validateProblem(scheme.problem, scheme.options);
  if (error === null) return null;
  return { message: locateEngineError(error, scheme), cell: engineErrorWhere(error, scheme) };
}

// The target table half of the scheme: the long table `variable | category | target [| group]` read into rows
// (header by name or position, a blank variable cell repeating the one above), targets as proportions (percent,
// proportion or count sums, normalised with a warning), the group shares, and the total and shares that count
// targets imply. scheme.ts joins these to the data. Pure: imports the scheme's cells, errors and options only.

import { cellAddress, isBlank, isBlankRow, labelOf, numberCell, numberOf, textOf } from "./cells";
import type { Cell, CellGrid, CellRow, GridAddress } from "./cells";
import type { SchemeError, SchemeWarning } from "./errors";
import type { SchemeSettings } from "./options";
import { fail } from "./stop";

/** A group column as the shares need it: its name, labels in order, and label → index. */
export interface GroupLabels {
  name: string;
  labels: readonly string[];
  index: ReadonlyMap<string, number>;
}

/** Percent targets add up to 100 ± this, proportions to 1 ± this / 100; anything else is counts. */
const UNIT_BAND = 5;
/** A percent or proportion sum further than this (relative) from 100 / 1 is normalised with a warning. */
const SUM_SLACK = 1e-9;
/** Count targets agree on a total when their sums are this close (relative). */
const COUNT_AGREEMENT = 1e-6;

// ---------------------------------------------------------------- the table

export interface TargetRow {
  variable: string;
  category: string;
  group: string | null;
  value: number;
  /** grid row */
  r: number;
}

export interface TargetTable {
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
function targetColumns(header: CellRow): TargetTable["cols"] {
  const found: Partial<TargetTable["cols"]> = {};
  header.forEach((cell, c) => {
    const label = labelOf(cell);
    if (label === null) return;
    const role = TARGET_HEADERS[label.toLowerCase()];
    if (role && found[role] === undefined) found[role] = c;
  });
  if (found.variable !== undefined && found.category !== undefined && found.target !== undefined) {
    return { variable: found.variable, category: found.category, target: found.target, group: found.group ?? -1 };
  }
  return { variable: 0, category: 1, target: 2, group: header.length > 3 ? 3 : -1 };
}

export function readTargets(grid: CellGrid, at: GridAddress | undefined): TargetTable {
  let first = 0;
  while (first < grid.length && isBlankRow(grid[first])) first++;
  if (first === grid.length) fail({ code: "empty_targets", cell: cellAddress(at, 0, 0) });
  const width = grid.reduce((w, row) => Math.max(w, row.length), 0);
  if (width < 3) fail({ code: "targets_shape", columns: width, cell: cellAddress(at, first, 0) });
  // No header when the first row's target cell is already a number.
  const headerless = !Number.isNaN(numberOf(grid[first][2]));
  const cols = headerless
    ? { variable: 0, category: 1, target: 2, group: width > 3 ? 3 : -1 }
    : targetColumns(grid[first]);
  const rows: TargetRow[] = [];
  const blanks: { r: number; error: SchemeError }[] = [];
  let variable: string | null = null;
  for (let r = headerless ? first : first + 1; r < grid.length; r++) {
    const row = grid[r];
    if (isBlankRow(row)) continue;
    const name = labelOf(row[cols.variable]);
    // A blank variable cell repeats the one above (tables often name the variable once per block).
    if (name !== null) variable = name;
    else if (row[cols.variable]?.kind === "error" || variable === null)
      fail(blankField("variable", row[cols.variable], cellAddress(at, r, cols.variable)));
    const category = labelOf(row[cols.category]);
    if (category === null) fail(blankField("category", row[cols.category], cellAddress(at, r, cols.category)));
    const groupCell = cols.group >= 0 ? row[cols.group] : undefined;
    // An error in the group cell is not "no group" (which would apply the row to every group).
    if (groupCell?.kind === "error") fail(blankField("group", groupCell, cellAddress(at, r, cols.group)));
    const group = labelOf(groupCell);
    const cell = cellAddress(at, r, cols.target);
    // Blank targets are gathered, so the message points at every one (a drafted table starts all blank).
    if (isBlank(row[cols.target])) {
      const error: SchemeError = {
        code: "bad_target",
        variable: variable!,
        category,
        group,
        cell,
        value: "",
        reason: "blank",
      };
      blanks.push({ r, error });
      continue;
    }
    const value = targetValue(row[cols.target], variable!, category, group, cell);
    rows.push({ variable: variable!, category, group, value, r });
  }
  if (blanks.length === 1) fail(blanks[0].error);
  if (blanks.length > 1) {
    const ranges = blankRanges(
      blanks.map((b) => b.r),
      at,
      cols.target,
    );
    fail({ code: "blank_targets", count: blanks.length, cell: cellAddress(at, blanks[0].r, cols.target), ranges });
  }
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
    // the end without its sheet: "Targets!C2:C9"
    ranges.push(j === i ? start : `${start}:${cellAddress({ row: at?.row ?? 0, col: at?.col ?? 0 }, rowsAt[j], col)}`);
    i = j + 1;
  }
  return ranges;
}

function blankField(field: "variable" | "category" | "group", found: Cell | undefined, cell: string): SchemeError {
  return found?.kind === "error"
    ? { code: "blank_target_field", field, cell, reason: "error" }
    : { code: "blank_target_field", field, cell };
}

function targetValue(
  found: Cell | undefined,
  variable: string,
  category: string,
  group: string | null,
  cell: string,
): number {
  const base = { code: "bad_target" as const, variable, category, group, cell, value: textOf(found) };
  if (isBlank(found)) fail({ ...base, reason: "blank" });
  const value = numberOf(found);
  if (!Number.isFinite(value)) fail({ ...base, reason: "not_a_number" });
  if (value < 0) fail({ ...base, reason: "negative" });
  return value;
}

/** The A1 address of a target row's cell in column `col` of the table. */
export function targetCell(targets: TargetTable, row: TargetRow, col: number): string {
  return cellAddress(targets.at, row.r, col);
}

// ---------------------------------------------------------------- targets as proportions

type Unit = "percent" | "proportion" | "count";

/** One variable's target rows for one group (null: all groups), by category. */
export interface TargetSet {
  group: string | null;
  values: Map<number, { value: number; row: TargetRow }>;
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
export function proportionsOf(
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

export interface CountSum {
  variable: string;
  group: string | null;
  sum: number;
}

function agree(sums: CountSum[]): boolean {
  return sums.every((s) => Math.abs(s.sum - sums[0].sum) <= COUNT_AGREEMENT * Math.abs(sums[0].sum));
}

/** Every group has its own targets: the variable's own (unused by the loop) are their mean, summing to 1. */
export function averageTargets(sets: Float64Array[], k: number): Float64Array {
  const out = new Float64Array(k);
  for (const t of sets) for (let c = 0; c < k; c++) out[c] += t[c] / sets.length;
  return out;
}

// ---------------------------------------------------------------- shares and the total

export function readShares(settings: SchemeSettings, group: GroupLabels, warnings: SchemeWarning[]): Float64Array {
  const input = settings.groupShares!;
  const entries: { label: string; share: Cell | undefined; cell?: string }[] = [];
  if (Array.isArray(input)) {
    const grid = input as CellGrid;
    const at = settings.groupSharesAt;
    grid.forEach((row, r) => {
      if (isBlankRow(row)) return;
      const label = labelOf(row[0]);
      if (label === null) return;
      // a header row: its share cell is not a number
      if (r === 0 && Number.isNaN(numberOf(row[1]))) return;
      entries.push({ label, share: row[1], cell: cellAddress(at, r, 1) });
    });
  } else {
    for (const [label, x] of Object.entries(input)) entries.push({ label: String(label).trim(), share: numberCell(x) });
  }
  const shares = new Float64Array(group.labels.length);
  const seen = new Map<string, string | undefined>();
  for (const { label, share, cell } of entries) {
    if (seen.has(label)) fail({ code: "duplicate_share", label, cells: [seen.get(label) ?? label, cell ?? label] });
    seen.set(label, cell);
    const base = { code: "bad_share" as const, label, cell, value: textOf(share) };
    if (isBlank(share)) fail({ ...base, reason: "blank" });
    const x = numberOf(share);
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
export function impliedByCounts(
  counts: CountSum[],
  group: GroupLabels | undefined,
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

// Scheme errors and warnings: values with stable codes, and the one place where they become words, so the
// task pane, =RIM.WEIGHT() and the CLI say the same thing. Cells are A1 addresses (`Data!C17`) made by the
// parser. Imports nothing: no Excel, no engine internals.

/** Which side of the scheme a problem is on; it starts the message ("targets: …"). */
export type SchemePart = "data" | "targets" | "shares" | "options";

export type SchemeError =
  | { code: "empty_data"; cell?: string }
  | { code: "no_respondents"; cell: string }
  | { code: "duplicate_header"; name: string; cells: [string, string] }
  | { code: "empty_targets"; cell?: string }
  | { code: "targets_shape"; columns: number; cell: string }
  | { code: "blank_target_field"; field: "variable" | "category" | "group"; cell: string; reason?: "error" }
  | {
      code: "bad_target";
      variable: string;
      category: string;
      group: string | null;
      cell: string;
      value: string;
      reason: "blank" | "not_a_number" | "negative";
    }
  /** more than one blank target: each run of blank cells as a range, the first cell for the pane's "where" */
  | { code: "blank_targets"; count: number; cell: string; ranges: string[] }
  | { code: "duplicate_target"; variable: string; category: string; group: string | null; cells: [string, string] }
  | { code: "zero_sum_targets"; variable: string; group: string | null; cell: string }
  | { code: "unknown_variable"; variable: string; cell: string; available: string[]; hint?: string }
  | {
      code: "unknown_column";
      setting: "base" | "group" | "variables";
      name: string;
      available: string[];
      hint?: string;
    }
  | { code: "no_targets"; variable: string }
  | {
      code: "bad_crossed_category";
      variable: string;
      category: string;
      parts: string[];
      separator: string;
      cell: string;
    }
  | { code: "too_many_categories"; variable: string; count: number }
  | {
      code: "unknown_category";
      variable: string;
      category: string;
      cells: string[];
      count: number;
      others: number;
      hint?: string;
    }
  | { code: "missing_values"; variable: string; cells: string[]; count: number }
  | { code: "missing_group"; column: string; cells: string[]; count: number }
  | { code: "bad_base_weight"; column: string; cells: string[]; count: number; value: string }
  | { code: "group_not_chosen"; label: string; cell: string }
  | { code: "empty_group"; column: string; label: string; cell?: string; part: "targets" | "shares" }
  | { code: "missing_group_targets"; variable: string; group: string }
  | { code: "bad_share"; label: string; cell?: string; value: string; reason: "blank" | "not_a_number" | "negative" }
  | { code: "duplicate_share"; label: string; cells: [string, string] }
  | { code: "missing_share"; column: string; label: string }
  | { code: "zero_sum_shares" }
  | { code: "bad_option"; option: string; value: string; rule: string }
  | { code: "unknown_option"; option: string; known: string[] };

export type SchemeErrorCode = SchemeError["code"];

export type SchemeWarning =
  | { code: "targets_normalised"; variable: string; group: string | null; sum: number; unit: "percent" | "proportion" }
  | { code: "shares_normalised"; sum: number; unit: "percent" | "proportion" }
  | { code: "targets_read_as_counts"; variable: string; group: string | null; sum: number }
  | { code: "counts_disagree"; sums: { variable: string; group: string | null; sum: number }[] }
  | { code: "blank_rows_skipped"; count: number; cell: string }
  | { code: "targets_unused"; variables: string[] };

export type SchemeWarningCode = SchemeWarning["code"];

/** Returned by the parser instead of throwing. */
export interface SchemeFailure {
  ok: false;
  error: SchemeError;
}

function q(text: string): string {
  return `'${text}'`;
}

/** Ranges of blank targets named in full before "…". */
const MAX_RANGES_SHOWN = 8;

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** "Data!C5, Data!C9, Data!C12" (the first cells), with "…" when there are more than listed. */
function cellList(cells: string[], count: number): string {
  return cells.join(", ") + (count > cells.length ? ", …" : "");
}

function forGroup(group: string | null): string {
  return group === null ? "" : ` for group ${q(group)}`;
}

/** At most 20 names, quoted; "and N more" beyond. */
function nameList(names: string[]): string {
  const shown = names.slice(0, 20).map(q).join(", ");
  return names.length > 20 ? `${shown} and ${names.length - 20} more` : shown;
}

function hintText(hint: string | undefined, what: string): string {
  return hint === undefined ? "" : ` Did you mean ${q(hint)}? (${what} must match exactly, including case)`;
}

/** A share or proportion sum as the user wrote it: "99.5%" or "0.98". */
function sumText(sum: number, unit: "percent" | "proportion"): string {
  const shown = String(Number(sum.toPrecision(12)));
  return unit === "percent" ? `${shown}%` : shown;
}

const TARGET_REASONS = { blank: "is blank", not_a_number: "is not a number", negative: "is negative" };

/** The message for a scheme error: plain sentences naming the variable, category, group and cells. */
export function describeSchemeError(e: SchemeError): string {
  switch (e.code) {
    case "empty_data":
      return `data: the data range is empty${e.cell ? ` (${e.cell})` : ""}; it needs a header row and at least one respondent.`;
    case "no_respondents":
      return `data: the data has a header row but no respondents (${e.cell}).`;
    case "duplicate_header":
      return `data: the column name ${q(e.name)} appears twice (${e.cells[0]} and ${e.cells[1]}); column names must be unique.`;
    case "empty_targets":
      return `targets: the target table has no rows${e.cell ? ` (${e.cell})` : ""}.`;
    case "targets_shape":
      return `targets: the target table needs the columns variable, category and target (it has ${plural(e.columns, "column", "columns")}) (${e.cell}).`;
    case "blank_target_field":
      return e.reason === "error"
        ? `targets: the ${e.field} cell holds an error value (${e.cell}); correct it or clear it.`
        : `targets: the ${e.field} is blank (${e.cell}).`;
    case "bad_target": {
      const shown = e.reason === "blank" ? "" : ` (${q(e.value)})`;
      return `targets: the target of category ${q(e.category)} of ${q(e.variable)}${forGroup(e.group)} ${TARGET_REASONS[e.reason]}${shown} (${e.cell}); targets must be numbers of at least 0.`;
    }
    case "blank_targets": {
      const shown = e.ranges.slice(0, MAX_RANGES_SHOWN).join(", ") + (e.ranges.length > MAX_RANGES_SHOWN ? ", …" : "");
      return `targets: ${e.count} targets are blank (${shown}); fill in a number of at least 0 for each category.`;
    }
    case "duplicate_target":
      return `targets: category ${q(e.category)} of ${q(e.variable)}${forGroup(e.group)} is given twice (${e.cells[0]} and ${e.cells[1]}).`;
    case "zero_sum_targets":
      return `targets: the targets of ${q(e.variable)}${forGroup(e.group)} add up to 0 (${e.cell}).`;
    case "unknown_variable":
      return `targets: ${q(e.variable)} is not a column of the data (${e.cell}); the columns are ${nameList(e.available)}.${hintText(e.hint, "names")}`;
    case "unknown_column": {
      const what = { base: "the base weight column", group: "the group column", variables: "the chosen variable" }[
        e.setting
      ];
      return `options: ${what} ${q(e.name)} is not a column of the data; the columns are ${nameList(e.available)}.${hintText(e.hint, "names")}`;
    }
    case "no_targets":
      return `targets: ${q(e.variable)} is chosen for weighting but has no target rows.`;
    case "bad_crossed_category":
      return `targets: category ${q(e.category)} of ${q(e.variable)} should name one category of each of ${e.parts.map(q).join(", ")}, joined by ${q(e.separator)} (${e.cell}).`;
    case "too_many_categories":
      return `targets: ${q(e.variable)} has ${e.count} categories; at most 65534 are supported.`;
    case "unknown_category": {
      const others =
        e.others > 0 ? ` (and ${plural(e.others, "other category", "other categories")} not in the targets)` : "";
      return `data: category ${q(e.category)} of ${q(e.variable)} is not in the targets (${plural(e.count, "cell", "cells")}: ${cellList(e.cells, e.count)})${others}; add a target row for it or correct the data.${hintText(e.hint, "labels")}`;
    }
    case "missing_values":
      return `data: ${q(e.variable)} has ${plural(e.count, "blank or error cell", "blank or error cells")} (${cellList(e.cells, e.count)}); fill them in or choose to exclude missing answers.`;
    case "missing_group":
      return `data: the group column ${q(e.column)} has ${plural(e.count, "blank or error cell", "blank or error cells")} (${cellList(e.cells, e.count)}); every respondent needs a group.`;
    case "bad_base_weight":
      return `data: base weights in ${q(e.column)} must be numbers greater than 0, but ${e.cells[0]} is ${e.value === "" ? "blank" : q(e.value)} (${plural(e.count, "bad cell", "bad cells")}: ${cellList(e.cells, e.count)}).`;
    case "group_not_chosen":
      return `targets: the row at ${e.cell} is for group ${q(e.label)}, but no group column is chosen; choose the group column or clear the group cells.`;
    case "empty_group":
      return `${e.part}: group ${q(e.label)} of ${q(e.column)} has no respondents${e.cell ? ` (${e.cell})` : ""}.`;
    case "missing_group_targets":
      return `targets: ${q(e.variable)} has no targets for group ${q(e.group)}; give rows for group ${q(e.group)} or rows without a group.`;
    case "bad_share":
      return `shares: the share of group ${q(e.label)} ${TARGET_REASONS[e.reason]}${e.reason === "blank" ? "" : ` (${q(e.value)})`}${e.cell ? ` (${e.cell})` : ""}; shares must be numbers of at least 0.`;
    case "duplicate_share":
      return `shares: group ${q(e.label)} is given twice (${e.cells[0]} and ${e.cells[1]}).`;
    case "missing_share":
      return `shares: group ${q(e.label)} of ${q(e.column)} has respondents but no share; give every group a share or leave the shares out.`;
    case "zero_sum_shares":
      return "shares: the group shares add up to 0.";
    case "bad_option":
      return `options: the ${e.option} is ${e.value === "" ? "blank" : q(e.value)}; it ${e.rule}.`;
    case "unknown_option":
      return `options: ${q(e.option)} is not an option; the options are ${e.known.map(q).join(", ")}.`;
  }
}

/** The message for a scheme warning. */
export function describeSchemeWarning(w: SchemeWarning): string {
  switch (w.code) {
    case "targets_normalised": {
      const to = w.unit === "percent" ? "100%" : "1";
      return `targets: the targets of ${q(w.variable)}${forGroup(w.group)} add up to ${sumText(w.sum, w.unit)}, not ${to}; they were scaled to ${to}.`;
    }
    case "targets_read_as_counts": {
      const shown = Number(w.sum.toPrecision(12));
      return `targets: the targets of ${q(w.variable)}${forGroup(w.group)} add up to ${shown}, too far from 100% or 1 to be read as percentages or proportions; they were read as counts, which can set the total the weights sum to. Correct them if they are percentages or proportions.`;
    }
    case "shares_normalised": {
      const to = w.unit === "percent" ? "100%" : "1";
      return `shares: the group shares add up to ${sumText(w.sum, w.unit)}, not ${to}; they were scaled to ${to}.`;
    }
    case "counts_disagree": {
      const sums = w.sums
        .map((s) => `${q(s.variable)}${forGroup(s.group)} ${Number(s.sum.toPrecision(12))}`)
        .join(", ");
      return `targets: the count targets do not agree on a total (${sums}); the weights sum to the base weights instead (set a total to choose one).`;
    }
    case "blank_rows_skipped":
      return `data: ${plural(w.count, "blank row was", "blank rows were")} skipped (first at ${w.cell}); ${w.count === 1 ? "it gets" : "they get"} no weight.`;
    case "targets_unused":
      return `targets: the targets of ${w.variables.map(q).join(", ")} were not used (not among the chosen variables).`;
  }
}

// Engine error messages: the one place where an EngineError value becomes words, for both backends (the Rust
// build throws the same values as plain objects, checked by engineErrorFromWasm). Rows are 0-based in the value and
// 1-based ("respondent 17") in the words; the scheme layer maps respondents to sheet cells separately.
// Imports only the contract: no Excel, no React, no engine internals.

import type { EngineError, EngineErrorCode, Problem } from "./contract";

/** The names an error message needs: variable and category names, and the group's name and labels. */
export interface ErrorNames {
  variables: { name: string; categories: string[] }[];
  group?: { name: string; labels: string[] };
}

/** The names of a problem, for describeEngineError. */
export function errorNamesOf(problem: Problem): ErrorNames {
  const variables = (problem.variables ?? []).map((v) => ({ name: v.name, categories: v.categories }));
  const group = problem.group ? { name: problem.group.name, labels: problem.group.labels } : undefined;
  return group ? { variables, group } : { variables };
}

function variableName(names: ErrorNames, variable: number): string {
  const v = names.variables[variable];
  return v ? `'${v.name}'` : `variable ${variable + 1}`;
}

/** "Variable 'age'" to open a sentence. */
function variableSubject(names: ErrorNames, variable: number): string {
  const v = names.variables[variable];
  return v ? `Variable '${v.name}'` : `Variable ${variable + 1}`;
}

function categoryName(names: ErrorNames, variable: number, category: number): string {
  const label = names.variables[variable]?.categories[category];
  return label !== undefined ? `'${label}'` : `number ${category + 1}`;
}

function groupName(names: ErrorNames): string {
  return names.group ? `'${names.group.name}'` : "the group column";
}

function groupLabel(names: ErrorNames, group: number): string {
  const label = names.group?.labels[group];
  return label !== undefined ? `'${label}'` : `number ${group + 1}`;
}

/** " in group 'North'" for a group index, "" for the whole sample. */
function inGroup(names: ErrorNames, group: number | null): string {
  return group === null ? "" : ` in group ${groupLabel(names, group)}`;
}

function respondent(row: number): string {
  return `respondent ${row + 1}`;
}

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

function othersClause(count: number): string {
  return count > 1 ? ` (and ${plural(count - 1, "other respondent", "other respondents")})` : "";
}

function numberText(value: number): string {
  return Number.isFinite(value) ? String(value) : Number.isNaN(value) ? "not a number" : String(value);
}

/** A field name such as "variables[2].codes" in words, with its verb. */
function fieldText(field: string, names: ErrorNames): string {
  const match = /^variables\[(\d+)\]\.codes$/.exec(field);
  if (match) return `the answers to ${variableName(names, Number(match[1]))} have`;
  if (field === "baseWeights") return "the base weights have";
  if (field === "group.codes") return `the group column ${groupName(names)} has`;
  return `${field} has`;
}

const TARGET_REASONS = {
  length: (count: number) => `there should be one target per category (${plural(count, "category", "categories")})`,
  negative: () => "a target is negative",
  not_finite: () => "a target is not a number",
  sum: () => "they do not add up to 100%",
};

const SHARE_REASONS = {
  length: (count: number) => `there should be one share per group (${plural(count, "group", "groups")})`,
  negative: () => "a share is negative",
  not_finite: () => "a share is not a number",
  sum: () => "they do not add up to 100%",
};

const OPTION_RULES = {
  tolerance: "must be a number of at least 0",
  maxIterations: "must be a whole number of at least 1",
  total: "must be a number greater than 0",
  capMin: "must be a number between 0 and 1 (a share of the mean weight)",
  capMax: "must be a number of at least 1 (a multiple of the mean weight)",
  maxDeff: "must be a number of at least 1 (a design effect)",
  minEfficiency: "must be a percentage greater than 0 and at most 100",
};

const OPTION_NAMES = {
  tolerance: "tolerance",
  maxIterations: "maximum iterations",
  total: "total",
  capMin: "minimum weight cap",
  capMax: "maximum weight cap",
  maxDeff: "maximum design effect",
  minEfficiency: "minimum efficiency",
};

/** The message for an error value: plain sentences naming the variable, category, group and respondent. */
export function describeEngineError(error: EngineError, names: ErrorNames): string {
  switch (error.code) {
    case "empty_problem":
      return "The data has no respondents.";
    case "no_variables":
      return "There is nothing to weight on: give targets for at least one variable.";
    case "length_mismatch":
      return `${capitalise(fieldText(error.field, names))} ${error.actual} values but there are ${plural(error.expected, "respondent", "respondents")}.`;
    case "too_many_categories": {
      const owner =
        error.variable === null ? `The group column ${groupName(names)}` : variableSubject(names, error.variable);
      const unit = error.variable === null ? "groups" : "categories";
      return `${owner} has ${error.count} ${unit}; at most ${error.max} are supported by its code array (the largest code marks a missing answer).`;
    }
    case "code_out_of_range": {
      const count = names.variables[error.variable]?.categories.length;
      const known = count === undefined ? "" : ` (it has ${plural(count, "category", "categories")})`;
      return `${variableSubject(names, error.variable)} has an answer code ${error.value} at ${respondent(error.row)} that is not one of its categories${known}.`;
    }
    case "group_code_out_of_range":
      return `The group column ${groupName(names)} has a code ${error.value} at ${respondent(error.row)} that is not one of its groups.`;
    case "missing_value":
      return `${variableSubject(names, error.variable)} has no answer at ${respondent(error.row)}${othersClause(error.count)}; fill it in or choose to exclude missing answers.`;
    case "missing_group":
      return `The group column ${groupName(names)} has no group at ${respondent(error.row)}${othersClause(error.count)}; every respondent needs a group.`;
    case "bad_targets": {
      const count = names.variables[error.variable]?.categories.length ?? 0;
      return `targets: the targets of ${variableName(names, error.variable)}${inGroup(names, error.group)} are not usable: ${TARGET_REASONS[error.reason](count)}.`;
    }
    case "empty_category":
      return `targets: category ${categoryName(names, error.variable, error.category)} of ${variableName(names, error.variable)} has no respondents${inGroup(names, error.group)}, but its target is above 0.`;
    case "zero_target_with_respondents":
      return `targets: category ${categoryName(names, error.variable, error.category)} of ${variableName(names, error.variable)} has a target of 0 but ${plural(error.count, "respondent", "respondents")}${inGroup(names, error.group)}; their weights cannot be 0.`;
    case "bad_base_weight":
      return `The base weight of ${respondent(error.row)} is ${numberText(error.value)}; base weights must be numbers greater than 0.`;
    case "empty_group":
      return `Group ${groupLabel(names, error.group)} of ${groupName(names)} has a share of the total but no respondents.`;
    case "bad_shares":
      return `The group shares of ${groupName(names)} are not usable: ${SHARE_REASONS[error.reason](names.group?.labels.length ?? 0)}.`;
    case "bad_option":
      return `The ${OPTION_NAMES[error.option]} is ${numberText(error.value)}; it ${OPTION_RULES[error.option]}.`;
    case "infeasible_caps":
      return infeasibleCapsText(error.min, error.max);
    case "cancelled":
      return "The weighting was cancelled.";
  }
}

function infeasibleCapsText(min: number, max: number): string {
  const parts: string[] = [];
  if (min > 1) parts.push(`a minimum cap of ${min} times the mean weight`);
  if (max < 1) parts.push(`a maximum cap of ${max} times the mean weight`);
  const what = parts.length > 0 ? parts.join(" and ") : `caps of ${min} to ${max} times the mean weight`;
  return `The weight caps cannot be met: ${what} would exclude the mean weight itself.`;
}

function capitalise(text: string): string {
  return text.length > 0 && text[0] !== "'" ? text[0].toUpperCase() + text.slice(1) : text;
}

// ---- errors thrown by the wasm build ----

// engine-rs serialises its RimError with serde (engine-rs/src/error.rs), whose attributes are the one
// spelling of codes and fields; this side only checks the code is one it can describe. The record's keys
// are the codes, so the compiler fails when a code is added to the contract and not here.
const KNOWN_CODES: Record<EngineErrorCode, true> = {
  empty_problem: true,
  no_variables: true,
  length_mismatch: true,
  too_many_categories: true,
  code_out_of_range: true,
  group_code_out_of_range: true,
  missing_value: true,
  missing_group: true,
  bad_targets: true,
  empty_category: true,
  zero_target_with_respondents: true,
  bad_base_weight: true,
  empty_group: true,
  bad_shares: true,
  bad_option: true,
  infeasible_caps: true,
  cancelled: true,
};

/** Whether a value thrown by the wasm build is an EngineError (an object with a code this module knows). */
export function isWasmEngineError(thrown: unknown): thrown is EngineError {
  if (typeof thrown !== "object" || thrown === null || Array.isArray(thrown)) return false;
  const code = (thrown as { code?: unknown }).code;
  return typeof code === "string" && Object.prototype.hasOwnProperty.call(KNOWN_CODES, code);
}

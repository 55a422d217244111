// Problem validation (docs/ENGINE.md §1): every check in the documented order, the first failure returned as
// an EngineError value. Also the option defaults and the per-group target lookup that rim.ts and
// diagnostics.ts share. Imports only the contract: no Excel, no messages (those are in errors.ts).

import {
  DEFAULT_OPTIONS,
  TARGET_SUM_SLACK,
  missingCode,
  type EngineError,
  type Options,
  type Problem,
  type Variable,
} from "./contract";

/** Options with the documented defaults filled in where a field is absent (undefined). */
export interface ResolvedOptions {
  tolerance: number;
  maxIterations: number;
  missing: "error" | "exclude";
  capMin: number | undefined;
  capMax: number | undefined;
  total: number | undefined;
}

export function resolveOptions(options: Partial<Options> | undefined): ResolvedOptions {
  const o = options ?? {};
  return {
    tolerance: o.tolerance ?? DEFAULT_OPTIONS.tolerance,
    maxIterations: o.maxIterations ?? DEFAULT_OPTIONS.maxIterations,
    // anything but "exclude" is the default policy, "error"
    missing: o.missing === "exclude" ? "exclude" : "error",
    capMin: o.caps?.min,
    capMax: o.caps?.max,
    total: o.total,
  };
}

/** Caps are active when either bound is given (even a neutral one: the cap correction still rescales). */
export function capsActive(options: ResolvedOptions): boolean {
  return options.capMin !== undefined || options.capMax !== undefined;
}

/** The targets group g rakes to: its own entry in targetsByGroup, else the variable's targets. */
export function groupTargets(variable: Variable, group: number): Float64Array {
  return variable.targetsByGroup?.[group] ?? variable.targets;
}

/** Number of groups: the group's labels, or 1 (the whole sample) when ungrouped. */
export function groupCount(problem: Problem): number {
  return problem.group ? problem.group.labels.length : 1;
}

/** Checks a problem and options; null when fine, else the first failure in the order of docs/ENGINE.md §1. */
export function validateProblem(problem: Problem, options: Partial<Options> | undefined): EngineError | null {
  return validateCounting(problem, options).error;
}

/** Valid answers per variable, group and category: `counts[v][g*K + c]` (missing answers not counted). */
export type AnswerCounts = Float64Array[];

export type Validated = { error: EngineError; counts: null } | { error: null; counts: AnswerCounts };

/** validateProblem, handing over the answers step 8 counted (the diagnostics' unweighted counts). */
export function validateCounting(problem: Problem, options: Partial<Options> | undefined): Validated {
  const opts = resolveOptions(options);
  const error =
    checkEmpty(problem) ??
    checkLengths(problem) ??
    checkOptions(opts) ??
    checkTargets(problem) ??
    checkBaseWeights(problem) ??
    checkGroupCodes(problem) ??
    checkVariableCodes(problem, opts);
  if (error) return { error, counts: null };
  const counts = answerCounts(problem);
  const infeasible = checkFeasible(problem, counts);
  return infeasible ? { error: infeasible, counts: null } : { error: null, counts };
}

// 1.
function checkEmpty(problem: Problem): EngineError | null {
  if (!(problem.n > 0)) return { code: "empty_problem" };
  if (problem.variables.length === 0) return { code: "no_variables" };
  return null;
}

// 2. Every variable's codes, then base weights, then group codes, then each variable's targets and its
// per-group targets (group index order; entries past the labels are never read and not checked), then shares.
function checkLengths(problem: Problem): EngineError | null {
  const n = problem.n;
  const mismatch = (field: string, actual: number): EngineError => ({
    code: "length_mismatch",
    field,
    expected: n,
    actual,
  });
  for (let i = 0; i < problem.variables.length; i++) {
    const len = problem.variables[i].codes.length;
    if (len !== n) return mismatch(`variables[${i}].codes`, len);
  }
  if (problem.baseWeights && problem.baseWeights.length !== n)
    return mismatch("baseWeights", problem.baseWeights.length);
  const group = problem.group;
  if (group && group.codes.length !== n) return mismatch("group.codes", group.codes.length);
  // The largest code value marks a missing answer, so it cannot also index a category or a group.
  if (group && group.labels.length > missingCode(group.codes)) {
    return { code: "too_many_categories", variable: null, count: group.labels.length, max: missingCode(group.codes) };
  }
  for (let v = 0; v < problem.variables.length; v++) {
    const variable = problem.variables[v];
    const k = variable.categories.length;
    if (k > missingCode(variable.codes))
      return { code: "too_many_categories", variable: v, count: k, max: missingCode(variable.codes) };
    if (variable.targets.length !== k) return { code: "bad_targets", variable: v, group: null, reason: "length" };
    if (!group) continue;
    for (let g = 0; g < group.labels.length; g++) {
      const t = variable.targetsByGroup?.[g];
      if (t && t.length !== k) return { code: "bad_targets", variable: v, group: g, reason: "length" };
    }
  }
  if (group?.shares && group.shares.length !== group.labels.length) return { code: "bad_shares", reason: "length" };
  return null;
}

// 3.
function checkOptions(o: ResolvedOptions): EngineError | null {
  const bad = (option: "tolerance" | "maxIterations" | "total" | "capMin" | "capMax", value: number): EngineError => ({
    code: "bad_option",
    option,
    value,
  });
  if (!isFiniteNumber(o.tolerance) || o.tolerance < 0) return bad("tolerance", o.tolerance);
  if (!isFiniteNumber(o.maxIterations) || !Number.isInteger(o.maxIterations) || o.maxIterations < 1) {
    return bad("maxIterations", o.maxIterations);
  }
  if (o.total !== undefined && (!isFiniteNumber(o.total) || o.total <= 0)) return bad("total", o.total);
  // capMin > 1 and 0 < capMax < 1 are well-formed but infeasible: reported below as infeasible_caps.
  if (o.capMin !== undefined && (!isFiniteNumber(o.capMin) || o.capMin < 0)) return bad("capMin", o.capMin);
  if (o.capMax !== undefined && (!isFiniteNumber(o.capMax) || o.capMax <= 0)) return bad("capMax", o.capMax);
  const min = o.capMin ?? 0;
  const max = o.capMax ?? Number.POSITIVE_INFINITY;
  if (min > 1 || max < 1) return { code: "infeasible_caps", min, max };
  return null;
}

function isFiniteNumber(x: unknown): x is number {
  return typeof x === "number" && Number.isFinite(x);
}

/** "not_finite" / "negative" for the first offending element (in index order), else "sum", else null. */
function proportionsProblem(values: Float64Array): "not_finite" | "negative" | "sum" | null {
  let sum = 0;
  for (let c = 0; c < values.length; c++) {
    const x = values[c];
    if (!Number.isFinite(x)) return "not_finite";
    if (x < 0) return "negative";
  }
  for (let c = 0; c < values.length; c++) sum += values[c];
  return Math.abs(sum - 1) <= TARGET_SUM_SLACK ? null : "sum";
}

// 4. Per variable: its targets, then its per-group targets in group order; then the shares.
function checkTargets(problem: Problem): EngineError | null {
  const group = problem.group;
  for (let v = 0; v < problem.variables.length; v++) {
    const variable = problem.variables[v];
    const reason = proportionsProblem(variable.targets);
    if (reason) return { code: "bad_targets", variable: v, group: null, reason };
    if (!group) continue;
    for (let g = 0; g < group.labels.length; g++) {
      const t = variable.targetsByGroup?.[g];
      if (!t) continue;
      const r = proportionsProblem(t);
      if (r) return { code: "bad_targets", variable: v, group: g, reason: r };
    }
  }
  if (group?.shares) {
    const reason = proportionsProblem(group.shares);
    if (reason) return { code: "bad_shares", reason };
  }
  return null;
}

// 5.
function checkBaseWeights(problem: Problem): EngineError | null {
  const base = problem.baseWeights;
  if (!base) return null;
  for (let i = 0; i < base.length; i++) {
    const b = base[i];
    if (!(Number.isFinite(b) && b > 0)) return { code: "bad_base_weight", row: i, value: b };
  }
  return null;
}

// 6. An out-of-range code anywhere wins over missing codes; missing reports the first row and the count.
function checkGroupCodes(problem: Problem): EngineError | null {
  const group = problem.group;
  if (!group) return null;
  const scan = scanCodes(group.codes, group.labels.length);
  if (scan.outOfRangeRow >= 0)
    return { code: "group_code_out_of_range", row: scan.outOfRangeRow, value: group.codes[scan.outOfRangeRow] };
  if (scan.missingCount > 0) return { code: "missing_group", row: scan.firstMissingRow, count: scan.missingCount };
  return null;
}

// 7. Variable by variable: out of range (first row) first, then missing under "error".
function checkVariableCodes(problem: Problem, o: ResolvedOptions): EngineError | null {
  for (let v = 0; v < problem.variables.length; v++) {
    const variable = problem.variables[v];
    const scan = scanCodes(variable.codes, variable.categories.length);
    if (scan.outOfRangeRow >= 0) {
      return {
        code: "code_out_of_range",
        variable: v,
        row: scan.outOfRangeRow,
        value: variable.codes[scan.outOfRangeRow],
      };
    }
    if (scan.missingCount > 0 && o.missing === "error") {
      return { code: "missing_value", variable: v, row: scan.firstMissingRow, count: scan.missingCount };
    }
  }
  return null;
}

function scanCodes(codes: Uint8Array | Uint16Array, k: number) {
  const missing = missingCode(codes);
  let outOfRangeRow = -1;
  let firstMissingRow = -1;
  let missingCount = 0;
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i];
    if (c === missing) {
      if (firstMissingRow < 0) firstMissingRow = i;
      missingCount++;
    } else if (c >= k) {
      outOfRangeRow = i;
      break;
    }
  }
  return { outOfRangeRow, firstMissingRow, missingCount };
}

/** counts[v][g*K + c]: respondents of group g answering category c of variable v (codes valid, missing skipped). */
function answerCounts(problem: Problem): AnswerCounts {
  const groups = groupCount(problem);
  const groupCodes = problem.group?.codes;
  return problem.variables.map((variable) => {
    const k = variable.categories.length;
    const missing = missingCode(variable.codes);
    const table = new Float64Array(groups * k);
    for (let i = 0; i < problem.n; i++) {
      const c = variable.codes[i];
      if (c !== missing) table[(groupCodes ? groupCodes[i] : 0) * k + c]++;
    }
    return table;
  });
}

// 8. Per group in label order (the whole sample, group null, when ungrouped), per variable, per category.
function checkFeasible(problem: Problem, counts: AnswerCounts): EngineError | null {
  const n = problem.n;
  const group = problem.group;
  const groups = groupCount(problem);
  const groupCodes = group?.codes;
  const sizes = new Float64Array(groups);
  for (let i = 0; i < n; i++) sizes[groupCodes ? groupCodes[i] : 0]++;
  for (let g = 0; g < groups; g++) {
    const groupIndex = group ? g : null;
    if (sizes[g] === 0) {
      // Nothing to weight: only an error when the group is promised a share of the total.
      if (group?.shares && group.shares[g] > 0) return { code: "empty_group", group: g };
      continue;
    }
    for (let v = 0; v < problem.variables.length; v++) {
      const variable = problem.variables[v];
      const k = variable.categories.length;
      const targets = groupTargets(variable, g);
      for (let c = 0; c < k; c++) {
        const count = counts[v][g * k + c];
        if (targets[c] > 0 && count === 0)
          return { code: "empty_category", variable: v, category: c, group: groupIndex };
        if (targets[c] === 0 && count > 0) {
          return { code: "zero_target_with_respondents", variable: v, category: c, group: groupIndex, count };
        }
      }
    }
  }
  return null;
}

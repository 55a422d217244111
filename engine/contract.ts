// The engine contract: the one place that defines Problem, Options, Result and EngineError.
// Mirrored field for field by engine-rs/src/problem.rs and engine-rs/src/error.rs.
// Must not import anything: every other room (engine, taskpane, functions, cli) imports this.

/** Codes are indices into `categories`; the largest value of the array type marks a missing answer. */
export type Codes = Uint8Array | Uint16Array;

export const MISSING_U8 = 0xff;
export const MISSING_U16 = 0xffff;

/** The missing marker for a code array: the maximum value its element type can hold. */
export function missingCode(codes: Codes): number {
  return codes instanceof Uint8Array ? MISSING_U8 : MISSING_U16;
}

export interface Variable {
  name: string;
  categories: string[];
  /** length n; index into `categories`, or missingCode(codes). */
  codes: Codes;
  /** proportions over `categories`, each ≥ 0, summing to 1 (±1e-9). */
  targets: Float64Array;
  /**
   * Per-group targets (index = group label index); a group without its own entry (undefined) uses `targets`.
   * Only meaningful when the problem has a `group`.
   */
  targetsByGroup?: (Float64Array | undefined)[];
}

export interface Group {
  name: string;
  labels: string[];
  /** length n; index into `labels`. A missing group code is always an error. */
  codes: Codes;
  /** Share of the total per label (sum 1). Without shares each group keeps its share of the base weights. */
  shares?: Float64Array;
}

export interface Problem {
  n: number;
  variables: Variable[];
  /** finite, > 0; default all 1. */
  baseWeights?: Float64Array;
  group?: Group;
}

export type MissingPolicy = "error" | "exclude";

export interface Caps {
  /** lower cap on weight / mean weight of the group, 0 ≤ min ≤ 1 */
  min?: number;
  /** upper cap on weight / mean weight of the group, max ≥ 1 */
  max?: number;
}

export interface Options {
  /** max |achieved − target| over all categories, in proportions (default 1e-6). */
  tolerance: number;
  /** default 1000 */
  maxIterations: number;
  /** default "error"; "exclude": a respondent missing on a variable is not adjusted by it, and that
   * variable's targets apply to the respondents with a valid answer. */
  missing: MissingPolicy;
  caps?: Caps;
  /** weights sum to this; default: the sum of base weights (mean 1 without base weights). */
  total?: number;
}

export const DEFAULT_OPTIONS: Options = {
  tolerance: 1e-6,
  maxIterations: 1000,
  missing: "error",
};

/** Passes without a 1% improvement over this window mean the raking has stalled. */
export const STALL_WINDOW = 10;
export const STALL_IMPROVEMENT = 0.01;
/** Weights within cap ± CAP_SLACK (relative to the mean) count as within the caps. */
export const CAP_SLACK = 1e-9;
/** Targets must sum to 1 within this. */
export const TARGET_SUM_SLACK = 1e-9;
/** Most slots in one block's joint table (blocks.ts; engine-rs problem.rs JOINT_MAX). */
export const JOINT_MAX = 4096;
/**
 * Units per chunk of a sum over units: in unit order within a chunk, then chunk by chunk (engine-rs
 * problem.rs SWEEP_CHUNK, where chunks are what the threads share, so results do not depend on them).
 */
export const SWEEP_CHUNK = 32768;

export type Status = "converged" | "stalled" | "max_iterations";
export type BackendName = "wasm-threads" | "wasm" | "ts";

/** One row of the per variable × category table. Percentages are 0–100. */
export interface CategoryRow {
  variable: number;
  category: number;
  /** group label index, or null for the whole sample */
  group: number | null;
  unweightedN: number;
  unweightedPct: number;
  targetPct: number;
  weightedPct: number;
  /** weightedPct − targetPct, in percentage points */
  diffPct: number;
}

export interface WeightSummary {
  /** group label index, or null for the whole sample */
  group: number | null;
  n: number;
  sumWeights: number;
  mean: number;
  min: number;
  max: number;
  /** max / min */
  ratio: number;
  /** 100·(Σw)²/(n·Σw²) */
  efficiencyPct: number;
  /** Kish: n·Σw²/(Σw)² */
  deff: number;
  /** (Σw)²/Σw² */
  effectiveN: number;
  atCapMin: number;
  atCapMax: number;
}

export interface GroupRun {
  group: number;
  status: Status;
  iterations: number;
  maxResidual: number;
}

export interface RakeResult {
  weights: Float64Array;
  status: Status;
  /** passes made; for grouped problems the most any group needed */
  iterations: number;
  maxResidual: number;
  /** max residual after each pass (over all groups still iterating or finished) */
  residualTrace: number[];
  categories: CategoryRow[];
  summary: WeightSummary;
  groups: WeightSummary[];
  groupRuns: GroupRun[];
  /** true when the cell-aggregated fast path was used */
  cellPath: boolean;
  cells: number;
  backend: BackendName;
  threads: number;
  elapsedMs: number;
}

/** Errors are values with a stable code; rows are 0-based respondent indices. Messages: engine/errors.ts. */
export type EngineError =
  | { code: "empty_problem" }
  | { code: "no_variables" }
  | { code: "length_mismatch"; field: string; expected: number; actual: number }
  | { code: "too_many_categories"; variable: number | null; count: number; max: number }
  | { code: "code_out_of_range"; variable: number; row: number; value: number }
  | { code: "group_code_out_of_range"; row: number; value: number }
  | { code: "missing_value"; variable: number; row: number; count: number }
  | { code: "missing_group"; row: number; count: number }
  | {
      code: "bad_targets";
      variable: number;
      group: number | null;
      reason: "length" | "negative" | "not_finite" | "sum";
    }
  | { code: "empty_category"; variable: number; category: number; group: number | null }
  | { code: "zero_target_with_respondents"; variable: number; category: number; group: number | null; count: number }
  | { code: "bad_base_weight"; row: number; value: number }
  | { code: "empty_group"; group: number }
  | { code: "bad_shares"; reason: "length" | "negative" | "not_finite" | "sum" }
  | {
      code: "bad_option";
      option: "tolerance" | "maxIterations" | "total" | "capMin" | "capMax" | "maxDeff" | "minEfficiency";
      value: number;
    }
  | { code: "infeasible_caps"; min: number; max: number }
  | { code: "cancelled" };

export type EngineErrorCode = EngineError["code"];

/** Thrown across async boundaries; `error` carries the value. */
export class RimEngineError extends Error {
  constructor(
    readonly error: EngineError,
    message: string,
  ) {
    super(message);
    this.name = "RimEngineError";
  }
}

export interface BackendInfo {
  backend: BackendName;
  threads: number;
  /** why each faster backend was not used, in order of preference */
  skipped: { backend: BackendName; reason: string }[];
}

// ---------------------------------------------------------------- the weighting advisor (docs/ENGINE.md, Advisor)

/** A design-effect budget: the largest Kish design effect, or the smallest efficiency in %, to allow. */
export type Budget = { maxDeff: number } | { minEfficiency: number };

/** What the advisor tries besides the options as given. */
export interface AdviseRequest {
  /** upper caps to sweep, in this order, on weight / mean weight of the group (as `Caps.max`) */
  caps: number[];
  /** find the loosest upper cap that keeps within this budget */
  budget?: Budget;
}

/** One advisor run: a full rake, summarised. */
export interface AdvisorRun {
  /** this run's upper cap (null: none); the lower cap, if any, is the options' own */
  capMax: number | null;
  /** the variable left out (index into the problem's variables), or null */
  dropped: number | null;
  status: Status;
  iterations: number;
  maxResidual: number;
  efficiencyPct: number;
  deff: number;
  effectiveN: number;
  minWeight: number;
  maxWeight: number;
  /** the largest weight over its group's mean weight (the scale of the caps); whole sample when ungrouped */
  maxOverMean: number;
}

export interface BudgetAdvice {
  kind: "maxDeff" | "minEfficiency";
  limit: number;
  /**
   * `uncapped`: the run without an upper cap keeps within the budget (`run` is it); `cap`: `run` is the
   * loosest cap found that does (its status and residual say whether the targets still hold); `none`: not
   * even a cap of 1 (every weight at the mean) does.
   */
  outcome: "uncapped" | "cap" | "none";
  run: AdvisorRun | null;
  /** every cap the search raked, in the order raked */
  tried: AdvisorRun[];
}

export interface Advice {
  /** the options as given: the base line of the leave-one-out gains */
  reference: AdvisorRun;
  /** no upper cap, then each requested cap */
  sweep: AdvisorRun[];
  /** the options as given without each variable in turn (none when there is a single variable) */
  leaveOneOut: AdvisorRun[];
  budget: BudgetAdvice | null;
  /** rakes made */
  runs: number;
  backend: BackendName;
  threads: number;
  elapsedMs: number;
}

/** Runs done out of the most the advice can need (the budget search may stop early). */
export interface AdviseProgress {
  done: number;
  total: number;
}

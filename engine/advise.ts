// The weighting advisor (docs/ENGINE.md, Advisor): a cap sweep, leave-one-variable-out runs and the loosest cap
// within a design-effect budget, each a full rake. A translation of engine-rs/src/advise.rs, which runs each
// batch of runs in parallel; here they run in sequence, in the same order, so both give the same numbers.
// Synchronous and pure. Imports only the contract and the TS engine's rake.

import {
  RimEngineError,
  type Advice,
  type AdviseProgress,
  type AdviseRequest,
  type AdvisorRun,
  type Budget,
  type BudgetAdvice,
  type EngineError,
  type Options,
  type Problem,
  type RakeResult,
} from "./contract";
import { describeEngineError, errorNamesOf } from "./errors";
import { rake } from "./rim";
import { now } from "./clock";

/** Caps raked per round of the budget search (the first round adds the cap of 1). */
export const BUDGET_POINTS = 8;
/** Rounds of the budget search at most: the bracket narrows by BUDGET_POINTS each round. */
export const BUDGET_ROUNDS = 4;
/** The search stops once the bracket is this narrow (in multiples of the mean weight). */
export const BUDGET_RESOLUTION = 1e-3;

/** One run to make: an upper cap (null: none) and a variable to leave out (null: none). */
export interface RunSpec {
  capMax: number | null;
  dropped: number | null;
}

/** Advises on `problem` under `options`; throws RimEngineError (bad budget, or the first failing run's error). */
export function advise(
  problem: Problem,
  options: Options,
  request: AdviseRequest,
  onProgress?: (progress: AdviseProgress) => void,
): Advice {
  const started = now();
  const budgetError = checkBudget(request.budget);
  if (budgetError) throw new RimEngineError(budgetError, describeEngineError(budgetError, errorNamesOf(problem)));
  const total = plannedRuns(problem, options, request);
  let done = 0;
  const runBatch = (specs: RunSpec[]): AdvisorRun[] =>
    specs.map((spec) => {
      const run = adviseRun(problem, options, spec);
      done += 1;
      onProgress?.({ done, total });
      return run;
    });
  const first = runBatch(firstBatch(problem, options, request));
  const { reference, sweep, leaveOneOut } = splitFirstBatch(first, options, request);
  const budget = request.budget ? searchBudget(request.budget, sweep[0], runBatch) : null;
  return {
    reference,
    sweep,
    leaveOneOut,
    budget,
    runs: done,
    backend: "ts",
    threads: 1,
    elapsedMs: now() - started,
  };
}

/** A budget outside its range, as the option error it is. */
export function checkBudget(budget: Budget | undefined): EngineError | null {
  if (!budget) return null;
  if ("maxDeff" in budget) {
    const d = budget.maxDeff;
    return Number.isFinite(d) && d >= 1 ? null : { code: "bad_option", option: "maxDeff", value: d };
  }
  const e = budget.minEfficiency;
  return Number.isFinite(e) && e > 0 && e <= 100 ? null : { code: "bad_option", option: "minEfficiency", value: e };
}

/**
 * The first batch, in this order: the options as given (only when they have an upper cap; otherwise the
 * sweep's uncapped run is the same run), the uncapped run, each requested cap, then each variable left out.
 */
export function firstBatch(problem: Problem, options: Options, request: AdviseRequest): RunSpec[] {
  const given = options.caps?.max ?? null;
  const specs: RunSpec[] = [];
  if (given !== null) specs.push({ capMax: given, dropped: null });
  specs.push({ capMax: null, dropped: null });
  for (const cap of request.caps) specs.push({ capMax: cap, dropped: null });
  if (problem.variables.length > 1) problem.variables.forEach((_, v) => specs.push({ capMax: given, dropped: v }));
  return specs;
}

function splitFirstBatch(
  runs: AdvisorRun[],
  options: Options,
  request: AdviseRequest,
): { reference: AdvisorRun; sweep: AdvisorRun[]; leaveOneOut: AdvisorRun[] } {
  const ownRun = options.caps?.max !== undefined ? 1 : 0;
  const sweep = runs.slice(ownRun, ownRun + 1 + request.caps.length);
  return { reference: runs[0], sweep, leaveOneOut: runs.slice(ownRun + sweep.length) };
}

/** Runs the advice can need: the first batch and, with a budget, every round of the search. */
export function plannedRuns(problem: Problem, options: Options, request: AdviseRequest): number {
  const search = request.budget ? 1 + BUDGET_POINTS + (BUDGET_ROUNDS - 1) * (BUDGET_POINTS - 1) : 0;
  return firstBatch(problem, options, request).length + search;
}

/** One full rake with the spec's upper cap (the options' lower cap kept) and without its dropped variable. */
export function adviseRun(problem: Problem, options: Options, spec: RunSpec): AdvisorRun {
  const min = options.caps?.min;
  const caps = { ...(min !== undefined ? { min } : {}), ...(spec.capMax !== null ? { max: spec.capMax } : {}) };
  const runOptions: Options = { ...options };
  delete runOptions.caps;
  if (caps.min !== undefined || caps.max !== undefined) runOptions.caps = caps;
  const runProblem =
    spec.dropped === null ? problem : { ...problem, variables: problem.variables.filter((_, v) => v !== spec.dropped) };
  return runSummary(spec, rake(runProblem, runOptions));
}

function runSummary(spec: RunSpec, result: RakeResult): AdvisorRun {
  const s = result.summary;
  return {
    capMax: spec.capMax,
    dropped: spec.dropped,
    status: result.status,
    iterations: result.iterations,
    maxResidual: result.maxResidual,
    efficiencyPct: s.efficiencyPct,
    deff: s.deff,
    effectiveN: s.effectiveN,
    minWeight: s.min,
    maxWeight: s.max,
    maxOverMean: maxOverMean(result),
  };
}

/** The largest weight over its group's mean weight: the scale of the caps (whole sample when ungrouped). */
function maxOverMean(result: RakeResult): number {
  if (result.groups.length === 0) return result.summary.max / result.summary.mean;
  let most = 0;
  for (const g of result.groups) if (g.n > 0 && g.max / g.mean > most) most = g.max / g.mean;
  return most;
}

function meets(budget: Budget, run: AdvisorRun): boolean {
  return "maxDeff" in budget ? run.deff <= budget.maxDeff : run.efficiencyPct >= budget.minEfficiency;
}

/**
 * The loosest cap within the budget: a bracketing search over [1, the uncapped run's largest weight / mean]
 * (a cap there or above would not bind at the end). Each round rakes BUDGET_POINTS evenly spaced caps of the
 * bracket; the largest that keeps within the budget becomes its lower end, the next one raked above it the
 * upper end. A tighter cap gives flatter weights, so the caps within the budget lie below those outside it.
 */
export function searchBudget(
  budget: Budget,
  uncapped: AdvisorRun,
  runBatch: (specs: RunSpec[]) => AdvisorRun[],
): BudgetAdvice {
  const kind = "maxDeff" in budget ? "maxDeff" : "minEfficiency";
  const limit = "maxDeff" in budget ? budget.maxDeff : budget.minEfficiency;
  if (meets(budget, uncapped)) return { kind, limit, outcome: "uncapped", run: uncapped, tried: [] };
  const tried: AdvisorRun[] = [];
  let lo = 1;
  let hi = uncapped.maxOverMean;
  let best: AdvisorRun | null = null;
  for (let round = 0; round < BUDGET_ROUNDS && hi - lo > BUDGET_RESOLUTION; round++) {
    const caps = bracketCaps(lo, hi, round === 0);
    const runs = runBatch(caps.map((capMax) => ({ capMax, dropped: null })));
    tried.push(...runs);
    let k = runs.length - 1;
    while (k >= 0 && !meets(budget, runs[k])) k--;
    if (k >= 0) {
      best = runs[k];
      lo = caps[k];
      if (k + 1 < caps.length) hi = caps[k + 1];
    } else if (best === null) {
      return { kind, limit, outcome: "none", run: null, tried };
    } else {
      hi = caps[0];
    }
  }
  return { kind, limit, outcome: "cap", run: best, tried };
}

/** Caps evenly spaced over [lo, hi): lo itself only in the first round (later it was raked already). */
export function bracketCaps(lo: number, hi: number, first: boolean): number[] {
  const caps: number[] = [];
  for (let i = first ? 0 : 1; i < BUDGET_POINTS; i++) caps.push(lo + ((hi - lo) * i) / BUDGET_POINTS);
  return caps;
}

/** What dropping each variable gains over the options as given: efficiency in points, effective n. */
export interface VariableCost {
  variable: number;
  efficiencyGainPct: number;
  effectiveNGain: number;
  run: AdvisorRun;
}

/** The leave-one-out runs as gains over the reference run, in variable order. */
export function variableCosts(advice: Advice): VariableCost[] {
  return advice.leaveOneOut.map((run) => ({
    variable: run.dropped!,
    efficiencyGainPct: run.efficiencyPct - advice.reference.efficiencyPct,
    effectiveNGain: run.effectiveN - advice.reference.effectiveN,
    run,
  }));
}

// The generated problems every parity test uses (TS vs single wasm in Node, TS vs native Rust, and the
// three backends in the browser): every feature alone, then together.
import type { Options, Problem } from "../../engine/contract";
import { generateProblem, type GenerateOptions } from "./generate";

/** Settings cycled over the seeds: every feature alone, then together. */
export const PARITY_SETTINGS: GenerateOptions[] = [
  {},
  { baseWeights: "varying" },
  { codeType: "u16", maxCategories: 9 },
  { missing: true },
  { crossed: true },
  { groups: 3 },
  { groups: 4, shares: true },
  { groups: 3, perGroupTargets: true, shares: true },
  { caps: { max: 2.5 }, baseWeights: "varying" },
  { caps: { min: 0.5, max: 2 }, baseWeights: "cell" },
  { caps: { min: 0.4, max: 3 } },
  {
    groups: 3,
    shares: true,
    perGroupTargets: true,
    caps: { min: 0.3, max: 3 },
    baseWeights: "varying",
    missing: true,
    crossed: true,
  },
  { total: 12345.5, baseWeights: "varying", tolerance: 1e-10 },
  { maxIterations: 3 },
  { caps: { max: 1.05 }, variables: 4, maxIterations: 200 },
];

export const PARITY_CASES = 210;

export function parityCase(i: number): { problem: Problem; options: Options } {
  return generateProblem(1000 + i, { n: 60 + ((i * 37) % 400), ...PARITY_SETTINGS[i % PARITY_SETTINGS.length] });
}

/** A problem every engine must refuse, with the error code it must give. */
export interface InvalidCase {
  code: string;
  problem: Problem;
  options: Options;
}

/**
 * One invalid problem per error code the engines can return (all but `cancelled`, which only the client
 * raises), each a small edit of a generated problem: the engines must give the same error value, and so
 * the same message.
 */
export function invalidCases(): InvalidCase[] {
  const fresh = (opts: GenerateOptions = {}) => generateProblem(77, { n: 40, ...opts });
  const cases: InvalidCase[] = [];
  const add = (code: string, opts: GenerateOptions, edit: (g: { problem: Problem; options: Options }) => void) => {
    const g = fresh(opts);
    edit(g);
    cases.push({ code, ...g });
  };
  const grouped = { groups: 2, shares: true };
  add("empty_problem", {}, ({ problem }) => {
    problem.n = 0;
    problem.variables.forEach((v) => (v.codes = v.codes.subarray(0, 0)));
  });
  add("no_variables", {}, ({ problem }) => (problem.variables = []));
  add("length_mismatch", {}, ({ problem }) => (problem.variables[1].codes = problem.variables[1].codes.subarray(1)));
  add("too_many_categories", {}, ({ problem }) => {
    const v = problem.variables[0];
    v.categories = Array.from({ length: 256 }, (_, c) => `c${c}`);
    v.targets = new Float64Array(256).fill(1 / 256);
  });
  add("code_out_of_range", {}, ({ problem }) => (problem.variables[1].codes[5] = 200));
  add("missing_value", {}, ({ problem }) => (problem.variables[0].codes[3] = 0xff));
  add("bad_targets", {}, ({ problem }) => (problem.variables[2].targets[0] += 0.25));
  add("empty_category", {}, ({ problem }) => {
    const v = problem.variables[0];
    v.codes.forEach((c, i) => c === 1 && (v.codes[i] = 0));
  });
  add("zero_target_with_respondents", {}, ({ problem }) => {
    const t = problem.variables[0].targets;
    t[0] += t[1];
    t[1] = 0;
  });
  add("bad_base_weight", {}, ({ problem }) => {
    problem.baseWeights = new Float64Array(problem.n).fill(1);
    problem.baseWeights[4] = Number.NaN;
  });
  add("group_code_out_of_range", grouped, ({ problem }) => (problem.group!.codes[2] = 9));
  add("missing_group", grouped, ({ problem }) => (problem.group!.codes[6] = 0xff));
  add("empty_group", grouped, ({ problem }) => problem.group!.codes.fill(0));
  add("bad_shares", grouped, ({ problem }) => (problem.group!.shares = Float64Array.from([0.5, 0.7])));
  add("bad_option", {}, ({ options }) => (options.maxIterations = 1.5));
  add("bad_option", {}, ({ options }) => (options.total = Number.NaN));
  add("infeasible_caps", {}, ({ options }) => (options.caps = { min: 1.5 }));
  return cases;
}

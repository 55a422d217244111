// Validation (engine/validate.ts): every EngineError code from a bad problem, with its fields, its message
// (engine/errors.ts) naming the variable, category, group and respondent, and the documented check order.

import { RimEngineError, type EngineError, type Options, type Problem } from "../../engine/contract";
import { rake } from "../../engine/rim";
import { validateProblem } from "../../engine/validate";

const OPTS: Options = { tolerance: 1e-8, maxIterations: 100, missing: "error" };

/** A valid grouped problem: 8 respondents, 'region' (North/South) × 'sex' and 'age', both groups populated. */
function good(): Problem {
  return {
    n: 8,
    variables: [
      {
        name: "sex",
        categories: ["Male", "Female"],
        codes: Uint8Array.from([0, 1, 0, 1, 0, 1, 0, 1]),
        targets: Float64Array.from([0.5, 0.5]),
      },
      {
        name: "age",
        categories: ["Young", "Old", "Other"],
        codes: Uint8Array.from([0, 1, 2, 0, 1, 2, 0, 1]),
        targets: Float64Array.from([0.4, 0.4, 0.2]),
      },
    ],
    baseWeights: Float64Array.from([1, 1, 2, 2, 1, 1, 2, 2]),
    group: { name: "region", labels: ["North", "South"], codes: Uint8Array.from([0, 0, 0, 0, 1, 1, 1, 1]) },
  };
}

function ungrouped(): Problem {
  const p = good();
  delete p.group;
  return p;
}

function thrown(problem: Problem, options: Options): RimEngineError {
  try {
    rake(problem, options);
  } catch (e) {
    expect(e).toBeInstanceOf(RimEngineError);
    return e as RimEngineError;
  }
  throw new Error("rake did not throw");
}

/** rake throws the value; validateProblem returns the same; the message contains every given phrase. */
function expectError(problem: Problem, options: Options, expected: EngineError, phrases: string[]): void {
  expect(validateProblem(problem, options)).toEqual(expected);
  const e = thrown(problem, options);
  expect(e.error).toEqual(expected);
  expect(e.name).toBe("RimEngineError");
  for (const phrase of phrases) expect(e.message).toContain(phrase);
}

test("the good problems are valid and rake", () => {
  expect(validateProblem(good(), OPTS)).toBeNull();
  expect(validateProblem(ungrouped(), OPTS)).toBeNull();
  expect(rake(good(), OPTS).status).toBe("converged");
});

describe("each error code", () => {
  test("empty_problem", () => {
    expectError({ n: 0, variables: [] }, OPTS, { code: "empty_problem" }, ["no respondents"]);
  });

  test("no_variables", () => {
    expectError({ n: 3, variables: [] }, OPTS, { code: "no_variables" }, ["at least one variable"]);
  });

  test("length_mismatch on a variable's codes, base weights, group codes", () => {
    const p = good();
    p.variables[1].codes = new Uint8Array(7);
    expectError(p, OPTS, { code: "length_mismatch", field: "variables[1].codes", expected: 8, actual: 7 }, [
      "'age'",
      "7",
      "8 respondents",
    ]);
    const q = good();
    q.baseWeights = new Float64Array(9).fill(1);
    expectError(q, OPTS, { code: "length_mismatch", field: "baseWeights", expected: 8, actual: 9 }, [
      "base weights",
      "9",
    ]);
    const r = good();
    r.group!.codes = new Uint8Array(3);
    expectError(r, OPTS, { code: "length_mismatch", field: "group.codes", expected: 8, actual: 3 }, ["'region'", "3"]);
  });

  test("code_out_of_range", () => {
    const p = good();
    p.variables[1].codes[5] = 3;
    expectError(p, OPTS, { code: "code_out_of_range", variable: 1, row: 5, value: 3 }, [
      "'age'",
      "respondent 6",
      "code 3",
    ]);
  });

  test("too_many_categories: the u8 missing marker cannot also be a category or a group", () => {
    const p = good();
    const k = 256;
    p.variables[1].categories = Array.from({ length: k }, (_, c) => `c${c}`);
    const targets = new Float64Array(k);
    targets.set([0.3, 0.3, 0.4]);
    p.variables[1].targets = targets;
    expectError(p, OPTS, { code: "too_many_categories", variable: 1, count: 256, max: 255 }, [
      "'age'",
      "256 categories",
      "at most 255",
    ]);
    const q = good();
    q.group!.labels = Array.from({ length: 300 }, (_, g) => `g${g}`);
    expectError(q, OPTS, { code: "too_many_categories", variable: null, count: 300, max: 255 }, [
      "'region'",
      "300 groups",
    ]);
  });

  test("group_code_out_of_range", () => {
    const p = good();
    p.group!.codes[6] = 2;
    expectError(p, OPTS, { code: "group_code_out_of_range", row: 6, value: 2 }, ["'region'", "respondent 7"]);
  });

  test("missing_value under error, with the first row and the count", () => {
    const p = good();
    p.variables[0].codes[2] = 0xff;
    p.variables[0].codes[4] = 0xff;
    expectError(p, OPTS, { code: "missing_value", variable: 0, row: 2, count: 2 }, [
      "'sex'",
      "respondent 3",
      "1 other respondent",
    ]);
  });

  test("missing_value on Uint16 codes", () => {
    const p = ungrouped();
    p.variables[1].codes = Uint16Array.from([0, 1, 2, 0, 1, 2, 0xffff, 1]);
    expectError(p, OPTS, { code: "missing_value", variable: 1, row: 6, count: 1 }, ["'age'", "respondent 7"]);
    // 255 is an ordinary (out of range) code in a Uint16Array
    p.variables[1].codes[6] = 255;
    expectError(p, OPTS, { code: "code_out_of_range", variable: 1, row: 6, value: 255 }, ["'age'"]);
  });

  test("missing_group", () => {
    const p = good();
    p.group!.codes[1] = 0xff;
    p.group!.codes[7] = 0xff;
    expectError(p, OPTS, { code: "missing_group", row: 1, count: 2 }, ["'region'", "respondent 2"]);
  });

  test.each([
    ["length", Float64Array.from([0.5, 0.5])],
    ["negative", Float64Array.from([0.6, 0.6, -0.2])],
    ["not_finite", Float64Array.from([0.5, NaN, 0.5])],
    ["sum", Float64Array.from([0.4, 0.4, 0.1])],
  ] as const)("bad_targets (%s), whole sample and per group", (reason, targets) => {
    const p = good();
    p.variables[1].targets = targets;
    expectError(p, OPTS, { code: "bad_targets", variable: 1, group: null, reason }, ["'age'"]);
    const q = good();
    q.variables[1].targetsByGroup = [undefined, targets];
    expectError(q, OPTS, { code: "bad_targets", variable: 1, group: 1, reason }, ["'age'", "in group 'South'"]);
  });

  test("empty_category, whole sample and in a group", () => {
    const p = ungrouped();
    p.variables[1].codes = Uint8Array.from([0, 1, 0, 0, 1, 1, 0, 1]);
    expectError(p, OPTS, { code: "empty_category", variable: 1, category: 2, group: null }, [
      "targets: category 'Other' of 'age' has no respondents",
    ]);
    const q = good();
    q.variables[1].codes = Uint8Array.from([0, 1, 2, 0, 1, 1, 0, 1]);
    expectError(q, OPTS, { code: "empty_category", variable: 1, category: 2, group: 1 }, [
      "category 'Other' of 'age' has no respondents in group 'South'",
    ]);
  });

  test("empty_category under exclude when a group has no valid answer", () => {
    const p = good();
    for (let i = 4; i < 8; i++) p.variables[0].codes[i] = 0xff;
    expectError(p, { ...OPTS, missing: "exclude" }, { code: "empty_category", variable: 0, category: 0, group: 1 }, [
      "'Male'",
      "'sex'",
      "'South'",
    ]);
  });

  test("zero_target_with_respondents", () => {
    const p = good();
    p.variables[1].targetsByGroup = [Float64Array.from([0.5, 0.5, 0])];
    expectError(p, OPTS, { code: "zero_target_with_respondents", variable: 1, category: 2, group: 0, count: 1 }, [
      "'Other'",
      "'age'",
      "1 respondent",
      "in group 'North'",
    ]);
  });

  test.each([0, -1, NaN, Infinity])("bad_base_weight %p", (value) => {
    const p = good();
    p.baseWeights![4] = value;
    expectError(p, OPTS, { code: "bad_base_weight", row: 4, value }, ["respondent 5"]);
  });

  test("empty_group with a share; without shares an empty group is skipped", () => {
    const p = good();
    p.group!.labels = ["North", "South", "East"];
    p.group!.shares = Float64Array.from([0.4, 0.4, 0.2]);
    expectError(p, OPTS, { code: "empty_group", group: 2 }, ["'East'", "'region'"]);
    p.group!.shares = Float64Array.from([0.5, 0.5, 0]);
    expect(validateProblem(p, OPTS)).toBeNull();
    delete p.group!.shares;
    const result = rake(p, OPTS);
    expect(result.status).toBe("converged");
    expect(result.groupRuns[2]).toEqual({ group: 2, status: "converged", iterations: 1, maxResidual: 0 });
    expect(result.groups[2].n).toBe(0);
  });

  test.each([
    ["length", Float64Array.from([1])],
    ["negative", Float64Array.from([1.5, -0.5])],
    ["not_finite", Float64Array.from([Infinity, 0.5])],
    ["sum", Float64Array.from([0.5, 0.4])],
  ] as const)("bad_shares (%s)", (reason, shares) => {
    const p = good();
    p.group!.shares = shares;
    expectError(p, OPTS, { code: "bad_shares", reason }, ["'region'"]);
  });

  test.each([
    ["tolerance", { tolerance: -1 }, -1],
    ["tolerance", { tolerance: NaN }, NaN],
    ["maxIterations", { maxIterations: 0 }, 0],
    ["maxIterations", { maxIterations: 2.5 }, 2.5],
    ["total", { total: 0 }, 0],
    ["total", { total: Infinity }, Infinity],
    ["capMin", { caps: { min: -0.1 } }, -0.1],
    ["capMin", { caps: { min: NaN } }, NaN],
    ["capMax", { caps: { max: 0 } }, 0],
    ["capMax", { caps: { max: Infinity } }, Infinity],
  ] as const)("bad_option %s %p", (option, patch, value) => {
    const words = {
      tolerance: "tolerance",
      maxIterations: "maximum iterations",
      total: "total",
      capMin: "minimum weight cap",
      capMax: "maximum weight cap",
    };
    expectError(good(), { ...OPTS, ...patch } as Options, { code: "bad_option", option, value }, [words[option]]);
  });

  test("infeasible_caps", () => {
    expectError(good(), { ...OPTS, caps: { min: 1.5 } }, { code: "infeasible_caps", min: 1.5, max: Infinity }, [
      "minimum cap of 1.5",
    ]);
    expectError(good(), { ...OPTS, caps: { min: 0.5, max: 0.8 } }, { code: "infeasible_caps", min: 0.5, max: 0.8 }, [
      "maximum cap of 0.8",
    ]);
  });
});

describe("check order", () => {
  test("lengths before options before targets before base weights before codes before feasibility", () => {
    const p = good();
    p.baseWeights = Float64Array.from([1, 1, 1, 1, 1, 1, 1, -1]);
    p.variables[0].targets = Float64Array.from([0.9, 0.9]);
    p.variables[1].codes[0] = 9;
    p.variables[1].targets = Float64Array.from([1, 0, 0]); // would also be zero_target_with_respondents
    const bad = { ...OPTS, tolerance: -1 };
    expect(validateProblem(p, bad)?.code).toBe("bad_option");
    expect(validateProblem(p, OPTS)?.code).toBe("bad_targets");
    p.variables[0].targets = Float64Array.from([0.5, 0.5]);
    expect(validateProblem(p, OPTS)?.code).toBe("bad_base_weight");
    p.baseWeights[7] = 1;
    expect(validateProblem(p, OPTS)?.code).toBe("code_out_of_range");
    p.variables[1].codes[0] = 0;
    expect(validateProblem(p, OPTS)).toEqual({
      code: "zero_target_with_respondents",
      variable: 1,
      category: 1,
      group: 0,
      count: 1,
    });
    p.variables[0].codes = new Uint8Array(2);
    expect(validateProblem(p, bad)?.code).toBe("length_mismatch");
  });

  test("group codes before variable codes; out of range beats missing anywhere", () => {
    const p = good();
    p.variables[0].codes[0] = 7;
    p.group!.codes[3] = 0xff;
    expect(validateProblem(p, OPTS)?.code).toBe("missing_group");
    p.group!.codes[3] = 0;
    p.variables[1].codes[1] = 0xff;
    p.variables[1].codes[6] = 5;
    // variable 0 first
    expect(validateProblem(p, OPTS)).toEqual({ code: "code_out_of_range", variable: 0, row: 0, value: 7 });
    p.variables[0].codes[0] = 0;
    expect(validateProblem(p, OPTS)).toEqual({ code: "code_out_of_range", variable: 1, row: 6, value: 5 });
  });

  test("variable targets (with their group targets) before shares; each element checked in order", () => {
    const p = good();
    p.group!.shares = Float64Array.from([0.5, 0.6]);
    p.variables[1].targetsByGroup = [undefined, Float64Array.from([-1, NaN, 2])];
    expect(validateProblem(p, OPTS)).toEqual({ code: "bad_targets", variable: 1, group: 1, reason: "negative" });
    p.variables[1].targetsByGroup = undefined;
    expect(validateProblem(p, OPTS)).toEqual({ code: "bad_shares", reason: "sum" });
  });

  test("feasibility: group by group, then variable, then category", () => {
    const p = good();
    // group South lacks 'Other' on age; group North has a zero-target 'Female'
    p.variables[1].codes = Uint8Array.from([0, 1, 2, 0, 1, 1, 0, 1]);
    p.variables[0].targetsByGroup = [Float64Array.from([1, 0])];
    expect(validateProblem(p, OPTS)).toEqual({
      code: "zero_target_with_respondents",
      variable: 0,
      category: 1,
      group: 0,
      count: 2,
    });
  });

  test("targets summing to 1 within 1e-9 pass; just outside fail", () => {
    const p = ungrouped();
    p.variables[0].targets = Float64Array.from([0.5, 0.5 + 0.9e-9]);
    expect(validateProblem(p, OPTS)).toBeNull();
    p.variables[0].targets = Float64Array.from([0.5, 0.5 + 1.1e-9]);
    expect(validateProblem(p, OPTS)?.code).toBe("bad_targets");
  });

  test("absent options take the defaults", () => {
    expect(validateProblem(good(), {} as Options)).toBeNull();
    expect(rake(good(), {} as Options).status).toBe("converged");
  });
});

// Error messages and the wasm JSON path (engine/errors.ts).

import type { EngineError } from "../../engine/contract";
import { describeEngineError, errorNamesOf, isWasmEngineError, type ErrorNames } from "../../engine/errors";

const NAMES: ErrorNames = {
  variables: [
    { name: "region", categories: ["North", "South", "Other"] },
    { name: "age", categories: ["18-34", "35+"] },
  ],
  group: { name: "country", labels: ["England", "Wales"] },
};

/** One value per code, fields chosen so that every name shows up. */
const EXAMPLES: EngineError[] = [
  { code: "empty_problem" },
  { code: "no_variables" },
  { code: "length_mismatch", field: "variables[1].codes", expected: 10, actual: 9 },
  { code: "code_out_of_range", variable: 0, row: 16, value: 7 },
  { code: "group_code_out_of_range", row: 3, value: 4 },
  { code: "missing_value", variable: 1, row: 16, count: 4 },
  { code: "missing_group", row: 0, count: 1 },
  { code: "bad_targets", variable: 0, group: 1, reason: "sum" },
  { code: "empty_category", variable: 0, category: 2, group: null },
  { code: "zero_target_with_respondents", variable: 1, category: 0, group: 0, count: 12 },
  { code: "bad_base_weight", row: 16, value: -2 },
  { code: "empty_group", group: 1 },
  { code: "bad_shares", reason: "negative" },
  { code: "bad_option", option: "maxIterations", value: 0 },
  { code: "infeasible_caps", min: 0.5, max: 0.9 },
  { code: "cancelled" },
];

describe("describeEngineError", () => {
  test("every code has a message naming what it is about", () => {
    const expectations: Record<string, string[]> = {
      empty_problem: ["no respondents"],
      no_variables: ["targets"],
      length_mismatch: ["'age'", "9", "10 respondents"],
      code_out_of_range: ["'region'", "respondent 17", "7", "3 categories"],
      group_code_out_of_range: ["'country'", "respondent 4", "4"],
      missing_value: ["'age'", "respondent 17", "3 other respondents", "exclude"],
      missing_group: ["'country'", "respondent 1"],
      bad_targets: ["'region'", "in group 'Wales'", "100%"],
      empty_category: ["targets: category 'Other' of 'region' has no respondents"],
      zero_target_with_respondents: ["category '18-34' of 'age'", "12 respondents", "in group 'England'"],
      bad_base_weight: ["respondent 17", "-2"],
      empty_group: ["'Wales'", "'country'", "no respondents"],
      bad_shares: ["'country'", "negative"],
      bad_option: ["maximum iterations", "0"],
      infeasible_caps: ["maximum cap of 0.9"],
      cancelled: ["cancelled"],
    };
    for (const error of EXAMPLES) {
      const message = describeEngineError(error, NAMES);
      for (const phrase of expectations[error.code]) expect(message).toContain(phrase);
      expect(message).toMatch(/[.]$/);
    }
    expect(Object.keys(expectations).sort()).toEqual(EXAMPLES.map((e) => e.code).sort());
  });

  test("the documented examples, word for word", () => {
    expect(describeEngineError({ code: "empty_category", variable: 0, category: 2, group: null }, NAMES)).toBe(
      "targets: category 'Other' of 'region' has no respondents, but its target is above 0.",
    );
    expect(describeEngineError({ code: "empty_category", variable: 0, category: 2, group: 0 }, NAMES)).toBe(
      "targets: category 'Other' of 'region' has no respondents in group 'England', but its target is above 0.",
    );
  });

  test("a group-less name table, and indices beyond the names, still give a sentence", () => {
    const bare: ErrorNames = { variables: [] };
    expect(describeEngineError({ code: "empty_category", variable: 3, category: 1, group: 2 }, bare)).toContain(
      "category number 2 of variable 4 has no respondents in group number 3",
    );
    expect(describeEngineError({ code: "missing_group", row: 4, count: 1 }, bare)).toContain("respondent 5");
  });

  test("non-finite values are words, not NaN", () => {
    expect(describeEngineError({ code: "bad_base_weight", row: 0, value: NaN }, NAMES)).toContain("not a number");
    expect(describeEngineError({ code: "bad_option", option: "total", value: Infinity }, NAMES)).toContain("Infinity");
  });

  test("errorNamesOf takes the names from a problem", () => {
    const names = errorNamesOf({
      n: 1,
      variables: [{ name: "x", categories: ["a"], codes: new Uint8Array(1), targets: Float64Array.from([1]) }],
      group: { name: "g", labels: ["G1"], codes: new Uint8Array(1) },
    });
    expect(names).toEqual({ variables: [{ name: "x", categories: ["a"] }], group: { name: "g", labels: ["G1"] } });
  });
});

describe("isWasmEngineError", () => {
  test.each(EXAMPLES.map((e) => [e.code, e]))("%s is one", (_code, error) => {
    expect(isWasmEngineError(structuredClone(error))).toBe(true);
  });

  test.each([
    ["a string", '{"code":"empty_problem"}'],
    ["null", null],
    ["an array", [{ code: "empty_problem" }]],
    ["no code", { variable: 1 }],
    ["an unknown code", { code: "oops" }],
    ["an Error", new Error("boom")],
  ])("rejects %s", (_what, thrown) => {
    expect(isWasmEngineError(thrown)).toBe(false);
  });
});

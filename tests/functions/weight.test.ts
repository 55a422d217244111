// =RIM.WEIGHT()'s logic (functions/weight.ts) with the TS engine injected: the result's shape (no header,
// one row per data row), Excel's cell values (numbers, text, "", null, error objects and error strings),
// options, every error path with its code and words, the size limits, preview and cancellation.
import { RimEngineError, type EngineError, type Options, type Problem, type RakeResult } from "../../engine/contract";
import { rake } from "../../engine/rim";
import { describeSchemeError, locateEngineError, weightColumn } from "../../scheme/scheme";
import { parseGrids as parseScheme, type Grid } from "../scheme/grids";
import { gridAddressOf } from "../../functions/addresses";
import { FunctionError } from "../../functions/excel-errors";
import { MAX_DATA_ROWS } from "../../functions/inputs";
import {
  CANCELLED_MESSAGE,
  PREVIEW_MESSAGE,
  computeWeights,
  type RakeEngine,
  type WeightArguments,
} from "../../functions/weight";
import { CustomFunctionsError } from "../fake-excel";

const tsEngine: RakeEngine = async (problem, options) => rake(problem, options);

/** Counts calls, so a test can show the engine was never reached. */
function countingEngine(inner: RakeEngine = tsEngine): RakeEngine & { calls: number } {
  const engine = (async (problem: Problem, options: Options, signal: AbortSignal) => {
    engine.calls++;
    return inner(problem, options, signal);
  }) as RakeEngine & { calls: number };
  engine.calls = 0;
  return engine;
}

const ADDRESSES = ["Data!A1:C9", "Targets!A1:C5", "Options!A1:B3"];

// 8 respondents; gender 2 M : 6 F, region 5 N : 3 S, every S a woman: raking on both takes many passes.
const DATA: Grid = [
  ["id", "gender", "region"],
  [1, "M", "N"],
  [2, "F", "N"],
  [3, "F", "S"],
  [4, "F", "S"],
  [5, "M", "N"],
  [6, "F", "N"],
  [7, "F", "N"],
  [8, "F", "S"],
];
const TARGETS: Grid = [
  ["variable", "category", "target"],
  ["gender", "M", 50],
  ["gender", "F", 50],
  ["region", "N", 60],
  ["region", "S", 40],
];

function call(args: Partial<WeightArguments>, engine: RakeEngine = tsEngine) {
  return computeWeights({ data: DATA, targets: TARGETS, addresses: ADDRESSES, ...args }, engine);
}

/** The FunctionError a call rejects with (fails the test when it resolves). */
async function failure(promise: Promise<unknown>): Promise<FunctionError> {
  try {
    await promise;
  } catch (thrown) {
    expect(thrown).toBeInstanceOf(FunctionError);
    return thrown as FunctionError;
  }
  throw new Error("expected the call to reject");
}

/** The reference: the shared parser and the TS engine, called directly as the task pane's path does. */
function reference(data: Grid, targets: Grid, settings = {}): (number | "")[] {
  const scheme = parseScheme({
    data,
    dataAt: gridAddressOf(ADDRESSES[0]),
    targets,
    targetsAt: gridAddressOf(ADDRESSES[1]),
    settings,
  });
  if (!scheme.ok) throw new Error(describeSchemeError(scheme.error));
  return weightColumn(scheme, rake(scheme.problem, scheme.options).weights);
}

describe("the result", () => {
  test("one weight per data row, no header cell, in data order: hand-checked on one variable", async () => {
    const column = await call({
      targets: [
        ["variable", "category", "target"],
        ["gender", "M", 50],
        ["gender", "F", 50],
      ],
    });
    // target share × n / count: M 0.5·8/2 = 2, F 0.5·8/6 = 2/3
    const m = 2;
    const f = 2 / 3;
    const expected = [m, f, f, f, m, f, f, f];
    expect(column).toHaveLength(DATA.length - 1);
    column.forEach((row, i) => {
      expect(row).toHaveLength(1);
      expect(row[0]).toBeCloseTo(expected[i], 12);
    });
  });

  test("equals the shared parser + engine on two variables", async () => {
    const column = await call({});
    expect(column.map((r) => r[0])).toEqual(reference(DATA, TARGETS));
  });

  test("a blank row inside the data gets an empty cell; blank rows at the end are not returned", async () => {
    const data = [...DATA.slice(0, 3), ["", "", ""], ...DATA.slice(3), ["", "", ""], [null, "", " "]];
    const column = await call({ data });
    expect(column).toHaveLength(DATA.length); // 8 respondents + the inner blank row
    expect(column[2]).toEqual([""]);
    expect(column.map((r) => r[0])).toEqual(reference(data.slice(0, DATA.length + 1), TARGETS));
  });

  test("Excel's cell values: text with spaces, booleans as TRUE/FALSE, error objects and error strings as missing", async () => {
    const data: unknown[][] = [
      ["id", "gender", "region", "flag"],
      [1, "M", "N", true],
      [2, " F ", 2, false],
      [3, "F", "N", new CustomFunctionsError("#N/A", "lookup failed")],
      [4, "F", "S", "#DIV/0!"],
      [5, "M", 2, true],
      [new CustomFunctionsError("#REF!"), "F", "S", false],
      [7, "M", "N", false],
      [8, "F", "N", true],
    ];
    const targets = [
      ["variable", "category", "target"],
      ["gender", "M", 50],
      ["gender", "F", 50],
      ["flag", "TRUE", 40],
      ["flag", "FALSE", 60],
    ];
    const options = [["missing", "exclude"]];
    const column = await call({ data, targets, options });
    expect(column.map((r) => r[0])).toEqual(reference(data, targets, { missing: "exclude" }));
    expect(column.every((r) => typeof r[0] === "number" && r[0] > 0)).toBe(true);
  });

  test("options from a range: names in snake_case, a header row, blank rows and values skipped", async () => {
    const options = [
      ["option", "value"],
      ["cap_max", 3],
      ["tolerance", "1e-9"],
      ["", ""],
      ["total", ""],
      ["max_iterations", 500],
      ["total", 800],
    ];
    const column = await call({ options });
    const expected = reference(DATA, TARGETS, { caps: { max: 3 }, tolerance: 1e-9, maxIterations: 500, total: 800 });
    expect(column.map((r) => r[0])).toEqual(expected);
    const sum = column.reduce((s, r) => s + (r[0] as number), 0);
    expect(sum).toBeCloseTo(800, 9);
  });

  test("base and group options name data columns", async () => {
    const waves = ["wave", "A", "A", "B", "B", "B", "A", "A", "B"];
    const data = DATA.map((row, i) => [...row, i === 0 ? "pw" : 1 + (i % 3), waves[i]]);
    const targets = TARGETS.slice(0, 3);
    const column = await call({
      data,
      options: [
        ["base", "pw"],
        ["group", "wave"],
      ],
      targets,
    });
    expect(column.map((r) => r[0])).toEqual(reference(data, targets, { base: "pw", group: "wave" }));
  });
});

describe("errors in the inputs: #VALUE! with the shared parser's words", () => {
  test.each([
    [
      "omitted data",
      null,
      "data: the data range is empty (Data!A1); it needs a header row and at least one respondent.",
    ],
    [
      "a blank range",
      [
        ["", ""],
        ["", ""],
      ],
      "data: the data range is empty (Data!A1); it needs a header row and at least one respondent.",
    ],
    ["header only", [["id", "gender", "region"]], "data: the data has a header row but no respondents (Data!A1)."],
    [
      "header and blank rows",
      [
        ["id", "gender", "region"],
        ["", "", ""],
      ],
      "data: the data has a header row but no respondents (Data!A1).",
    ],
  ])("%s", async (_, data, message) => {
    const error = await failure(call({ data }));
    expect(error.code).toBe("#VALUE!");
    expect(error.message).toBe(message);
  });

  test("empty targets", async () => {
    const error = await failure(call({ targets: [[""]] }));
    expect(error.code).toBe("#VALUE!");
    expect(error.message).toBe("targets: the target table has no rows (Targets!A1).");
  });

  test("an unknown option names it and lists the options, allow_unconverged included", async () => {
    const error = await failure(
      call({
        options: [
          ["tolerance", 1e-6],
          ["weight_cap", 5],
        ],
      }),
    );
    expect(error.code).toBe("#VALUE!");
    expect(error.message).toMatch(/^options: 'weight_cap' is not an option; the options are 'tolerance', /);
    expect(error.message).toContain("'allowUnconverged'");
  });

  test.each([
    [
      [["cap_max", 0.5]],
      "options: the maximum weight cap is '0.5'; it must be a number of at least 1 (a multiple of the mean weight).",
    ],
    [
      [["max_iterations", "many"]],
      "options: the maximum iterations is 'many'; it must be a whole number of at least 1.",
    ],
    [[["missing", "drop"]], "options: the missing-answer policy is 'drop'; it must be 'error' or 'exclude'."],
    [[["allow_unconverged", "maybe"]], "options: the allow_unconverged setting is 'maybe'; it must be TRUE or FALSE."],
  ])("a bad option value: %j", async (options, message) => {
    const error = await failure(call({ options }));
    expect(error.code).toBe("#VALUE!");
    expect(error.message).toBe(message);
  });

  test("a base or group option naming no column", async () => {
    const error = await failure(call({ options: [["group", "Region"]] }));
    expect(error.message).toContain("options: the group column 'Region' is not a column of the data");
    expect(error.message).toContain("Did you mean 'region'?");
  });

  test("a target category without respondents names the target cell", async () => {
    const targets = [...TARGETS.slice(0, 3), ["region", "N", 40], ["region", "S", 50], ["region", "Other", 10]];
    const error = await failure(call({ targets }));
    expect(error.code).toBe("#VALUE!");
    expect(error.message).toBe(
      "targets: category 'Other' of 'region' has no respondents, but its target is above 0 (Targets!B6).",
    );
  });

  test("scheme errors carry exactly the parser's text (the task pane's words)", async () => {
    const cases: { data?: Grid; targets?: Grid }[] = [
      { data: [...DATA, [9, "X", "N"]] },
      { data: [...DATA, [9, "", "N"]] },
      { data: [...DATA, [9, "F", new CustomFunctionsError("#REF!")]] },
      { targets: [...TARGETS, ["age", "young", 50]] },
      { targets: [...TARGETS, ["gender", "M", "lots"]] },
      { data: [["id", "gender", "gender"], ...DATA.slice(1)] },
    ];
    for (const { data = DATA, targets = TARGETS } of cases) {
      const parsed = parseScheme({
        data,
        dataAt: gridAddressOf(ADDRESSES[0]),
        targets,
        targetsAt: gridAddressOf(ADDRESSES[1]),
      });
      expect(parsed.ok).toBe(false);
      const error = await failure(call({ data, targets }));
      expect(error.code).toBe("#VALUE!");
      expect(error.message).toBe(describeSchemeError((parsed as { ok: false; error: never }).error));
    }
  });

  test("an error cell in a raking column is named with its address", async () => {
    const data = [...DATA, [9, "F", "#N/A"], [10, "M", new CustomFunctionsError("#VALUE!", "bad")]];
    const error = await failure(call({ data }));
    expect(error.code).toBe("#VALUE!");
    expect(error.message).toBe(
      "data: 'region' has 2 blank or error cells (Data!C10, Data!C11); fill them in or choose to exclude missing answers.",
    );
  });

  test("value types: an Empty cell is blank whatever Excel passed; unchecked zeros stay zeros and the error says so", async () => {
    const data = [...DATA, [0, 0, 0]];
    const types = data.map((row, r) => row.map(() => (r === data.length - 1 ? "Empty" : "String")));
    const column = await call({ data, types: [{ ok: true, types }] });
    expect(column).toEqual(await call({}));
    const error = await failure(call({ data, types: [{ ok: false, why: "unreadable" }] }));
    expect(error.message).toBe(
      "data: category '0' of 'gender' is not in the targets (1 cell: Data!B10); add a target row for it or correct the data. (Empty cells in data may have arrived as 0: the ranges could not be read back to check them, so zeros were read as zeros; end each range at its last filled row.)",
    );
  });

  test("without addresses (an array constant) cells are counted from the argument's top-left", async () => {
    const error = await failure(call({ data: [["gender"]], targets: TARGETS.slice(0, 3), addresses: undefined }));
    expect(error.message).toBe("data: the data has a header row but no respondents (A1).");
  });
});

describe("options layouts", () => {
  const expected = (total: number) => reference(DATA, TARGETS, { total, tolerance: 1e-9 });
  const weights = async (options: Grid) => (await call({ options })).map((r) => r[0]);

  test("pairs side by side on one row are all read (the second pair was silently dropped)", async () => {
    await expect(weights([["total", 600, "tolerance", 1e-9]])).resolves.toEqual(expected(600));
  });

  test("names across the first row with values below are read as pairs (the names were read as values)", async () => {
    await expect(
      weights([
        ["total", "tolerance"],
        [600, 1e-9],
      ]),
    ).resolves.toEqual(expected(600));
    await expect(
      weights([
        ["total", "tolerance", "allow_unconverged"],
        [600, 1e-9, false],
      ]),
    ).resolves.toEqual(expected(600));
  });

  test("one pair per row, with a header row or a notes column, reads as before", async () => {
    await expect(
      weights([
        ["option", "value"],
        ["total", 600],
        ["tolerance", 1e-9],
      ]),
    ).resolves.toEqual(expected(600));
    await expect(
      weights([
        ["total", 600, "weights sum to the population"],
        ["tolerance", 1e-9, ""],
      ]),
    ).resolves.toEqual(expected(600));
  });
});

describe("engine errors", () => {
  test("a RimEngineError becomes #VALUE! with the engine's words and the data cell", async () => {
    const engineError: EngineError = { code: "missing_value", variable: 1, row: 3, count: 1 };
    const failing: RakeEngine = async () => {
      throw new RimEngineError(engineError, "raw");
    };
    const error = await failure(call({}, failing));
    const scheme = parseScheme({
      data: DATA,
      dataAt: gridAddressOf(ADDRESSES[0]),
      targets: TARGETS,
      targetsAt: gridAddressOf(ADDRESSES[1]),
    });
    expect(error.code).toBe("#VALUE!");
    expect(error.message).toBe(locateEngineError(engineError, scheme as never));
    expect(error.message).toContain("respondent 4 (Data!C5)");
  });

  test("the real engine's own validation (infeasible caps from a custom engine call) keeps its words", async () => {
    const capped: RakeEngine = async (problem, options) => rake(problem, { ...options, caps: { min: 2 } });
    const error = await failure(call({}, capped));
    expect(error.code).toBe("#VALUE!");
    expect(error.message).toMatch(/minimum weight cap|weight caps/);
  });

  test("any other engine failure is #N/A naming it", async () => {
    const broken: RakeEngine = async () => {
      throw new Error("the engine worker failed: out of memory");
    };
    const error = await failure(call({}, broken));
    expect(error.code).toBe("#N/A");
    expect(error.message).toBe("The weighting engine failed: the engine worker failed: out of memory");
  });
});

describe("convergence", () => {
  test("max_iterations: #N/A naming the status, passes and residual; no weights", async () => {
    const error = await failure(
      call({
        options: [
          ["max_iterations", 1],
          ["tolerance", 1e-12],
        ],
      }),
    );
    expect(error.code).toBe("#N/A");
    expect(error.message).toMatch(
      /^Not converged: the raking stopped at max_iterations after 1 passes with a largest gap of [0-9.e-]+ percentage points \(tolerance 1e-10\)\./,
    );
    expect(error.message).toContain("allow_unconverged");
  });

  test("stalled is called stalled, never converged", async () => {
    const stalling: RakeEngine = async (problem, options) => ({
      ...rake(problem, options),
      status: "stalled",
      iterations: 42,
      maxResidual: 0.0123,
    });
    const error = await failure(call({}, stalling));
    expect(error.code).toBe("#N/A");
    expect(error.message).toMatch(
      /^Not converged: the raking stalled after 42 passes with a largest gap of 1\.23 percentage points/,
    );
  });

  test("allow_unconverged TRUE returns the unconverged weights", async () => {
    let result: RakeResult | undefined;
    const keeping: RakeEngine = async (problem, options) => (result = rake(problem, options));
    const column = await call(
      {
        options: [
          ["max_iterations", 1],
          ["tolerance", 1e-12],
          ["allow_unconverged", true],
        ],
      },
      keeping,
    );
    expect(result!.status).toBe("max_iterations");
    expect(column.map((r) => r[0])).toEqual(Array.from(result!.weights));
  });

  test("allow_unconverged as text or 1/0", async () => {
    await expect(
      call({
        options: [
          ["max_iterations", 1],
          ["allow unconverged", "yes"],
        ],
      }),
    ).resolves.toHaveLength(8);
    const error = await failure(
      call({
        options: [
          ["max_iterations", 1],
          ["tolerance", 1e-12],
          ["allowUnconverged", 0],
        ],
      }),
    );
    expect(error.code).toBe("#N/A");
  });
});

describe("limits, preview, cancellation", () => {
  test(`more than ${MAX_DATA_ROWS} data rows: #N/A pointing to the task pane, before parsing or raking`, async () => {
    const engine = countingEngine();
    const data: unknown[][] = [["gender"]];
    for (let i = 0; i <= MAX_DATA_ROWS; i++) data.push([i % 2 ? "M" : "F"]);
    const error = await failure(call({ data, targets: TARGETS.slice(0, 3) }, engine));
    expect(error.code).toBe("#N/A");
    expect(error.message).toBe(
      "data: too large for a worksheet function: 200,001 data rows (RIM.WEIGHT takes at most 200,000). Weight it from the RIM weighting task pane, which reads the sheet in blocks.",
    );
    expect(engine.calls).toBe(0);
  });

  test("exactly the row limit is taken; trailing blank rows do not count", async () => {
    const data: unknown[][] = [["gender"]];
    for (let i = 0; i < MAX_DATA_ROWS; i++) data.push([i % 2 ? "M" : "F"]);
    for (let i = 0; i < 1000; i++) data.push([""]);
    const column = await call({ data, targets: TARGETS.slice(0, 3) });
    expect(column).toHaveLength(MAX_DATA_ROWS);
  });

  test("a payload over about 4 MB: #N/A naming the size", async () => {
    const engine = countingEngine();
    const note = "x".repeat(1000);
    const data: unknown[][] = [["gender", "note"]];
    for (let i = 0; i < 5000; i++) data.push([i % 2 ? "M" : "F", note]);
    const error = await failure(call({ data, targets: TARGETS.slice(0, 3) }, engine));
    expect(error.code).toBe("#N/A");
    expect(error.message).toBe(
      "data: too large for a worksheet function: more than 4 MB of cell values (RIM.WEIGHT takes at most 4 MB). Weight it from the RIM weighting task pane, which reads the sheet in blocks.",
    );
    expect(engine.calls).toBe(0);
  });

  test("formula value preview skips the work", async () => {
    const engine = countingEngine();
    const error = await failure(call({ preview: true, data: null }, engine));
    expect(error.code).toBe("#N/A");
    expect(error.message).toBe(PREVIEW_MESSAGE);
    expect(engine.calls).toBe(0);
  });

  test("cancellation aborts the engine's signal and rejects", async () => {
    const controller = new AbortController();
    let seen: AbortSignal | undefined;
    const waiting: RakeEngine = (_problem, _options, signal) =>
      new Promise((_, reject) => {
        seen = signal;
        signal.addEventListener("abort", () =>
          reject(new RimEngineError({ code: "cancelled" }, "The run was cancelled; nothing was written.")),
        );
      });
    const pending = call({ signal: controller.signal }, waiting);
    await new Promise((r) => setTimeout(r, 0));
    expect(seen?.aborted).toBe(false);
    controller.abort();
    const error = await failure(pending);
    expect(seen?.aborted).toBe(true);
    expect(error.code).toBe("#N/A");
    expect(error.message).toBe(CANCELLED_MESSAGE);
  });

  test("an engine that ignores the signal still does not hold the call after cancellation", async () => {
    const controller = new AbortController();
    const deaf: RakeEngine = () => new Promise(() => undefined);
    const pending = call({ signal: controller.signal }, deaf);
    setTimeout(() => controller.abort(), 0);
    const error = await failure(pending);
    expect(error.message).toBe(CANCELLED_MESSAGE);
  });

  test("already cancelled: the engine is not called", async () => {
    const engine = countingEngine();
    const controller = new AbortController();
    controller.abort();
    const error = await failure(call({ signal: controller.signal }, engine));
    expect(error.message).toBe(CANCELLED_MESSAGE);
    expect(engine.calls).toBe(0);
  });
});

// functions/functions.ts as Excel uses it: registered through the fake host's CustomFunctions.associate,
// invoked with 2-D arrays as Excel passes them, bound to the shared engine client (mocked here with the TS
// engine behind it). Results equal the CLI's on the same data; errors reach the cell as CustomFunctions.Error.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { main } from "../../cli/rim";
import type { RakeCall } from "../../engine/runtime/client";
import type { BackendInfo, Options, Problem, RakeResult } from "../../engine/contract";
import { parseCsv } from "../../cli/csv";
import { rake } from "../../engine/rim";
import { CANCELLED_MESSAGE, PREVIEW_MESSAGE } from "../../functions/weight";
import { weightColumn } from "../../scheme/scheme";
import { parseGrids } from "../scheme/grids";
import { createFakeHost, CustomFunctionsError, type FakeHost } from "../fake-excel";

type RakeImpl = (problem: Problem, options: Options, call: RakeCall) => Promise<RakeResult>;

/** The shared engine client, as functions.ts sees it: the TS engine unless a test swaps the implementation. */
const mockClient = {
  calls: [] as RakeCall[],
  impl: (async (problem, options) => rake(problem, options)) as RakeImpl,
  info: { backend: "wasm-threads", threads: 4, skipped: [] } as BackendInfo | Error,
  rake(problem: Problem, options: Options, call: RakeCall = {}): Promise<RakeResult> {
    mockClient.calls.push(call);
    return mockClient.impl(problem, options, call);
  },
  async backend(): Promise<BackendInfo> {
    if (mockClient.info instanceof Error) throw mockClient.info;
    return mockClient.info;
  },
};

jest.mock("../../engine/runtime/shared-client", () => ({ sharedEngineClient: () => mockClient }));

type FunctionsModule = typeof import("../../functions/functions");

/** A fresh copy of the module, loaded the way the page loads it (with or without a host on the global). */
function loadFunctions(): FunctionsModule {
  let loaded: FunctionsModule | undefined;
  jest.isolateModules(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- jest.isolateModules needs a synchronous load
    loaded = require("../../functions/functions");
  });
  return loaded!;
}

let host: FakeHost;
let uninstall: () => void;

beforeEach(() => {
  mockClient.calls = [];
  mockClient.impl = async (problem, options) => rake(problem, options);
  mockClient.info = { backend: "wasm-threads", threads: 4, skipped: [] };
  host = createFakeHost({ mode: "web" });
  uninstall = host.install(globalThis);
  loadFunctions();
});

afterEach(() => uninstall());

const ADDRESSES = ["Data!A1:D184", "Targets!A1:C6"];

/** A CSV as Excel hands the same cells to a function: numbers as numbers, text as text, blanks as "". */
function asExcelGrid(rows: string[][]): unknown[][] {
  return rows.map((row) => row.map((cell) => (cell !== "" && !Number.isNaN(Number(cell)) ? Number(cell) : cell)));
}

function fixture(name: string): string {
  return path.join(__dirname, "..", "fixtures", "apiclus1", name);
}

function invokeWeight(args: unknown[], addresses: string[] = ADDRESSES, extra: { isInValuePreview?: boolean } = {}) {
  return host.functions.invoke("WEIGHT", args, { parameterAddresses: addresses, parameterCount: 3, ...extra });
}

describe("registration", () => {
  test("WEIGHT and BACKEND are associated once each with the module's exported functions", () => {
    expect(host.functions.ids().sort()).toEqual(["BACKEND", "WEIGHT"]);
    expect(host.functions.associations).toEqual(["WEIGHT", "BACKEND"]);
    const mod = loadFunctions(); // a second page load associates again with the new copy
    expect(host.functions.get("WEIGHT")).toBe(mod.weight);
    expect(host.functions.get("BACKEND")).toBe(mod.backend);
  });

  test("without a CustomFunctions host (the task pane in a plain browser, jest) the module loads and associates nothing", () => {
    uninstall();
    expect((globalThis as { CustomFunctions?: unknown }).CustomFunctions).toBeUndefined();
    const mod = loadFunctions();
    expect(typeof mod.weight).toBe("function");
    uninstall = host.install(globalThis);
  });
});

describe("=RIM.WEIGHT() through the host", () => {
  test("apiclus1: the same weights as the CLI, one per data row, no header", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rim-fn-"));
    const out = path.join(dir, "weights.csv");
    const io = { stdout: () => undefined, stderr: () => undefined };
    const status = await main(
      [
        "rake",
        "--data",
        fixture("data.csv"),
        "--targets",
        fixture("targets.csv"),
        "--base",
        "pw",
        "--out",
        out,
        "--backend",
        "ts",
      ],
      io,
    );
    expect(status).toBe(0);
    const cli = parseCsv(fs.readFileSync(out, "utf8"))
      .slice(1)
      .map((row) => Number(row[0]));
    fs.rmSync(dir, { recursive: true, force: true });

    const data = asExcelGrid(parseCsv(fs.readFileSync(fixture("data.csv"), "utf8")));
    const targets = asExcelGrid(parseCsv(fs.readFileSync(fixture("targets.csv"), "utf8")));
    const outcome = await invokeWeight([data, targets, [["base", "pw"]]]).outcome();
    expect(outcome.error).toBeUndefined();
    const column = outcome.value as number[][];
    expect(column).toHaveLength(data.length - 1);
    expect(cli).toHaveLength(data.length - 1);
    column.forEach((row, i) => {
      expect(row).toHaveLength(1);
      expect(Math.abs(row[0] - cli[i])).toBeLessThanOrEqual(1e-12 * Math.abs(cli[i]));
    });
    // the counts targets imply the total (6194), as the CLI documents
    expect(column.reduce((s, r) => s + r[0], 0)).toBeCloseTo(6194, 8);
  });

  test("the engine call goes to the shared client with a signal and without transferring the buffers", async () => {
    await invokeWeight([
      [["g"], ["a"], ["b"]],
      [
        ["g", "a", 50],
        ["g", "b", 50],
      ],
      null,
    ]).outcome();
    expect(mockClient.calls).toHaveLength(1);
    expect(mockClient.calls[0].transfer).toBe(false);
    expect(mockClient.calls[0].signal).toBeInstanceOf(AbortSignal);
  });

  test("an omitted options argument: null (Excel) or absent, with the invocation last", async () => {
    const data = [["g"], ["a"], ["b"], ["b"]];
    const targets = [
      ["g", "a", 50],
      ["g", "b", 50],
    ];
    const padded = await invokeWeight([data, targets]).outcome();
    const bare = await host.functions.invoke("WEIGHT", [data, targets], { parameterAddresses: ADDRESSES }).outcome();
    expect(padded.value).toEqual([[1.5], [0.75], [0.75]]);
    expect(bare.value).toEqual(padded.value);
  });

  test("error cells in a range, as CustomFunctions.Error objects or as strings, are named", async () => {
    const data = [["g"], ["a"], [new CustomFunctionsError("#N/A")], ["b"], ["#DIV/0!"]];
    const outcome = await invokeWeight([
      data,
      [
        ["g", "a", 50],
        ["g", "b", 50],
      ],
      null,
    ]).outcome();
    expect(outcome).toEqual({
      error: "#VALUE!",
      message:
        "data: 'g' has 2 blank or error cells (Data!A3, Data!A5); fill them in or choose to exclude missing answers.",
      canceled: false,
    });
  });

  test("bad input: #VALUE! with the message in the cell", async () => {
    const outcome = await invokeWeight([[["g", "h"]], [["g", "a", 50]], [["colour", "red"]]]).outcome();
    expect(outcome.error).toBe("#VALUE!");
    expect(outcome.message).toMatch(/^options: 'colour' is not an option/);
    const headerOnly = await invokeWeight([[["g", "h"]], [["g", "a", 50]], null]).outcome();
    expect(headerOnly).toEqual({
      error: "#VALUE!",
      message: "data: the data has a header row but no respondents (Data!A1).",
      canceled: false,
    });
  });

  test("formula value preview: #N/A 'preview skipped', the engine untouched", async () => {
    const outcome = await invokeWeight([[["g"], ["a"]], [["g", "a", 100]], null], ADDRESSES, {
      isInValuePreview: true,
    }).outcome();
    expect(outcome).toEqual({ error: "#N/A", message: PREVIEW_MESSAGE, canceled: false });
    expect(mockClient.calls).toHaveLength(0);
  });

  test("cancellation: onCanceled aborts the engine call's signal and the call rejects", async () => {
    let signal: AbortSignal | undefined;
    mockClient.impl = (_problem, _options, call) =>
      new Promise((_, reject) => {
        signal = call.signal;
        call.signal!.addEventListener("abort", () => reject(new Error("aborted")));
      });
    const handle = invokeWeight([
      [["g"], ["a"], ["b"]],
      [
        ["g", "a", 50],
        ["g", "b", 50],
      ],
      null,
    ]);
    await new Promise((r) => setTimeout(r, 0));
    expect(signal?.aborted).toBe(false);
    handle.cancel();
    expect(signal?.aborted).toBe(true);
    await expect(handle.result).rejects.toBeInstanceOf(CustomFunctionsError);
    expect(await handle.outcome()).toEqual({ error: "#N/A", message: CANCELLED_MESSAGE, canceled: true });
  });

  test("an engine that fails (a crashed worker): #N/A naming the failure", async () => {
    mockClient.impl = async () => {
      throw new Error("the engine worker failed: unknown error");
    };
    const outcome = await invokeWeight([[["g"], ["a"]], [["g", "a", 100]], null]).outcome();
    expect(outcome).toEqual({
      error: "#N/A",
      message: "The weighting engine failed: the engine worker failed: unknown error",
      canceled: false,
    });
  });

  test("not converged: #N/A, or the weights with allow_unconverged", async () => {
    const data = [
      ["g", "r"],
      ["m", "n"],
      ["f", "n"],
      ["f", "s"],
      ["f", "s"],
      ["m", "n"],
      ["f", "n"],
    ];
    const targets = [
      ["g", "m", 50],
      ["g", "f", 50],
      ["r", "n", 60],
      ["r", "s", 40],
    ];
    const stopped = await invokeWeight([data, targets, [["max_iterations", 2]]]).outcome();
    expect(stopped.error).toBe("#N/A");
    expect(stopped.message).toMatch(/^Not converged: the raking stopped at max_iterations after 2 passes/);
    const kept = await invokeWeight([
      data,
      targets,
      [
        ["max_iterations", 2],
        ["allow_unconverged", true],
      ],
    ]).outcome();
    expect(kept.error).toBeUndefined();
    expect(kept.value).toHaveLength(6);
  });
});

describe("=RIM.WEIGHT() on workbook ranges: Excel desktop passes empty cells as 0, the web null", () => {
  /**
   * 200 respondents; kids holds real zeros; unless `complete`, some ages are blank and row 101 is blank; the
   * data ends at row 201.
   */
  function survey(complete = false): unknown[][] {
    const rows: unknown[][] = [["id", "gender", "age", "kids"]];
    for (let i = 1; i <= 200; i++) {
      if (i === 100 && !complete) rows.push(["", "", "", ""]);
      else
        rows.push([
          i,
          i % 3 === 0 ? "F" : "M",
          i % 7 === 0 && !complete ? "" : i % 2 === 0 ? "young" : "old",
          Math.floor(i / 5) % 3,
        ]);
    }
    return rows;
  }
  const TARGETS = [
    ["variable", "category", "target"],
    ["gender", "M", 48],
    ["gender", "F", 52],
    ["age", "young", 40],
    ["age", "old", 60],
    ["kids", 0, 30],
    ["kids", 1, 30],
    ["kids", 2, 40],
  ];
  // Generous ranges: a column and 300 rows beyond the data, four blank rows below the targets and the options.
  const REFS = ["Data!A1:E501", "Targets!A1:C12", "Options!A1:B3"];

  async function weightsOn(
    mode: "web" | "desktop",
    requirementSets?: Record<string, string>,
    refs: (string | null)[] = REFS,
    data = survey(),
  ) {
    uninstall();
    host = createFakeHost({
      mode,
      requirementSets,
      sheets: { Data: data, Targets: TARGETS, Options: [["missing", "exclude"]] },
    });
    uninstall = host.install(globalThis);
    loadFunctions();
    return host.functions.invokeWithRanges("WEIGHT", refs).outcome();
  }

  test("the desktop flavour passes empty cells as 0 and the web flavour as null", () => {
    const desktop = createFakeHost({
      mode: "desktop",
      sheets: {
        Data: [
          ["a", ""],
          [0, 1],
        ],
      },
    });
    const web = createFakeHost({
      mode: "web",
      sheets: {
        Data: [
          ["a", ""],
          [0, 1],
        ],
      },
    });
    const seen: unknown[] = [];
    for (const h of [desktop, web]) {
      h.functions.associate("ECHO", (range: unknown) => seen.push(range));
      h.functions.invokeWithRanges("ECHO", ["Data!A1:B3"]);
    }
    expect(seen).toEqual([
      [
        ["a", 0],
        [0, 1],
        [0, 0],
      ],
      [
        ["a", null],
        [0, 1],
        [null, null],
      ],
    ]);
  });

  test("the same formula gives the same weights on desktop and web; blank rows, blank answers and real zeros kept", async () => {
    const web = await weightsOn("web");
    const desktop = await weightsOn("desktop");
    expect(web.error).toBeUndefined();
    expect(desktop).toEqual(web);
    const column = (web.value as (number | "")[][]).map((row) => row[0]);
    // one weight per row down to the last respondent; the blank row inside the data gets an empty cell
    expect(column).toHaveLength(200);
    expect(column[99]).toBe("");
    // what the parser makes of the data without any host in between: real zeros are the kids category '0'
    const data = survey();
    const reference = parseGrids({ data, targets: TARGETS, settings: { missing: "exclude" } });
    if (!reference.ok) throw new Error(JSON.stringify(reference.error));
    expect(reference.problem.variables[2].categories).toEqual(["0", "1", "2"]);
    expect(column).toEqual(weightColumn(reference, rake(reference.problem, reference.options).weights));
  });

  test("without CustomFunctionsRuntime 1.3 (no parameter addresses) zeros stay zeros, and the error says why", async () => {
    const outcome = await weightsOn("desktop", {
      ExcelApi: "1.17",
      CustomFunctionsRuntime: "1.2",
      SharedRuntime: "1.1",
    });
    expect(outcome.error).toBe("#VALUE!");
    expect(outcome.message).toBe(
      "options: '0' is not an option; the options are 'tolerance', 'maxIterations', 'capMax', 'capMin', 'total', 'missing', 'base', 'group', 'variables', 'allowUnconverged'. (Empty cells in data, targets and options may have arrived as 0: Excel gave no range address to check them (it needs CustomFunctionsRuntime 1.3 and a cell range), so zeros were read as zeros; end each range at its last filled row.)",
    );
    // where the ranges hold no empty cell, the same host gives the web's weights
    const exact = ["Data!A1:D201", "Targets!A1:C8", "Options!A1:B1"];
    const desktop = await weightsOn("desktop", { CustomFunctionsRuntime: "1.2" }, exact, survey(true));
    expect(desktop.error).toBeUndefined();
    expect(desktop).toEqual(await weightsOn("web", undefined, REFS, survey(true)));
  });
});

describe("=RIM.BACKEND()", () => {
  test.each([
    [{ backend: "wasm-threads", threads: 4, skipped: [] }, "wasm-threads (4 threads)"],
    [
      {
        backend: "wasm",
        threads: 1,
        skipped: [
          { backend: "wasm-threads", reason: "the page is not cross-origin isolated (crossOriginIsolated is false)" },
        ],
      },
      "wasm — wasm-threads skipped: the page is not cross-origin isolated (crossOriginIsolated is false)",
    ],
    [
      {
        backend: "ts",
        threads: 1,
        skipped: [
          { backend: "wasm-threads", reason: "WebAssembly is not available in this host" },
          { backend: "wasm", reason: "WebAssembly is not available in this host" },
        ],
      },
      "ts — wasm-threads skipped: WebAssembly is not available in this host; wasm skipped: WebAssembly is not available in this host",
    ],
  ] as [BackendInfo, string][])("%j", async (info, text) => {
    mockClient.info = info;
    expect(await host.functions.invoke("BACKEND", []).outcome()).toEqual({ value: text, canceled: false });
  });

  test("a worker that cannot start: #N/A with the reason", async () => {
    mockClient.info = new Error("the engine worker failed: script error");
    expect(await host.functions.invoke("BACKEND", []).outcome()).toEqual({
      error: "#N/A",
      message: "RIM.BACKEND failed unexpectedly: the engine worker failed: script error",
      canceled: false,
    });
  });
});

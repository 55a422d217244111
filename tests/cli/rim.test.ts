// The CLI end to end: `node bin/rim.js` on fixture CSVs. Weights must equal the engine called directly on
// the parsed scheme; bad input exits 2 with one line on stderr and writes nothing.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseCsv } from "../../cli/csv";
import { main } from "../../cli/rim";
import * as validate from "../../engine/validate";
import { loadNodeBackend } from "../../engine/runtime/node";
import { rake as rakeWithTs } from "../../engine/rim";
import { weightColumn, type Scheme } from "../../scheme/scheme";
import { parseGrids, type GridSettings } from "../scheme/grids";

const ROOT = path.join(__dirname, "..", "..");
const BIN = path.join(ROOT, "bin", "rim.js");
const FIXTURES = path.join(__dirname, "..", "fixtures");
const API_DATA = path.join(FIXTURES, "apiclus1", "data.csv");
const API_TARGETS = path.join(FIXTURES, "apiclus1", "targets.csv");
const SURVEY = path.join(FIXTURES, "cli", "survey.csv");
const SURVEY_TARGETS = path.join(FIXTURES, "cli", "targets.csv");

jest.setTimeout(60_000);

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "rim-cli-"));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function rim(...args: string[]) {
  const run = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: "utf8" });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

function readWeights(file: string): (number | "")[] {
  const rows = parseCsv(fs.readFileSync(file, "utf8"));
  expect(rows[0]).toEqual(["weight"]);
  return rows.slice(1).map((row) => (row[0] === "" ? "" : Number(row[0])));
}

function schemeOf(data: string, targets: string, settings: GridSettings): Scheme {
  const scheme = parseGrids({
    data: parseCsv(fs.readFileSync(data, "utf8")),
    dataAt: { sheet: path.basename(data), row: 0, col: 0 },
    targets: parseCsv(fs.readFileSync(targets, "utf8")),
    settings,
  });
  if (!scheme.ok) throw new Error(JSON.stringify(scheme.error));
  return scheme;
}

describe("rim rake", () => {
  test("apiclus1-like data: the survey::rake reference weights, equal to the engine called directly", async () => {
    const out = path.join(dir, "w.csv");
    const report = path.join(dir, "report.json");
    const run = rim(
      "rake",
      "--data",
      API_DATA,
      "--targets",
      API_TARGETS,
      "--out",
      out,
      "--report",
      report,
      "--base",
      "pw",
      "--tolerance",
      "1e-10",
    );
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/status +converged/);
    expect(run.stdout).toMatch(/iterations +\d+/);
    expect(run.stdout).toMatch(/max residual +\d/);
    expect(run.stdout).toMatch(/backend +(wasm|ts)/);
    expect(run.stdout).toMatch(/efficiency +\d+\.\d\d%/);

    const weights = readWeights(out) as number[];
    expect(weights).toHaveLength(183);
    const data = parseCsv(fs.readFileSync(API_DATA, "utf8")).slice(1);
    const expected: Record<string, number> = {
      "E/No": 39.83924,
      "E/Yes": 29.87067,
      "H/No": 67.12553,
      "H/Yes": 50.3294,
      "M/No": 49.06907,
      "M/Yes": 36.79102,
    };
    data.forEach((row, i) => expect(Math.abs(weights[i] - expected[`${row[1]}/${row[2]}`])).toBeLessThan(2e-5));
    expect(weights.reduce((a, b) => a + b, 0)).toBeCloseTo(6194, 6);

    // the same weights, to the last bit, as parsing and raking here with the same backend
    const scheme = schemeOf(API_DATA, API_TARGETS, { base: "pw", tolerance: 1e-10 });
    const backend = await loadNodeBackend("auto");
    expect(weights).toEqual(Array.from(backend.rake(scheme.problem, scheme.options).weights));

    const json = JSON.parse(fs.readFileSync(report, "utf8"));
    expect(json.status).toBe("converged");
    expect(json.backend).toBe(backend.name);
    expect(json.total).toMatchObject({ source: "counts", value: 6194 });
    const row = json.categories.find(
      (c: { variable: string; category: string }) => c.variable === "stype" && c.category === "H",
    );
    expect(row).toMatchObject({ group: null, unweightedN: 14 });
    expect(row.weightedPct).toBeCloseTo((100 * 755) / 6194, 6);
    expect(json.summary.group).toBeNull();
  });

  test("count targets and --total agree; --total rescales", () => {
    const a = path.join(dir, "a.csv");
    const b = path.join(dir, "b.csv");
    expect(rim("rake", "--data", API_DATA, "--targets", API_TARGETS, "--out", a, "--base", "pw").code).toBe(0);
    expect(
      rim("rake", "--data", API_DATA, "--targets", API_TARGETS, "--out", b, "--base", "pw", "--total", "183").code,
    ).toBe(0);
    const wa = readWeights(a) as number[];
    const wb = readWeights(b) as number[];
    wa.forEach((x, i) => expect(wb[i]).toBeCloseTo((x * 183) / 6194, 10));
  });

  test("--backend ts gives the weights of the TS engine, and the default backend agrees with it", () => {
    const ts = path.join(dir, "ts.csv");
    const auto = path.join(dir, "auto.csv");
    const runTs = rim(
      "rake",
      "--data",
      SURVEY,
      "--targets",
      SURVEY_TARGETS,
      "--out",
      ts,
      "--base",
      "wt",
      "--backend",
      "ts",
    );
    expect(runTs.code).toBe(0);
    expect(runTs.stdout).toMatch(/backend +ts/);
    expect(rim("rake", "--data", SURVEY, "--targets", SURVEY_TARGETS, "--out", auto, "--base", "wt").code).toBe(0);
    const scheme = schemeOf(SURVEY, SURVEY_TARGETS, { base: "wt" });
    const direct = weightColumn(scheme, rakeWithTs(scheme.problem, scheme.options).weights);
    expect(readWeights(ts)).toEqual(direct);
    const wAuto = readWeights(auto);
    // a blank data row gets an empty weight, in its place
    expect(wAuto[5]).toBe("");
    expect(wAuto).toHaveLength(13);
    wAuto.forEach((w, i) =>
      w === ""
        ? expect(direct[i]).toBe("")
        : expect(Math.abs(w - (direct[i] as number))).toBeLessThanOrEqual(1e-12 * w),
    );
  });

  test("groups with per-group targets and a shares file", () => {
    const out = path.join(dir, "w.csv");
    const report = path.join(dir, "r.json");
    const targets = path.join(FIXTURES, "cli", "targets-grouped.csv");
    const shares = path.join(FIXTURES, "cli", "shares.csv");
    const run = rim(
      "rake",
      "--data",
      SURVEY,
      "--targets",
      targets,
      "--out",
      out,
      "--report",
      report,
      "--group",
      "region",
      "--shares",
      shares,
      "--total",
      "1000",
    );
    expect(run.code).toBe(0);
    const json = JSON.parse(fs.readFileSync(report, "utf8"));
    const north = json.groups.find((g: { group: string }) => g.group === "North");
    expect(north.sumWeights).toBeCloseTo(400, 8);
    const genderNorth = json.categories.find(
      (c: { variable: string; category: string; group: string | null }) =>
        c.variable === "gender" && c.category === "M" && c.group === "North",
    );
    expect(genderNorth.weightedPct).toBeCloseTo(45, 4);
  });

  test("numbers in the CSVs are read as Excel reads them: '1.0' in the data is the target '1'", () => {
    const data = path.join(dir, "d.csv");
    const targets = path.join(dir, "t.csv");
    fs.writeFileSync(data, "q1,q2\n1.0,2\n2.00,1\n1,1\n02,2\n");
    fs.writeFileSync(targets, "variable,category,target\nq1,1,50\nq1,2,50\nq2,1.0,40\nq2,2,60\n");
    const out = path.join(dir, "w.csv");
    const run = rim("rake", "--data", data, "--targets", targets, "--out", out, "--tolerance", "1e-12");
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const weights = readWeights(out) as number[];
    expect(weights).toHaveLength(4);
    // q1: respondents 1 and 3 are '1', 2 and 4 are '2'; the weights sum to n = 4 with both margins met.
    expect(weights[0] + weights[2]).toBeCloseTo(2, 10);
    expect(weights[1] + weights[2]).toBeCloseTo(1.6, 10);
  });

  test("a warning goes to stderr and the run still succeeds", () => {
    const targets = path.join(dir, "t.csv");
    fs.writeFileSync(targets, "variable,category,target\ngender,M,48\ngender,F,51.5\n");
    const run = rim("rake", "--data", SURVEY, "--targets", targets, "--out", path.join(dir, "w.csv"));
    expect(run.code).toBe(0);
    expect(run.stderr).toBe(
      "rim: warning: data: 1 blank row was skipped (first at survey.csv!A7); it gets no weight.\nrim: warning: targets: the targets of 'gender' add up to 99.5%, not 100%; they were scaled to 100%.\n",
    );
  });

  test("not converged: weights written, exit 3", () => {
    const out = path.join(dir, "w.csv");
    const run = rim(
      "rake",
      "--data",
      API_DATA,
      "--targets",
      API_TARGETS,
      "--out",
      out,
      "--base",
      "pw",
      "--max-iterations",
      "1",
    );
    expect(run.code).toBe(3);
    expect(run.stdout).toMatch(/status +max_iterations/);
    expect(fs.existsSync(out)).toBe(true);
  });
});

describe("failures: exit 2, one line, nothing written", () => {
  function expectFailure(run: ReturnType<typeof rim>, message: string | RegExp): void {
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr.endsWith("\n")).toBe(true);
    expect(run.stderr.trimEnd().split("\n")).toHaveLength(1);
    if (typeof message === "string") expect(run.stderr).toBe(`rim: ${message}\n`);
    else expect(run.stderr).toMatch(message);
    // no weights, no report, no temporary files
    expect(fs.readdirSync(dir).filter((f) => f !== "old.csv")).toEqual([]);
  }

  test("a data category without a target names the variable, category and cells", () => {
    const run = rim(
      "rake",
      "--data",
      SURVEY,
      "--targets",
      path.join(FIXTURES, "cli", "targets-bad.csv"),
      "--out",
      path.join(dir, "w.csv"),
      "--report",
      path.join(dir, "r.json"),
    );
    expectFailure(
      run,
      "data: category '55+' of 'age' is not in the targets (4 cells: survey.csv!C4, survey.csv!C6, survey.csv!C10, …); add a target row for it or correct the data.",
    );
  });

  test("an existing output file is left as it was", () => {
    const out = path.join(dir, "old.csv");
    fs.writeFileSync(out, "old");
    const run = rim("rake", "--data", SURVEY, "--targets", path.join(FIXTURES, "cli", "targets-bad.csv"), "--out", out);
    expectFailure(run, /^rim: data: category '55\+' of 'age'/);
    expect(fs.readFileSync(out, "utf8")).toBe("old");
  });

  test("bad base weights name the column and cell", () => {
    const data = path.join(dir, "d.csv");
    fs.writeFileSync(data, "gender,w\nM,1\nF,0\n");
    const targets = path.join(dir, "t.csv");
    fs.writeFileSync(targets, "gender,M,50\ngender,F,50\n");
    const run = spawnSync(
      process.execPath,
      [BIN, "rake", "--data", data, "--targets", targets, "--out", path.join(dir, "w.csv"), "--base", "w"],
      { encoding: "utf8" },
    );
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(
      "rim: data: base weights in 'w' must be numbers greater than 0, but d.csv!B3 is '0' (1 bad cell: d.csv!B3).\n",
    );
    expect(fs.existsSync(path.join(dir, "w.csv"))).toBe(false);
  });

  test("a missing file, a bad option, an unknown flag, a missing flag, a bad backend", () => {
    const out = path.join(dir, "w.csv");
    expectFailure(
      rim("rake", "--data", path.join(dir, "nope.csv"), "--targets", SURVEY_TARGETS, "--out", out),
      /^rim: cannot read the data file '.*nope\.csv': ENOENT\n$/,
    );
    expectFailure(
      rim("rake", "--data", SURVEY, "--targets", SURVEY_TARGETS, "--out", out, "--cap-max", "0.5"),
      "options: the maximum weight cap is '0.5'; it must be a number of at least 1 (a multiple of the mean weight).",
    );
    expectFailure(
      rim("rake", "--data", SURVEY, "--targets", SURVEY_TARGETS, "--out", out, "--speed", "9"),
      "unknown option '--speed' (see rim --help)",
    );
    expectFailure(rim("rake", "--data", SURVEY, "--targets", SURVEY_TARGETS), "rake needs --out (see rim --help)");
    expectFailure(
      rim("rake", "--data", SURVEY, "--targets", SURVEY_TARGETS, "--out", out, "--backend", "gpu"),
      "--backend must be auto, wasm or ts (not 'gpu')",
    );
    expectFailure(
      rim("rake", "--data", SURVEY, "--targets", SURVEY_TARGETS, "--out", out, "--missing", "skip"),
      "options: the missing-answer policy is 'skip'; it must be 'error' or 'exclude'.",
    );
    expectFailure(rim("frobnicate"), "unknown command 'frobnicate' (see rim --help)");
  });

  test("an output that would overwrite an input", () => {
    const copy = path.join(dir, "old.csv");
    fs.copyFileSync(SURVEY, copy);
    expectFailure(
      rim("rake", "--data", copy, "--targets", SURVEY_TARGETS, "--out", copy),
      /would overwrite an input file/,
    );
    expect(fs.readFileSync(copy, "utf8")).toBe(fs.readFileSync(SURVEY, "utf8"));
  });

  test("a malformed CSV", () => {
    const targets = path.join(dir, "t.csv");
    fs.writeFileSync(targets, 'variable,category,target\ngender,"M,48\n');
    const run = rim("rake", "--data", SURVEY, "--targets", targets, "--out", path.join(dir, "w.csv"));
    expect(run.code).toBe(2);
    expect(run.stderr).toBe("rim: t.csv: unterminated quoted field starting on line 2\n");
    expect(fs.existsSync(path.join(dir, "w.csv"))).toBe(false);
  });
});

describe("validation", () => {
  test("the problem is validated once per run, by the engine", async () => {
    const out = path.join(dir, "w.csv");
    // The engine's own entry: validateProblem is validateCounting without the counts.
    const spy = jest.spyOn(validate, "validateCounting");
    const plain = jest.spyOn(validate, "validateProblem");
    const io = { stdout: () => undefined, stderr: () => undefined };
    try {
      const args = ["rake", "--data", SURVEY, "--targets", SURVEY_TARGETS, "--out", out, "--backend", "ts"];
      expect(await main(args, io)).toBe(0);
      expect(spy).toHaveBeenCalledTimes(1);
      expect(plain).not.toHaveBeenCalled();
    } finally {
      spy.mockRestore();
      plain.mockRestore();
    }
  });

  test("infeasible targets: the engine's error, with the target cell, exit 2 and nothing written", () => {
    const targets = path.join(dir, "t.csv");
    // 'East' has a target but no respondent: found by the engine's validation, located by the parser
    fs.writeFileSync(targets, "variable,category,target\nregion,North,40\nregion,South,40\nregion,East,20\n");
    const out = path.join(dir, "w.csv");
    for (const backend of ["ts", "wasm"]) {
      const run = rim("rake", "--data", SURVEY, "--targets", targets, "--out", out, "--backend", backend);
      expect(run.code).toBe(2);
      expect(run.stderr.split("\n").at(-2)).toBe(
        "rim: targets: category 'East' of 'region' has no respondents, but its target is above 0 (t.csv!B4).",
      );
      expect(fs.existsSync(out)).toBe(false);
    }
  });
});

describe("rim --help", () => {
  test("prints usage and exits 0; no arguments prints it to stderr and exits 2", () => {
    const help = rim("--help");
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("rim rake --data DATA.csv --targets TARGETS.csv --out WEIGHTS.csv");
    expect(help.stdout).toContain("count targets imply the total");
    const none = rim();
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("Usage:");
  });
});

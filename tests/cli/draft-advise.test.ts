// `rim draft` and `rim advise` end to end: `node bin/rim.js` on fixture CSVs. A drafted table, once its targets
// are filled, rakes; a draft never replaces a file without --force; the advice in the report equals the
// engine's advice on the same parsed scheme; bad flags exit 2 with one line and write nothing.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { formatCsv, parseCsv } from "../../cli/csv";
import { csvCells } from "../../cli/common";
import { loadNodeBackend } from "../../engine/runtime/node";
import { parseScheme } from "../../scheme/scheme";

const ROOT = path.join(__dirname, "..", "..");
const BIN = path.join(ROOT, "bin", "rim.js");
const FIXTURES = path.join(__dirname, "..", "fixtures");
const API_DATA = path.join(FIXTURES, "apiclus1", "data.csv");
const API_TARGETS = path.join(FIXTURES, "apiclus1", "targets.csv");
const SURVEY = path.join(FIXTURES, "cli", "survey.csv");

jest.setTimeout(60_000);

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "rim-draft-"));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function rim(...args: string[]) {
  const run = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: "utf8" });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe("rim draft", () => {
  test("drafts every category present, then rakes once the targets are filled", () => {
    const out = path.join(dir, "targets.csv");
    const run = rim("draft", "--data", SURVEY, "--variables", "gender,age x region", "--out", out);
    expect(run.stderr).toMatch(/blank row was skipped/);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/drafted \d+ categories of 2 variables \(12 respondents\)/);
    const rows = parseCsv(fs.readFileSync(out, "utf8"));
    expect(rows[0]).toEqual(["variable", "category", "sample n", "sample %", "target"]);
    expect(rows.slice(1, 3).map((r) => [r[0], r[1], r[4]])).toEqual([
      ["gender", "M", ""],
      ["gender", "F", ""],
    ]);
    expect(rows.filter((r) => r[0] === "age x region").every((r) => / x (North|South)$/.test(r[1]))).toBe(true);
    // Fill each target with the sample %: the raking must read every label and converge at once.
    const filled = rows.map((r, k) => (k === 0 ? r : [...r.slice(0, 4), r[3]]));
    fs.writeFileSync(out, formatCsv(filled));
    const weights = path.join(dir, "w.csv");
    const rake = rim("rake", "--data", SURVEY, "--targets", out, "--out", weights);
    expect(rake.stderr).not.toMatch(/error/i);
    expect(rake.code).toBe(0);
    expect(rake.stdout).toMatch(/status {10}converged/);
  });

  test("never replaces an existing file without --force, nor an input", () => {
    const out = path.join(dir, "targets.csv");
    fs.writeFileSync(out, "keep me\n");
    const refused = rim("draft", "--data", SURVEY, "--variables", "gender", "--out", out);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/already exists; choose another --out, or add --force/);
    expect(fs.readFileSync(out, "utf8")).toBe("keep me\n");
    const forced = rim("draft", "--data", SURVEY, "--variables", "gender", "--out", out, "--force");
    expect(forced.code).toBe(0);
    expect(fs.readFileSync(out, "utf8")).toMatch(/^variable,category/);
    const input = rim("draft", "--data", SURVEY, "--variables", "gender", "--out", SURVEY, "--force");
    expect(input.code).toBe(2);
    expect(input.stderr).toMatch(/would overwrite an input file/);
  });

  test("an unknown column names the columns; a rake option is refused", () => {
    const out = path.join(dir, "t.csv");
    const unknown = rim("draft", "--data", SURVEY, "--variables", "gendre", "--out", out);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/'gendre' is not a column of the data.*'gender'/);
    const option = rim("draft", "--data", SURVEY, "--variables", "gender", "--out", out, "--cap-max", "3");
    expect(option.code).toBe(2);
    expect(option.stderr).toMatch(/draft does not take --cap-max/);
    expect(fs.existsSync(out)).toBe(false);
  });
});

describe("rim advise", () => {
  test("the table and the report give the engine's advice on the same scheme", async () => {
    const report = path.join(dir, "advice.json");
    const run = rim(
      "advise",
      "--data",
      API_DATA,
      "--targets",
      API_TARGETS,
      "--caps",
      "1.1,2",
      "--min-efficiency",
      "97",
      "--report",
      report,
    );
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^cap sweep/);
    expect(run.stdout).toMatch(/\n1\.1 +stalled/);
    expect(run.stdout).toMatch(/variable cost/);
    expect(run.stdout).toMatch(/budget: efficiency at least 97%/);
    const json = JSON.parse(fs.readFileSync(report, "utf8"));
    const scheme = parseScheme({
      data: csvCells(parseCsv(fs.readFileSync(API_DATA, "utf8"))),
      targets: csvCells(parseCsv(fs.readFileSync(API_TARGETS, "utf8"))),
    });
    if (!scheme.ok) throw new Error(JSON.stringify(scheme.error));
    const backend = await loadNodeBackend();
    const advice = backend.advise(scheme.problem, scheme.options, { caps: [1.1, 2], budget: { minEfficiency: 97 } });
    expect(json.sweep.map((r: { efficiencyPct: number }) => r.efficiencyPct)).toEqual(
      advice.sweep.map((r) => r.efficiencyPct),
    );
    expect(json.budget.run.capMax).toBe(advice.budget!.run!.capMax);
    expect(json.leaveOneOut.map((r: { dropped: string }) => r.dropped)).toEqual(["stype", "sch.wide"]);
    expect(json.leaveOneOut[0].efficiencyGainPct).toBe(
      advice.leaveOneOut[0].efficiencyPct - advice.reference.efficiencyPct,
    );
  });

  test("bad caps and budgets exit 2 with one line naming the flag; rake refuses advisor flags", () => {
    const base = ["advise", "--data", API_DATA, "--targets", API_TARGETS];
    expect(rim(...base, "--caps", "2,0.5").stderr).toMatch(/--caps: '0\.5' is not a cap/);
    expect(rim(...base, "--max-deff", "1.2", "--min-efficiency", "90").stderr).toMatch(/not both/);
    const deff = rim(...base, "--max-deff", "0.8");
    expect(deff.code).toBe(2);
    expect(deff.stderr).toMatch(/--max-deff: The maximum design effect is 0\.8; it must be a number of at least 1/);
    expect(rim(...base, "--min-efficiency", "lots").stderr).toMatch(/--min-efficiency must be a number/);
    const rake = rim("rake", ...base.slice(1), "--out", path.join(dir, "w.csv"), "--caps", "2");
    expect(rake.code).toBe(2);
    expect(rake.stderr).toMatch(/rake does not take --caps/);
  });
});

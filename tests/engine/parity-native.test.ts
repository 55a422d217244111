// Parity: native Rust (engine-rs built for this machine, run through examples/parity_native.rs) gives the
// same whole result as the TS engine (every field, numbers to 1e-12 relative) on the shared generated
// problems, and the same error value on an invalid problem for every error code.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Codes, Options, Problem, RakeResult } from "../../engine/contract";
import { RimEngineError } from "../../engine/contract";
import { rake } from "../../engine/rim";
import { resultDifferences } from "./compare-results";
import { PARITY_CASES, invalidCases, parityCase } from "./parity-cases";

const root = path.join(__dirname, "..", "..");

/** `LEN x1 … xLEN`; numbers in JS's shortest round-trip form (NaN and Infinity spelled so Rust reads them). */
const list = (xs: ArrayLike<number>) => `${xs.length} ${Array.from(xs).join(" ")}`.trimEnd();

function codesText(codes: Codes): string {
  return `${codes instanceof Uint8Array ? "u8" : "u16"} ${list(codes)}`;
}

const num = (x: number | undefined) => (x === undefined ? "-" : String(x));

/** The token format examples/parity_native.rs reads. */
function problemText(problem: Problem, options: Options): string {
  const lines = [
    `${problem.n} ${options.tolerance} ${options.maxIterations} ${options.missing === "exclude" ? 1 : 0}`,
    `${num(options.caps?.min)} ${num(options.caps?.max)} ${num(options.total)}`,
  ];
  problem.variables.forEach((v) => lines.push(`var ${v.categories.length} ${codesText(v.codes)} ${list(v.targets)}`));
  problem.variables.forEach((v, i) =>
    v.targetsByGroup?.forEach((t, g) => t && lines.push(`bygroup ${i} ${g} ${list(t)}`)),
  );
  if (problem.baseWeights) lines.push(`base ${list(problem.baseWeights)}`);
  const group = problem.group;
  if (group)
    lines.push(
      `group ${group.labels.length} ${codesText(group.codes)} ${group.shares ? `shares ${list(group.shares)}` : "noshares"}`,
    );
  return lines.join("\n") + "\n";
}

type Native = { report: Omit<RakeResult, "weights">; weights: number[] } | { error: unknown };

/** Rakes every problem natively, in one cargo run; one parsed JSON line per problem. */
function runNative(problems: { problem: Problem; options: Options }[]): Native[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rim-parity-"));
  try {
    const files = problems.map(({ problem, options }, i) => {
      const file = path.join(dir, `case-${i}.txt`);
      fs.writeFileSync(file, problemText(problem, options));
      return file;
    });
    const out = execFileSync(
      "cargo",
      [
        "run",
        "--quiet",
        "--release",
        "--manifest-path",
        path.join(root, "engine-rs", "Cargo.toml"),
        "--example",
        "parity_native",
        "--",
        ...files,
      ],
      { encoding: "utf8", maxBuffer: 256 * 1024 * 1024 },
    );
    return out
      .split("\n")
      .filter((line) => line !== "")
      .map((line) => JSON.parse(line) as Native);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

test(`native Rust == TS on ${PARITY_CASES} generated problems (whole result, 1e-12 relative)`, () => {
  const cases = Array.from({ length: PARITY_CASES }, (_, i) => parityCase(i));
  const native = runNative(cases);
  expect(native).toHaveLength(PARITY_CASES);
  cases.forEach(({ problem, options }, i) => {
    const ts = rake(problem, options);
    const n = native[i];
    expect({ case: i, native: "error" in n ? n.error : "ok" }).toEqual({ case: i, native: "ok" });
    const { report, weights } = n as { report: Omit<RakeResult, "weights">; weights: number[] };
    expect({ case: i, differences: resultDifferences(ts, { ...report, weights }) }).toEqual({
      case: i,
      differences: [],
    });
  });
}, 300_000);

test("native Rust == TS on an invalid problem for every error code", () => {
  const cases = invalidCases();
  const native = runNative(cases);
  expect(native).toHaveLength(cases.length);
  cases.forEach(({ code, problem, options }, i) => {
    let thrown: unknown;
    try {
      rake(problem, options);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(RimEngineError);
    const n = native[i];
    expect({ code, native: "error" in n }).toEqual({ code, native: true });
    // serde_json writes a non-finite number as null, as JSON.stringify does with the TS value.
    const tsError: unknown = JSON.parse(JSON.stringify((thrown as RimEngineError).error));
    expect({ code, error: (n as { error: unknown }).error }).toEqual({ code, error: tsError });
  });
}, 300_000);

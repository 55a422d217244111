// Parity: native Rust (engine-rs built for this machine, run through examples/parity_native.rs) gives the
// same weights, statuses and iteration counts as the TS engine on the shared generated problems.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Codes, Options, Problem } from "../../engine/contract";
import { RimEngineError } from "../../engine/contract";
import { rake } from "../../engine/rim";
import { maxRelDiff } from "./generate";
import { PARITY_CASES, parityCase } from "./parity-cases";

const root = path.join(__dirname, "..", "..");

function codesText(codes: Codes): string {
  return `${codes instanceof Uint8Array ? "u8" : "u16"} ${Array.from(codes).join(" ")}`;
}

const num = (x: number | undefined) => (x === undefined ? "-" : String(x));

/** The token format examples/parity_native.rs reads. Numbers in JS's shortest round-trip form. */
function problemText(problem: Problem, options: Options): string {
  const lines = [
    `${problem.n} ${options.tolerance} ${options.maxIterations} ${options.missing === "exclude" ? 1 : 0}`,
    `${num(options.caps?.min)} ${num(options.caps?.max)} ${num(options.total)}`,
  ];
  problem.variables.forEach((v) =>
    lines.push(`var ${v.categories.length} ${codesText(v.codes)} ${Array.from(v.targets).join(" ")}`),
  );
  problem.variables.forEach((v, i) =>
    v.targetsByGroup?.forEach((t, g) => t && lines.push(`bygroup ${i} ${g} ${Array.from(t).join(" ")}`)),
  );
  if (problem.baseWeights) lines.push(`base ${Array.from(problem.baseWeights).join(" ")}`);
  const group = problem.group;
  if (group)
    lines.push(
      `group ${group.labels.length} ${codesText(group.codes)} ${group.shares ? `shares ${Array.from(group.shares).join(" ")}` : "noshares"}`,
    );
  return lines.join("\n") + "\n";
}

type Native = { status: string; iterations: number; weights: number[] } | { error: string };

function runNative(files: string[]): Native[] {
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
  const results: Native[] = [];
  for (const line of out.split("\n")) {
    if (line.startsWith("ok ")) {
      const [, status, iterations] = line.split(" ");
      results.push({ status, iterations: Number(iterations), weights: [] });
    } else if (line.startsWith("error ")) results.push({ error: line.slice(6) });
    else if (line !== "") (results[results.length - 1] as { weights: number[] }).weights.push(Number(line));
  }
  return results;
}

test(`native Rust == TS on ${PARITY_CASES} generated problems (1e-12 relative)`, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rim-parity-"));
  const cases = Array.from({ length: PARITY_CASES }, (_, i) => parityCase(i));
  const files = cases.map(({ problem, options }, i) => {
    const file = path.join(dir, `case-${i}.txt`);
    fs.writeFileSync(file, problemText(problem, options));
    return file;
  });
  const native = runNative(files);
  expect(native).toHaveLength(PARITY_CASES);
  let compared = 0;
  cases.forEach(({ problem, options }, i) => {
    let ts;
    try {
      ts = rake(problem, options);
    } catch (error) {
      expect(error).toBeInstanceOf(RimEngineError);
      expect(native[i]).toEqual({ error: (error as RimEngineError).error.code });
      return;
    }
    const n = native[i];
    expect("error" in n ? n : { status: n.status, iterations: n.iterations }).toEqual({
      status: ts.status,
      iterations: ts.iterations,
    });
    const weights = (n as { weights: number[] }).weights;
    expect(weights).toHaveLength(problem.n);
    const worst = maxRelDiff(weights, ts.weights);
    expect({ case: i, worst: worst <= 1e-12 ? "ok" : worst }).toEqual({ case: i, worst: "ok" });
    compared++;
  });
  expect(compared).toBeGreaterThanOrEqual(200);
  fs.rmSync(dir, { recursive: true, force: true });
}, 300_000);

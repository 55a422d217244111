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

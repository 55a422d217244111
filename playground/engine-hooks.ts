// Test hooks on the playground page (window.rimPlayground.engineHooks()): the real engine client of dist/
// driven from a browser test, with the generated problems of tests/engine/generate.ts. Loaded as its own
// chunk, only when asked for. Comparisons run in the page so that no weight array crosses to the test.
import type { AdviseRequest, BackendInfo, BackendName, Options, Problem, RakeResult } from "../engine/contract";
import type { BackendPreference } from "../engine/runtime/backend";
import { createEngineClient } from "../engine/runtime/client";
import { startEngineWorker } from "../engine/runtime/engine-worker";
import { generateProblem, type GenerateOptions } from "../tests/engine/generate";
import { resultDifferences } from "../tests/engine/compare-results";

export interface EngineSetup {
  preference: BackendPreference;
  poolThreads?: number;
}

export interface ParityCase {
  name: string;
  seed: number;
  options: GenerateOptions;
}

export interface ParityRun {
  backend: BackendName | null;
  threads: number;
  status?: string;
  iterations?: number;
  error?: string;
  /** max over respondents of |w − w_ref| / max(|w|, |w_ref|) against the first setup's weights */
  maxRelDiff: number;
  /** where the whole result differs from the first setup's (tests/engine/compare-results.ts); empty if nowhere */
  differences: string[];
}

export interface ParityOutcome {
  name: string;
  n: number;
  runs: ParityRun[];
}

/** ≥ 20 problems covering groups, shares, per-group targets, caps, base weights, missing, crossed, u16 codes. */
export const PARITY_CASES: ParityCase[] = [
  { name: "plain", seed: 1, options: {} },
  { name: "u16 codes", seed: 2, options: { codeType: "u16", maxCategories: 7 } },
  { name: "groups", seed: 3, options: { groups: 3 } },
  { name: "groups with shares", seed: 4, options: { groups: 3, shares: true } },
  { name: "groups, shares, per-group targets", seed: 5, options: { groups: 4, shares: true, perGroupTargets: true } },
  { name: "cap max", seed: 6, options: { caps: { max: 2 } } },
  { name: "caps min and max", seed: 7, options: { caps: { min: 0.5, max: 2 } } },
  { name: "caps, varying base weights", seed: 8, options: { caps: { min: 0.4, max: 2.5 }, baseWeights: "varying" } },
  { name: "cell base weights", seed: 9, options: { baseWeights: "cell" } },
  { name: "varying base weights", seed: 10, options: { baseWeights: "varying" } },
  { name: "missing excluded", seed: 11, options: { missing: true } },
  { name: "crossed", seed: 12, options: { crossed: true } },
  {
    name: "crossed, groups, per-group targets",
    seed: 13,
    options: { crossed: true, groups: 3, perGroupTargets: true },
  },
  { name: "crossed, missing", seed: 14, options: { crossed: true, missing: true } },
  { name: "total", seed: 15, options: { total: 1000, baseWeights: "varying" } },
  { name: "large, five variables", seed: 16, options: { n: 20_000, variables: 5, maxCategories: 6 } },
  {
    name: "groups, caps, varying base weights",
    seed: 17,
    options: { groups: 3, caps: { max: 2 }, baseWeights: "varying" },
  },
  { name: "max iterations", seed: 18, options: { maxIterations: 3, caps: { max: 1.5 } } },
  { name: "zero tolerance", seed: 19, options: { tolerance: 0, maxIterations: 200 } },
  { name: "many categories", seed: 20, options: { maxCategories: 12, n: 3000 } },
  { name: "missing, groups, caps", seed: 21, options: { missing: true, groups: 2, caps: { min: 0.5, max: 2 } } },
  {
    name: "large, caps, varying base weights",
    seed: 22,
    options: { n: 40_000, caps: { max: 2 }, baseWeights: "varying", variables: 4 },
  },
  { name: "u16, crossed, shares", seed: 23, options: { codeType: "u16", crossed: true, groups: 2, shares: true } },
  {
    name: "base weights with total and missing",
    seed: 24,
    options: { baseWeights: "cell", total: 5000, missing: true },
  },
];

export function relativeDifference(a: Float64Array, b: Float64Array): number {
  if (a.length !== b.length) return Infinity;
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (x === y || (Number.isNaN(x) && Number.isNaN(y))) continue;
    const d = Math.abs(x - y) / Math.max(Math.abs(x), Math.abs(y));
    if (!(d <= worst)) worst = d; // NaN against a number counts as the worst
  }
  return worst;
}

/** The backend a fresh client selects in this page (the client is disposed afterwards). */
export async function backendInfo(setup: EngineSetup): Promise<BackendInfo> {
  const client = createEngineClient({ ...setup, createWorker: startEngineWorker });
  try {
    return await client.backend();
  } finally {
    client.dispose();
  }
}

/** Rakes every case with every setup; the first setup is the reference. */
export async function parity(setups: EngineSetup[], cases: ParityCase[] = PARITY_CASES): Promise<ParityOutcome[]> {
  const clients = setups.map((s) => createEngineClient({ ...s, createWorker: startEngineWorker }));
  try {
    const infos = await Promise.all(clients.map((c) => c.backend()));
    const out: ParityOutcome[] = [];
    for (const c of cases) {
      const { problem, options } = generateProblem(c.seed, c.options);
      out.push({ name: c.name, n: problem.n, runs: await rakeEach(clients, infos, problem, options) });
    }
    return out;
  } finally {
    clients.forEach((c) => c.dispose());
  }
}

async function rakeEach(
  clients: ReturnType<typeof createEngineClient>[],
  infos: BackendInfo[],
  problem: Problem,
  options: Options,
): Promise<ParityRun[]> {
  let reference: RakeResult | null = null;
  const runs: ParityRun[] = [];
  for (let k = 0; k < clients.length; k++) {
    const run: ParityRun = { backend: infos[k].backend, threads: infos[k].threads, maxRelDiff: 0, differences: [] };
    try {
      // copied, not transferred: the same problem goes to every backend
      const result = await clients[k].rake(problem, options, { transfer: false });
      run.status = result.status;
      run.iterations = result.iterations;
      if (result.backend !== infos[k].backend) run.error = `the result says backend ${result.backend}`;
      if (reference === null) reference = result;
      else {
        run.maxRelDiff = relativeDifference(reference.weights, result.weights);
        run.differences = resultDifferences(reference, result);
      }
    } catch (error) {
      run.error = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      run.maxRelDiff = k === 0 ? 0 : Infinity;
    }
    runs.push(run);
  }
  return runs;
}

export interface AdviseParityRun {
  backend: BackendName | null;
  threads: number;
  runs?: number;
  /** progress messages that reached the client, and the last one's `done` */
  progressMessages: number;
  lastDone: number;
  error?: string;
  /** max difference from the first setup's advice: relative for every number, absolute for residuals */
  maxDiff: number;
}

/** The advisor through the real engine client (worker, protocol, progress) with every setup, per case. */
export async function adviseParity(
  setups: EngineSetup[],
  cases: ParityCase[],
  request: AdviseRequest,
): Promise<{ name: string; runs: AdviseParityRun[] }[]> {
  const clients = setups.map((s) => createEngineClient({ ...s, createWorker: startEngineWorker }));
  try {
    const infos = await Promise.all(clients.map((c) => c.backend()));
    const out: { name: string; runs: AdviseParityRun[] }[] = [];
    for (const c of cases) {
      const { problem, options } = generateProblem(c.seed, c.options);
      let reference: unknown = null;
      const runs: AdviseParityRun[] = [];
      for (let k = 0; k < clients.length; k++) {
        const run: AdviseParityRun = {
          backend: infos[k].backend,
          threads: infos[k].threads,
          progressMessages: 0,
          lastDone: 0,
          maxDiff: 0,
        };
        try {
          const advice = await clients[k].advise(problem, options, request, {
            transfer: false,
            onProgress: (p) => {
              run.progressMessages++;
              run.lastDone = p.done;
            },
          });
          run.runs = advice.runs;
          if (advice.backend !== infos[k].backend) run.error = `the advice says backend ${advice.backend}`;
          const { backend, threads, elapsedMs, ...numbers } = advice;
          if (reference === null) reference = numbers;
          else run.maxDiff = adviceDifference(reference, numbers, "");
        } catch (error) {
          run.error = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
          run.maxDiff = k === 0 ? 0 : Infinity;
        }
        runs.push(run);
      }
      out.push({ name: c.name, runs });
    }
    return out;
  } finally {
    clients.forEach((c) => c.dispose());
  }
}

/** The largest difference between two advices (Infinity where their shapes or labels differ). */
function adviceDifference(a: unknown, b: unknown, key: string): number {
  if (typeof a === "number" && typeof b === "number") {
    if (a === b || (Number.isNaN(a) && Number.isNaN(b))) return 0;
    const d = key === "maxResidual" ? Math.abs(a - b) : Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b));
    return Number.isNaN(d) ? Infinity : d;
  }
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object") return a === b ? 0 : Infinity;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  let worst = 0;
  for (const k of keys)
    worst = Math.max(worst, adviceDifference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], k));
  return worst;
}

// Deterministic generated raking problems for the TS engine's property tests and the Rust/wasm parity tests.
// Same seed and options → the same Problem and Options, on any machine (a 32-bit PRNG, no Math.random).

import {
  MISSING_U16,
  MISSING_U8,
  type Codes,
  type Group,
  type Options,
  type Problem,
  type Variable,
} from "../../engine/contract";

export interface GenerateOptions {
  /** respondents (default 300 per group, 300 when ungrouped) */
  n?: number;
  /** independent raking variables before any crossed one (default 3, at least 2 when crossed) */
  variables?: number;
  /** most categories of an independent variable (default 5, at least 2) */
  maxCategories?: number;
  /** code array type (default "u8") */
  codeType?: "u8" | "u16";
  /** number of groups; 0 or absent: ungrouped */
  groups?: number;
  /** groups get shares of the total */
  shares?: boolean;
  /** every other group gets its own targets */
  perGroupTargets?: boolean;
  /** base weights: none (default), varying per respondent, or constant within each cell */
  baseWeights?: "none" | "varying" | "cell";
  /** missing answers on the non-crossed variables, raked with missing: "exclude" */
  missing?: boolean;
  /** append a variable whose categories are the crossing of variables 0 and 1, with consistent targets */
  crossed?: boolean;
  caps?: { min?: number; max?: number };
  /** options.total; default none (the sum of base weights) */
  total?: number;
  tolerance?: number;
  maxIterations?: number;
}

export interface Generated {
  problem: Problem;
  options: Options;
}

/** mulberry32: a small, well-mixed 32-bit PRNG (Tommy Ettinger's). Returns floats in [0, 1). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function int(rand: () => number, below: number): number {
  return Math.floor(rand() * below);
}

/** Positive proportions summing to 1, none more than 4 times another (so no category is starved). */
function proportions(rand: () => number, k: number): Float64Array {
  const p = new Float64Array(k);
  let s = 0;
  for (let c = 0; c < k; c++) s += p[c] = 0.5 + 1.5 * rand();
  for (let c = 0; c < k; c++) p[c] /= s;
  return p;
}

function makeCodes(type: "u8" | "u16", n: number): Codes {
  return type === "u16" ? new Uint16Array(n) : new Uint8Array(n);
}

/** Fisher–Yates with the generator's own PRNG. */
export function permutation(rand: () => number, n: number): Int32Array {
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = int(rand, i + 1);
    const t = p[i];
    p[i] = p[j];
    p[j] = t;
  }
  return p;
}

/**
 * A feasible problem: every category (and, for the crossed variable, every pair) has respondents in every
 * group, all targets are > 0, and crossed targets are consistent with their parents' targets. Caps may still
 * make it unattainable (then the engine stalls or runs out of passes, which is also tested).
 */
export function generateProblem(seed: number, opts: GenerateOptions = {}): Generated {
  const rand = prng(seed);
  const groups = opts.groups ?? 0;
  const groupCount = Math.max(groups, 1);
  const n = opts.n ?? 300 * groupCount;
  const codeType = opts.codeType ?? "u8";
  const missingMark = codeType === "u16" ? MISSING_U16 : MISSING_U8;
  const independent = Math.max(opts.variables ?? 3, opts.crossed ? 2 : 1);
  const maxK = Math.max(opts.maxCategories ?? 5, 2);
  const ks = Array.from({ length: independent }, () => 2 + int(rand, maxK - 1));
  // The guaranteed block of each group must cover every category of every variable and every crossed pair.
  const block = Math.max(...ks, opts.crossed ? ks[0] * ks[1] : 0);
  if (n < groupCount * block) throw new Error(`generateProblem: n=${n} too small for ${groupCount} groups × ${block}`);

  // Rows in group-major order first (the guaranteed block at the start of each group), shuffled at the end.
  const groupOfRow = new Int32Array(n);
  const perGroup = Math.floor(n / groupCount);
  for (let i = 0; i < n; i++) groupOfRow[i] = Math.min(Math.floor(i / perGroup), groupCount - 1);
  const indexInGroup = (i: number) => i - groupOfRow[i] * perGroup;
  // Skewed sample distributions, so raking has real work to do.
  const skew = ks.map((k) => proportions(rand, k));
  const draw = (p: Float64Array) => {
    let x = rand();
    for (let c = 0; c < p.length - 1; c++) {
      if (x < p[c]) return c;
      x -= p[c];
    }
    return p.length - 1;
  };
  const raw = ks.map((k, v) => {
    const codes = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const j = indexInGroup(i);
      if (opts.crossed && v <= 1 && j < ks[0] * ks[1]) codes[i] = v === 0 ? Math.floor(j / ks[1]) : j % ks[1];
      else if (j < k) codes[i] = j;
      else if (opts.missing && !(opts.crossed && v <= 1) && rand() < 0.1) codes[i] = -1;
      else codes[i] = draw(skew[v]);
    }
    return codes;
  });

  const order = permutation(rand, n);
  const variables: Variable[] = ks.map((k, v) => {
    const codes = makeCodes(codeType, n);
    for (let i = 0; i < n; i++) {
      const c = raw[v][order[i]];
      codes[i] = c < 0 ? missingMark : c;
    }
    return {
      name: `v${v}`,
      categories: Array.from({ length: k }, (_, c) => `v${v}c${c}`),
      codes,
      targets: proportions(rand, k),
    };
  });
  if (opts.crossed) variables.push(crossedVariable(variables, ks, n, codeType));

  const group =
    groups > 0
      ? makeGroup(groups, n, order, groupOfRow, codeType, opts.shares ? proportions(rand, groups) : undefined)
      : undefined;
  if (group && opts.perGroupTargets) {
    for (const variable of variables) {
      variable.targetsByGroup = Array.from({ length: groups }, (_, g) =>
        g % 2 === 1 ? proportions(rand, variable.categories.length) : undefined,
      );
    }
  }
  if (opts.crossed) makeCrossedTargetsConsistent(variables, ks, rand, groups, Boolean(group && opts.perGroupTargets));

  const problem: Problem = { n, variables };
  if (group) problem.group = group;
  const baseMode = opts.baseWeights ?? "none";
  if (baseMode !== "none") problem.baseWeights = baseWeights(baseMode, rand, n, variables, group?.codes);

  const options: Options = {
    tolerance: opts.tolerance ?? 1e-10,
    maxIterations: opts.maxIterations ?? 2000,
    missing: opts.missing ? "exclude" : "error",
  };
  if (opts.caps) options.caps = { ...opts.caps };
  if (opts.total !== undefined) options.total = opts.total;
  return { problem, options };
}

function makeGroup(
  groups: number,
  n: number,
  order: Int32Array,
  groupOfRow: Int32Array,
  codeType: "u8" | "u16",
  shares: Float64Array | undefined,
): Group {
  const codes = makeCodes(codeType, n);
  for (let i = 0; i < n; i++) codes[i] = groupOfRow[order[i]];
  const group: Group = { name: "grp", labels: Array.from({ length: groups }, (_, g) => `g${g}`), codes };
  if (shares) group.shares = shares;
  return group;
}

function crossedVariable(variables: Variable[], ks: number[], n: number, codeType: "u8" | "u16"): Variable {
  const [a, b] = variables;
  const codes = makeCodes(codeType, n);
  const missingMark = codeType === "u16" ? MISSING_U16 : MISSING_U8;
  for (let i = 0; i < n; i++) {
    codes[i] = a.codes[i] === missingMark || b.codes[i] === missingMark ? missingMark : a.codes[i] * ks[1] + b.codes[i];
  }
  const categories: string[] = [];
  for (let x = 0; x < ks[0]; x++)
    for (let y = 0; y < ks[1]; y++) categories.push(`${a.categories[x]}×${b.categories[y]}`);
  return { name: `${a.name}×${b.name}`, categories, codes, targets: new Float64Array(ks[0] * ks[1]) };
}

/** Joint targets for the crossed variable; its parents' targets become the joint's margins. */
function makeCrossedTargetsConsistent(
  variables: Variable[],
  ks: number[],
  rand: () => number,
  groups: number,
  perGroup: boolean,
): void {
  const crossed = variables[variables.length - 1];
  const [a, b] = variables;
  const fill = (joint: Float64Array, ta: Float64Array, tb: Float64Array) => {
    ta.fill(0);
    tb.fill(0);
    for (let x = 0; x < ks[0]; x++) {
      for (let y = 0; y < ks[1]; y++) {
        ta[x] += joint[x * ks[1] + y];
        tb[y] += joint[x * ks[1] + y];
      }
    }
  };
  crossed.targets = proportions(rand, ks[0] * ks[1]);
  fill(crossed.targets, a.targets, b.targets);
  if (!perGroup) return;
  a.targetsByGroup = [];
  b.targetsByGroup = [];
  crossed.targetsByGroup = [];
  for (let g = 0; g < groups; g++) {
    if (g % 2 === 0) continue;
    const joint = proportions(rand, ks[0] * ks[1]);
    const ta = new Float64Array(ks[0]);
    const tb = new Float64Array(ks[1]);
    fill(joint, ta, tb);
    crossed.targetsByGroup[g] = joint;
    a.targetsByGroup[g] = ta;
    b.targetsByGroup[g] = tb;
  }
}

function baseWeights(
  mode: "varying" | "cell",
  rand: () => number,
  n: number,
  variables: Variable[],
  groupCodes: Codes | undefined,
): Float64Array {
  const base = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (mode === "varying") {
      base[i] = 0.4 + 2 * rand();
    } else {
      // a function of the cell key only, so constant within every cell
      let key = groupCodes ? groupCodes[i] : 0;
      variables.forEach((v, j) => (key += (j + 1) * v.codes[i]));
      base[i] = 0.5 + 0.25 * (key % 5);
    }
  }
  return base;
}

/** The problem with respondents reordered: respondent j of the result is respondent perm[j] of the input. */
export function permuteProblem(problem: Problem, perm: Int32Array): Problem {
  const take = <T extends Codes | Float64Array>(xs: T): T => {
    const out = new (xs.constructor as { new (n: number): T })(xs.length);
    for (let j = 0; j < perm.length; j++) out[j] = xs[perm[j]];
    return out;
  };
  const out: Problem = {
    n: problem.n,
    variables: problem.variables.map((v) => ({ ...v, codes: take(v.codes) })),
  };
  if (problem.baseWeights) out.baseWeights = take(problem.baseWeights);
  if (problem.group) out.group = { ...problem.group, codes: take(problem.group.codes) };
  return out;
}

/** Relative difference of two numbers, with a floor so that two zeros compare equal. */
export function relDiff(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), 1e-300);
}

/** The largest relative difference between two weight vectors of the same length. */
export function maxRelDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, relDiff(a[i], b[i]));
  return worst;
}

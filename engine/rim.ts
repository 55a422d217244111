// The TS engine (docs/ENGINE.md): validate, set up, rake each group on its units, expand, diagnose. A
// translation of engine-rs/src/rim.rs, step for step and sum for sum, so both give the same weights to 1e-12.
// Synchronous and pure. Imports only the contract and its sibling modules: no Excel, no React, no worker.

import {
  RimEngineError,
  STALL_IMPROVEMENT,
  STALL_WINDOW,
  SWEEP_CHUNK,
  type GroupRun,
  type Options,
  type Problem,
  type RakeResult,
  type Status,
} from "./contract";
import { applyCaps, capBounds, type CapBounds } from "./caps";
import {
  blockScratch,
  blocksOf,
  categorySums,
  rakeBlock,
  residualOfBlock,
  type Block,
  type BlockScratch,
} from "./blocks";
import { buildCells, buildRespondentUnits, cellIds, expandCells, UNIT_MISSING, type UnitTable } from "./cells";
import { computeDiagnostics } from "./diagnostics";
import { describeEngineError, errorNamesOf } from "./errors";
import {
  capsActive,
  groupCount,
  groupTargets,
  resolveOptions,
  validateCounting,
  type ResolvedOptions,
} from "./validate";
import { now } from "./clock";

/** Rakes a problem; throws RimEngineError (value + message from errors.ts) when the problem is invalid. */
export function rake(problem: Problem, options: Options): RakeResult {
  return rakeInternal(problem, options, {});
}

/** Test hooks, not part of Options: force the respondent path to compare it with the cell path. */
export interface InternalOptions {
  forceRespondentPath?: boolean;
}

export function rakeInternal(problem: Problem, options: Options, internal: InternalOptions): RakeResult {
  const started = now();
  const { error, counts } = validateCounting(problem, options);
  if (error) throw new RimEngineError(error, describeEngineError(error, errorNamesOf(problem)));
  const opts = resolveOptions(options);
  const setup = setUp(problem, opts);
  const capsOn = capsActive(opts);
  const table =
    (internal.forceRespondentPath ? null : buildCells(problem, setup.initial, capsOn)) ??
    buildRespondentUnits(problem, setup.initial);

  const blocks = blocksOf(problem.variables.map((v) => v.categories.length));
  const units = { blocks, slots: blockSlots(table, blocks) };
  const groups = groupCount(problem);
  const runs: GroupRun[] = [];
  const traces: number[][] = [];
  const sums: Float64Array[][] = [];
  for (let g = 0; g < groups; g++) {
    const outcome = rakeGroup(groupFrame(problem, opts, setup, table, units, g, capsOn));
    runs.push({ group: g, status: outcome.status, iterations: outcome.iterations, maxResidual: outcome.maxResidual });
    traces.push(outcome.trace);
    sums.push(outcome.sums);
  }

  const weights = new Float64Array(problem.n);
  expandCells(table, setup.initial, weights);
  const diagnostics = computeDiagnostics({
    problem,
    weights,
    counts,
    sums,
    groupTotals: setup.groupTotals,
    bounds: setup.bounds,
    capMin: opts.capMin,
    capMax: opts.capMax,
  });
  return {
    weights,
    status: overallStatus(runs),
    iterations: runs.reduce((most, r) => Math.max(most, r.iterations), 0),
    maxResidual: runs.reduce((most, r) => (r.maxResidual > most ? r.maxResidual : most), 0),
    residualTrace: mergeTraces(traces),
    categories: diagnostics.categories,
    summary: diagnostics.summary,
    groups: diagnostics.groups,
    groupRuns: problem.group ? runs : [],
    cellPath: table.cellPath,
    // Distinct cells, also on the respondent path (where it says how much the fast path would have saved).
    cells: table.cellPath ? table.units : cellIds(problem).count,
    backend: "ts",
    threads: 1,
    elapsedMs: now() - started,
  };
}

// ---- §2 set up ----

export interface Setup {
  total: number;
  /** T_g */
  groupTotals: Float64Array;
  /** n_g */
  groupSizes: Float64Array;
  /** initial respondent weights w_i = base_i · T_g / Σ_{i∈g} base_i */
  initial: Float64Array;
  bounds: CapBounds[];
}

export function setUp(problem: Problem, opts: ResolvedOptions): Setup {
  const n = problem.n;
  const base = problem.baseWeights;
  const groups = groupCount(problem);
  const codes = problem.group?.codes;
  const shares = problem.group?.shares;
  let sumBase = 0;
  const groupBase = new Float64Array(groups);
  const groupSizes = new Float64Array(groups);
  for (let i = 0; i < n; i++) {
    const b = base ? base[i] : 1;
    const g = codes ? codes[i] : 0;
    sumBase += b;
    groupBase[g] += b;
    groupSizes[g]++;
  }
  const total = opts.total ?? sumBase;
  const groupTotals = new Float64Array(groups);
  for (let g = 0; g < groups; g++) {
    if (!problem.group) groupTotals[g] = total;
    else if (shares) groupTotals[g] = shares[g] * total;
    else groupTotals[g] = (total * groupBase[g]) / sumBase;
  }
  const initial = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const g = codes ? codes[i] : 0;
    initial[i] = ((base ? base[i] : 1) * groupTotals[g]) / groupBase[g];
  }
  const bounds: CapBounds[] = [];
  for (let g = 0; g < groups; g++) bounds.push(capBounds(groupTotals[g], groupSizes[g], opts.capMin, opts.capMax));
  return { total, groupTotals, groupSizes, initial, bounds };
}

// ---- §4 one group's loop ----

/** Everything one group's loop reads and writes: its unit range, the shared unit arrays, scratch buffers. */
export interface GroupFrame {
  start: number;
  end: number;
  members: Float64Array;
  weights: Float64Array;
  /** the blocks of variables (blocks.ts) */
  blocks: Block[];
  /** per block, per unit: the unit's slot in the block's joint table */
  slots: Uint16Array[];
  /** per variable: this group's targets */
  targets: Float64Array[];
  /** T_g */
  total: number;
  /** cap bounds, or null without caps */
  caps: CapBounds | null;
  tolerance: number;
  maxIterations: number;
  workspace: Workspace;
}

/** One group's scratch, allocated once per group run and reused by every pass (rim.rs `Workspace`). */
export interface Workspace {
  /** per block: its joint table */
  joints: Float64Array[];
  /** one chunk's sums (SWEEP_CHUNK) */
  chunk: Float64Array;
  /** the factor table of the block in hand */
  factor: Float64Array;
  scratch: BlockScratch;
}

export interface GroupOutcome {
  status: Status;
  iterations: number;
  maxResidual: number;
  trace: number[];
  /**
   * sums[v][c]: Σ of the final weights of the group's respondents answering category c of variable v, from the
   * joint tables the last pass gathered (blocks.ts categorySums).
   */
  sums: Float64Array[];
}

/** Per block, per unit (all groups): the unit's slot in the block's joint table, a missing code as digit k. */
export function blockSlots(table: UnitTable, blocks: readonly Block[]): Uint16Array[] {
  return blocks.map((block) => {
    const slots = new Uint16Array(table.units);
    for (let j = 0; j < block.radices.length; j++) {
      const codes = table.codes[block.first + j];
      const k = block.radices[j] - 1;
      const stride = block.strides[j];
      for (let u = 0; u < table.units; u++) {
        const c = codes[u];
        slots[u] += (c === UNIT_MISSING ? k : c) * stride;
      }
    }
    return slots;
  });
}

function groupFrame(
  problem: Problem,
  opts: ResolvedOptions,
  setup: Setup,
  table: UnitTable,
  units: { blocks: Block[]; slots: Uint16Array[] },
  g: number,
  capsOn: boolean,
): GroupFrame {
  const { blocks, slots } = units;
  const widest = blocks.reduce((m, b) => Math.max(m, b.size), 0);
  return {
    start: table.groupStart[g],
    end: table.groupStart[g + 1],
    members: table.members,
    weights: table.weights,
    blocks,
    slots,
    targets: problem.variables.map((v) => groupTargets(v, g)),
    total: setup.groupTotals[g],
    caps: capsOn ? setup.bounds[g] : null,
    tolerance: opts.tolerance,
    maxIterations: opts.maxIterations,
    workspace: {
      joints: blocks.map((b) => new Float64Array(b.size)),
      chunk: new Float64Array(widest),
      factor: new Float64Array(widest),
      scratch: blockScratch(blocks),
    },
  };
}

/**
 * Rakes one group's units in place, block by block (rim.rs `rake_group`; the Rust engine fuses each scatter
 * with the next gather, the operations per weight and the order of every sum are the same). A group with no
 * units, or with a total of 0 (a share of 0), makes one pass that changes nothing (residual 0) and reports
 * converged, as the Rust engine does; caps are skipped when the total is 0 (their rescale would divide 0 by 0).
 */
export function rakeGroup(frame: GroupFrame): GroupOutcome {
  const trace: number[] = [];
  const { blocks, workspace } = frame;
  let status: Status = "max_iterations";
  if (blocks.length > 0) gatherJoint(frame, 0);
  for (let pass = 1; pass <= frame.maxIterations; pass++) {
    for (let b = 0; b < blocks.length; b++) {
      rakeBlock(blocks[b], frame.targets, workspace.joints[b], workspace.scratch, workspace.factor);
      scatter(frame, b);
      if (b + 1 < blocks.length) gatherJoint(frame, b + 1);
    }
    if (frame.caps && frame.total > 0)
      applyCaps(frame.weights, frame.members, frame.start, frame.end, frame.total, frame.caps);
    // The joint tables after the pass: the residual's, and block 0's is the next pass's.
    for (let b = 0; b < blocks.length; b++) gatherJoint(frame, b);
    const r = maxResidual(frame);
    trace.push(r);
    if (r <= frame.tolerance) {
      status = "converged";
      break;
    }
    if (pass > STALL_WINDOW && r > (1 - STALL_IMPROVEMENT) * trace[pass - 1 - STALL_WINDOW]) {
      status = "stalled";
      break;
    }
  }
  // Every pass ends with a gather of every block from the final weights (maxIterations ≥ 1).
  const sums = blocks.flatMap((block, b) => categorySums(block, workspace.joints[b]));
  return { status, iterations: trace.length, maxResidual: trace[trace.length - 1], trace, sums };
}

/** w_u *= factor[slot of u in block b] over the group's units. */
function scatter(frame: GroupFrame, b: number): void {
  const { start, end, weights } = frame;
  const slots = frame.slots[b];
  const factor = frame.workspace.factor;
  for (let u = start; u < end; u++) weights[u] *= factor[slots[u]];
}

/**
 * Block b's joint table: Σ m_u·w_u per slot over the group's units, in unit order within each SWEEP_CHUNK
 * chunk and then chunk by chunk (rim.rs sweeps: the same sums whatever the thread count).
 */
export function gatherJoint(frame: GroupFrame, b: number): void {
  const { start, end, members, weights } = frame;
  const slots = frame.slots[b];
  const joint = frame.workspace.joints[b];
  const size = frame.blocks[b].size;
  joint.fill(0);
  const chunk = frame.workspace.chunk;
  for (let lo = start; lo < end; lo += SWEEP_CHUNK) {
    const hi = Math.min(lo + SWEEP_CHUNK, end);
    chunk.fill(0, 0, size);
    for (let u = lo; u < hi; u++) chunk[slots[u]] += members[u] * weights[u];
    for (let s = 0; s < size; s++) joint[s] += chunk[s];
  }
}

/** Max over variables and categories of |sum[c]/S − target[c]| from the joint tables; S = 0 contributes 0. */
export function maxResidual(frame: GroupFrame): number {
  let worst = 0;
  const { blocks, workspace } = frame;
  for (let b = 0; b < blocks.length; b++) {
    const r = residualOfBlock(blocks[b], frame.targets, workspace.joints[b], workspace.scratch);
    if (r > worst) worst = r;
  }
  return worst;
}

// ---- §5 groups ----

export function overallStatus(runs: GroupRun[]): Status {
  if (runs.some((r) => r.status === "max_iterations")) return "max_iterations";
  if (runs.some((r) => r.status === "stalled")) return "stalled";
  return "converged";
}

/** trace[k] = max over groups of that group's residual after pass k (its last one once it has stopped). */
export function mergeTraces(traces: number[][]): number[] {
  const passes = traces.reduce((most, t) => Math.max(most, t.length), 0);
  const merged: number[] = [];
  for (let k = 0; k < passes; k++) {
    let worst = 0;
    for (const t of traces) {
      if (t.length === 0) continue;
      const r = t[Math.min(k, t.length - 1)];
      if (r > worst) worst = r;
    }
    merged.push(worst);
  }
  return merged;
}

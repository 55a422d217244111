// Weight caps (docs/ENGINE.md §4, the lineage "cap correction"): clip, rescale to the group total, repeat
// until every weight is within the caps ± CAP_SLACK·mean. Works on one group's units in place; no allocation.
// Imports only the contract.

import { CAP_SLACK, SWEEP_CHUNK } from "./contract";

/** Most clip-and-rescale rounds per pass. */
export const CAP_ROUNDS = 1000;

/** One group's cap bounds, on the weight scale (not relative to the mean). */
export interface CapBounds {
  /** capMin · mean_g, or 0 without a min cap */
  lo: number;
  /** capMax · mean_g, or +Infinity without a max cap */
  hi: number;
  /** mean_g = T_g / n_g */
  mean: number;
}

/** Cap bounds for a group of `count` respondents summing to `total`. */
export function capBounds(
  total: number,
  count: number,
  capMin: number | undefined,
  capMax: number | undefined,
): CapBounds {
  const mean = total / count;
  return {
    lo: capMin === undefined ? 0 : capMin * mean,
    hi: capMax === undefined ? Number.POSITIVE_INFINITY : capMax * mean,
    mean,
  };
}

/**
 * Clip units [start, end) into [lo, hi], rescale so Σ m_u·w_u = total, and repeat (at most CAP_ROUNDS times)
 * until every weight lies in [lo − CAP_SLACK·mean, hi + CAP_SLACK·mean]. Returns the rounds made.
 */
export function applyCaps(
  weights: Float64Array,
  members: Float64Array,
  start: number,
  end: number,
  total: number,
  bounds: CapBounds,
): number {
  const { lo, hi } = bounds;
  const slack = CAP_SLACK * bounds.mean;
  const lowest = lo - slack;
  const highest = hi + slack;
  for (let round = 1; round <= CAP_ROUNDS; round++) {
    for (let u = start; u < end; u++) {
      const w = weights[u];
      if (w < lo) weights[u] = lo;
      else if (w > hi) weights[u] = hi;
    }
    const scale = total / weightedTotal(weights, members, start, end);
    let within = true;
    for (let u = start; u < end; u++) {
      const w = weights[u] * scale;
      weights[u] = w;
      if (w < lowest || w > highest) within = false;
    }
    if (within) return round;
  }
  return CAP_ROUNDS;
}

/** Σ m_u·w_u over [start, end): in unit order within each SWEEP_CHUNK chunk, then chunk by chunk (rim.rs). */
function weightedTotal(weights: Float64Array, members: Float64Array, start: number, end: number): number {
  let total = 0;
  for (let lo = start; lo < end; lo += SWEEP_CHUNK) {
    const hi = Math.min(lo + SWEEP_CHUNK, end);
    let chunk = 0;
    for (let u = lo; u < hi; u++) chunk += members[u] * weights[u];
    total += chunk;
  }
  return total;
}

/**
 * The edges for counting respondents at the caps: at the min cap when w ≤ lo·(1 + 1e-9), at the max cap when
 * w ≥ hi·(1 − 1e-9); each counted only when that cap is set (diagnostics.ts).
 */
export function capEdges(bounds: CapBounds): { minEdge: number; maxEdge: number } {
  return { minEdge: bounds.lo * (1 + 1e-9), maxEdge: bounds.hi * (1 - 1e-9) };
}

// Units to rake on (docs/ENGINE.md §3): cells of respondents who share a group and every raking code (the fast
// path), or the respondents themselves. Units are stored group by group, each group's units contiguous and in
// order (cells by first appearance, respondents by row). Imports only the contract: no Excel, no messages.

import { missingCode, type Codes, type Problem } from "./contract";

/** A missing answer in a unit's codes (codes are widened to Uint16 whatever the input type). */
export const UNIT_MISSING = 0xffff;

/** Above this many possible (id, code) pairs, cell numbering uses a Map instead of a lookup table. */
const DENSE_TABLE_LIMIT = 1 << 20;

export interface UnitTable {
  /** true for cells (fast path), false for one unit per respondent */
  cellPath: boolean;
  /** number of units over all groups */
  units: number;
  /** the units of group g are [groupStart[g], groupStart[g + 1]) */
  groupStart: Int32Array;
  /** m_u: respondents in the unit */
  members: Float64Array;
  /** w_u: the weight of each member; starts as the initial weight and is raked in place */
  weights: Float64Array;
  /** per variable (problem order), per unit: the category, or UNIT_MISSING */
  codes: Uint16Array[];
  /** respondent → unit */
  unitOf: Int32Array;
  /**
   * Cells whose members' base weights differ (possible only without caps): 1 for such a cell, whose w_u is
   * the mean initial weight of its members and whose members are expanded by ratio. Null when every unit's
   * members share their initial weight.
   */
  mixed: Uint8Array | null;
  /** w_u before raking, kept only when `mixed` is set (for the ratio expansion) */
  startWeights: Float64Array | null;
}

/** Cell of each respondent, numbered 0.. in order of first appearance in respondent order. */
export function cellIds(problem: Problem): { ids: Int32Array; count: number } {
  const n = problem.n;
  const ids = new Int32Array(n);
  let count = 1;
  const group = problem.group;
  if (group) {
    for (let i = 0; i < n; i++) ids[i] = group.codes[i];
    count = Math.max(group.labels.length, 1);
  }
  // Refine variable by variable: (previous id, code) pairs get dense ids by first appearance, so the last
  // step numbers the full key (group, code_1, …, code_V) by first appearance. MISSING counts as code K.
  for (const variable of problem.variables) {
    count = refine(ids, count, variable.codes, variable.categories.length);
  }
  if (problem.variables.length === 0) count = renumber(ids, count);
  return { ids, count };
}

function refine(ids: Int32Array, count: number, codes: Codes, k: number): number {
  const missing = missingCode(codes);
  const radix = k + 1;
  let next = 0;
  if (count * radix <= DENSE_TABLE_LIMIT) {
    const table = new Int32Array(count * radix).fill(-1);
    for (let i = 0; i < ids.length; i++) {
      const c = codes[i];
      const key = ids[i] * radix + (c === missing ? k : c);
      let id = table[key];
      if (id < 0) table[key] = id = next++;
      ids[i] = id;
    }
  } else {
    const map = new Map<number, number>();
    for (let i = 0; i < ids.length; i++) {
      const c = codes[i];
      const key = ids[i] * radix + (c === missing ? k : c);
      let id = map.get(key);
      if (id === undefined) map.set(key, (id = next++));
      ids[i] = id;
    }
  }
  return next;
}

function renumber(ids: Int32Array, count: number): number {
  const table = new Int32Array(count).fill(-1);
  let next = 0;
  for (let i = 0; i < ids.length; i++) {
    let id = table[ids[i]];
    if (id < 0) table[ids[i]] = id = next++;
    ids[i] = id;
  }
  return next;
}

function groupOf(problem: Problem, i: number): number {
  return problem.group ? problem.group.codes[i] : 0;
}

function groupTotal(problem: Problem): number {
  return problem.group ? problem.group.labels.length : 1;
}

/**
 * Units in group order, stable within a group: `order[u]` is the source item (cell or respondent) of unit u.
 * A counting sort keeps each group's items in their original order.
 */
function orderByGroup(itemGroups: Int32Array, groups: number): { order: Int32Array; groupStart: Int32Array } {
  const groupStart = new Int32Array(groups + 1);
  for (let j = 0; j < itemGroups.length; j++) groupStart[itemGroups[j] + 1]++;
  for (let g = 0; g < groups; g++) groupStart[g + 1] += groupStart[g];
  const fill = groupStart.slice(0, groups);
  const order = new Int32Array(itemGroups.length);
  for (let j = 0; j < itemGroups.length; j++) order[fill[itemGroups[j]]++] = j;
  return { order, groupStart };
}

function unitCodes(problem: Problem, units: number, sourceRow: (u: number) => number): Uint16Array[] {
  return problem.variables.map((variable) => {
    const missing = missingCode(variable.codes);
    const out = new Uint16Array(units);
    for (let u = 0; u < units; u++) {
      const c = variable.codes[sourceRow(u)];
      out[u] = c === missing ? UNIT_MISSING : c;
    }
    return out;
  });
}

/**
 * The cell table (fast path), or null when the fast path does not apply: caps are on and some cell's members
 * have different base weights (compared exactly with the cell's first member). `initial` holds the initial
 * respondent weights (docs/ENGINE.md §2).
 */
export function buildCells(problem: Problem, initial: Float64Array, capsOn: boolean): UnitTable | null {
  const n = problem.n;
  const { ids, count } = cellIds(problem);
  const first = new Int32Array(count).fill(-1);
  const members = new Float64Array(count);
  const mixedCell = new Uint8Array(count);
  let anyMixed = false;
  const base = problem.baseWeights;
  for (let i = 0; i < n; i++) {
    const cell = ids[i];
    if (first[cell] < 0) first[cell] = i;
    members[cell]++;
    if (base && base[i] !== base[first[cell]] && !mixedCell[cell]) {
      mixedCell[cell] = 1;
      anyMixed = true;
    }
  }
  if (anyMixed && capsOn) return null;
  // Mixed cells start at the mean initial weight of their members: Σ initial (respondent order) / m.
  let sumInitial: Float64Array | null = null;
  if (anyMixed) {
    sumInitial = new Float64Array(count);
    for (let i = 0; i < n; i++) if (mixedCell[ids[i]]) sumInitial[ids[i]] += initial[i];
  }
  const cellGroups = new Int32Array(count);
  for (let cell = 0; cell < count; cell++) cellGroups[cell] = groupOf(problem, first[cell]);
  const { order, groupStart } = orderByGroup(cellGroups, groupTotal(problem));
  const unitOfCell = new Int32Array(count);
  const unitMembers = new Float64Array(count);
  const weights = new Float64Array(count);
  const mixed = anyMixed ? new Uint8Array(count) : null;
  for (let u = 0; u < count; u++) {
    const cell = order[u];
    unitOfCell[cell] = u;
    unitMembers[u] = members[cell];
    if (mixed && sumInitial && mixedCell[cell]) {
      mixed[u] = 1;
      weights[u] = sumInitial[cell] / members[cell];
    } else {
      weights[u] = initial[first[cell]];
    }
  }
  const unitOf = new Int32Array(n);
  for (let i = 0; i < n; i++) unitOf[i] = unitOfCell[ids[i]];
  return {
    cellPath: true,
    units: count,
    groupStart,
    members: unitMembers,
    weights,
    codes: unitCodes(problem, count, (u) => first[order[u]]),
    unitOf,
    mixed,
    startWeights: mixed ? weights.slice() : null,
  };
}

/** One unit per respondent (m_u = 1), grouped, in respondent order within each group. */
export function buildRespondentUnits(problem: Problem, initial: Float64Array): UnitTable {
  const n = problem.n;
  const rowGroups = new Int32Array(n);
  for (let i = 0; i < n; i++) rowGroups[i] = groupOf(problem, i);
  const { order, groupStart } = orderByGroup(rowGroups, groupTotal(problem));
  const unitOf = new Int32Array(n);
  const weights = new Float64Array(n);
  for (let u = 0; u < n; u++) {
    unitOf[order[u]] = u;
    weights[u] = initial[order[u]];
  }
  return {
    cellPath: false,
    units: n,
    groupStart,
    members: new Float64Array(n).fill(1),
    weights,
    codes: unitCodes(problem, n, (u) => order[u]),
    unitOf,
    mixed: null,
    startWeights: null,
  };
}

/**
 * Respondent weights from the raked units: w_i = w_{unit(i)}; for a mixed cell (fast path without caps, base
 * weights differing inside the cell) w_i = initial_i · (w_u / w_u at the start).
 */
export function expandCells(table: UnitTable, initial: Float64Array, out: Float64Array): void {
  const { unitOf, weights, mixed, startWeights } = table;
  for (let i = 0; i < out.length; i++) {
    const u = unitOf[i];
    out[i] = mixed && startWeights && mixed[u] ? initial[i] * (weights[u] / startWeights[u]) : weights[u];
  }
}

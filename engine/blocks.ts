// Blocks of consecutive raking variables (docs/ENGINE.md §4; engine-rs/src/blocks.rs). A block's joint table
// holds Σ m_u·w_u per combination of its variables' codes (a missing answer is the digit k); raking the
// block's variables one after another needs only that table, so a pass walks the units once per block.
// Imports only the contract.

import { JOINT_MAX } from "./contract";

export interface Block {
  /** first variable of the block (problem order) */
  first: number;
  /** one past its last variable */
  end: number;
  /** per variable of the block: its digits, k_v + 1 (the last is the missing answer) */
  radices: number[];
  /** per variable of the block: the weight of its digit in a slot index (the first variable most significant) */
  strides: number[];
  /** slots in the joint table: the product of the radices */
  size: number;
}

/** Splits variables with `categories[v]` categories into blocks of at most JOINT_MAX slots, greedily in order. */
export function blocksOf(categories: readonly number[]): Block[] {
  const blocks: Block[] = [];
  let first = 0;
  while (first < categories.length) {
    let size = categories[first] + 1;
    let end = first + 1;
    while (end < categories.length && size * (categories[end] + 1) <= JOINT_MAX) {
      size *= categories[end] + 1;
      end++;
    }
    const radices = categories.slice(first, end).map((k) => k + 1);
    const strides = radices.map(() => 1);
    for (let j = radices.length - 2; j >= 0; j--) strides[j] = strides[j + 1] * radices[j + 1];
    blocks.push({ first, end, radices, strides, size });
    first = end;
  }
  return blocks;
}

/** Scratch of the block steps, sized once for the widest block. */
export interface BlockScratch {
  /** the joint table as the block's variables are raked (joint · factors so far) */
  raked: Float64Array;
  /** one variable's sums per digit */
  margin: Float64Array;
  /** one variable's factor per digit */
  step: Float64Array;
}

export function blockScratch(blocks: readonly Block[]): BlockScratch {
  let size = 0;
  let radix = 0;
  for (const b of blocks) {
    size = Math.max(size, b.size);
    for (const r of b.radices) radix = Math.max(radix, r);
  }
  return { raked: new Float64Array(size), margin: new Float64Array(radix), step: new Float64Array(radix) };
}

/**
 * Calls visit(start, end, d) for the runs of consecutive slots [start, end) that share the digit d of the block's
 * j-th variable, in slot order (no division per slot; blocks.rs `for_each_run`).
 */
function forEachRun(block: Block, j: number, visit: (start: number, end: number, d: number) => void): void {
  const radix = block.radices[j];
  const stride = block.strides[j];
  for (let slot = 0; slot < block.size;) {
    for (let d = 0; d < radix; d++, slot += stride) visit(slot, slot + stride, d);
  }
}

/** margin[d] = Σ table[slot] over the slots whose digit of the block's j-th variable is d, in slot order. */
function marginOf(block: Block, j: number, table: Float64Array, margin: Float64Array): void {
  margin.fill(0, 0, block.radices[j]);
  forEachRun(block, j, (start, end, d) => {
    let m = margin[d];
    for (let slot = start; slot < end; slot++) m += table[slot];
    margin[d] = m;
  });
}

/**
 * Each of the block's variables' sums per category from the joint table (slot order, as the residual's margins;
 * the missing digit left out).
 */
export function categorySums(block: Block, joint: Float64Array): Float64Array[] {
  return block.radices.map((radix, j) => {
    const sums = new Float64Array(radix);
    marginOf(block, j, joint, sums);
    return sums.subarray(0, radix - 1);
  });
}

function sumInOrder(xs: Float64Array, k: number): number {
  let s = 0;
  for (let c = 0; c < k; c++) s += xs[c];
  return s;
}

/**
 * Rakes the block's variables in order on its joint table: for each, its margin from the table as raked so
 * far, S = Σ_c sum[c] (category order), f[c] = target[c]·S / sum[c] (1 when sum[c] = 0, and 1 for the missing
 * digit), then every slot times f[its digit]. Writes the block's factor table: factor[slot] = the product of
 * the variables' factors in variable order, which the caller applies to each unit (w_u *= factor[slot_u]).
 */
export function rakeBlock(
  block: Block,
  targets: readonly Float64Array[],
  joint: Float64Array,
  scratch: BlockScratch,
  factor: Float64Array,
): void {
  const { raked, margin, step } = scratch;
  raked.set(joint.subarray(0, block.size));
  factor.fill(1, 0, block.size);
  for (let j = 0; j < block.radices.length; j++) {
    const t = targets[block.first + j];
    const k = t.length;
    marginOf(block, j, raked, margin);
    const s = sumInOrder(margin, k);
    for (let c = 0; c < k; c++) step[c] = margin[c] > 0 ? (t[c] * s) / margin[c] : 1;
    step[k] = 1;
    forEachRun(block, j, (start, end, d) => {
      const x = step[d];
      for (let slot = start; slot < end; slot++) {
        raked[slot] *= x;
        factor[slot] *= x;
      }
    });
  }
}

/**
 * Max over the block's variables and categories of |sum[c]/S − target[c]|, the margins taken from the joint
 * table (a variable with S = 0 contributes 0).
 */
export function residualOfBlock(
  block: Block,
  targets: readonly Float64Array[],
  joint: Float64Array,
  scratch: BlockScratch,
): number {
  let worst = 0;
  const margin = scratch.margin;
  for (let j = 0; j < block.radices.length; j++) {
    const t = targets[block.first + j];
    const k = t.length;
    marginOf(block, j, joint, margin);
    const s = sumInOrder(margin, k);
    if (s > 0) {
      for (let c = 0; c < k; c++) {
        const r = Math.abs(margin[c] / s - t[c]);
        if (r > worst) worst = r;
      }
    }
  }
  return worst;
}

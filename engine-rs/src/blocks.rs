//! Blocks of consecutive raking variables (docs/ENGINE.md §4). A block's *joint table* holds `Σ m_u·w_u`
//! per combination of its variables' codes (a missing answer is the digit `k`); raking the block's variables
//! one after another needs only that table, so a pass sweeps the units once per block, not once per variable.
//! Plain slices and the contract's constants; must not import wasm_bindgen/js_sys, rayon, problem-level
//! types or rim/cells.

use std::ops::Range;

use crate::problem::JOINT_MAX;

/// Consecutive variables whose joint table has at most [`JOINT_MAX`] slots (a variable with more digits than
/// that is a block on its own). Slot of a unit: `Σ_v digit_v · stride_v`, the first variable most significant.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Block {
    /// The block's variables (problem order).
    pub vars: Range<usize>,
    /// Per variable of the block: its digits, `k_v + 1` (the last is the missing answer).
    pub radices: Vec<usize>,
    /// Per variable of the block: the weight of its digit in a slot index.
    pub strides: Vec<usize>,
    /// Slots in the joint table: the product of the radices.
    pub size: usize,
}

impl Block {
    /// Calls `f(slots, digit)` for the runs of consecutive slots that share the digit of the block's `j`-th
    /// variable, in slot order (no division per slot).
    #[inline]
    pub fn for_each_run(&self, j: usize, mut f: impl FnMut(Range<usize>, usize)) {
        let (stride, radix) = (self.strides[j], self.radices[j]);
        let mut slot = 0;
        while slot < self.size {
            for d in 0..radix {
                f(slot..slot + stride, d);
                slot += stride;
            }
        }
    }
}

/// Splits variables with `categories[v]` categories into blocks, greedily in problem order.
pub fn blocks_of(categories: &[usize]) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut v0 = 0;
    while v0 < categories.len() {
        let mut size = categories[v0] + 1;
        let mut v1 = v0 + 1;
        while v1 < categories.len() && size * (categories[v1] + 1) <= JOINT_MAX {
            size *= categories[v1] + 1;
            v1 += 1;
        }
        let radices: Vec<usize> = categories[v0..v1].iter().map(|&k| k + 1).collect();
        let mut strides = vec![1; radices.len()];
        for j in (0..radices.len().saturating_sub(1)).rev() {
            strides[j] = strides[j + 1] * radices[j + 1];
        }
        blocks.push(Block {
            vars: v0..v1,
            radices,
            strides,
            size,
        });
        v0 = v1;
    }
    blocks
}

/// Scratch for [`rake_block`] and [`residual_of_block`], sized once for the widest block.
#[derive(Debug)]
pub struct BlockScratch {
    /// The joint table as the block's variables are raked (`joint · factors so far`).
    raked: Vec<f64>,
    /// One variable's sums per digit.
    margin: Vec<f64>,
    /// One variable's factor per digit.
    step: Vec<f64>,
}

impl BlockScratch {
    /// Scratch for `blocks`.
    pub fn new(blocks: &[Block]) -> BlockScratch {
        let size = blocks.iter().map(|b| b.size).max().unwrap_or(0);
        let radix = blocks
            .iter()
            .flat_map(|b| b.radices.iter().copied())
            .max()
            .unwrap_or(0);
        BlockScratch {
            raked: vec![0.0; size],
            margin: vec![0.0; radix],
            step: vec![0.0; radix],
        }
    }
}

/// `margin[d] = Σ table[slot]` over the slots whose digit `d` of the block's `j`-th variable, in slot order.
fn margin_of(block: &Block, j: usize, table: &[f64], margin: &mut [f64]) {
    let margin = &mut margin[..block.radices[j]];
    margin.fill(0.0);
    block.for_each_run(j, |slots, d| {
        let m = &mut margin[d];
        for &x in &table[slots] {
            *m += x;
        }
    });
}

/// Each of the block's variables' sums per category from the joint table `joint` (slot order, as the
/// residual's margins; the missing digit left out).
pub fn category_sums(block: &Block, joint: &[f64]) -> Vec<Vec<f64>> {
    block
        .radices
        .iter()
        .enumerate()
        .map(|(j, &radix)| {
            let mut sums = vec![0.0; radix];
            margin_of(block, j, joint, &mut sums);
            sums.truncate(radix - 1);
            sums
        })
        .collect()
}

/// `Σ x` in index order from 0.
#[inline]
fn sum_in_order(xs: &[f64]) -> f64 {
    let mut s = 0.0;
    for &x in xs {
        s += x;
    }
    s
}

/// Rakes the block's variables in order on its joint table `joint`: for each, its margin `sum[c]` from the
/// table as raked so far, `S = Σ_c sum[c]` (category order), `f[c] = target[c]·S / sum[c]` (1 when
/// `sum[c] = 0`, and 1 for the missing digit), then every slot times `f[its digit]`. Writes the block's
/// factor table: `factor[slot]` = the product of the variables' factors (in variable order), which the
/// caller's sweep applies to each unit (`w_u *= factor[slot_u]`).
pub fn rake_block(
    block: &Block,
    targets: &[&[f64]],
    joint: &[f64],
    scratch: &mut BlockScratch,
    factor: &mut [f64],
) {
    let raked = &mut scratch.raked[..block.size];
    raked.copy_from_slice(joint);
    let factor = &mut factor[..block.size];
    factor.fill(1.0);
    for (j, v) in block.vars.clone().enumerate() {
        let t = targets[v];
        let k = t.len();
        margin_of(block, j, raked, &mut scratch.margin);
        let s = sum_in_order(&scratch.margin[..k]);
        let step = &mut scratch.step[..=k];
        for ((f, &t), &x) in step.iter_mut().zip(t).zip(&scratch.margin) {
            *f = if x > 0.0 { t * s / x } else { 1.0 };
        }
        step[k] = 1.0;
        block.for_each_run(j, |slots, d| {
            let x = step[d];
            for (y, f) in raked[slots.clone()].iter_mut().zip(&mut factor[slots]) {
                *y *= x;
                *f *= x;
            }
        });
    }
}

/// Max over the block's variables and categories of `|sum[c]/S − target[c]|`, the margins taken from the
/// joint table `joint` (a variable with `S = 0` contributes 0).
pub fn residual_of_block(
    block: &Block,
    targets: &[&[f64]],
    joint: &[f64],
    scratch: &mut BlockScratch,
) -> f64 {
    let mut max = 0.0;
    for (j, v) in block.vars.clone().enumerate() {
        let t = targets[v];
        margin_of(block, j, joint, &mut scratch.margin);
        let sum = &scratch.margin[..t.len()];
        let s = sum_in_order(sum);
        if s > 0.0 {
            for (&x, &t) in sum.iter().zip(t) {
                let r = (x / s - t).abs();
                if r > max {
                    max = r;
                }
            }
        }
    }
    max
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_fill_up_to_the_joint_limit_in_order() {
        // Digits 3·4·5·6·7 = 2520 ≤ 4096, ·9 would not fit; 9·11·13 = 1287.
        let b = blocks_of(&[2, 3, 4, 5, 6, 8, 10, 12]);
        assert_eq!(b.len(), 2);
        assert_eq!((b[0].vars.clone(), b[0].size), (0..5, 2520));
        assert_eq!(b[0].strides, vec![840, 210, 42, 7, 1]);
        assert_eq!((b[1].vars.clone(), b[1].size), (5..8, 1287));
        // A variable wider than the limit is a block of its own.
        let b = blocks_of(&[1, 5000, 1]);
        assert_eq!(
            b.iter().map(|b| b.vars.clone()).collect::<Vec<_>>(),
            vec![0..1, 1..2, 2..3]
        );
        assert!(blocks_of(&[]).is_empty());
    }

    #[test]
    fn raking_a_block_equals_raking_its_variables_one_by_one() {
        // Two variables (2 and 3 categories, digits 3 and 4), units given as (a, b, weight).
        let units = [
            (0, 0, 1.0),
            (0, 1, 2.0),
            (1, 2, 1.5),
            (1, 0, 0.5),
            (2, 1, 3.0), // missing on the first variable
            (0, 3, 2.5), // missing on the second
        ];
        let ta = [0.4, 0.6];
        let tb = [0.2, 0.3, 0.5];
        let blocks = blocks_of(&[2, 3]);
        let block = &blocks[0];
        let mut joint = vec![0.0; block.size];
        for &(a, b, w) in &units {
            joint[a * 4 + b] += w;
        }
        let mut scratch = BlockScratch::new(&blocks);
        let mut factor = vec![0.0; block.size];
        rake_block(block, &[&ta, &tb], &joint, &mut scratch, &mut factor);
        // Plain raking on the units.
        let mut w: Vec<f64> = units.iter().map(|u| u.2).collect();
        for (v, t) in [&ta[..], &tb[..]].iter().enumerate() {
            let code = |u: &(usize, usize, f64)| if v == 0 { u.0 } else { u.1 };
            let mut sum = vec![0.0; t.len()];
            for (u, x) in units.iter().zip(&w) {
                if code(u) < t.len() {
                    sum[code(u)] += x;
                }
            }
            let s: f64 = sum.iter().sum();
            for (u, x) in units.iter().zip(w.iter_mut()) {
                if code(u) < t.len() {
                    *x *= t[code(u)] * s / sum[code(u)];
                }
            }
        }
        for (u, x) in units.iter().zip(&w) {
            let y = u.2 * factor[u.0 * 4 + u.1];
            assert!((x - y).abs() <= 1e-14 * x, "{x} vs {y}");
        }
        // After raking, the last variable is on target and the first is not (yet).
        let mut raked = joint.clone();
        for (y, f) in raked.iter_mut().zip(&factor) {
            *y *= f;
        }
        let r = residual_of_block(block, &[&ta, &tb], &raked, &mut scratch);
        assert!(r > 1e-3);
        let b_only = Block {
            vars: 1..2,
            radices: vec![4],
            strides: vec![1],
            size: 4,
        };
        let mut margin_b = vec![0.0; 4];
        for (slot, &y) in raked.iter().enumerate() {
            margin_b[slot % 4] += y;
        }
        let r_b = residual_of_block(&b_only, &[&ta, &tb], &margin_b, &mut scratch);
        assert!(r_b < 1e-15, "{r_b}");
    }
}

//! Diagnostics (docs/ENGINE.md §6): weight summaries from the final respondent weights, in respondent
//! order; category rows from the answers validation counted and the groups' final weight sums per category
//! (the joint tables the raking gathered last). Must not import wasm_bindgen/js_sys or the raking modules.

use crate::caps::{at_caps, GroupBounds};
use crate::problem::{CategoryRow, Problem, WeightSummary};

/// Running sums for one weight summary.
#[derive(Clone, Copy, Debug)]
struct Acc {
    n: usize,
    sum: f64,
    sum_sq: f64,
    min: f64,
    max: f64,
    at_min: usize,
    at_max: usize,
}

impl Acc {
    fn new() -> Acc {
        Acc {
            n: 0,
            sum: 0.0,
            sum_sq: 0.0,
            min: f64::INFINITY,
            max: f64::NEG_INFINITY,
            at_min: 0,
            at_max: 0,
        }
    }

    #[inline]
    fn add(&mut self, w: f64, (at_min, at_max): (bool, bool)) {
        self.n += 1;
        self.sum += w;
        self.sum_sq += w * w;
        if w < self.min {
            self.min = w;
        }
        if w > self.max {
            self.max = w;
        }
        self.at_min += usize::from(at_min);
        self.at_max += usize::from(at_max);
    }

    /// mean = Σw/n, ratio = max/min, efficiencyPct = 100·(Σw)²/(n·Σw²), deff = n·Σw²/(Σw)²,
    /// effectiveN = (Σw)²/Σw², each evaluated left to right as written (with (Σw)² = Σw·Σw), and 0 where
    /// the divisor is 0 (a group with a share of 0 has weights 0). An empty group reports zeros throughout.
    fn finish(&self, group: Option<usize>) -> WeightSummary {
        let n = self.n as f64;
        let sq = self.sum * self.sum;
        let (min, max) = if self.n == 0 {
            (0.0, 0.0)
        } else {
            (self.min, self.max)
        };
        WeightSummary {
            group,
            n: self.n,
            sum_weights: self.sum,
            mean: ratio_or_zero(self.sum, n),
            min,
            max,
            ratio: ratio_or_zero(max, min),
            efficiency_pct: ratio_or_zero(100.0 * sq, n * self.sum_sq),
            deff: ratio_or_zero(n * self.sum_sq, sq),
            effective_n: ratio_or_zero(sq, self.sum_sq),
            at_cap_min: self.at_min,
            at_cap_max: self.at_max,
        }
    }
}

/// `x / y`, or 0 when `y` is 0 (an empty group, a group of zero weights, a variable with no valid answer).
#[inline]
fn ratio_or_zero(x: f64, y: f64) -> f64 {
    if y == 0.0 {
        0.0
    } else {
        x / y
    }
}

/// Overall summary (group `None`) and, when grouped, one per group label in order (else empty).
/// Overall cap counts are the sum of the groups' (each respondent judged by its group's bounds).
pub fn weight_summaries(
    problem: &Problem,
    weights: &[f64],
    bounds: &[GroupBounds],
) -> (WeightSummary, Vec<WeightSummary>) {
    let mut all = Acc::new();
    let mut per = vec![Acc::new(); problem.n_groups()];
    match &problem.group {
        // One group: its summary is the whole sample's (same rows, same order).
        None => {
            for &w in weights {
                all.add(w, at_caps(w, &bounds[0]));
            }
            per[0] = all;
        }
        Some(_) => {
            for (row, &w) in weights.iter().enumerate() {
                let g = problem.group_of(row);
                let at = at_caps(w, &bounds[g]);
                all.add(w, at);
                per[g].add(w, at);
            }
        }
    }
    let groups = if problem.group.is_some() {
        per.iter()
            .enumerate()
            .map(|(g, a)| a.finish(Some(g)))
            .collect()
    } else {
        Vec::new()
    };
    (all.finish(None), groups)
}

/// Counts and weight sums of one variable: whole sample, then `[g * k + c]` per group.
struct Tally<'a> {
    count: Vec<usize>,
    weight: Vec<f64>,
    group_count: &'a [usize],
    group_weight: Vec<f64>,
}

/// Variable v's tally from the valid answers validation counted and the groups' final weight sums; the
/// whole sample's weight sums add the groups' in label order.
fn tally<'a>(v: usize, k: usize, counts: &'a [usize], sums: &[&[Vec<f64>]]) -> Tally<'a> {
    let mut count = vec![0; k];
    let mut weight = vec![0.0; k];
    let mut group_weight = Vec::with_capacity(sums.len() * k);
    for (g, group) in sums.iter().enumerate() {
        for c in 0..k {
            count[c] += counts[g * k + c];
            weight[c] += group[v][c];
        }
        group_weight.extend_from_slice(&group[v]);
    }
    Tally {
        count,
        weight,
        group_count: counts,
        group_weight,
    }
}

/// Σ in index order from 0.
fn sum_in_order(xs: &[f64]) -> f64 {
    let mut s = 0.0;
    for &x in xs {
        s += x;
    }
    s
}

/// Rows for one (group or whole-sample) slice of a tally.
fn push_rows(
    rows: &mut Vec<CategoryRow>,
    (variable, group): (usize, Option<usize>),
    count: &[usize],
    weight: &[f64],
    target_pct: impl Fn(usize) -> f64,
) {
    let valid = count.iter().sum::<usize>() as f64;
    let weighted_valid = sum_in_order(weight);
    for (category, (&n, &w)) in count.iter().zip(weight).enumerate() {
        let target_pct = target_pct(category);
        let weighted_pct = ratio_or_zero(100.0 * w, weighted_valid);
        rows.push(CategoryRow {
            variable,
            category,
            group,
            unweighted_n: n,
            unweighted_pct: ratio_or_zero(100.0 * n as f64, valid),
            target_pct,
            weighted_pct,
            diff_pct: weighted_pct - target_pct,
        });
    }
}

/// Category rows: whole sample (group `None`) for every variable and category, then, when grouped, each
/// group in label order. `counts[v][g * K_v + c]`: valid answers (validate.rs); `sums[g][v][c]`: group g's
/// final weights summed per category (rim.rs). Whole-sample targetPct when grouped is
/// `100·Σ_g T_g·target_g[c] / Σ_g T_g` over the groups where the variable's valid weight is > 0 (label
/// order); otherwise `100·target[c]`.
pub fn category_rows(
    problem: &Problem,
    counts: &[Vec<usize>],
    sums: &[&[Vec<f64>]],
    bounds: &[GroupBounds],
) -> Vec<CategoryRow> {
    let tallies: Vec<Tally<'_>> = problem
        .variables
        .iter()
        .enumerate()
        .map(|(v, var)| tally(v, var.categories.len(), &counts[v], sums))
        .collect();
    let mut rows = Vec::new();
    let grouped = problem.group.is_some();
    let n_groups = problem.n_groups();
    for (v, t) in tallies.iter().enumerate() {
        let k = t.count.len();
        let whole_target = |c: usize| {
            if !grouped {
                return 100.0 * problem.targets(v, 0)[c];
            }
            let (mut num, mut den) = (0.0, 0.0);
            for (g, b) in bounds.iter().enumerate().take(n_groups) {
                if sum_in_order(&t.group_weight[g * k..(g + 1) * k]) > 0.0 {
                    num += b.total * problem.targets(v, g)[c];
                    den += b.total;
                }
            }
            ratio_or_zero(100.0 * num, den)
        };
        push_rows(&mut rows, (v, None), &t.count, &t.weight, whole_target);
    }
    if grouped {
        for g in 0..n_groups {
            for (v, t) in tallies.iter().enumerate() {
                let k = t.count.len();
                let range = g * k..(g + 1) * k;
                let targets = problem.targets(v, g);
                push_rows(
                    &mut rows,
                    (v, Some(g)),
                    &t.group_count[range.clone()],
                    &t.group_weight[range],
                    |c| 100.0 * targets[c],
                );
            }
        }
    }
    rows
}

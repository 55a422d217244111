//! Caps (docs/ENGINE.md §4 apply_caps): the lineage cap correction inside the loop, and counts at the caps.
//! Works on plain slices via kernels.rs; must not import wasm_bindgen/js_sys, cells or rim.

use crate::kernels::{all_weights, map_weights, total, Chunking};
use crate::problem::{Caps, CAP_MAX_ROUNDS, CAP_SLACK};

/// One group's total, mean weight and cap bounds (docs/ENGINE.md §2).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GroupBounds {
    /// `T_g`: the group's weights sum to this.
    pub total: f64,
    /// Respondents in the group.
    pub n: usize,
    /// `mean_g = T_g / n_g`.
    pub mean: f64,
    /// `capMin · mean_g`, or 0 without a lower cap.
    pub lo: f64,
    /// `capMax · mean_g`, or +∞ without an upper cap.
    pub hi: f64,
    /// The caps in force (fields `None` when not set).
    pub caps: Caps,
}

impl GroupBounds {
    /// Bounds for a group with total `total` and `n` respondents.
    pub fn new(total: f64, n: usize, caps: Caps) -> GroupBounds {
        let mean = total / n as f64;
        GroupBounds {
            total,
            n,
            mean,
            lo: caps.min.map_or(0.0, |c| c * mean),
            hi: caps.max.map_or(f64::INFINITY, |c| c * mean),
            caps,
        }
    }
}

/// Clip every weight into `[lo, hi]`, rescale to `T_g` (`scale = T_g / Σ m_u·w_u`), and repeat until every
/// weight lies within `[lo − CAP_SLACK·mean, hi + CAP_SLACK·mean]`, at most `CAP_MAX_ROUNDS` times.
/// The caller skips this for a group with `T_g = 0` (its weights are all 0 and the rescale would be 0/0).
pub fn apply_caps(
    w: &mut [f64],
    mass: Option<&[f64]>,
    b: &GroupBounds,
    partials: &mut [f64],
    ch: Chunking,
) {
    let (lo, hi) = (b.lo, b.hi);
    let lo_ok = lo - CAP_SLACK * b.mean;
    let hi_ok = hi + CAP_SLACK * b.mean;
    for _ in 0..CAP_MAX_ROUNDS {
        map_weights(w, ch, |x| clip(x, lo, hi));
        let scale = b.total / total(mass, w, partials, ch);
        map_weights(w, ch, |x| x * scale);
        if all_weights(w, ch, |x| x >= lo_ok && x <= hi_ok) {
            break;
        }
    }
}

/// `x` clipped into `[lo, hi]` (lo ≤ hi).
#[inline]
fn clip(x: f64, lo: f64, hi: f64) -> f64 {
    if x < lo {
        lo
    } else if x > hi {
        hi
    } else {
        x
    }
}

/// Whether a final respondent weight counts as at the lower / upper cap: `w ≤ lo·(1 + 1e-9)`,
/// `w ≥ hi·(1 − 1e-9)`, each only when that cap is set.
#[inline]
pub fn at_caps(w: f64, b: &GroupBounds) -> (bool, bool) {
    let at_min = b.caps.min.is_some() && w <= b.lo * (1.0 + 1e-9);
    let at_max = b.caps.max.is_some() && w >= b.hi * (1.0 - 1e-9);
    (at_min, at_max)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caps_clip_and_keep_the_total() {
        // mean 1, cap max 1.5: [4, 1, 1, 1, 1, 1, 1, 1, 1] → 1.5 and the rest share 7.5 → 0.9375.
        let mut w = vec![4.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0];
        let total: f64 = w.iter().sum::<f64>();
        let b = GroupBounds::new(
            9.0,
            9,
            Caps {
                min: None,
                max: Some(1.5),
            },
        );
        let scale = 9.0 / total;
        w.iter_mut().for_each(|x| *x *= scale);
        apply_caps(&mut w, None, &b, &mut [], Chunking::sequential(9));
        assert!((w[0] - 1.5).abs() < 1e-8, "{w:?}");
        for &x in &w[1..] {
            assert!((x - 0.9375).abs() < 1e-8);
        }
        assert!((w.iter().sum::<f64>() - 9.0).abs() < 1e-12);
        assert_eq!(at_caps(w[0], &b), (false, true));
        assert_eq!(at_caps(w[1], &b), (false, false));
    }

    #[test]
    fn mass_counts_in_the_rescale() {
        let mut w = vec![3.0, 0.5];
        let b = GroupBounds::new(
            4.0,
            4,
            Caps {
                min: None,
                max: Some(2.0),
            },
        );
        // Unit 0 has one member, unit 1 three: clip 3 → 2, total 2 + 1.5 = 3.5, scale 4/3.5.
        apply_caps(
            &mut w,
            Some(&[1.0, 3.0]),
            &b,
            &mut [],
            Chunking::sequential(2),
        );
        assert!(w[0] <= 2.0 + 1e-9);
        assert!((w[0] + 3.0 * w[1] - 4.0).abs() < 1e-12);
    }
}

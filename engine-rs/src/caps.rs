//! Caps (docs/ENGINE.md §4 apply_caps): the lineage cap correction inside the loop, and counts at the caps.
//! Works on plain slices via kernels.rs; must not import wasm_bindgen/js_sys, cells or rim.

use crate::kernels::{clip_init, clip_reduce, map_clip_total_range, sweep, Chunking, CLIP_WIDTH};
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
///
/// Fused form: the caller has already clipped the weights (in the sweep of the last variable's scatter)
/// and passes that sweep's `(Σ m_u·w_u, min, max)`. Each round then costs one sweep: since `x ↦ x·scale`
/// is monotone, every scaled weight is within bounds exactly when the scaled min and max are, so the check is known before scaling; a round that fails scales and clips in
/// one sweep (`clip(x·scale)`), which also totals the next round. Returns the last round's `scale`, which
/// the caller applies (`w_u *= scale`) in its next sweep; the weights are then exactly those of the plain
/// clip / total / rescale / check loop.
pub fn apply_caps(
    w: &mut [f64],
    mass: Option<&[f64]>,
    b: &GroupBounds,
    partials: &mut Vec<f64>,
    ch: Chunking,
    clipped: (f64, f64, f64),
) -> f64 {
    let (lo, hi) = (b.lo, b.hi);
    let lo_ok = lo - CAP_SLACK * b.mean;
    let hi_ok = hi + CAP_SLACK * b.mean;
    let (mut t, mut mn, mut mx) = clipped;
    let mut round = 1;
    loop {
        let scale = b.total / t;
        // A NaN weight makes t and so scale NaN, and the check fails, as it does for that weight.
        let ok = mn * scale >= lo_ok && mx * scale <= hi_ok;
        if ok || round >= CAP_MAX_ROUNDS {
            return scale;
        }
        let rows = sweep(w, ch, CLIP_WIDTH, partials, clip_init, |start, wc, acc| {
            let m = mass.map(|m| &m[start..start + wc.len()]);
            map_clip_total_range(m, wc, lo, hi, acc, |_, x| x * scale);
        });
        (t, mn, mx) = clip_reduce(&rows);
        round += 1;
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
    use crate::kernels::clip;

    /// The fused form end to end: the first clip sweep, the rounds, the final scale.
    fn run_caps(w: &mut [f64], mass: Option<&[f64]>, b: &GroupBounds, ch: Chunking) {
        let mut partials = Vec::new();
        let rows = sweep(
            w,
            ch,
            CLIP_WIDTH,
            &mut partials,
            clip_init,
            |start, wc, acc| {
                let m = mass.map(|m| &m[start..start + wc.len()]);
                map_clip_total_range(m, wc, b.lo, b.hi, acc, |_, x| x);
            },
        );
        let first = clip_reduce(&rows);
        let scale = apply_caps(w, mass, b, &mut partials, ch, first);
        w.iter_mut().for_each(|x| *x *= scale);
    }

    /// The plain loop of docs/ENGINE.md §4, sequential.
    fn plain_caps(w: &mut [f64], mass: Option<&[f64]>, b: &GroupBounds) {
        let lo_ok = b.lo - CAP_SLACK * b.mean;
        let hi_ok = b.hi + CAP_SLACK * b.mean;
        for _ in 0..CAP_MAX_ROUNDS {
            w.iter_mut().for_each(|x| *x = clip(*x, b.lo, b.hi));
            let mut t = 0.0;
            for (i, &x) in w.iter().enumerate() {
                t += mass.map_or(x, |m| m[i] * x);
            }
            let scale = b.total / t;
            w.iter_mut().for_each(|x| *x *= scale);
            if w.iter().all(|&x| x >= lo_ok && x <= hi_ok) {
                break;
            }
        }
    }

    #[test]
    fn fused_caps_equal_the_plain_loop() {
        let mut seed = 12345u64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed >> 11) as f64 / (1u64 << 53) as f64
        };
        for case in 0..20 {
            let n = 50 + case * 37;
            let w0: Vec<f64> = (0..n).map(|_| 0.05 + 6.0 * next() * next()).collect();
            let mass: Vec<f64> = (0..n).map(|_| (1.0 + 4.0 * next()).floor()).collect();
            let m = (case % 2 == 0).then_some(&mass[..]);
            let total: f64 = (0..n).map(|i| m.map_or(1.0, |m| m[i])).sum();
            let b = GroupBounds::new(
                total,
                total as usize,
                Caps {
                    min: (case % 3 == 0).then_some(0.4),
                    max: Some(1.5 + (case % 4) as f64 * 0.5),
                },
            );
            let (mut a, mut p) = (w0.clone(), w0.clone());
            run_caps(&mut a, m, &b, Chunking::with_chunk(n, n));
            plain_caps(&mut p, m, &b);
            assert_eq!(a, p, "case {case}");
        }
    }

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
        run_caps(&mut w, None, &b, Chunking::with_chunk(9, 9));
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
        run_caps(&mut w, Some(&[1.0, 3.0]), &b, Chunking::with_chunk(2, 2));
        assert!(w[0] <= 2.0 + 1e-9);
        assert!((w[0] + 3.0 * w[1] - 4.0).abs() < 1e-12);
    }
}

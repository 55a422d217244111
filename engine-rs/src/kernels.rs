//! Per-item kernels over flat unit slices (gather, scatter, weighted total, map) and their _seq/_par drivers.
//! Plain slices and rayon only; must not import wasm_bindgen/js_sys or problem-level types beyond MISSING.
//
// Each `_par` driver splits the units into a fixed number of contiguous chunks and runs the same range
// kernel as `_seq` on each chunk; partial sums are kept per chunk and reduced in chunk order, so a parallel
// result depends only on the chunking, never on scheduling. `_par` is chosen only for large unit counts
// with more than one thread (see `Chunking::for_units`), so small problems keep the sequential summation
// order that the TS engine reproduces bit for bit.

use rayon::prelude::*;

use crate::problem::MISSING;

/// Fewest units for which the parallel drivers are used.
pub const PAR_MIN_UNITS: usize = 65_536;
/// Smallest chunk a parallel driver hands to one task.
const PAR_MIN_CHUNK: usize = 8_192;
/// Chunks per rayon thread (some slack for work stealing).
const CHUNKS_PER_THREAD: usize = 4;

/// How a driver walks the units: one range (sequential) or fixed chunks (parallel).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Chunking {
    /// Use the `_par` drivers.
    pub par: bool,
    /// Units per chunk (the whole length when sequential).
    pub chunk_len: usize,
    /// Number of chunks.
    pub n_chunks: usize,
}

impl Chunking {
    /// Parallel when `len ≥ PAR_MIN_UNITS` and rayon has more than one thread; sequential otherwise.
    pub fn for_units(len: usize) -> Chunking {
        let threads = rayon::current_num_threads();
        if len >= PAR_MIN_UNITS && threads > 1 {
            Chunking::parallel(len, threads * CHUNKS_PER_THREAD)
        } else {
            Chunking::sequential(len)
        }
    }

    /// One range covering every unit.
    pub fn sequential(len: usize) -> Chunking {
        Chunking {
            par: false,
            chunk_len: len.max(1),
            n_chunks: 1,
        }
    }

    /// About `chunks` contiguous chunks of at least `PAR_MIN_CHUNK` units (used directly by tests).
    pub fn parallel(len: usize, chunks: usize) -> Chunking {
        let chunk_len = len
            .div_ceil(chunks.max(1))
            .max(PAR_MIN_CHUNK.min(len.max(1)));
        Chunking {
            par: true,
            chunk_len,
            n_chunks: len.div_ceil(chunk_len).max(1),
        }
    }

    /// Slots a caller must provide for per-chunk partial sums of `width` numbers.
    pub fn partials_len(&self, width: usize) -> usize {
        if self.par {
            self.n_chunks * width
        } else {
            0
        }
    }
}

/// Kernel: `sum[c] += m_u · w_u` for every non-missing unit of the range, in unit order.
#[inline]
pub fn gather_range(codes: &[u16], mass: Option<&[f64]>, w: &[f64], sum: &mut [f64]) {
    match mass {
        None => {
            for (&c, &x) in codes.iter().zip(w) {
                if c != MISSING {
                    sum[usize::from(c)] += x;
                }
            }
        }
        Some(m) => {
            for ((&c, &x), &mu) in codes.iter().zip(w).zip(m) {
                if c != MISSING {
                    sum[usize::from(c)] += mu * x;
                }
            }
        }
    }
}

/// Sequential gather: `sum` is zeroed, then filled in unit order.
pub fn gather_seq(codes: &[u16], mass: Option<&[f64]>, w: &[f64], sum: &mut [f64]) {
    sum.fill(0.0);
    gather_range(codes, mass, w, sum);
}

/// Chunked parallel gather: per-chunk partial sums into `partials`, then reduced in chunk order into `sum`.
pub fn gather_par(
    codes: &[u16],
    mass: Option<&[f64]>,
    w: &[f64],
    sum: &mut [f64],
    partials: &mut [f64],
    ch: Chunking,
) {
    let k = sum.len();
    sum.fill(0.0);
    if k == 0 {
        return;
    }
    let parts = &mut partials[..ch.n_chunks * k];
    parts.par_chunks_mut(k).enumerate().for_each(|(i, part)| {
        let start = (i * ch.chunk_len).min(codes.len());
        let end = (start + ch.chunk_len).min(codes.len());
        part.fill(0.0);
        gather_range(
            &codes[start..end],
            mass.map(|m| &m[start..end]),
            &w[start..end],
            part,
        );
    });
    for part in parts.chunks(k) {
        for (s, p) in sum.iter_mut().zip(part) {
            *s += p;
        }
    }
}

/// Gather with the driver `ch` selects.
#[inline]
pub fn gather(
    codes: &[u16],
    mass: Option<&[f64]>,
    w: &[f64],
    sum: &mut [f64],
    partials: &mut [f64],
    ch: Chunking,
) {
    if ch.par {
        gather_par(codes, mass, w, sum, partials, ch);
    } else {
        gather_seq(codes, mass, w, sum);
    }
}

/// Kernel: `w_u *= factor[code_u]` for every non-missing unit of the range.
#[inline]
pub fn scatter_range(codes: &[u16], w: &mut [f64], factor: &[f64]) {
    for (x, &c) in w.iter_mut().zip(codes) {
        if c != MISSING {
            *x *= factor[usize::from(c)];
        }
    }
}

/// Sequential scatter.
pub fn scatter_seq(codes: &[u16], w: &mut [f64], factor: &[f64]) {
    scatter_range(codes, w, factor);
}

/// Parallel scatter over the chunks of `ch` (element-wise, so identical to the sequential result).
pub fn scatter_par(codes: &[u16], w: &mut [f64], factor: &[f64], ch: Chunking) {
    w.par_chunks_mut(ch.chunk_len)
        .zip(codes.par_chunks(ch.chunk_len))
        .for_each(|(w, c)| scatter_range(c, w, factor));
}

/// Scatter with the driver `ch` selects.
#[inline]
pub fn scatter(codes: &[u16], w: &mut [f64], factor: &[f64], ch: Chunking) {
    if ch.par {
        scatter_par(codes, w, factor, ch);
    } else {
        scatter_seq(codes, w, factor);
    }
}

/// Kernel: `Σ m_u · w_u` over the range, in unit order, starting from 0.
#[inline]
pub fn total_range(mass: Option<&[f64]>, w: &[f64]) -> f64 {
    let mut t = 0.0;
    match mass {
        None => {
            for &x in w {
                t += x;
            }
        }
        Some(m) => {
            for (&x, &mu) in w.iter().zip(m) {
                t += mu * x;
            }
        }
    }
    t
}

/// Weighted total with the driver `ch` selects (parallel: per-chunk totals reduced in chunk order).
pub fn total(mass: Option<&[f64]>, w: &[f64], partials: &mut [f64], ch: Chunking) -> f64 {
    if !ch.par {
        return total_range(mass, w);
    }
    let parts = &mut partials[..ch.n_chunks];
    parts.par_iter_mut().enumerate().for_each(|(i, part)| {
        let start = (i * ch.chunk_len).min(w.len());
        let end = (start + ch.chunk_len).min(w.len());
        *part = total_range(mass.map(|m| &m[start..end]), &w[start..end]);
    });
    let mut t = 0.0;
    for &p in parts.iter() {
        t += p;
    }
    t
}

/// Applies `f` to every weight, chunk-parallel when `ch.par` (element-wise, so order does not matter).
#[inline]
pub fn map_weights(w: &mut [f64], ch: Chunking, f: impl Fn(f64) -> f64 + Sync) {
    if ch.par {
        w.par_chunks_mut(ch.chunk_len)
            .for_each(|w| w.iter_mut().for_each(|x| *x = f(*x)));
    } else {
        w.iter_mut().for_each(|x| *x = f(*x));
    }
}

/// True when `pred` holds for every weight.
#[inline]
pub fn all_weights(w: &[f64], ch: Chunking, pred: impl Fn(f64) -> bool + Sync + Send) -> bool {
    if ch.par {
        w.par_chunks(ch.chunk_len)
            .all(|w| w.iter().all(|&x| pred(x)))
    } else {
        w.iter().all(|&x| pred(x))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gather_skips_missing_and_uses_mass() {
        let codes = [0u16, 1, MISSING, 1];
        let w = [1.0, 2.0, 4.0, 8.0];
        let mut sum = [0.0; 2];
        gather_seq(&codes, None, &w, &mut sum);
        assert_eq!(sum, [1.0, 10.0]);
        gather_seq(&codes, Some(&[2.0, 1.0, 1.0, 0.5]), &w, &mut sum);
        assert_eq!(sum, [2.0, 6.0]);
    }

    #[test]
    fn parallel_drivers_match_sequential() {
        let n = 50_000;
        let codes: Vec<u16> = (0..n)
            .map(|i| if i % 97 == 0 { MISSING } else { (i % 5) as u16 })
            .collect();
        let w: Vec<f64> = (0..n).map(|i| 1.0 + (i % 13) as f64 / 7.0).collect();
        let mass: Vec<f64> = (0..n).map(|i| 1.0 + (i % 3) as f64).collect();
        let ch = Chunking::parallel(n, 7);
        assert!(ch.par && ch.n_chunks > 1);
        let mut partials = vec![0.0; ch.partials_len(5)];
        let (mut a, mut b) = ([0.0; 5], [0.0; 5]);
        gather_seq(&codes, Some(&mass), &w, &mut a);
        gather_par(&codes, Some(&mass), &w, &mut b, &mut partials, ch);
        for (x, y) in a.iter().zip(&b) {
            assert!((x - y).abs() <= 1e-12 * x.abs());
        }
        let factor = [0.5, 2.0, 1.5, 0.25, 3.0];
        let (mut w1, mut w2) = (w.clone(), w.clone());
        scatter_seq(&codes, &mut w1, &factor);
        scatter_par(&codes, &mut w2, &factor, ch);
        assert_eq!(w1, w2);
        let t1 = total_range(Some(&mass), &w1);
        let t2 = total(Some(&mass), &w1, &mut partials, ch);
        assert!((t1 - t2).abs() <= 1e-12 * t1);
    }
}

//! Per-unit sweeps over flat unit slices and their sequential / chunked-parallel driver.
//! Plain slices, rayon and the contract's constants; must not import wasm_bindgen/js_sys or problem types.
//
// A *sweep* walks the units once, updating each weight in place (a scatter by a factor, a scale, a clip)
// and accumulating sums from the updated weight (a gather of one block's joint table, of every block's, or
// the capped total). Fusing the update of one step with the gather of the next is exact: each unit's weight
// goes through the same operations, and every sum still runs in unit order within a chunk.
//
// Units are addressed by their slot in a block's joint table (blocks.rs), a missing answer being one more
// digit whose factor is 1, so no kernel branches on missing (`x · 1 = x` exactly).
//
// The driver splits the units into contiguous chunks of a fixed length (`SWEEP_CHUNK`, whatever the
// threads); each chunk accumulates into its own row of `partials` (rows padded so that no two rows share a
// cache line) and the rows are reduced in chunk order. A result so depends only on the unit count, never on
// the threads or the scheduling: one thread walks the same chunks one after another. Up to `SWEEP_CHUNK`
// units are one chunk, the plain sequential order.

use rayon::prelude::*;

use crate::problem::SWEEP_CHUNK;

/// Units per block of the every-variable gather (the block's weights stay in L1 across variables).
const BLOCK: usize = 1024;
/// Slots of padding after each row of per-chunk partials (one cache line of f64).
const ROW_PAD: usize = 8;

/// How a driver walks the units: fixed chunks, walked in parallel when there are several.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Chunking {
    /// Units per chunk.
    pub chunk_len: usize,
    /// Number of chunks (at least 1).
    pub n_chunks: usize,
}

impl Chunking {
    /// Chunks of [`SWEEP_CHUNK`] units.
    pub fn for_units(len: usize) -> Chunking {
        Chunking::with_chunk(len, SWEEP_CHUNK)
    }

    /// Chunks of `chunk_len` units (tests use short chunks on small unit counts).
    pub fn with_chunk(len: usize, chunk_len: usize) -> Chunking {
        let chunk_len = chunk_len.max(1);
        Chunking {
            chunk_len,
            n_chunks: len.div_ceil(chunk_len).max(1),
        }
    }

    /// More than one chunk: the parallel driver.
    #[inline]
    pub fn par(self) -> bool {
        self.n_chunks > 1
    }

    /// Distance between two rows of per-chunk partials of `width` numbers.
    #[inline]
    pub fn stride(width: usize) -> usize {
        width.div_ceil(ROW_PAD) * ROW_PAD + ROW_PAD
    }
}

/// Runs `body(start, w_chunk, acc)` over the units: once over all of them (sequential) or once per chunk
/// (parallel), each with its own accumulator row of `width` numbers set by `init`. Returns the rows, in
/// chunk order, `Chunking::stride(width)` apart in `partials` (grown as needed).
pub fn sweep<'p>(
    w: &mut [f64],
    ch: Chunking,
    width: usize,
    partials: &'p mut Vec<f64>,
    init: impl Fn(&mut [f64]) + Sync,
    body: impl Fn(usize, &mut [f64], &mut [f64]) + Sync,
) -> Rows<'p> {
    let stride = Chunking::stride(width);
    let n_rows = ch.n_chunks;
    if partials.len() < n_rows * stride {
        partials.resize(n_rows * stride, 0.0);
    }
    let rows = &mut partials[..n_rows * stride];
    if ch.par() {
        let chunk_len = ch.chunk_len;
        rows.par_chunks_mut(stride)
            .zip(w.par_chunks_mut(chunk_len))
            .enumerate()
            .for_each(|(i, (row, wc))| {
                let acc = &mut row[..width];
                init(acc);
                body(i * chunk_len, wc, acc);
            });
        // Chunks past the end of the units (none from `Chunking::with_chunk`) would keep stale rows.
        let used = w.len().div_ceil(chunk_len);
        for row in rows.chunks_mut(stride).skip(used) {
            init(&mut row[..width]);
        }
    } else {
        let acc = &mut rows[..width];
        init(acc);
        body(0, w, acc);
    }
    Rows {
        data: rows,
        stride,
        width,
    }
}

/// Per-chunk accumulator rows returned by [`sweep`].
#[derive(Debug)]
pub struct Rows<'p> {
    data: &'p [f64],
    stride: usize,
    width: usize,
}

impl Rows<'_> {
    /// The rows in chunk order.
    pub fn iter(&self) -> impl Iterator<Item = &[f64]> + '_ {
        self.data.chunks(self.stride).map(|r| &r[..self.width])
    }

    /// `out[j] = 0 + row_0[j] + row_1[j] + …` over `j` in `range` of the rows, in chunk order.
    pub fn sum_into(&self, range: std::ops::Range<usize>, out: &mut [f64]) {
        out.fill(0.0);
        for row in self.iter() {
            for (o, &p) in out.iter_mut().zip(&row[range.clone()]) {
                *o += p;
            }
        }
    }
}

/// Zeroes an accumulator row.
#[inline]
pub fn zero(acc: &mut [f64]) {
    acc.fill(0.0);
}

/// Kernel: `sum[c] += m_u · w_u` for every unit of the range, in unit order.
#[inline]
pub fn gather_range(codes: &[u16], mass: Option<&[f64]>, w: &[f64], sum: &mut [f64]) {
    match mass {
        None => {
            for (&c, &x) in codes.iter().zip(w) {
                sum[usize::from(c)] += x;
            }
        }
        Some(m) => {
            for ((&c, &x), &mu) in codes.iter().zip(w).zip(m) {
                sum[usize::from(c)] += mu * x;
            }
        }
    }
}

/// Kernel: `w_u *= factor[a_u]`, then `sum[b_u] += m_u · w_u`, for every unit of the range in unit order
/// (the scatter of one variable fused with the gather of another).
#[inline]
pub fn scatter_gather_range(
    a: &[u16],
    factor: &[f64],
    b: &[u16],
    mass: Option<&[f64]>,
    w: &mut [f64],
    sum: &mut [f64],
) {
    match mass {
        None => {
            for ((x, &ca), &cb) in w.iter_mut().zip(a).zip(b) {
                let y = *x * factor[usize::from(ca)];
                *x = y;
                sum[usize::from(cb)] += y;
            }
        }
        Some(m) => {
            for (((x, &ca), &cb), &mu) in w.iter_mut().zip(a).zip(b).zip(m) {
                let y = *x * factor[usize::from(ca)];
                *x = y;
                sum[usize::from(cb)] += mu * y;
            }
        }
    }
}

/// Every variable's unit codes in one flat array, variable-major: unit u's code on variable v is
/// `codes[v * len + u]` (cells.rs `Units::codes`). A borrowed view, so that a sweep over every variable
/// slices it per chunk without collecting per-variable slices.
#[derive(Clone, Copy, Debug)]
pub struct CodeTable<'a> {
    /// `codes[v * len + u]`.
    pub codes: &'a [u16],
    /// Units per variable.
    pub len: usize,
}

impl<'a> CodeTable<'a> {
    /// Variable v's codes of units `start..end`.
    #[inline]
    pub fn range(self, v: usize, start: usize, end: usize) -> &'a [u16] {
        &self.codes[v * self.len + start..v * self.len + end]
    }
}

/// Kernel: `w_u = map(u, w_u)` for every unit of the range, then the gather of every variable over those
/// units (`sums[offsets[v] + code] += m_u · w_u`), block by block: within each variable the sums still run
/// in unit order. The range is units `start..start + w.len()` of `table` (and of `mass`, given for the
/// range only); `map` gets the index within the range; `offsets` has one entry per variable and a last one.
#[inline]
pub fn map_gather_all_range(
    table: CodeTable<'_>,
    start: usize,
    offsets: &[usize],
    mass: Option<&[f64]>,
    w: &mut [f64],
    sums: &mut [f64],
    map: impl Fn(usize, f64) -> f64,
) {
    let n_vars = offsets.len() - 1;
    let mut lo = 0;
    while lo < w.len() {
        let hi = (lo + BLOCK).min(w.len());
        let wb = &mut w[lo..hi];
        for (i, x) in wb.iter_mut().enumerate() {
            *x = map(lo + i, *x);
        }
        let mb = mass.map(|m| &m[lo..hi]);
        for (v, &off) in offsets[..n_vars].iter().enumerate() {
            let codes = table.range(v, start + lo, start + hi);
            gather_range(codes, mb, wb, &mut sums[off..]);
        }
        lo = hi;
    }
}

/// Accumulator slots of [`map_clip_total_range`]: total, min, max.
pub const CLIP_WIDTH: usize = 3;

/// Initial accumulators of [`map_clip_total_range`].
#[inline]
pub fn clip_init(acc: &mut [f64]) {
    acc[0] = 0.0;
    acc[1] = f64::INFINITY;
    acc[2] = f64::NEG_INFINITY;
}

/// Kernel: `w_u = clip(map(u, w_u), lo, hi)` for every unit of the range, accumulating `Σ m_u · w_u` (unit
/// order) and the min and max of the clipped weights (see [`clip_init`]). A NaN weight makes the total NaN.
#[inline]
pub fn map_clip_total_range(
    mass: Option<&[f64]>,
    w: &mut [f64],
    lo: f64,
    hi: f64,
    acc: &mut [f64],
    map: impl Fn(usize, f64) -> f64,
) {
    let (mut t, mut mn, mut mx) = (acc[0], acc[1], acc[2]);
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    let done = clip_pairs(mass, w, (lo, hi), (&mut t, &mut mn, &mut mx), &map);
    #[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
    let done = 0;
    let mut step = |i: usize, x: &mut f64| {
        let y = clip(map(i, *x), lo, hi);
        *x = y;
        mn = if y < mn { y } else { mn };
        mx = if y > mx { y } else { mx };
        y
    };
    match mass {
        None => {
            for (i, x) in w.iter_mut().enumerate().skip(done) {
                t += step(i, x);
            }
        }
        Some(m) => {
            for ((i, x), &mu) in w.iter_mut().enumerate().zip(m).skip(done) {
                t += mu * step(i, x);
            }
        }
    }
    acc[0] = t;
    acc[1] = mn;
    acc[2] = mx;
}

/// [`map_clip_total_range`]'s loop two units at a time, for wasm with SIMD: the clip and the min / max
/// through `f64x2.pmax` / `f64x2.pmin`, which are exactly the comparisons of the scalar loop (`pmax(a, b)
/// = a < b ? b : a`) without a branch; V8 turns the scalar loop's selects into branches, which the
/// weights at a cap make unpredictable (a cap round took 4–6 ns a unit in wasm against ~1.5 natively). The
/// total still adds unit by unit. Returns how many units it did (the scalar loop does the rest).
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
#[inline]
fn clip_pairs(
    mass: Option<&[f64]>,
    w: &mut [f64],
    (lo, hi): (f64, f64),
    (t, mn, mx): (&mut f64, &mut f64, &mut f64),
    map: &impl Fn(usize, f64) -> f64,
) -> usize {
    use core::arch::wasm32::{f64x2, f64x2_extract_lane, f64x2_pmax, f64x2_pmin, f64x2_splat};
    let (lo2, hi2) = (f64x2_splat(lo), f64x2_splat(hi));
    let (mut mn2, mut mx2) = (f64x2_splat(*mn), f64x2_splat(*mx));
    let pairs = w.len() / 2;
    for p in 0..pairs {
        let i = 2 * p;
        let y = f64x2_pmin(
            f64x2_pmax(f64x2(map(i, w[i]), map(i + 1, w[i + 1])), lo2),
            hi2,
        );
        mn2 = f64x2_pmin(mn2, y);
        mx2 = f64x2_pmax(mx2, y);
        let (y0, y1) = (f64x2_extract_lane::<0>(y), f64x2_extract_lane::<1>(y));
        w[i] = y0;
        w[i + 1] = y1;
        match mass {
            None => *t = *t + y0 + y1,
            Some(m) => *t = *t + m[i] * y0 + m[i + 1] * y1,
        }
    }
    let lanes = |v| (f64x2_extract_lane::<0>(v), f64x2_extract_lane::<1>(v));
    let ((mn0, mn1), (mx0, mx1)) = (lanes(mn2), lanes(mx2));
    *mn = if mn1 < mn0 { mn1 } else { mn0 };
    *mx = if mx1 > mx0 { mx1 } else { mx0 };
    2 * pairs
}

/// Reduces the rows of a clip sweep: total summed from 0 in chunk order, min, max.
pub fn clip_reduce(rows: &Rows<'_>) -> (f64, f64, f64) {
    let (mut t, mut mn, mut mx) = (0.0, f64::INFINITY, f64::NEG_INFINITY);
    for r in rows.iter() {
        t += r[0];
        if r[1] < mn {
            mn = r[1];
        }
        if r[2] > mx {
            mx = r[2];
        }
    }
    (t, mn, mx)
}

/// `x` clipped into `[lo, hi]` (lo ≤ hi).
#[inline]
pub fn clip(x: f64, lo: f64, hi: f64) -> f64 {
    // Branch-free form of `if x < lo { lo } else if x > hi { hi } else { x }` (equal for lo ≤ hi, NaN kept).
    let y = if x < lo { lo } else { x };
    if y > hi {
        hi
    } else {
        y
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gather_uses_mass_and_a_missing_slot() {
        // Code 2 is the missing slot of a 2-category variable.
        let codes = [0u16, 1, 2, 1];
        let w = [1.0, 2.0, 4.0, 8.0];
        let mut sum = [0.0; 3];
        gather_range(&codes, None, &w, &mut sum);
        assert_eq!(sum[..2], [1.0, 10.0]);
        sum = [0.0; 3];
        gather_range(&codes, Some(&[2.0, 1.0, 1.0, 0.5]), &w, &mut sum);
        assert_eq!(sum[..2], [2.0, 6.0]);
    }

    fn scatter_gather(ch: Chunking, a: &[u16], b: &[u16], mass: &[f64], w: &mut [f64]) -> Vec<f64> {
        let factor = [0.5, 2.0, 1.5, 0.25, 3.0, 1.0];
        let mut partials = Vec::new();
        let rows = sweep(w, ch, 6, &mut partials, zero, |start, wc, acc| {
            let end = start + wc.len();
            scatter_gather_range(
                &a[start..end],
                &factor,
                &b[start..end],
                Some(&mass[start..end]),
                wc,
                acc,
            );
        });
        let mut out = vec![0.0; 6];
        rows.sum_into(0..6, &mut out);
        out
    }

    #[test]
    fn parallel_sweeps_match_sequential() {
        let n = 100_000;
        let a: Vec<u16> = (0..n)
            .map(|i| if i % 97 == 0 { 5 } else { (i % 5) as u16 })
            .collect();
        let b: Vec<u16> = (0..n).map(|i| (i % 6) as u16).collect();
        let w: Vec<f64> = (0..n).map(|i| 1.0 + (i % 13) as f64 / 7.0).collect();
        let mass: Vec<f64> = (0..n).map(|i| 1.0 + (i % 3) as f64).collect();
        let ch = Chunking::with_chunk(n, 16_384);
        assert!(ch.par() && ch.n_chunks > 1);
        let (mut w1, mut w2) = (w.clone(), w.clone());
        let s1 = scatter_gather(Chunking::with_chunk(n, n), &a, &b, &mass, &mut w1);
        let s2 = scatter_gather(ch, &a, &b, &mass, &mut w2);
        assert_eq!(w1, w2);
        for (x, y) in s1.iter().zip(&s2) {
            assert!((x - y).abs() <= 1e-12 * x.abs());
        }
        // Sequential sweep == plain loops.
        let factor = [0.5, 2.0, 1.5, 0.25, 3.0, 1.0];
        let mut w3 = w.clone();
        let mut s3 = [0.0; 6];
        for i in 0..n {
            w3[i] *= factor[usize::from(a[i])];
            s3[usize::from(b[i])] += mass[i] * w3[i];
        }
        assert_eq!(w1, w3);
        assert_eq!(s1, s3);
        // Clip and total.
        let mut partials = Vec::new();
        let (mut w4, mut w5) = (w1.clone(), w1.clone());
        let mut clip = |w: &mut [f64], chunking: Chunking| {
            let rows = sweep(
                w,
                chunking,
                CLIP_WIDTH,
                &mut partials,
                clip_init,
                |start, wc, acc| {
                    let end = start + wc.len();
                    map_clip_total_range(Some(&mass[start..end]), wc, 1.0, 3.0, acc, |_, x| x);
                },
            );
            clip_reduce(&rows)
        };
        let (t1, mn1, mx1) = clip(&mut w4, Chunking::with_chunk(n, n));
        let (t2, mn2, mx2) = clip(&mut w5, ch);
        assert_eq!(w4, w5);
        assert!((t1 - t2).abs() <= 1e-12 * t1);
        assert_eq!((mn1, mx1), (1.0, 3.0));
        assert_eq!((mn2, mx2), (1.0, 3.0));
    }
}

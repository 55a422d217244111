//! The raking driver (docs/ENGINE.md §2, §4, §5): rake, rake_group, rake_on_block, max_residual.
//! Pure: plain slices, rayon over groups; must not import wasm_bindgen/js_sys/JsValue.

use rayon::prelude::*;

use crate::blocks::{blocks_of, category_sums, rake_block, residual_of_block, Block, BlockScratch};
use crate::caps::{apply_caps, GroupBounds};
use crate::cells::{
    base_constant_within_cells, build_cells, cell_units, expand, respondent_units, InitialWeights,
    UnitKind, Units,
};
use crate::diagnostics::{category_rows, weight_summaries};
use crate::error::RimError;
use crate::kernels::{
    clip_init, clip_reduce, gather_range, map_clip_total_range, map_gather_all_range,
    scatter_gather_range, sweep, zero, Chunking, CodeTable, CLIP_WIDTH,
};
use crate::problem::{
    GroupRun, Options, Problem, RakeResult, Status, STALL_IMPROVEMENT, STALL_WINDOW,
};
use crate::validate::validate_counting;

/// Which units to rake on. `Auto` follows docs/ENGINE.md §3; `Respondents` forces the respondent path
/// (for tests and benchmarks: the weights agree with `Auto` to rounding).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum PathChoice {
    /// Cells when exact (no caps, or base weights constant within each cell), else respondents.
    #[default]
    Auto,
    /// Every respondent is a unit.
    Respondents,
}

/// How one group's loop ended, with its residual after each pass.
#[derive(Clone, Debug, PartialEq)]
pub struct GroupOutcome {
    /// How it ended.
    pub status: Status,
    /// Max residual after each pass (`trace.len()` passes were made).
    pub trace: Vec<f64>,
    /// `sums[v][c]`: Σ of the final weights of the group's respondents answering category c of variable v,
    /// from the joint tables the last pass gathered (blocks.rs `category_sums`).
    pub sums: Vec<Vec<f64>>,
}

/// Validates, rakes every group and computes the diagnostics.
pub fn rake(problem: &Problem, options: &Options) -> Result<RakeResult, RimError> {
    rake_with(problem, options, PathChoice::Auto)
}

/// [`rake`] with an explicit unit path.
pub fn rake_with(
    problem: &Problem,
    options: &Options,
    path: PathChoice,
) -> Result<RakeResult, RimError> {
    let counts = validate_counting(problem, options)?;
    let (bounds, w0) = set_up(problem, options);
    let cells = build_cells(problem);
    let cell_count = cells.len();
    let capped = options.active_caps().is_some();
    let kind = match path {
        PathChoice::Respondents => UnitKind::Respondents,
        PathChoice::Auto if base_constant_within_cells(problem, &cells) => UnitKind::WeightCells,
        PathChoice::Auto if !capped => UnitKind::FactorCells,
        PathChoice::Auto => UnitKind::Respondents,
    };
    let blocks = blocks_of(&problem.category_counts());
    let mut table = match kind {
        UnitKind::Respondents => respondent_units(problem, &blocks, &w0),
        _ => cell_units(problem, &blocks, cells, &w0, kind),
    };
    let targets: Vec<Vec<&[f64]>> = (0..problem.n_groups())
        .map(|g| {
            (0..problem.variables.len())
                .map(|v| problem.targets(v, g))
                .collect()
        })
        .collect();
    let tolerance = options.tolerance;
    // Validated: a finite integer ≥ 1.
    let max_iterations = options.max_iterations as usize;
    let outcomes: Vec<GroupOutcome> = table
        .groups
        .par_iter_mut()
        .enumerate()
        .map(|(g, units)| {
            let caps = capped && bounds[g].total > 0.0;
            rake_group(
                units,
                &targets[g],
                &blocks,
                &bounds[g],
                caps,
                tolerance,
                max_iterations,
            )
        })
        .collect();
    let weights = expand(problem, &table, &w0);
    let (summary, groups) = weight_summaries(problem, &weights, &bounds);
    let sums: Vec<&[Vec<f64>]> = outcomes.iter().map(|o| &o.sums[..]).collect();
    let categories = category_rows(problem, &counts, &sums, &bounds);
    let mut run = combine_outcomes(&outcomes);
    // Ungrouped, the one run is the top-level status, iterations and residual; like `groups`, the
    // per-group list is empty (there is no group label for it to name).
    if problem.group.is_none() {
        run.group_runs.clear();
    }
    Ok(RakeResult {
        weights,
        status: run.status,
        iterations: run.iterations,
        max_residual: run.max_residual,
        residual_trace: run.residual_trace,
        categories,
        summary,
        groups,
        group_runs: run.group_runs,
        cell_path: kind != UnitKind::Respondents,
        cells: cell_count,
    })
}

/// docs/ENGINE.md §2: group totals, bounds and initial weights.
/// `total = options.total ?? Σ base`; with shares `T_g = shares[g]·total`; grouped without shares
/// `T_g = total·Σ_{i∈g} base_i / Σ base`; ungrouped `T_0 = total`. `w_i = base_i·T_g / Σ_{i∈g} base_i`.
/// All sums run in respondent order.
pub fn set_up(problem: &Problem, options: &Options) -> (Vec<GroupBounds>, InitialWeights) {
    let n_groups = problem.n_groups();
    let mut sum_base = 0.0;
    let mut group_base = vec![0.0; n_groups];
    let mut group_n = vec![0usize; n_groups];
    match (&problem.group, &problem.base_weights) {
        // Each of the n terms is 1: every partial sum is an integer below 2^53, so exact.
        (None, None) => {
            sum_base = problem.n as f64;
            group_base[0] = sum_base;
            group_n[0] = problem.n;
        }
        _ => {
            for row in 0..problem.n {
                let b = problem.base(row);
                let g = problem.group_of(row);
                sum_base += b;
                group_base[g] += b;
                group_n[g] += 1;
            }
        }
    }
    let total = options.total.unwrap_or(sum_base);
    let shares = problem.group.as_ref().and_then(|g| g.shares.as_deref());
    let caps = options.active_caps().unwrap_or_default();
    let bounds: Vec<GroupBounds> = (0..n_groups)
        .map(|g| {
            let t = match (&problem.group, shares) {
                (None, _) => total,
                (Some(_), Some(s)) => s[g] * total,
                (Some(_), None) => total * group_base[g] / sum_base,
            };
            GroupBounds::new(t, group_n[g], caps)
        })
        .collect();
    let w0 = match &problem.base_weights {
        // `1 · T_g / Σ_{i∈g} 1`, the same for every member of a group.
        None => InitialWeights::PerGroup(
            bounds
                .iter()
                .zip(&group_base)
                .map(|(b, &n_g)| b.total / n_g)
                .collect(),
        ),
        Some(base) => InitialWeights::PerRow(
            (0..problem.n)
                .map(|row| {
                    let g = problem.group_of(row);
                    base[row] * bounds[g].total / group_base[g]
                })
                .collect(),
        ),
    };
    (bounds, w0)
}

/// One group's scratch: laid out and allocated once when its loop starts, reused by every pass and sweep.
#[derive(Debug)]
pub struct Workspace<'t> {
    /// The group's targets per variable.
    targets: &'t [&'t [f64]],
    /// The blocks of variables (blocks.rs), one sweep each per pass.
    blocks: &'t [Block],
    /// Scratch of the block steps.
    scratch: BlockScratch,
    /// The factor table of the block being raked: slot → product of its variables' factors.
    factor: Vec<f64>,
    /// The gathers.
    sums: Sums,
}

/// Every block's gathered joint table and the sweeps' accumulator rows.
#[derive(Debug)]
pub struct Sums {
    /// How the sweeps walk the group's units.
    ch: Chunking,
    /// Block b's joint table sits at `values[offsets[b]..offsets[b + 1]]`. One entry per block and a last
    /// one (the width).
    offsets: Vec<usize>,
    /// The gathered joint tables.
    values: Vec<f64>,
    /// Per-chunk accumulator rows of the sweeps (kernels.rs `sweep`), grown once to the widest sweep.
    partials: Vec<f64>,
}

impl<'t> Workspace<'t> {
    /// Lays out the joint tables of `blocks` over `units` units.
    pub fn new(targets: &'t [&'t [f64]], blocks: &'t [Block], units: usize) -> Workspace<'t> {
        let mut offsets = Vec::with_capacity(blocks.len() + 1);
        let mut width = 0;
        for b in blocks {
            offsets.push(width);
            width += b.size;
        }
        offsets.push(width);
        let widest = blocks.iter().map(|b| b.size).max().unwrap_or(0);
        Workspace {
            targets,
            blocks,
            scratch: BlockScratch::new(blocks),
            factor: vec![0.0; widest],
            sums: Sums {
                ch: Chunking::for_units(units),
                offsets,
                values: vec![0.0; width],
                partials: Vec::new(),
            },
        }
    }
}

impl Sums {
    /// Block b's joint table.
    #[inline]
    fn joint(&self, b: usize) -> &[f64] {
        &self.values[self.offsets[b]..self.offsets[b + 1]]
    }
}

/// One group's loop (docs/ENGINE.md §4): each pass rakes every variable in order, block by block, applies
/// the caps, then measures the max residual; stops converged, stalled or at `max_iterations`.
///
/// Sweeps are fused (kernels.rs): the scatter of block b's factors runs in the same sweep as the gather of
/// block b + 1's joint table; the scatter of the last block runs with the gather of every block (the
/// residual), or with the first clip of the caps, whose last rescale then runs with that gather. The
/// residual's joint table of block 0 is the next pass's (same weights).
pub fn rake_group(
    units: &mut Units,
    targets: &[&[f64]],
    blocks: &[Block],
    bounds: &GroupBounds,
    caps: bool,
    tolerance: f64,
    max_iterations: usize,
) -> GroupOutcome {
    let mut ws = Workspace::new(targets, blocks, units.len);
    let mut trace = Vec::with_capacity(max_iterations.min(1024));
    let mut status = Status::MaxIterations;
    if !blocks.is_empty() {
        gather_first(units, &mut ws.sums);
    }
    for pass in 1..=max_iterations {
        for b in 0..blocks.len() {
            rake_on_block(units, b, &mut ws, caps.then_some(bounds));
        }
        let r = max_residual(&mut ws);
        trace.push(r);
        if r <= tolerance {
            status = Status::Converged;
            break;
        }
        if pass > STALL_WINDOW && r > (1.0 - STALL_IMPROVEMENT) * trace[pass - 1 - STALL_WINDOW] {
            status = Status::Stalled;
            break;
        }
    }
    // Every pass ends with a gather of every block from the final weights (max_iterations ≥ 1).
    let sums = blocks
        .iter()
        .enumerate()
        .flat_map(|(b, block)| category_sums(block, ws.sums.joint(b)))
        .collect();
    GroupOutcome {
        status,
        trace,
        sums,
    }
}

/// The gather of block 0's joint table before the first pass.
fn gather_first(units: &mut Units, sums: &mut Sums) {
    let width = sums.offsets[1];
    let slots = &units.slots[..units.len];
    let mass = units.mass.as_deref();
    let rows = sweep(
        &mut units.weights,
        sums.ch,
        width,
        &mut sums.partials,
        zero,
        |start, wc, acc| {
            let end = start + wc.len();
            gather_range(&slots[start..end], mass.map(|m| &m[start..end]), wc, acc);
        },
    );
    rows.sum_into(0..width, &mut sums.values[..width]);
}

/// Rakes block `b`'s variables from its joint table (blocks.rs `rake_block`), then one sweep scatters
/// `w_u *= factor[slot_u]` and gathers what comes next: block b + 1's joint table; after the last block
/// every block's (for the residual and the next pass), with the caps (`caps` = the group's bounds)
/// applied in between.
pub fn rake_on_block(
    units: &mut Units,
    b: usize,
    ws: &mut Workspace<'_>,
    caps: Option<&GroupBounds>,
) {
    let block = &ws.blocks[b];
    let sums = &mut ws.sums;
    rake_block(
        block,
        ws.targets,
        sums.joint(b),
        &mut ws.scratch,
        &mut ws.factor,
    );
    let factor = &ws.factor[..block.size];
    // The weights are rewritten while the slots and masses are read: borrow the unit table in parts.
    let Units {
        len,
        slots,
        mass,
        weights,
    } = units;
    let (len, mass) = (*len, mass.as_deref());
    let table = CodeTable { codes: slots, len };
    let a = table.range(b, 0, len);
    if b + 1 < ws.blocks.len() {
        let (lo, hi) = (sums.offsets[b + 1], sums.offsets[b + 2]);
        let next = table.range(b + 1, 0, len);
        let rows = sweep(
            weights,
            sums.ch,
            hi - lo,
            &mut sums.partials,
            zero,
            |start, wc, acc| {
                let end = start + wc.len();
                scatter_gather_range(
                    &a[start..end],
                    factor,
                    &next[start..end],
                    mass.map(|m| &m[start..end]),
                    wc,
                    acc,
                );
            },
        );
        rows.sum_into(0..hi - lo, &mut sums.values[lo..hi]);
        return;
    }
    let parts = UnitParts { table, mass };
    match caps {
        None => gather_all(weights, parts, sums, |u, x| x * factor[usize::from(a[u])]),
        Some(bounds) => {
            let rows = sweep(
                weights,
                sums.ch,
                CLIP_WIDTH,
                &mut sums.partials,
                clip_init,
                |start, wc, acc| {
                    let end = start + wc.len();
                    let a = &a[start..end];
                    let m = mass.map(|m| &m[start..end]);
                    map_clip_total_range(m, wc, bounds.lo, bounds.hi, acc, |i, x| {
                        x * factor[usize::from(a[i])]
                    });
                },
            );
            let clipped = clip_reduce(&rows);
            let scale = apply_caps(weights, mass, bounds, &mut sums.partials, sums.ch, clipped);
            gather_all(weights, parts, sums, |_, x| x * scale);
        }
    }
}

/// The read-only parts of a group's units: every block's slots and the masses.
#[derive(Clone, Copy, Debug)]
struct UnitParts<'a> {
    table: CodeTable<'a>,
    mass: Option<&'a [f64]>,
}

/// One sweep: `w_u = map(u, w_u)`, then the gather of every block's joint table into `sums`.
fn gather_all(
    w: &mut [f64],
    units: UnitParts<'_>,
    sums: &mut Sums,
    map: impl Fn(usize, f64) -> f64 + Sync,
) {
    let offsets = &sums.offsets;
    let width = offsets[offsets.len() - 1];
    let rows = sweep(
        w,
        sums.ch,
        width,
        &mut sums.partials,
        zero,
        |start, wc, acc| {
            let end = start + wc.len();
            map_gather_all_range(
                units.table,
                start,
                offsets,
                units.mass.map(|m| &m[start..end]),
                wc,
                acc,
                |i, x| map(start + i, x),
            );
        },
    );
    rows.sum_into(0..width, &mut sums.values[..width]);
}

/// Max over variables and categories of `|sum[c]/S − target[c]|`, the margins taken from the joint tables
/// gathered after the pass (a variable with `S = 0` contributes 0).
pub fn max_residual(ws: &mut Workspace<'_>) -> f64 {
    let mut max = 0.0;
    for (b, block) in ws.blocks.iter().enumerate() {
        let r = residual_of_block(block, ws.targets, ws.sums.joint(b), &mut ws.scratch);
        if r > max {
            max = r;
        }
    }
    max
}

/// The run-level part of a result, combined over groups.
#[derive(Clone, Debug, PartialEq)]
pub struct Combined {
    /// Overall status.
    pub status: Status,
    /// Max passes over groups.
    pub iterations: usize,
    /// Max final residual over groups.
    pub max_residual: f64,
    /// Per-pass max over groups.
    pub residual_trace: Vec<f64>,
    /// One run per group.
    pub group_runs: Vec<GroupRun>,
}

/// docs/ENGINE.md §5: overall status (max_iterations > stalled > converged), iterations and max residual
/// as maxima over groups, and the trace as the per-pass max (a finished group contributes its last value).
pub fn combine_outcomes(outcomes: &[GroupOutcome]) -> Combined {
    let status = if outcomes.iter().any(|o| o.status == Status::MaxIterations) {
        Status::MaxIterations
    } else if outcomes.iter().any(|o| o.status == Status::Stalled) {
        Status::Stalled
    } else {
        Status::Converged
    };
    let iterations = outcomes.iter().map(|o| o.trace.len()).max().unwrap_or(0);
    let at = |o: &GroupOutcome, k: usize| o.trace.get(k).or(o.trace.last()).copied().unwrap_or(0.0);
    let max_at = |k: usize| outcomes.iter().map(|o| at(o, k)).fold(0.0, f64::max);
    Combined {
        status,
        iterations,
        max_residual: max_at(usize::MAX),
        residual_trace: (0..iterations).map(max_at).collect(),
        group_runs: outcomes
            .iter()
            .enumerate()
            .map(|(g, o)| GroupRun {
                group: g,
                status: o.status,
                iterations: o.trace.len(),
                max_residual: at(o, usize::MAX),
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::problem::{Caps, Codes, MissingPolicy, Variable};
    use crate::testutil::{group_u8, problem, random_targets, var_u8, Rng};

    fn tight() -> Options {
        Options {
            tolerance: 1e-10,
            ..Options::default()
        }
    }

    fn close(a: f64, b: f64, rel: f64) -> bool {
        (a - b).abs() <= rel * a.abs().max(b.abs()).max(1e-300)
    }

    /// R: `library(survey); data(api); dclus1 <- svydesign(id=~dnum, weights=~pw, data=apiclus1,
    /// fpc=~fpc); rake(dclus1, list(~stype, ~sch.wide), list(pop.types, pop.schwide))` with
    /// pop.types = E 4421, H 755, M 1018 and pop.schwide = No 1072, Yes 1122+4000 = 5122.
    #[test]
    fn reference_r_survey_rake_apiclus1() {
        let cells: [(u8, u8, usize, f64); 6] = [
            (0, 0, 12, 39.83924),
            (0, 1, 132, 29.87067),
            (1, 0, 3, 67.12553),
            (1, 1, 11, 50.32940),
            (2, 0, 8, 49.06907),
            (2, 1, 17, 36.79102),
        ];
        let (mut stype, mut wide) = (Vec::new(), Vec::new());
        for &(s, w, count, _) in &cells {
            stype.extend(std::iter::repeat_n(s, count));
            wide.extend(std::iter::repeat_n(w, count));
        }
        let mut p = problem(vec![
            var_u8(
                stype,
                vec![4421.0 / 6194.0, 755.0 / 6194.0, 1018.0 / 6194.0],
            ),
            var_u8(wide, vec![1072.0 / 6194.0, 5122.0 / 6194.0]),
        ]);
        assert_eq!(p.n, 183);
        p.base_weights = Some(vec![33.847; 183]);
        let r = rake(
            &p,
            &Options {
                total: Some(6194.0),
                ..tight()
            },
        )
        .unwrap();
        assert_eq!(r.status, Status::Converged);
        assert!(r.cell_path);
        assert_eq!(r.cells, 6);
        let mut row = 0;
        for &(_, _, count, expected) in &cells {
            for _ in 0..count {
                assert!(
                    (r.weights[row] - expected).abs() < 1e-5,
                    "row {row}: {} vs {expected}",
                    r.weights[row]
                );
                row += 1;
            }
        }
        assert!((r.summary.sum_weights - 6194.0).abs() < 1e-8);
        assert!(
            (r.summary.deff - 1.051657).abs() < 1e-6,
            "deff {}",
            r.summary.deff
        );
    }

    /// The 4×4 example of Wikipedia's "Iterative proportional fitting": each seed cell is one respondent
    /// whose base weight is the seed count.
    #[test]
    fn reference_classic_4x4_ipf() {
        let seed = [
            [40.0, 30.0, 20.0, 10.0],
            [35.0, 50.0, 100.0, 75.0],
            [30.0, 80.0, 70.0, 120.0],
            [20.0, 30.0, 40.0, 50.0],
        ];
        let (mut rows, mut cols, mut base) = (Vec::new(), Vec::new(), Vec::new());
        for (r, line) in seed.iter().enumerate() {
            for (c, &x) in line.iter().enumerate() {
                rows.push(r as u8);
                cols.push(c as u8);
                base.push(x);
            }
        }
        let mut p = problem(vec![
            var_u8(rows, vec![0.15, 0.30, 0.40, 0.15]),
            var_u8(cols, vec![0.20, 0.30, 0.40, 0.10]),
        ]);
        p.base_weights = Some(base);
        let r = rake(
            &p,
            &Options {
                total: Some(1000.0),
                ..tight()
            },
        )
        .unwrap();
        assert_eq!(r.status, Status::Converged);
        for (i, expected) in [
            (0, 64.5585),
            (4 + 2, 156.4985),
            (8 + 1, 144.4282),
            (12 + 3, 17.0337),
        ] {
            assert!(
                (r.weights[i] - expected).abs() < 5e-4,
                "cell {i}: {}",
                r.weights[i]
            );
        }
    }

    /// Five respondents, 3 × code 0 and 2 × code 1, targets 50/50, total 5: one pass gives 5/6 and 5/4.
    #[test]
    fn five_respondents_by_hand() {
        let p = problem(vec![var_u8(vec![0, 0, 1, 0, 1], vec![0.5, 0.5])]);
        let r = rake(&p, &Options::default()).unwrap();
        assert_eq!(r.status, Status::Converged);
        assert_eq!(r.iterations, 1);
        assert_eq!(r.residual_trace, vec![0.0]);
        let expected = [
            0.5 * 5.0 / 3.0,
            0.5 * 5.0 / 3.0,
            1.25,
            0.5 * 5.0 / 3.0,
            1.25,
        ];
        assert_eq!(r.weights, expected);
        assert_eq!(r.cells, 2);
        assert_eq!(r.summary.n, 5);
        assert!((r.summary.ratio - 1.5).abs() < 1e-15);
        // Kish: n·Σw²/(Σw)² = 5·(3·25/36 + 2·25/16)/25.
        assert!((r.summary.deff - (3.0 * 25.0 / 36.0 + 2.0 * 25.0 / 16.0) / 5.0).abs() < 1e-15);
        let row0 = &r.categories[0];
        assert_eq!(
            (row0.variable, row0.category, row0.group, row0.unweighted_n),
            (0, 0, None, 3)
        );
        assert!(
            (row0.unweighted_pct - 60.0).abs() < 1e-12 && (row0.weighted_pct - 50.0).abs() < 1e-12
        );
    }

    /// The same five with an upper cap of 1.2 × mean: raking restores 5/4, the caps take it back to 1.2 and
    /// the others to 2.6/3; the residual stays at 0.02, so after 11 passes the run is stalled, not converged.
    #[test]
    fn unreachable_targets_under_caps_stall() {
        let p = problem(vec![var_u8(vec![0, 0, 1, 0, 1], vec![0.5, 0.5])]);
        let caps = Some(Caps {
            min: None,
            max: Some(1.2),
        });
        let r = rake(
            &p,
            &Options {
                caps,
                ..Options::default()
            },
        )
        .unwrap();
        assert_eq!(r.status, Status::Stalled);
        assert_eq!(r.iterations, STALL_WINDOW + 1);
        assert!((r.max_residual - 0.02).abs() < 1e-8);
        assert!((r.weights[2] - 1.2).abs() < 1e-8 && (r.weights[0] - 2.6 / 3.0).abs() < 1e-8);
        assert_eq!(r.summary.at_cap_max, 2);
        assert_eq!(r.summary.at_cap_min, 0);
    }

    #[test]
    fn max_iterations_is_reported() {
        let p = problem(vec![
            var_u8(vec![0, 0, 1, 1, 0, 1, 0], vec![0.3, 0.7]),
            var_u8(vec![0, 1, 0, 1, 1, 1, 0], vec![0.6, 0.4]),
        ]);
        let r = rake(
            &p,
            &Options {
                max_iterations: 2.0,
                tolerance: 0.0,
                ..Options::default()
            },
        )
        .unwrap();
        assert_eq!(r.status, Status::MaxIterations);
        assert_eq!(r.iterations, 2);
        assert_eq!(r.residual_trace.len(), 2);
    }

    #[test]
    fn exclude_leaves_missing_respondents_alone_on_that_variable() {
        // Row 5 is missing on both variables: never adjusted, it keeps its initial weight 1.
        let a = var_u8(vec![0, 0, 1, 255, 1, 255, 0, 1], vec![0.5, 0.5]);
        let b = var_u8(vec![0, 1, 1, 0, 0, 255, 1, 0], vec![0.25, 0.75]);
        let p = problem(vec![a, b]);
        let err = rake(&p, &Options::default()).unwrap_err();
        assert_eq!(
            err,
            RimError::MissingValue {
                variable: 0,
                row: 3,
                count: 2
            }
        );
        let r = rake(
            &p,
            &Options {
                missing: MissingPolicy::Exclude,
                ..tight()
            },
        )
        .unwrap();
        assert_eq!(r.status, Status::Converged);
        assert_eq!(r.weights[5], 1.0);
        assert!((r.weights.iter().sum::<f64>() - 8.0).abs() < 1e-12);
        for (v, var) in p.variables.iter().enumerate() {
            let mut sums = [0.0; 2];
            for (row, &w) in r.weights.iter().enumerate() {
                let c = var.codes.code(row);
                if c != crate::problem::MISSING {
                    sums[usize::from(c)] += w;
                }
            }
            let s = sums[0] + sums[1];
            assert!(
                (sums[0] / s - var.targets[0]).abs() <= 1e-10,
                "variable {v}"
            );
        }
        // The diagnostics count only valid answers.
        let row = r
            .categories
            .iter()
            .find(|c| c.variable == 0 && c.category == 0)
            .unwrap();
        assert_eq!(row.unweighted_n, 3);
        assert!(
            (row.unweighted_pct - 50.0).abs() < 1e-12 && (row.weighted_pct - 50.0).abs() < 1e-8
        );
    }

    #[test]
    fn group_targets_and_shares() {
        // Group 0 rows 0..4, group 1 rows 4..10; group 1 has its own targets; shares 30/70 of 200.
        let mut v = var_u8(vec![0, 1, 1, 1, 0, 0, 0, 1, 1, 1], vec![0.5, 0.5]);
        v.targets_by_group = vec![None, Some(vec![0.2, 0.8])];
        let mut p = problem(vec![v]);
        p.group = Some(group_u8(
            vec![0, 0, 0, 0, 1, 1, 1, 1, 1, 1],
            2,
            Some(vec![0.3, 0.7]),
        ));
        let r = rake(
            &p,
            &Options {
                total: Some(200.0),
                ..tight()
            },
        )
        .unwrap();
        assert_eq!(r.status, Status::Converged);
        let g0: f64 = r.weights[..4].iter().sum();
        let g1: f64 = r.weights[4..].iter().sum();
        assert!((g0 - 60.0).abs() < 1e-10 && (g1 - 140.0).abs() < 1e-10);
        assert!((r.weights[0] - 30.0).abs() < 1e-10 && (r.weights[1] - 10.0).abs() < 1e-10);
        assert!(
            (r.weights[4] - 28.0 / 3.0).abs() < 1e-10 && (r.weights[7] - 112.0 / 3.0).abs() < 1e-10
        );
        assert_eq!(r.groups.len(), 2);
        assert_eq!(r.group_runs.len(), 2);
        assert_eq!(r.summary.group, None);
        assert_eq!(r.groups[1].group, Some(1));
        // Whole-sample target: (60·0.5 + 140·0.2) / 200 = 29%.
        let whole = &r.categories[0];
        assert_eq!(whole.group, None);
        assert!((whole.target_pct - 29.0).abs() < 1e-12);
        assert!((whole.weighted_pct - 29.0).abs() < 1e-8);
        // Rows: whole sample (2), then group 0 (2), then group 1 (2).
        assert_eq!(r.categories.len(), 6);
        assert_eq!(r.categories[4].group, Some(1));
        assert!((r.categories[4].target_pct - 20.0).abs() < 1e-12);
    }

    #[test]
    fn groups_without_shares_keep_their_base_share() {
        let v = var_u8(vec![0, 1, 0, 1, 1, 0], vec![0.4, 0.6]);
        let mut p = problem(vec![v]);
        p.group = Some(group_u8(vec![0, 0, 1, 1, 1, 1], 2, None));
        p.base_weights = Some(vec![1.0, 1.0, 2.0, 2.0, 2.0, 2.0]);
        let r = rake(
            &p,
            &Options {
                total: Some(100.0),
                ..tight()
            },
        )
        .unwrap();
        let g0: f64 = r.weights[..2].iter().sum();
        assert!((g0 - 20.0).abs() < 1e-10);
        // Base weights are constant within cells and there are no caps: weight cells.
        assert!(r.cell_path);
    }

    /// No caps and base weights that differ within a cell: the cell path carries a factor per cell, and
    /// members keep their base-weight ratios.
    #[test]
    fn factor_cells_keep_within_cell_base_ratios() {
        let mut p = problem(vec![var_u8(vec![0, 0, 1, 1, 1], vec![0.5, 0.5])]);
        p.base_weights = Some(vec![1.0, 3.0, 1.0, 1.0, 2.0]);
        let r = rake(&p, &Options::default()).unwrap();
        assert!(r.cell_path);
        assert_eq!(r.cells, 2);
        // total 8: category 0 gets 4 split 1:3, category 1 gets 4 split 1:1:2.
        let expected = [1.0, 3.0, 1.0, 1.0, 2.0];
        for (w, e) in r.weights.iter().zip(expected) {
            assert!((w - e).abs() < 1e-12, "{:?}", r.weights);
        }
        let forced = rake_with(&p, &Options::default(), PathChoice::Respondents).unwrap();
        assert!(!forced.cell_path);
        // With caps the respondent path is taken.
        let capped = Options {
            caps: Some(Caps {
                min: None,
                max: Some(3.0),
            }),
            ..Options::default()
        };
        assert!(!rake(&p, &capped).unwrap().cell_path);
    }

    /// An empty group (share 0) and a group with share 0 and respondents (weights 0, caps skipped).
    #[test]
    fn zero_share_groups() {
        let mut p = problem(vec![var_u8(vec![0, 1, 0, 1], vec![0.5, 0.5])]);
        p.group = Some(group_u8(vec![0, 0, 2, 2], 3, Some(vec![1.0, 0.0, 0.0])));
        let o = Options {
            caps: Some(Caps {
                min: Some(0.5),
                max: Some(2.0),
            }),
            ..Options::default()
        };
        let r = rake(&p, &o).unwrap();
        assert_eq!(r.status, Status::Converged);
        assert_eq!(r.weights, vec![2.0, 2.0, 0.0, 0.0]);
        assert_eq!(r.group_runs.len(), 3);
        assert_eq!(r.group_runs[1].iterations, 1);
        assert_eq!(r.groups[1].n, 0);
        // No NaN for the empty group or the group of zero weights: zeros, as the TS engine reports.
        let g1 = &r.groups[1];
        assert_eq!(
            [
                g1.mean,
                g1.min,
                g1.max,
                g1.ratio,
                g1.efficiency_pct,
                g1.deff,
                g1.effective_n
            ],
            [0.0; 7]
        );
        let g2 = &r.groups[2];
        assert_eq!((g2.n, g2.min, g2.max), (2, 0.0, 0.0));
        assert_eq!(
            [g2.ratio, g2.efficiency_pct, g2.deff, g2.effective_n],
            [0.0; 4]
        );
        assert!(r.categories.iter().all(|c| c.weighted_pct.is_finite()));
    }

    /// The report as the wasm door hands it over: contract.ts names, no weights; ungrouped, `groups` and
    /// `groupRuns` are both empty (the TS engine says the same).
    #[test]
    fn report_serialises_with_contract_names() {
        let p = problem(vec![var_u8(vec![0, 0, 1], vec![0.5, 0.5])]);
        let r = rake(&p, &Options::default()).unwrap();
        assert!(r.group_runs.is_empty() && r.groups.is_empty());
        let j = serde_json::to_string(&r).unwrap();
        assert!(
            j.starts_with(
                r#"{"status":"converged","iterations":1,"maxResidual":0.0,"residualTrace":[0.0],"#
            ),
            "{j}"
        );
        assert!(j.contains(
            r#""categories":[{"variable":0,"category":0,"group":null,"unweightedN":2,"unweightedPct":66.66666666666667,"#
        ));
        assert!(j.contains(
            r#""summary":{"group":null,"n":3,"sumWeights":3.0,"mean":1.0,"min":0.75,"max":1.5,"ratio":2.0,"#
        ));
        assert!(j.ends_with(r#""groups":[],"groupRuns":[],"cellPath":true,"cells":2}"#));
        assert!(!j.contains("weights\""));
    }

    #[test]
    fn residual_trace_is_the_max_over_groups() {
        let a = GroupOutcome {
            status: Status::Converged,
            trace: vec![0.5, 0.1, 0.0],
            sums: vec![],
        };
        let b = GroupOutcome {
            status: Status::Stalled,
            trace: vec![0.3, 0.2],
            sums: vec![],
        };
        let c = combine_outcomes(&[a, b]);
        assert_eq!(c.status, Status::Stalled);
        assert_eq!(c.iterations, 3);
        assert_eq!(c.residual_trace, vec![0.5, 0.2, 0.2]);
        assert_eq!(c.max_residual, 0.2);
        assert_eq!(c.group_runs[0].iterations, 3);
        assert_eq!(c.group_runs[1].max_residual, 0.2);
        let m = GroupOutcome {
            status: Status::MaxIterations,
            trace: vec![0.3],
            sums: vec![],
        };
        let s = GroupOutcome {
            status: Status::Stalled,
            trace: vec![0.3],
            sums: vec![],
        };
        assert_eq!(combine_outcomes(&[s, m]).status, Status::MaxIterations);
    }

    /// A random valid problem (retrying seeds until it validates), with options.
    fn generated(rng: &mut Rng) -> (Problem, Options) {
        loop {
            let n = 40 + rng.below(400);
            let n_vars = 1 + rng.below(3);
            let grouped = rng.below(2) == 0;
            let n_groups = if grouped { 2 + rng.below(2) } else { 1 };
            let mut variables = Vec::new();
            for _ in 0..n_vars {
                let k = 2 + rng.below(4);
                let codes: Vec<u8> = (0..n).map(|_| rng.below(k) as u8).collect();
                let mut v = var_u8(codes, random_targets(rng, k));
                if grouped && rng.below(2) == 0 {
                    v.targets_by_group = vec![None, Some(random_targets(rng, k))];
                }
                if rng.below(2) == 0 {
                    v.codes = Codes::U16((0..n).map(|i| u16::from(v.codes.raw(i) as u8)).collect());
                }
                variables.push(v);
            }
            let mut p = problem(variables);
            if rng.below(2) == 0 {
                // Few distinct values, so that cells sometimes share a base weight and sometimes not.
                p.base_weights = Some((0..n).map(|_| 0.5 + rng.below(4) as f64 * 0.75).collect());
            }
            if grouped {
                let shares = (rng.below(2) == 0).then(|| random_targets(rng, n_groups));
                p.group = Some(group_u8(
                    (0..n).map(|_| rng.below(n_groups) as u8).collect(),
                    n_groups,
                    shares,
                ));
            }
            let caps = match rng.below(3) {
                0 => None,
                1 => Some(Caps {
                    min: None,
                    max: Some(rng.range(1.5, 4.0)),
                }),
                _ => Some(Caps {
                    min: Some(rng.range(0.2, 0.7)),
                    max: Some(rng.range(1.5, 4.0)),
                }),
            };
            let total = (rng.below(2) == 0).then(|| rng.range(10.0, 1e4));
            let options = Options {
                tolerance: 1e-10,
                max_iterations: 3000.0,
                caps,
                total,
                ..Options::default()
            };
            if crate::validate::validate_problem(&p, &options).is_ok() {
                return (p, options);
            }
        }
    }

    #[test]
    fn properties_on_generated_problems() {
        let mut rng = Rng(42);
        let (mut converged, mut respondent_path) = (0, 0);
        for case in 0..150 {
            let (p, o) = generated(&mut rng);
            let r = rake(&p, &o).unwrap();
            let (bounds, _) = set_up(&p, &o);
            // Weights > 0, finite; each group sums to T_g; the whole to the total.
            assert!(
                r.weights.iter().all(|w| w.is_finite() && *w > 0.0),
                "case {case}"
            );
            let total = o.total.unwrap_or_else(|| (0..p.n).map(|i| p.base(i)).sum());
            assert!(close(r.summary.sum_weights, total, 1e-9), "case {case}");
            for (g, b) in bounds.iter().enumerate() {
                let s: f64 = (0..p.n)
                    .filter(|&i| p.group_of(i) == g)
                    .map(|i| r.weights[i])
                    .sum();
                assert!(close(s, b.total, 1e-9), "case {case} group {g}");
                if let Some(shares) = p.group.as_ref().and_then(|gr| gr.shares.as_ref()) {
                    assert!(close(s, shares[g] * total, 1e-9), "case {case} share {g}");
                }
            }
            // Caps respected (within slack).
            if let Some(caps) = o.caps {
                for (i, &w) in r.weights.iter().enumerate() {
                    let mean = bounds[p.group_of(i)].mean;
                    assert!(w / mean <= caps.max.unwrap() + 1e-7, "case {case} row {i}");
                    assert!(
                        w / mean >= caps.min.unwrap_or(0.0) - 1e-7,
                        "case {case} row {i}"
                    );
                }
            }
            // Converged ⇒ every category within tolerance (per raked group).
            if r.status == Status::Converged {
                converged += 1;
                let grouped = p.group.is_some();
                for row in r.categories.iter().filter(|c| c.group.is_some() == grouped) {
                    assert!(
                        (row.diff_pct / 100.0).abs() <= o.tolerance + 1e-12,
                        "case {case}: {row:?}"
                    );
                }
            } else {
                assert!(r.max_residual > o.tolerance, "case {case}");
            }
            // Fast path == respondent path (to rounding), whichever path Auto took.
            respondent_path += usize::from(!r.cell_path);
            let forced = rake_with(&p, &o, PathChoice::Respondents).unwrap();
            assert!(!forced.cell_path);
            recount_category_rows(&p, &r, case);
            recount_category_rows(&p, &forced, case);
            if forced.status == r.status {
                for (a, b) in r.weights.iter().zip(&forced.weights) {
                    assert!(close(*a, *b, 1e-8), "case {case}: {a} vs {b}");
                }
            }
            // Permuting respondents permutes the weights.
            let perm = permutation(&mut rng, p.n);
            let q = permuted(&p, &perm);
            let rq = rake(&q, &o).unwrap();
            if rq.status == r.status {
                for (j, &i) in perm.iter().enumerate() {
                    assert!(close(rq.weights[j], r.weights[i], 1e-8), "case {case}");
                }
            }
        }
        assert!(converged > 50, "{converged}");
        assert!(respondent_path > 10, "{respondent_path}");
    }

    /// The category rows come from validation's counts and the last pass's joint tables: recount them from
    /// the codes and the weights handed back.
    fn recount_category_rows(p: &Problem, r: &RakeResult, case: usize) {
        for row in &r.categories {
            let var = &p.variables[row.variable];
            let (mut n, mut valid, mut sum, mut valid_w) = (0, 0, 0.0, 0.0);
            for i in 0..p.n {
                let code = var.codes.code(i);
                if code == crate::problem::MISSING || row.group.is_some_and(|g| g != p.group_of(i))
                {
                    continue;
                }
                valid += 1;
                valid_w += r.weights[i];
                if usize::from(code) == row.category {
                    n += 1;
                    sum += r.weights[i];
                }
            }
            let pct = |x: f64, of: f64| if of == 0.0 { 0.0 } else { 100.0 * x / of };
            assert_eq!(row.unweighted_n, n, "case {case}: {row:?}");
            assert!(
                (row.unweighted_pct - pct(n as f64, valid as f64)).abs() < 1e-12,
                "case {case}: {row:?}"
            );
            assert!(
                (row.weighted_pct - pct(sum, valid_w)).abs() < 1e-10,
                "case {case}: {row:?}"
            );
        }
    }

    fn permutation(rng: &mut Rng, n: usize) -> Vec<usize> {
        let mut perm: Vec<usize> = (0..n).collect();
        for i in (1..n).rev() {
            perm.swap(i, rng.below(i + 1));
        }
        perm
    }

    /// Row j of the result is row perm[j] of `p`.
    fn permuted(p: &Problem, perm: &[usize]) -> Problem {
        let codes = |c: &Codes| match c {
            Codes::U8(x) => Codes::U8(perm.iter().map(|&i| x[i]).collect()),
            Codes::U16(x) => Codes::U16(perm.iter().map(|&i| x[i]).collect()),
        };
        let mut q = p.clone();
        for v in &mut q.variables {
            v.codes = codes(&v.codes);
        }
        if let Some(g) = &mut q.group {
            g.codes = codes(&g.codes);
        }
        q.base_weights = p
            .base_weights
            .as_ref()
            .map(|b| perm.iter().map(|&i| b[i]).collect());
        q
    }

    fn pool(threads: usize) -> rayon::ThreadPool {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
    }

    #[test]
    fn small_problems_are_bit_identical_across_thread_counts() {
        let mut rng = Rng(7);
        let (p, o) = generated(&mut rng);
        let (one, four) = (pool(1), pool(4));
        let a = one
            .install(|| rake_with(&p, &o, PathChoice::Respondents))
            .unwrap();
        let b = four
            .install(|| rake_with(&p, &o, PathChoice::Respondents))
            .unwrap();
        assert_eq!(a.weights, b.weights);
    }

    /// Several chunks of units (problem.rs `SWEEP_CHUNK`), on both paths: the weights and the whole report are
    /// the same, bit for bit, whatever the thread count.
    #[test]
    fn chunked_sweeps_are_bit_identical_across_thread_counts() {
        let n = 3 * crate::problem::SWEEP_CHUNK + 1000;
        let mut rng = Rng(3);
        let mut vars: Vec<Variable> = [4usize, 3, 7, 12, 9, 5]
            .iter()
            .map(|&k| {
                let t = random_targets(&mut rng, k);
                var_u8((0..n).map(|_| rng.below(k) as u8).collect(), t)
            })
            .collect();
        // Missing answers, left alone under `exclude`.
        if let Codes::U8(c) = &mut vars[2].codes {
            c.iter_mut().step_by(17).for_each(|x| *x = 255);
        }
        let mut p = problem(vars);
        let capped = Options {
            caps: Some(Caps {
                min: Some(0.5),
                max: Some(2.5),
            }),
            tolerance: 1e-9,
            missing: MissingPolicy::Exclude,
            ..Options::default()
        };
        let uncapped = Options {
            caps: None,
            ..capped
        };
        let (one, two, four) = (pool(1), pool(2), pool(4));
        for (o, base) in [(&uncapped, false), (&capped, true)] {
            p.base_weights = base.then(|| (0..n).map(|_| rng.range(0.5, 2.0)).collect());
            let a = one.install(|| rake(&p, o)).unwrap();
            assert_eq!(a.cell_path, !base);
            assert!(a.cells > crate::problem::SWEEP_CHUNK || !a.cell_path);
            for pool in [&two, &four] {
                let b = pool.install(|| rake(&p, o)).unwrap();
                assert_eq!(a, b);
            }
        }
    }
}

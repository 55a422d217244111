//! The raking driver (docs/ENGINE.md §2, §4, §5): rake, rake_group, rake_on_variable, max_residual.
//! Pure: plain slices, rayon over groups; must not import wasm_bindgen/js_sys/JsValue.

use rayon::prelude::*;

use crate::caps::{apply_caps, GroupBounds};
use crate::cells::{base_constant_within_cells, build_cells, cell_units, expand, respondent_units, UnitKind, Units};
use crate::diagnostics::{category_rows, weight_summaries};
use crate::error::RimError;
use crate::kernels::{gather, scatter, Chunking};
use crate::problem::{GroupRun, Options, Problem, RakeResult, Status, STALL_IMPROVEMENT, STALL_WINDOW};
use crate::validate::validate_problem;

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
}

/// Validates, rakes every group and computes the diagnostics.
pub fn rake(problem: &Problem, options: &Options) -> Result<RakeResult, RimError> {
    rake_with(problem, options, PathChoice::Auto)
}

/// [`rake`] with an explicit unit path.
pub fn rake_with(problem: &Problem, options: &Options, path: PathChoice) -> Result<RakeResult, RimError> {
    validate_problem(problem, options)?;
    let (bounds, w0) = set_up(problem, options);
    let cells = build_cells(problem);
    let capped = options.active_caps().is_some();
    let kind = match path {
        PathChoice::Respondents => UnitKind::Respondents,
        PathChoice::Auto if base_constant_within_cells(problem, &cells) => UnitKind::WeightCells,
        PathChoice::Auto if !capped => UnitKind::FactorCells,
        PathChoice::Auto => UnitKind::Respondents,
    };
    let mut table = match kind {
        UnitKind::Respondents => respondent_units(problem, &w0),
        _ => cell_units(problem, &cells, &w0, kind),
    };
    let targets: Vec<Vec<&[f64]>> = (0..problem.n_groups())
        .map(|g| (0..problem.variables.len()).map(|v| problem.targets(v, g)).collect())
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
            rake_group(units, &targets[g], &bounds[g], caps, tolerance, max_iterations)
        })
        .collect();
    let weights = expand(problem, &table, &w0);
    let (summary, groups) = weight_summaries(problem, &weights, &bounds);
    let categories = category_rows(problem, &weights, &bounds);
    let run = combine_outcomes(&outcomes);
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
        cells: cells.len(),
    })
}

/// docs/ENGINE.md §2: group totals, bounds and initial weights.
/// `total = options.total ?? Σ base`; with shares `T_g = shares[g]·total`; grouped without shares
/// `T_g = total·Σ_{i∈g} base_i / Σ base`; ungrouped `T_0 = total`. `w_i = base_i·T_g / Σ_{i∈g} base_i`.
/// All sums run in respondent order.
pub fn set_up(problem: &Problem, options: &Options) -> (Vec<GroupBounds>, Vec<f64>) {
    let n_groups = problem.n_groups();
    let mut sum_base = 0.0;
    let mut group_base = vec![0.0; n_groups];
    let mut group_n = vec![0usize; n_groups];
    for row in 0..problem.n {
        let b = problem.base(row);
        let g = problem.group_of(row);
        sum_base += b;
        group_base[g] += b;
        group_n[g] += 1;
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
    let w0 = (0..problem.n)
        .map(|row| {
            let g = problem.group_of(row);
            problem.base(row) * bounds[g].total / group_base[g]
        })
        .collect();
    (bounds, w0)
}

/// One group's loop (docs/ENGINE.md §4): each pass rakes every variable in order, applies the caps, then
/// measures the max residual; stops converged, stalled or at `max_iterations`.
pub fn rake_group(
    units: &mut Units,
    targets: &[&[f64]],
    bounds: &GroupBounds,
    caps: bool,
    tolerance: f64,
    max_iterations: usize,
) -> GroupOutcome {
    let k_max = targets.iter().map(|t| t.len()).max().unwrap_or(0);
    let ch = Chunking::for_units(units.len);
    // Scratch, allocated once and reused by every pass.
    let mut sum = vec![0.0; k_max];
    let mut factor = vec![0.0; k_max];
    let mut partials = vec![0.0; ch.partials_len(k_max.max(1))];
    let mut trace = Vec::with_capacity(max_iterations.min(1024));
    let mut status = Status::MaxIterations;
    for pass in 1..=max_iterations {
        for (v, t) in targets.iter().enumerate() {
            let k = t.len();
            rake_on_variable(
                &units.codes[v * units.len..(v + 1) * units.len],
                units.mass.as_deref(),
                &mut units.weights,
                t,
                &mut sum[..k],
                &mut factor[..k],
                &mut partials,
                ch,
            );
        }
        if caps {
            apply_caps(&mut units.weights, units.mass.as_deref(), bounds, &mut partials, ch);
        }
        let r = max_residual(units, targets, &mut sum, &mut partials, ch);
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
    GroupOutcome { status, trace }
}

/// Rakes one variable: gather `sum[c] = Σ m_u·w_u`, `S = Σ_c sum[c]`, `f[c] = target[c]·S / sum[c]`
/// (1 when `sum[c] = 0`), scatter `w_u *= f[code_u]`. MISSING codes are skipped both ways.
#[allow(clippy::too_many_arguments)]
#[inline]
pub fn rake_on_variable(
    codes: &[u16],
    mass: Option<&[f64]>,
    w: &mut [f64],
    targets: &[f64],
    sum: &mut [f64],
    factor: &mut [f64],
    partials: &mut [f64],
    ch: Chunking,
) {
    gather(codes, mass, w, sum, partials, ch);
    let s = sum_in_order(sum);
    for ((f, &t), &x) in factor.iter_mut().zip(targets).zip(sum.iter()) {
        *f = if x > 0.0 { t * s / x } else { 1.0 };
    }
    scatter(codes, w, factor, ch);
}

/// Max over variables and categories of `|sum[c]/S − target[c]|` from a fresh gather (a variable with
/// `S = 0` contributes 0).
pub fn max_residual(
    units: &Units,
    targets: &[&[f64]],
    sum: &mut [f64],
    partials: &mut [f64],
    ch: Chunking,
) -> f64 {
    let mut max = 0.0;
    for (v, t) in targets.iter().enumerate() {
        let sum = &mut sum[..t.len()];
        gather(units.codes_of(v), units.mass.as_deref(), &units.weights, sum, partials, ch);
        let s = sum_in_order(sum);
        if s > 0.0 {
            for (&x, &t) in sum.iter().zip(t.iter()) {
                let r = (x / s - t).abs();
                if r > max {
                    max = r;
                }
            }
        }
    }
    max
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

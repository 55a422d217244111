//! validate_problem: the checks of docs/ENGINE.md §1, in that order; the first failure is returned.
//! Reads problem.rs types and returns error.rs values; must not import wasm_bindgen/js_sys or the raking modules.
//! The variables' codes are scanned in parallel (rayon), each variable on its own; errors are still reported
//! in variable order.

use rayon::prelude::*;

use crate::error::{OptionName, RimError, VectorReason};
use crate::problem::{Codes, MissingPolicy, Options, Problem, MISSING, TARGET_SUM_SLACK};

/// Valid answers per variable, group and category: `counts[v][g * K_v + c]` (missing answers not counted).
pub type AnswerCounts = Vec<Vec<usize>>;

/// Checks a problem and its options before any raking (docs/ENGINE.md §1, steps 1–8 in order).
pub fn validate_problem(problem: &Problem, options: &Options) -> Result<(), RimError> {
    validate_counting(problem, options).map(drop)
}

/// [`validate_problem`], handing over the answers step 7 counted (the diagnostics' unweighted counts).
pub fn validate_counting(problem: &Problem, options: &Options) -> Result<AnswerCounts, RimError> {
    validate_shape(problem)?;
    validate_lengths(problem)?;
    validate_options(options)?;
    validate_vectors(problem)?;
    validate_base_weights(problem)?;
    validate_group_codes(problem)?;
    let counts = validate_variable_codes(problem, options.missing)?;
    validate_feasibility(problem, &counts)?;
    Ok(counts)
}

/// Step 1: something to rake.
fn validate_shape(problem: &Problem) -> Result<(), RimError> {
    if problem.n == 0 {
        return Err(RimError::EmptyProblem);
    }
    if problem.variables.is_empty() {
        return Err(RimError::NoVariables);
    }
    Ok(())
}

/// More categories than the code array can index (its maximum value is the missing marker).
fn check_indexable(variable: Option<usize>, count: usize, codes: &Codes) -> Result<(), RimError> {
    let max = usize::from(codes.missing_code());
    if count > max {
        return Err(RimError::TooManyCategories {
            variable,
            count,
            max,
        });
    }
    Ok(())
}

fn check_len(
    field: impl FnOnce() -> String,
    expected: usize,
    actual: usize,
) -> Result<(), RimError> {
    if expected == actual {
        Ok(())
    } else {
        Err(RimError::LengthMismatch {
            field: field(),
            expected,
            actual,
        })
    }
}

/// Step 2: every codes array, base weights and group codes have length n; target and share vectors match
/// their category (label) counts. Per-group targets are checked only where they are used: grouped problem,
/// label index in range.
fn validate_lengths(problem: &Problem) -> Result<(), RimError> {
    let n = problem.n;
    for (i, v) in problem.variables.iter().enumerate() {
        check_len(|| format!("variables[{i}].codes"), n, v.codes.len())?;
    }
    if let Some(b) = &problem.base_weights {
        check_len(|| "baseWeights".to_string(), n, b.len())?;
    }
    if let Some(g) = &problem.group {
        check_len(|| "group.codes".to_string(), n, g.codes.len())?;
        // The largest code value marks a missing answer, so it cannot also index a group or a category.
        check_indexable(None, g.labels.len(), &g.codes)?;
    }
    for (i, v) in problem.variables.iter().enumerate() {
        check_indexable(Some(i), v.categories.len(), &v.codes)?;
        if v.targets.len() != v.categories.len() {
            return Err(RimError::BadTargets {
                variable: i,
                group: None,
                reason: VectorReason::Length,
            });
        }
        for (g, t) in used_group_targets(problem, i) {
            if t.len() != v.categories.len() {
                return Err(RimError::BadTargets {
                    variable: i,
                    group: Some(g),
                    reason: VectorReason::Length,
                });
            }
        }
    }
    if let Some(shares) = problem
        .group
        .as_ref()
        .and_then(|g| g.shares.as_ref().map(|s| (g, s)))
    {
        if shares.1.len() != shares.0.labels.len() {
            return Err(RimError::BadShares {
                reason: VectorReason::Length,
            });
        }
    }
    Ok(())
}

/// The present `targetsByGroup` entries of variable `i` that raking will use, in label order.
fn used_group_targets(problem: &Problem, i: usize) -> impl Iterator<Item = (usize, &[f64])> {
    let labels = problem.group.as_ref().map_or(0, |g| g.labels.len());
    problem.variables[i]
        .targets_by_group
        .iter()
        .take(labels)
        .enumerate()
        .filter_map(|(g, t)| t.as_deref().map(|t| (g, t)))
}

/// Step 3: option domains. Caps: a non-finite or negative cap is `bad_option`; a cap the mean weight itself
/// would violate (capMin > 1, capMax < 1) is `infeasible_caps`.
fn validate_options(options: &Options) -> Result<(), RimError> {
    let bad = |option, value| Err(RimError::BadOption { option, value });
    if !(options.tolerance.is_finite() && options.tolerance >= 0.0) {
        return bad(OptionName::Tolerance, options.tolerance);
    }
    let it = options.max_iterations;
    if !(it.is_finite() && it.fract() == 0.0 && it >= 1.0) {
        return bad(OptionName::MaxIterations, it);
    }
    if let Some(t) = options.total {
        if !(t.is_finite() && t > 0.0) {
            return bad(OptionName::Total, t);
        }
    }
    let caps = options.caps.unwrap_or_default();
    if let Some(m) = caps.min {
        if !(m.is_finite() && m >= 0.0) {
            return bad(OptionName::CapMin, m);
        }
    }
    if let Some(m) = caps.max {
        if !(m.is_finite() && m >= 0.0) {
            return bad(OptionName::CapMax, m);
        }
    }
    let min = caps.min.unwrap_or(0.0);
    let max = caps.max.unwrap_or(f64::INFINITY);
    if min > 1.0 || max < 1.0 {
        return Err(RimError::InfeasibleCaps { min, max });
    }
    Ok(())
}

/// Entry by entry: not finite, then negative; then the sum (in index order) within 1e-9 of 1.
fn check_proportions(values: &[f64]) -> Result<(), VectorReason> {
    let mut sum = 0.0;
    for &x in values {
        if !x.is_finite() {
            return Err(VectorReason::NotFinite);
        }
        if x < 0.0 {
            return Err(VectorReason::Negative);
        }
        sum += x;
    }
    if (sum - 1.0).abs() > TARGET_SUM_SLACK {
        return Err(VectorReason::Sum);
    }
    Ok(())
}

/// Step 4: targets (each variable: own targets, then its used per-group targets), then shares.
fn validate_vectors(problem: &Problem) -> Result<(), RimError> {
    for (i, v) in problem.variables.iter().enumerate() {
        check_proportions(&v.targets).map_err(|reason| RimError::BadTargets {
            variable: i,
            group: None,
            reason,
        })?;
        for (g, t) in used_group_targets(problem, i) {
            check_proportions(t).map_err(|reason| RimError::BadTargets {
                variable: i,
                group: Some(g),
                reason,
            })?;
        }
    }
    if let Some(shares) = problem.group.as_ref().and_then(|g| g.shares.as_ref()) {
        check_proportions(shares).map_err(|reason| RimError::BadShares { reason })?;
    }
    Ok(())
}

/// Step 5: base weights finite and > 0.
fn validate_base_weights(problem: &Problem) -> Result<(), RimError> {
    if let Some(b) = &problem.base_weights {
        if let Some((row, &value)) = b
            .iter()
            .enumerate()
            .find(|(_, &x)| !(x.is_finite() && x > 0.0))
        {
            return Err(RimError::BadBaseWeight { row, value });
        }
    }
    Ok(())
}

/// What a scan of a codes array found.
enum CodeScan {
    /// Every code in range, none missing.
    Clean,
    /// First row whose raw code is ≥ the category (label) count and not the missing marker.
    OutOfRange { row: usize, value: u16 },
    /// No code out of range; first missing row and how many rows are missing.
    Missing { row: usize, count: usize },
}

/// Scans all rows: an out-of-range code anywhere wins over missing codes.
fn scan_codes(codes: &crate::problem::Codes, len: usize) -> CodeScan {
    use crate::problem::Codes;
    match codes {
        Codes::U8(c) => scan_slice(c, crate::problem::MISSING_U8, len),
        Codes::U16(c) => scan_slice(c, crate::problem::MISSING_U16, len),
    }
}

/// [`scan_codes`] on one width.
fn scan_slice<T: Copy + Into<u16> + PartialEq>(codes: &[T], marker: T, len: usize) -> CodeScan {
    let mut first_missing = None;
    let mut missing = 0usize;
    for (row, &raw) in codes.iter().enumerate() {
        if raw == marker {
            if first_missing.is_none() {
                first_missing = Some(row);
            }
            missing += 1;
        } else if usize::from(raw.into()) >= len {
            return CodeScan::OutOfRange {
                row,
                value: raw.into(),
            };
        }
    }
    match first_missing {
        Some(row) => CodeScan::Missing {
            row,
            count: missing,
        },
        None => CodeScan::Clean,
    }
}

/// Step 6: group codes in range (over all rows first), then no missing group.
fn validate_group_codes(problem: &Problem) -> Result<(), RimError> {
    let Some(group) = &problem.group else {
        return Ok(());
    };
    match scan_codes(&group.codes, group.labels.len()) {
        CodeScan::OutOfRange { row, value } => Err(RimError::GroupCodeOutOfRange { row, value }),
        CodeScan::Missing { row, count } => Err(RimError::MissingGroup { row, count }),
        CodeScan::Clean => Ok(()),
    }
}

/// Step 7: variable by variable, codes in range (over all rows first), then missing under `error`.
/// Returns what step 8 needs, counted in the same pass over the codes where the width allows:
/// `counts[v][g * K_v + c]`, valid answers per group and category.
fn validate_variable_codes(
    problem: &Problem,
    policy: MissingPolicy,
) -> Result<AnswerCounts, RimError> {
    let scans: Vec<(CodeScan, Vec<usize>)> = problem
        .variables
        .par_iter()
        .map(|v| scan_and_count(problem, v))
        .collect();
    let mut all = Vec::with_capacity(scans.len());
    for (variable, (scan, counts)) in scans.into_iter().enumerate() {
        match scan {
            CodeScan::OutOfRange { row, value } => {
                return Err(RimError::CodeOutOfRange {
                    variable,
                    row,
                    value,
                })
            }
            CodeScan::Missing { row, count } if policy == MissingPolicy::Error => {
                return Err(RimError::MissingValue {
                    variable,
                    row,
                    count,
                })
            }
            _ => {}
        }
        all.push(counts);
    }
    Ok(all)
}

/// One variable's [`CodeScan`] and its valid answers per group and category (`[g * K + c]`; meaningful
/// only when no code is out of range). One-byte codes: a histogram of raw values per group in one pass,
/// rescanned only to locate the first offending row; two-byte codes: a scan, then a count.
fn scan_and_count(problem: &Problem, v: &crate::problem::Variable) -> (CodeScan, Vec<usize>) {
    use crate::problem::{Codes, MISSING_U8};
    let k = v.categories.len();
    let n_groups = problem.n_groups();
    let mut counts = vec![0usize; n_groups * k];
    let Codes::U8(codes) = &v.codes else {
        let scan = scan_codes(&v.codes, k);
        if !matches!(scan, CodeScan::OutOfRange { .. }) {
            match &problem.group {
                None => v.codes.for_each_code(|_, code| {
                    if code != MISSING {
                        counts[usize::from(code)] += 1;
                    }
                }),
                Some(group) => v.codes.for_each_code(|row, code| {
                    if code != MISSING {
                        counts[usize::from(group.codes.raw(row)) * k + usize::from(code)] += 1;
                    }
                }),
            }
        }
        return (scan, counts);
    };
    let mut hist = vec![[0u32; 256]; n_groups];
    match &problem.group {
        None => hist[0] = byte_histogram(codes),
        // Group codes are valid (step 6): no missing marker to normalise. Zipped, the loop has no bounds check.
        Some(group) => match &group.codes {
            Codes::U8(gs) => {
                for (&g, &x) in gs.iter().zip(codes) {
                    hist[usize::from(g)][usize::from(x)] += 1;
                }
            }
            Codes::U16(gs) => {
                for (&g, &x) in gs.iter().zip(codes) {
                    hist[usize::from(g)][usize::from(x)] += 1;
                }
            }
        },
    }
    let mut missing = 0;
    let mut out_of_range = false;
    for (g, h) in hist.iter().enumerate() {
        for (x, &count) in h.iter().enumerate() {
            if x == usize::from(MISSING_U8) {
                missing += count as usize;
            } else if x >= k {
                out_of_range |= count > 0;
            } else {
                counts[g * k + x] = count as usize;
            }
        }
    }
    let scan = if out_of_range || missing > 0 {
        scan_codes(&v.codes, k)
    } else {
        CodeScan::Clean
    };
    (scan, counts)
}

/// How many times each byte value occurs. Four histograms, one per lane of four consecutive bytes, so that
/// repeated values do not make every increment wait on the one before (7.8 → 4.6 ms for problem A's eight
/// columns of 1M codes).
fn byte_histogram(codes: &[u8]) -> [u32; 256] {
    let mut lanes = [[0u32; 256]; 4];
    let quads = codes.chunks_exact(4);
    let rest = quads.remainder();
    for q in quads {
        for (lane, &x) in lanes.iter_mut().zip(q) {
            lane[usize::from(x)] += 1;
        }
    }
    for &x in rest {
        lanes[0][usize::from(x)] += 1;
    }
    // Rows are numbered in u32 (cells.rs), so no count can overflow.
    std::array::from_fn(|x| lanes.iter().map(|lane| lane[x]).sum())
}

/// Step 8: per group (label order), per variable, per category, with that group's targets.
/// `counts[v][g * K_v + c]`: valid answers per group and category (from step 7).
fn validate_feasibility(problem: &Problem, counts: &[Vec<usize>]) -> Result<(), RimError> {
    let n_groups = problem.n_groups();
    let mut group_n = vec![0usize; n_groups];
    match &problem.group {
        None => group_n[0] = problem.n,
        Some(group) => group
            .codes
            .for_each_code(|_, g| group_n[usize::from(g)] += 1),
    }
    let grouped = problem.group.is_some();
    let shares = problem.group.as_ref().and_then(|g| g.shares.as_ref());
    for g in 0..n_groups {
        if group_n[g] == 0 {
            if shares.is_some_and(|s| s[g] > 0.0) {
                return Err(RimError::EmptyGroup { group: g });
            }
            continue;
        }
        let group = grouped.then_some(g);
        for (variable, v) in problem.variables.iter().enumerate() {
            let k = v.categories.len();
            let targets = problem.targets(variable, g);
            for category in 0..k {
                let count = counts[variable][g * k + category];
                if targets[category] > 0.0 && count == 0 {
                    return Err(RimError::EmptyCategory {
                        variable,
                        category,
                        group,
                    });
                }
                if targets[category] == 0.0 && count > 0 {
                    return Err(RimError::ZeroTargetWithRespondents {
                        variable,
                        category,
                        group,
                        count,
                    });
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::problem::{Caps, Codes, Problem};
    use crate::testutil::{group_u8, problem, var_u8};

    /// Two variables over six respondents, every category present, grouped in two groups of three.
    fn base() -> Problem {
        let mut p = problem(vec![
            var_u8(vec![0, 1, 0, 1, 0, 1], vec![0.5, 0.5]),
            var_u8(vec![0, 1, 2, 0, 1, 2], vec![0.2, 0.3, 0.5]),
        ]);
        p.group = Some(group_u8(vec![0, 0, 0, 1, 1, 1], 2, Some(vec![0.4, 0.6])));
        p
    }

    fn check(p: &Problem, o: &Options) -> Result<(), RimError> {
        validate_problem(p, o)
    }

    fn err(p: &Problem) -> RimError {
        check(p, &Options::default()).unwrap_err()
    }

    #[test]
    fn answers_counted_per_group_whatever_the_code_widths() {
        let mut p = base();
        p.variables[0].codes = Codes::U8(vec![0, 1, 0, 0, 255, 1]);
        let o = Options {
            missing: MissingPolicy::Exclude,
            ..Options::default()
        };
        // [g * K + c]: group 0 is rows 0–2, group 1 rows 3–5; row 4 is missing on the first variable.
        let expected = vec![vec![2, 1, 1, 1], vec![1, 1, 1, 1, 1, 1]];
        assert_eq!(validate_counting(&p, &o).unwrap(), expected);
        p.group.as_mut().unwrap().codes = Codes::U16(vec![0, 0, 0, 1, 1, 1]);
        assert_eq!(validate_counting(&p, &o).unwrap(), expected);
        p.variables[0].codes = Codes::U16(vec![0, 1, 0, 0, 65535, 1]);
        assert_eq!(validate_counting(&p, &o).unwrap(), expected);
    }

    #[test]
    fn byte_histogram_counts_every_byte_whatever_the_length() {
        for len in [0, 1, 3, 4, 5, 1003] {
            let codes: Vec<u8> = (0..len).map(|i| ((i * 37 + i / 5) % 256) as u8).collect();
            let mut expected = [0u32; 256];
            for &x in &codes {
                expected[usize::from(x)] += 1;
            }
            assert_eq!(byte_histogram(&codes), expected, "length {len}");
        }
    }

    #[test]
    fn the_base_problem_is_valid() {
        assert_eq!(check(&base(), &Options::default()), Ok(()));
    }

    #[test]
    fn empty_problem_and_no_variables() {
        let mut p = base();
        p.n = 0;
        assert_eq!(err(&p), RimError::EmptyProblem);
        let mut p = base();
        p.variables.clear();
        assert_eq!(err(&p), RimError::NoVariables);
    }

    #[test]
    fn length_mismatch_names_the_field() {
        let mut p = base();
        p.variables[1].codes = Codes::U8(vec![0; 5]);
        assert_eq!(
            err(&p),
            RimError::LengthMismatch {
                field: "variables[1].codes".into(),
                expected: 6,
                actual: 5
            }
        );
        let mut p = base();
        p.base_weights = Some(vec![1.0; 7]);
        assert_eq!(
            err(&p),
            RimError::LengthMismatch {
                field: "baseWeights".into(),
                expected: 6,
                actual: 7
            }
        );
        let mut p = base();
        p.group.as_mut().unwrap().codes = Codes::U16(vec![0; 4]);
        assert_eq!(
            err(&p),
            RimError::LengthMismatch {
                field: "group.codes".into(),
                expected: 6,
                actual: 4
            }
        );
        assert!(matches!(err(&p), RimError::LengthMismatch { .. }));
    }

    #[test]
    fn too_many_categories_for_the_code_array() {
        // 256 categories cannot be told apart from the u8 missing marker 255.
        let mut p = base();
        let mut targets = vec![0.0; 256];
        targets[0] = 0.5;
        targets[1] = 0.5;
        p.variables[0].categories = (0..256).map(|c| c.to_string()).collect();
        p.variables[0].targets = targets;
        assert_eq!(
            err(&p),
            RimError::TooManyCategories {
                variable: Some(0),
                count: 256,
                max: 255
            }
        );
        let mut p = base();
        p.group.as_mut().unwrap().labels = (0..300).map(|g| g.to_string()).collect();
        assert_eq!(
            err(&p),
            RimError::TooManyCategories {
                variable: None,
                count: 300,
                max: 255
            }
        );
        assert!(matches!(err(&p), RimError::TooManyCategories { .. }));
    }

    #[test]
    fn bad_targets_reasons_and_groups() {
        let mut p = base();
        p.variables[1].targets = vec![0.5, 0.5];
        assert_eq!(
            err(&p),
            RimError::BadTargets {
                variable: 1,
                group: None,
                reason: VectorReason::Length
            }
        );
        let mut p = base();
        p.variables[0].targets_by_group = vec![None, Some(vec![1.0])];
        assert_eq!(
            err(&p),
            RimError::BadTargets {
                variable: 0,
                group: Some(1),
                reason: VectorReason::Length
            }
        );
        let mut p = base();
        p.variables[0].targets = vec![f64::NAN, 0.5];
        assert_eq!(
            err(&p),
            RimError::BadTargets {
                variable: 0,
                group: None,
                reason: VectorReason::NotFinite
            }
        );
        let mut p = base();
        p.variables[1].targets = vec![-0.1, 0.6, 0.5];
        assert_eq!(
            err(&p),
            RimError::BadTargets {
                variable: 1,
                group: None,
                reason: VectorReason::Negative
            }
        );
        let mut p = base();
        p.variables[1].targets_by_group = vec![Some(vec![0.2, 0.3, 0.4])];
        assert_eq!(
            err(&p),
            RimError::BadTargets {
                variable: 1,
                group: Some(0),
                reason: VectorReason::Sum
            }
        );
        // Within 1e-9 of 1 is fine.
        let mut p = base();
        p.variables[0].targets = vec![0.5, 0.5 + 5e-10];
        assert_eq!(check(&p, &Options::default()), Ok(()));
        assert!(matches!(
            err(&base_with_bad_sum()),
            RimError::BadTargets { .. }
        ));
    }

    fn base_with_bad_sum() -> Problem {
        let mut p = base();
        p.variables[0].targets = vec![0.5, 0.6];
        p
    }

    #[test]
    fn bad_shares_reasons() {
        let mut p = base();
        p.group.as_mut().unwrap().shares = Some(vec![1.0]);
        assert_eq!(
            err(&p),
            RimError::BadShares {
                reason: VectorReason::Length
            }
        );
        p.group.as_mut().unwrap().shares = Some(vec![0.5, 0.6]);
        assert_eq!(
            err(&p),
            RimError::BadShares {
                reason: VectorReason::Sum
            }
        );
        p.group.as_mut().unwrap().shares = Some(vec![1.5, -0.5]);
        assert_eq!(
            err(&p),
            RimError::BadShares {
                reason: VectorReason::Negative
            }
        );
        p.group.as_mut().unwrap().shares = Some(vec![f64::INFINITY, 0.0]);
        assert_eq!(
            err(&p),
            RimError::BadShares {
                reason: VectorReason::NotFinite
            }
        );
    }

    #[test]
    fn bad_option_each_option() {
        let p = base();
        let cases = [
            (
                Options {
                    tolerance: -1.0,
                    ..Options::default()
                },
                OptionName::Tolerance,
                -1.0,
            ),
            (
                Options {
                    max_iterations: 0.0,
                    ..Options::default()
                },
                OptionName::MaxIterations,
                0.0,
            ),
            (
                Options {
                    max_iterations: 2.5,
                    ..Options::default()
                },
                OptionName::MaxIterations,
                2.5,
            ),
            (
                Options {
                    total: Some(0.0),
                    ..Options::default()
                },
                OptionName::Total,
                0.0,
            ),
            (
                Options {
                    caps: Some(Caps {
                        min: Some(-0.1),
                        max: None,
                    }),
                    ..Options::default()
                },
                OptionName::CapMin,
                -0.1,
            ),
            (
                Options {
                    caps: Some(Caps {
                        min: None,
                        max: Some(f64::INFINITY),
                    }),
                    ..Options::default()
                },
                OptionName::CapMax,
                f64::INFINITY,
            ),
        ];
        for (o, option, value) in cases {
            assert_eq!(check(&p, &o), Err(RimError::BadOption { option, value }));
        }
        let nan = check(
            &p,
            &Options {
                tolerance: f64::NAN,
                ..Options::default()
            },
        )
        .unwrap_err();
        assert!(
            matches!(nan, RimError::BadOption { option: OptionName::Tolerance, value } if value.is_nan())
        );
    }

    #[test]
    fn infeasible_caps() {
        let p = base();
        let o = Options {
            caps: Some(Caps {
                min: Some(1.5),
                max: None,
            }),
            ..Options::default()
        };
        assert_eq!(
            check(&p, &o),
            Err(RimError::InfeasibleCaps {
                min: 1.5,
                max: f64::INFINITY
            })
        );
        let o = Options {
            caps: Some(Caps {
                min: None,
                max: Some(0.8),
            }),
            ..Options::default()
        };
        assert_eq!(
            check(&p, &o),
            Err(RimError::InfeasibleCaps { min: 0.0, max: 0.8 })
        );
        let o = Options {
            caps: Some(Caps {
                min: Some(1.0),
                max: Some(1.0),
            }),
            ..Options::default()
        };
        assert_eq!(check(&p, &o), Ok(()));
    }

    #[test]
    fn bad_base_weight_first_row() {
        let mut p = base();
        p.base_weights = Some(vec![1.0, 2.0, 0.0, -1.0, 1.0, 1.0]);
        assert_eq!(err(&p), RimError::BadBaseWeight { row: 2, value: 0.0 });
    }

    #[test]
    fn group_codes_out_of_range_before_missing() {
        let mut p = base();
        p.group.as_mut().unwrap().codes = Codes::U8(vec![0, 255, 0, 1, 7, 255]);
        assert_eq!(err(&p), RimError::GroupCodeOutOfRange { row: 4, value: 7 });
        p.group.as_mut().unwrap().codes = Codes::U8(vec![0, 255, 0, 1, 1, 255]);
        assert_eq!(err(&p), RimError::MissingGroup { row: 1, count: 2 });
    }

    #[test]
    fn variable_codes_out_of_range_and_missing() {
        let mut p = base();
        p.variables[1].codes = Codes::U16(vec![0, 1, 65535, 3, 1, 2]);
        assert_eq!(
            err(&p),
            RimError::CodeOutOfRange {
                variable: 1,
                row: 3,
                value: 3
            }
        );
        p.variables[1].codes = Codes::U16(vec![0, 1, 65535, 0, 65535, 2]);
        assert_eq!(
            err(&p),
            RimError::MissingValue {
                variable: 1,
                row: 2,
                count: 2
            }
        );
        // u8 codes: 255 is missing even with 255 or more categories.
        let mut p = base();
        p.variables[0].codes = Codes::U8(vec![0, 1, 255, 1, 0, 1]);
        assert_eq!(
            err(&p),
            RimError::MissingValue {
                variable: 0,
                row: 2,
                count: 1
            }
        );
        let o = Options {
            missing: MissingPolicy::Exclude,
            ..Options::default()
        };
        assert_eq!(check(&p, &o), Ok(()));
    }

    #[test]
    fn empty_category_and_zero_target_per_group() {
        // Ungrouped: category 2 of variable 1 has a target and no respondent.
        let mut p = base();
        p.group = None;
        p.variables[1].codes = Codes::U8(vec![0, 1, 1, 0, 1, 0]);
        assert_eq!(
            err(&p),
            RimError::EmptyCategory {
                variable: 1,
                category: 2,
                group: None
            }
        );
        // Grouped: group 1 has no respondent in category 0 of variable 0.
        let mut p = base();
        p.variables[0].codes = Codes::U8(vec![0, 1, 0, 1, 1, 1]);
        assert_eq!(
            err(&p),
            RimError::EmptyCategory {
                variable: 0,
                category: 0,
                group: Some(1)
            }
        );
        // ... unless group 1's own target for it is 0.
        p.variables[0].targets_by_group = vec![None, Some(vec![0.0, 1.0])];
        assert_eq!(check(&p, &Options::default()), Ok(()));
        // A zero target with respondents.
        let mut p = base();
        p.variables[1].targets_by_group = vec![Some(vec![0.0, 0.5, 0.5])];
        assert_eq!(
            err(&p),
            RimError::ZeroTargetWithRespondents {
                variable: 1,
                category: 0,
                group: Some(0),
                count: 1
            }
        );
        // Exclude: a variable with no valid answer in a group → first category with a target.
        let mut p = base();
        p.variables[1].codes = Codes::U8(vec![0, 1, 2, 255, 255, 255]);
        let o = Options {
            missing: MissingPolicy::Exclude,
            ..Options::default()
        };
        assert_eq!(
            check(&p, &o),
            Err(RimError::EmptyCategory {
                variable: 1,
                category: 0,
                group: Some(1)
            })
        );
    }

    #[test]
    fn empty_group_only_with_a_share() {
        let mut p = base();
        let g = p.group.as_mut().unwrap();
        g.labels.push("empty".into());
        g.shares = Some(vec![0.4, 0.4, 0.2]);
        assert_eq!(err(&p), RimError::EmptyGroup { group: 2 });
        p.group.as_mut().unwrap().shares = Some(vec![0.4, 0.6, 0.0]);
        assert_eq!(check(&p, &Options::default()), Ok(()));
        p.group.as_mut().unwrap().shares = None;
        assert_eq!(check(&p, &Options::default()), Ok(()));
    }

    #[test]
    fn checks_run_in_documented_order() {
        // Bad options are reported before bad targets, bad targets before bad base weights, those before
        // code problems.
        let mut p = base_with_bad_sum();
        p.base_weights = Some(vec![0.0; 6]);
        p.variables[1].codes = Codes::U8(vec![9; 6]);
        let o = Options {
            tolerance: -1.0,
            ..Options::default()
        };
        assert!(matches!(
            check(&p, &o).unwrap_err(),
            RimError::BadOption { .. }
        ));
        assert!(matches!(err(&p), RimError::BadTargets { .. }));
        p.variables[0].targets = vec![0.5, 0.5];
        assert!(matches!(err(&p), RimError::BadBaseWeight { .. }));
        p.base_weights = None;
        assert!(matches!(err(&p), RimError::CodeOutOfRange { .. }));
    }
}

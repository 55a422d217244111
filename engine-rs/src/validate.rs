//! validate_problem: the checks of docs/ENGINE.md §1, in that order; the first failure is returned.
//! Reads problem.rs types and returns error.rs values; must not import wasm_bindgen/js_sys or the raking modules.

use crate::error::{OptionName, RimError, VectorReason};
use crate::problem::{MissingPolicy, Options, Problem, MISSING, TARGET_SUM_SLACK};

/// Checks a problem and its options before any raking (docs/ENGINE.md §1, steps 1–8 in order).
pub fn validate_problem(problem: &Problem, options: &Options) -> Result<(), RimError> {
    validate_shape(problem)?;
    validate_lengths(problem)?;
    validate_options(options)?;
    validate_vectors(problem)?;
    validate_base_weights(problem)?;
    validate_group_codes(problem)?;
    validate_variable_codes(problem, options.missing)?;
    validate_feasibility(problem)
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

fn check_len(field: impl FnOnce() -> String, expected: usize, actual: usize) -> Result<(), RimError> {
    if expected == actual {
        Ok(())
    } else {
        Err(RimError::LengthMismatch { field: field(), expected, actual })
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
    }
    for (i, v) in problem.variables.iter().enumerate() {
        if v.targets.len() != v.categories.len() {
            return Err(RimError::BadTargets { variable: i, group: None, reason: VectorReason::Length });
        }
        for (g, t) in used_group_targets(problem, i) {
            if t.len() != v.categories.len() {
                return Err(RimError::BadTargets { variable: i, group: Some(g), reason: VectorReason::Length });
            }
        }
    }
    if let Some(shares) = problem.group.as_ref().and_then(|g| g.shares.as_ref().map(|s| (g, s))) {
        if shares.1.len() != shares.0.labels.len() {
            return Err(RimError::BadShares { reason: VectorReason::Length });
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
        check_proportions(&v.targets)
            .map_err(|reason| RimError::BadTargets { variable: i, group: None, reason })?;
        for (g, t) in used_group_targets(problem, i) {
            check_proportions(t)
                .map_err(|reason| RimError::BadTargets { variable: i, group: Some(g), reason })?;
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
        if let Some((row, &value)) = b.iter().enumerate().find(|(_, &x)| !(x.is_finite() && x > 0.0)) {
            return Err(RimError::BadBaseWeight { row, value });
        }
    }
    Ok(())
}

/// First row whose raw code is ≥ `len` and not the missing marker; then first missing row and count.
fn scan_codes(codes: &crate::problem::Codes, len: usize) -> (Option<(usize, u16)>, Option<(usize, usize)>) {
    let marker = codes.missing_code();
    let mut first_missing = None;
    let mut missing = 0usize;
    for row in 0..codes.len() {
        let raw = codes.raw(row);
        if raw == marker {
            if first_missing.is_none() {
                first_missing = Some(row);
            }
            missing += 1;
        } else if usize::from(raw) >= len {
            return (Some((row, raw)), None);
        }
    }
    (None, first_missing.map(|row| (row, missing)))
}

/// Step 6: group codes in range (over all rows first), then no missing group.
fn validate_group_codes(problem: &Problem) -> Result<(), RimError> {
    let Some(group) = &problem.group else { return Ok(()) };
    match scan_codes(&group.codes, group.labels.len()) {
        (Some((row, value)), _) => Err(RimError::GroupCodeOutOfRange { row, value }),
        (None, Some((row, count))) => Err(RimError::MissingGroup { row, count }),
        (None, None) => Ok(()),
    }
}

/// Step 7: variable by variable, codes in range (over all rows first), then missing under `error`.
fn validate_variable_codes(problem: &Problem, policy: MissingPolicy) -> Result<(), RimError> {
    for (variable, v) in problem.variables.iter().enumerate() {
        match scan_codes(&v.codes, v.categories.len()) {
            (Some((row, value)), _) => return Err(RimError::CodeOutOfRange { variable, row, value }),
            (None, Some((row, count))) if policy == MissingPolicy::Error => {
                return Err(RimError::MissingValue { variable, row, count })
            }
            _ => {}
        }
    }
    Ok(())
}

/// Step 8: per group (label order), per variable, per category, with that group's targets.
fn validate_feasibility(problem: &Problem) -> Result<(), RimError> {
    let n_groups = problem.n_groups();
    let mut group_n = vec![0usize; n_groups];
    for row in 0..problem.n {
        group_n[problem.group_of(row)] += 1;
    }
    // counts[v][g * K_v + c]: valid answers per group and category.
    let counts: Vec<Vec<usize>> = problem
        .variables
        .iter()
        .map(|v| {
            let k = v.categories.len();
            let mut c = vec![0usize; n_groups * k];
            for row in 0..problem.n {
                let code = v.codes.code(row);
                if code != MISSING {
                    c[problem.group_of(row) * k + usize::from(code)] += 1;
                }
            }
            c
        })
        .collect();
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
                    return Err(RimError::EmptyCategory { variable, category, group });
                }
                if targets[category] == 0.0 && count > 0 {
                    return Err(RimError::ZeroTargetWithRespondents { variable, category, group, count });
                }
            }
        }
    }
    Ok(())
}

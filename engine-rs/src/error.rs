//! Errors as values with stable codes: RimError mirrors contract.ts `EngineError` (same codes, same fields).
//! Must not import wasm_bindgen/js_sys or any algorithm module; user-facing messages live in engine/errors.ts.
//
// The serde attributes are the only spelling of the codes and field names: serialised, a RimError is the
// contract's EngineError (`{"code": "bad_targets", "variable": 2, "group": null, "reason": "sum"}`).

use std::fmt;

use serde::Serialize;

/// Why a target vector (`bad_targets`) or the shares (`bad_shares`) were refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum VectorReason {
    /// Length differs from the number of categories (labels).
    Length,
    /// A negative entry.
    Negative,
    /// A NaN or infinite entry.
    NotFinite,
    /// |Σ − 1| > 1e-9.
    Sum,
}

/// Which option `bad_option` is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum OptionName {
    /// `tolerance`
    Tolerance,
    /// `maxIterations`
    MaxIterations,
    /// `total`
    Total,
    /// `capMin`
    CapMin,
    /// `capMax`
    CapMax,
    /// `maxDeff` (the advisor's design-effect budget)
    MaxDeff,
    /// `minEfficiency` (the advisor's efficiency budget, in %)
    MinEfficiency,
}

/// contract.ts `EngineError`; rows are 0-based respondent indices.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(
    tag = "code",
    rename_all = "snake_case",
    rename_all_fields = "camelCase"
)]
pub enum RimError {
    /// `n == 0`.
    EmptyProblem,
    /// No raking variables.
    NoVariables,
    /// An array has the wrong length; `field` is e.g. `variables[2].codes`, `baseWeights`, `group.codes`.
    LengthMismatch {
        /// Which array.
        field: String,
        /// Expected length.
        expected: usize,
        /// Actual length.
        actual: usize,
    },
    /// More categories (or group labels) than the code array can index: its largest value marks a missing
    /// answer.
    TooManyCategories {
        /// Variable index, or `None` for the group column.
        variable: Option<usize>,
        /// Categories (or labels) given.
        count: usize,
        /// The most the code array supports (its missing marker).
        max: usize,
    },
    /// A code ≥ categories.length that is not the missing marker.
    CodeOutOfRange {
        /// Variable index.
        variable: usize,
        /// First offending row.
        row: usize,
        /// The code found.
        value: u16,
    },
    /// A group code ≥ labels.length that is not the missing marker.
    GroupCodeOutOfRange {
        /// First offending row.
        row: usize,
        /// The code found.
        value: u16,
    },
    /// A missing answer under the `error` policy.
    MissingValue {
        /// Variable index.
        variable: usize,
        /// First missing row.
        row: usize,
        /// Rows missing on this variable.
        count: usize,
    },
    /// A missing group code.
    MissingGroup {
        /// First missing row.
        row: usize,
        /// Rows with a missing group.
        count: usize,
    },
    /// Targets refused.
    BadTargets {
        /// Variable index.
        variable: usize,
        /// `None` for the variable's own targets, `Some(g)` for `targetsByGroup[g]`.
        group: Option<usize>,
        /// Why.
        reason: VectorReason,
    },
    /// A category with target > 0 and no respondent.
    EmptyCategory {
        /// Variable index.
        variable: usize,
        /// Category index.
        category: usize,
        /// Group, or `None` when ungrouped.
        group: Option<usize>,
    },
    /// A category with target 0 and respondents.
    ZeroTargetWithRespondents {
        /// Variable index.
        variable: usize,
        /// Category index.
        category: usize,
        /// Group, or `None` when ungrouped.
        group: Option<usize>,
        /// Respondents in that category.
        count: usize,
    },
    /// A base weight that is not finite and > 0.
    BadBaseWeight {
        /// First offending row.
        row: usize,
        /// The value found.
        value: f64,
    },
    /// A group with a share > 0 and no respondent.
    EmptyGroup {
        /// Group label index.
        group: usize,
    },
    /// Shares refused.
    BadShares {
        /// Why.
        reason: VectorReason,
    },
    /// An option out of its domain.
    BadOption {
        /// Which option.
        option: OptionName,
        /// The value given.
        value: f64,
    },
    /// Caps the mean weight itself would violate (capMin > 1 or capMax < 1).
    InfeasibleCaps {
        /// The lower cap (0 when absent).
        min: f64,
        /// The upper cap (+∞ when absent).
        max: f64,
    },
    /// The run was cancelled.
    Cancelled,
}

impl fmt::Display for RimError {
    /// A terse developer message; the user-facing wording lives in engine/errors.ts.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{self:?}")
    }
}

impl std::error::Error for RimError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serialises_as_the_contract_engine_error() {
        let cases = [
            (RimError::EmptyProblem, r#"{"code":"empty_problem"}"#),
            (
                RimError::BadTargets {
                    variable: 2,
                    group: None,
                    reason: VectorReason::NotFinite,
                },
                r#"{"code":"bad_targets","variable":2,"group":null,"reason":"not_finite"}"#,
            ),
            (
                RimError::LengthMismatch {
                    field: "variables[1].codes".into(),
                    expected: 5,
                    actual: 4,
                },
                r#"{"code":"length_mismatch","field":"variables[1].codes","expected":5,"actual":4}"#,
            ),
            (
                RimError::BadOption {
                    option: OptionName::MaxIterations,
                    value: 1.5,
                },
                r#"{"code":"bad_option","option":"maxIterations","value":1.5}"#,
            ),
            (
                RimError::InfeasibleCaps {
                    min: 1.5,
                    max: f64::INFINITY,
                },
                r#"{"code":"infeasible_caps","min":1.5,"max":null}"#,
            ),
            (
                RimError::ZeroTargetWithRespondents {
                    variable: 0,
                    category: 3,
                    group: Some(1),
                    count: 7,
                },
                r#"{"code":"zero_target_with_respondents","variable":0,"category":3,"group":1,"count":7}"#,
            ),
            (
                RimError::TooManyCategories {
                    variable: None,
                    count: 300,
                    max: 255,
                },
                r#"{"code":"too_many_categories","variable":null,"count":300,"max":255}"#,
            ),
        ];
        for (error, json) in cases {
            // serde_json writes the non-finite max as null; in wasm, serde-wasm-bindgen keeps it Infinity.
            assert_eq!(serde_json::to_string(&error).unwrap(), json);
        }
    }
}

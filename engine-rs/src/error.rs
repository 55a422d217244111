//! Errors as values with stable codes: RimError mirrors contract.ts `EngineError` (same codes, same fields).
//! Must not import wasm_bindgen/js_sys or any algorithm module; user-facing messages live in engine/errors.ts.

use std::fmt;

/// Why a target vector (`bad_targets`) or the shares (`bad_shares`) were refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
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

impl VectorReason {
    /// The contract.ts spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            VectorReason::Length => "length",
            VectorReason::Negative => "negative",
            VectorReason::NotFinite => "not_finite",
            VectorReason::Sum => "sum",
        }
    }
}

/// Which option `bad_option` is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
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

impl OptionName {
    /// The contract.ts spelling (camelCase).
    pub fn as_str(self) -> &'static str {
        match self {
            OptionName::Tolerance => "tolerance",
            OptionName::MaxIterations => "maxIterations",
            OptionName::Total => "total",
            OptionName::CapMin => "capMin",
            OptionName::CapMax => "capMax",
            OptionName::MaxDeff => "maxDeff",
            OptionName::MinEfficiency => "minEfficiency",
        }
    }
}

/// contract.ts `EngineError`; rows are 0-based respondent indices.
#[derive(Clone, Debug, PartialEq)]
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

impl RimError {
    /// The stable snake_case code, as contract.ts `EngineError["code"]`.
    pub fn code(&self) -> &'static str {
        match self {
            RimError::EmptyProblem => "empty_problem",
            RimError::NoVariables => "no_variables",
            RimError::LengthMismatch { .. } => "length_mismatch",
            RimError::TooManyCategories { .. } => "too_many_categories",
            RimError::CodeOutOfRange { .. } => "code_out_of_range",
            RimError::GroupCodeOutOfRange { .. } => "group_code_out_of_range",
            RimError::MissingValue { .. } => "missing_value",
            RimError::MissingGroup { .. } => "missing_group",
            RimError::BadTargets { .. } => "bad_targets",
            RimError::EmptyCategory { .. } => "empty_category",
            RimError::ZeroTargetWithRespondents { .. } => "zero_target_with_respondents",
            RimError::BadBaseWeight { .. } => "bad_base_weight",
            RimError::EmptyGroup { .. } => "empty_group",
            RimError::BadShares { .. } => "bad_shares",
            RimError::BadOption { .. } => "bad_option",
            RimError::InfeasibleCaps { .. } => "infeasible_caps",
            RimError::Cancelled => "cancelled",
        }
    }
}

impl fmt::Display for RimError {
    /// A terse developer message; the user-facing wording lives in engine/errors.ts.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.code())?;
        match self {
            RimError::LengthMismatch {
                field,
                expected,
                actual,
            } => {
                write!(f, ": {field} has length {actual}, expected {expected}")
            }
            RimError::TooManyCategories {
                variable,
                count,
                max,
            } => write!(f, ": {variable:?} has {count} categories, at most {max}"),
            RimError::CodeOutOfRange {
                variable,
                row,
                value,
            } => {
                write!(f, ": variable {variable}, row {row}, code {value}")
            }
            RimError::GroupCodeOutOfRange { row, value } => write!(f, ": row {row}, code {value}"),
            RimError::MissingValue {
                variable,
                row,
                count,
            } => {
                write!(f, ": variable {variable}, first row {row}, {count} rows")
            }
            RimError::MissingGroup { row, count } => write!(f, ": first row {row}, {count} rows"),
            RimError::BadTargets {
                variable,
                group,
                reason,
            } => {
                write!(
                    f,
                    ": variable {variable}, group {group:?}, {}",
                    reason.as_str()
                )
            }
            RimError::EmptyCategory {
                variable,
                category,
                group,
            } => {
                write!(
                    f,
                    ": variable {variable}, category {category}, group {group:?}"
                )
            }
            RimError::ZeroTargetWithRespondents {
                variable,
                category,
                group,
                count,
            } => write!(
                f,
                ": variable {variable}, category {category}, group {group:?}, {count} respondents"
            ),
            RimError::BadBaseWeight { row, value } => write!(f, ": row {row}, value {value}"),
            RimError::EmptyGroup { group } => write!(f, ": group {group}"),
            RimError::BadShares { reason } => write!(f, ": {}", reason.as_str()),
            RimError::BadOption { option, value } => write!(f, ": {} = {value}", option.as_str()),
            RimError::InfeasibleCaps { min, max } => write!(f, ": min {min}, max {max}"),
            RimError::EmptyProblem | RimError::NoVariables | RimError::Cancelled => Ok(()),
        }
    }
}

impl std::error::Error for RimError {}

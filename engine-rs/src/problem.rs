//! The engine's data types, field for field as engine/contract.ts: Problem, Options, RakeResult and friends.
//! Plain data and constants only; must not import wasm_bindgen, js_sys, rayon or any other engine module.
//! The report types derive serde's Serialize with contract.ts names (camelCase fields, snake_case statuses).

use serde::Serialize;

/// Missing marker for `u8` codes (the largest `u8`), as `MISSING_U8` in contract.ts.
pub const MISSING_U8: u8 = 0xff;
/// Missing marker for `u16` codes (the largest `u16`), as `MISSING_U16` in contract.ts.
pub const MISSING_U16: u16 = 0xffff;
/// Internal normalised missing code: what [`Codes::code`] returns for a missing answer of either width.
pub const MISSING: u16 = u16::MAX;

/// Passes without a 1% improvement over this window mean the raking has stalled.
pub const STALL_WINDOW: usize = 10;
/// Relative improvement required over [`STALL_WINDOW`] passes.
pub const STALL_IMPROVEMENT: f64 = 0.01;
/// Weights within cap ± CAP_SLACK (relative to the mean) count as within the caps.
pub const CAP_SLACK: f64 = 1e-9;
/// Targets (and shares) must sum to 1 within this.
pub const TARGET_SUM_SLACK: f64 = 1e-9;
/// Rounds of clip-and-rescale that `apply_caps` makes at most per pass.
pub const CAP_MAX_ROUNDS: usize = 1000;
/// Most slots in one block's joint table (blocks.rs): 32 KiB of f64, so the table and the block's factor
/// table stay in cache while a sweep scatters into and gathers from them.
pub const JOINT_MAX: usize = 4096;
/// Units per chunk of a sweep's sums (kernels.rs): sums run in unit order within a chunk, then chunk by
/// chunk, whatever the thread count.
pub const SWEEP_CHUNK: usize = 32_768;

/// Codes are indices into `categories` (or `labels`); the largest value of the element type marks a missing answer.
#[derive(Clone, Debug, PartialEq)]
pub enum Codes {
    /// One byte per respondent; [`MISSING_U8`] is missing.
    U8(Vec<u8>),
    /// Two bytes per respondent; [`MISSING_U16`] is missing.
    U16(Vec<u16>),
}

impl Codes {
    /// Number of respondents coded.
    #[inline]
    pub fn len(&self) -> usize {
        match self {
            Codes::U8(c) => c.len(),
            Codes::U16(c) => c.len(),
        }
    }

    /// True when no respondent is coded.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The raw value at `row`, as stored (the missing marker of the element type included).
    #[inline]
    pub fn raw(&self, row: usize) -> u16 {
        match self {
            Codes::U8(c) => u16::from(c[row]),
            Codes::U16(c) => c[row],
        }
    }

    /// The missing marker of the element type (`0xff` or `0xffff`), as `missingCode()` in contract.ts.
    #[inline]
    pub fn missing_code(&self) -> u16 {
        match self {
            Codes::U8(_) => u16::from(MISSING_U8),
            Codes::U16(_) => MISSING_U16,
        }
    }

    /// Calls `f(row, code)` for every row in order, the code normalised as by [`Codes::code`]; the width
    /// is matched once, outside the loop.
    #[inline]
    pub fn for_each_code(&self, mut f: impl FnMut(usize, u16)) {
        match self {
            Codes::U8(c) => {
                for (row, &v) in c.iter().enumerate() {
                    f(
                        row,
                        if v == MISSING_U8 {
                            MISSING
                        } else {
                            u16::from(v)
                        },
                    );
                }
            }
            Codes::U16(c) => {
                for (row, &v) in c.iter().enumerate() {
                    f(row, v);
                }
            }
        }
    }

    /// The code at `row` with a missing answer of either width normalised to [`MISSING`].
    #[inline]
    pub fn code(&self, row: usize) -> u16 {
        match self {
            Codes::U8(c) => {
                let v = c[row];
                if v == MISSING_U8 {
                    MISSING
                } else {
                    u16::from(v)
                }
            }
            Codes::U16(c) => c[row],
        }
    }
}

/// One raking variable.
#[derive(Clone, Debug, PartialEq)]
pub struct Variable {
    /// Display name.
    pub name: String,
    /// Category labels; codes index into this.
    pub categories: Vec<String>,
    /// Length n; index into `categories`, or the missing marker.
    pub codes: Codes,
    /// Proportions over `categories`, each ≥ 0, summing to 1 (±1e-9).
    pub targets: Vec<f64>,
    /// Per-group targets (index = group label index); `None` (or an index past the end) uses `targets`.
    /// Only meaningful when the problem has a group.
    pub targets_by_group: Vec<Option<Vec<f64>>>,
}

/// The grouping variable: each group is raked on its own.
#[derive(Clone, Debug, PartialEq)]
pub struct Group {
    /// Display name.
    pub name: String,
    /// Group labels; codes index into this.
    pub labels: Vec<String>,
    /// Length n; index into `labels`. A missing group code is always an error.
    pub codes: Codes,
    /// Share of the total per label (sum 1). Without shares each group keeps its share of the base weights.
    pub shares: Option<Vec<f64>>,
}

/// A raking problem.
#[derive(Clone, Debug, PartialEq)]
pub struct Problem {
    /// Number of respondents.
    pub n: usize,
    /// Raking variables, raked in this order.
    pub variables: Vec<Variable>,
    /// Finite, > 0; `None` means all 1.
    pub base_weights: Option<Vec<f64>>,
    /// Optional grouping.
    pub group: Option<Group>,
}

impl Problem {
    /// Number of groups raked separately: the group's label count, or 1 when ungrouped.
    pub fn n_groups(&self) -> usize {
        self.group.as_ref().map_or(1, |g| g.labels.len())
    }

    /// Categories of each raking variable, in order (what blocks.rs groups by).
    pub fn category_counts(&self) -> Vec<usize> {
        self.variables.iter().map(|v| v.categories.len()).collect()
    }

    /// Group index of `row` (0 when ungrouped). Valid only after validation.
    #[inline]
    pub fn group_of(&self, row: usize) -> usize {
        self.group
            .as_ref()
            .map_or(0, |g| usize::from(g.codes.raw(row)))
    }

    /// Base weight of `row` (1 when absent).
    #[inline]
    pub fn base(&self, row: usize) -> f64 {
        self.base_weights.as_ref().map_or(1.0, |b| b[row])
    }

    /// The targets variable `variable` uses in group `group`: `targetsByGroup[group]` when the problem is
    /// grouped and that entry is present, else the variable's own targets.
    pub fn targets(&self, variable: usize, group: usize) -> &[f64] {
        let v = &self.variables[variable];
        if self.group.is_none() {
            return &v.targets;
        }
        v.targets_by_group
            .get(group)
            .and_then(|t| t.as_deref())
            .unwrap_or(&v.targets)
    }
}

/// What a missing answer on a raking variable means.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum MissingPolicy {
    /// A missing answer is an error (`missing_value`).
    #[default]
    Error,
    /// A respondent missing on a variable is not adjusted by it; the variable's targets apply to the
    /// respondents with a valid answer.
    Exclude,
}

/// Caps on weight / mean weight of the group.
#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub struct Caps {
    /// Lower cap, 0 ≤ min ≤ 1.
    pub min: Option<f64>,
    /// Upper cap, max ≥ 1.
    pub max: Option<f64>,
}

impl Caps {
    /// True when at least one cap is set.
    pub fn is_set(&self) -> bool {
        self.min.is_some() || self.max.is_some()
    }
}

/// Raking options (contract.ts `Options`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Options {
    /// Max |achieved − target| over all categories, in proportions (default 1e-6).
    pub tolerance: f64,
    /// Maximum number of passes (default 1000). A number as in contract.ts, so that a non-integer is
    /// reported as `bad_option` by validation in the same order as the TS engine does.
    pub max_iterations: f64,
    /// Default [`MissingPolicy::Error`].
    pub missing: MissingPolicy,
    /// Caps; `None` (or both fields `None`) means no caps.
    pub caps: Option<Caps>,
    /// Weights sum to this; default the sum of base weights.
    pub total: Option<f64>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            tolerance: 1e-6,
            max_iterations: 1000.0,
            missing: MissingPolicy::Error,
            caps: None,
            total: None,
        }
    }
}

impl Options {
    /// The caps in force, if any cap is set.
    pub fn active_caps(&self) -> Option<Caps> {
        self.caps.filter(Caps::is_set)
    }
}

/// How a raking run ended. Never call a stall converged.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Max residual ≤ tolerance.
    Converged,
    /// The residual stopped improving by ≥ 1% over [`STALL_WINDOW`] passes.
    Stalled,
    /// `max_iterations` passes made without converging or stalling.
    MaxIterations,
}

/// One row of the per variable × category table. Percentages are 0–100.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CategoryRow {
    /// Variable index.
    pub variable: usize,
    /// Category index.
    pub category: usize,
    /// Group label index, or `None` for the whole sample.
    pub group: Option<usize>,
    /// Respondents with this code.
    pub unweighted_n: usize,
    /// 100·count/valid.
    pub unweighted_pct: f64,
    /// 100·target.
    pub target_pct: f64,
    /// 100·Σw(c)/Σw(valid).
    pub weighted_pct: f64,
    /// weightedPct − targetPct, in percentage points.
    pub diff_pct: f64,
}

/// Weight summary for the whole sample or one group.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WeightSummary {
    /// Group label index, or `None` for the whole sample.
    pub group: Option<usize>,
    /// Respondents.
    pub n: usize,
    /// Σw.
    pub sum_weights: f64,
    /// Σw/n.
    pub mean: f64,
    /// Smallest weight (0 when n = 0).
    pub min: f64,
    /// Largest weight (0 when n = 0).
    pub max: f64,
    /// max / min (0 when min is 0).
    pub ratio: f64,
    /// 100·(Σw)²/(n·Σw²).
    pub efficiency_pct: f64,
    /// Kish: n·Σw²/(Σw)².
    pub deff: f64,
    /// (Σw)²/Σw².
    pub effective_n: f64,
    /// Respondents at the lower cap (0 when no lower cap).
    pub at_cap_min: usize,
    /// Respondents at the upper cap (0 when no upper cap).
    pub at_cap_max: usize,
}

/// How one group's raking ended.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GroupRun {
    /// Group label index (0 for an ungrouped problem).
    pub group: usize,
    /// How it ended.
    pub status: Status,
    /// Passes made.
    pub iterations: usize,
    /// Max residual after the last pass.
    pub max_residual: f64,
}

/// The result of [`crate::rim::rake`]. `backend`, `threads` and `elapsedMs` of contract.ts are added by the caller.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RakeResult {
    /// One weight per respondent. Not in the serialised report: the wasm door hands it over as a
    /// Float64Array.
    #[serde(skip)]
    pub weights: Vec<f64>,
    /// Overall status.
    pub status: Status,
    /// Passes made; for grouped problems the most any group needed.
    pub iterations: usize,
    /// Max residual over groups.
    pub max_residual: f64,
    /// Max residual after each pass (over all groups still iterating or finished).
    pub residual_trace: Vec<f64>,
    /// Per variable × category rows.
    pub categories: Vec<CategoryRow>,
    /// Whole-sample summary.
    pub summary: WeightSummary,
    /// Per-group summaries (empty when ungrouped).
    pub groups: Vec<WeightSummary>,
    /// Per-group runs (empty when ungrouped, like `groups`: the top-level status, iterations and
    /// residual are the one run's).
    pub group_runs: Vec<GroupRun>,
    /// True when the cell-aggregated fast path was used.
    pub cell_path: bool,
    /// Number of cells (distinct group × codes), counted whichever path was used.
    pub cells: usize,
}

//! JSON text in contract.ts shapes for the wasm door: RimError → EngineError, RakeResult → report (no weights),
//! Advice → advice. Plain string building, no dependencies; must not import wasm_bindgen/js_sys, and takes only
//! the result types from the raking modules.
//
// Numbers are written so that JSON.parse gives back the same f64 (Rust's shortest round-trip formatting);
// NaN and ±Infinity, which JSON cannot hold, are written as null.

use std::fmt::Write;

use crate::advise::{Advice, AdvisorRun, Budget, BudgetAdvice};
use crate::error::RimError;
use crate::problem::{CategoryRow, GroupRun, RakeResult, WeightSummary};

/// A JSON object under construction.
struct Obj {
    out: String,
    first: bool,
}

impl Obj {
    fn new() -> Obj {
        Obj {
            out: String::from("{"),
            first: true,
        }
    }

    fn key(&mut self, key: &str) -> &mut String {
        if !self.first {
            self.out.push(',');
        }
        self.first = false;
        push_str(&mut self.out, key);
        self.out.push(':');
        &mut self.out
    }

    fn str(mut self, key: &str, value: &str) -> Obj {
        push_str(self.key(key), value);
        self
    }

    fn num(mut self, key: &str, value: f64) -> Obj {
        push_num(self.key(key), value);
        self
    }

    fn int(mut self, key: &str, value: usize) -> Obj {
        let _ = write!(self.key(key), "{value}");
        self
    }

    fn opt_int(mut self, key: &str, value: Option<usize>) -> Obj {
        match value {
            Some(v) => {
                let _ = write!(self.key(key), "{v}");
            }
            None => self.key(key).push_str("null"),
        }
        self
    }

    fn bool(mut self, key: &str, value: bool) -> Obj {
        self.key(key).push_str(if value { "true" } else { "false" });
        self
    }

    fn raw(mut self, key: &str, json: &str) -> Obj {
        self.key(key).push_str(json);
        self
    }

    fn end(mut self) -> String {
        self.out.push('}');
        self.out
    }
}

/// Appends a JSON string literal.
fn push_str(out: &mut String, s: &str) {
    out.push('"');
    for ch in s.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Appends a JSON number (shortest round-trip form), or null when not finite.
fn push_num(out: &mut String, x: f64) {
    if !x.is_finite() {
        out.push_str("null");
    } else if x == 0.0 || (1e-6..1e21).contains(&x.abs()) {
        let _ = write!(out, "{x}");
    } else {
        let _ = write!(out, "{x:e}");
    }
}

/// A JSON array of the items' JSON.
fn array<T>(items: &[T], f: impl Fn(&T) -> String) -> String {
    let mut out = String::from("[");
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&f(item));
    }
    out.push(']');
    out
}

/// contract.ts `EngineError` as JSON: `{"code": ..., fields}` with the contract's field names; an absent
/// group is `null`; a non-finite number (e.g. an absent upper cap in `infeasible_caps`) is `null`.
pub fn error_json(e: &RimError) -> String {
    let o = Obj::new().str("code", e.code());
    match e {
        RimError::EmptyProblem | RimError::NoVariables | RimError::Cancelled => o,
        RimError::LengthMismatch {
            field,
            expected,
            actual,
        } => o
            .str("field", field)
            .int("expected", *expected)
            .int("actual", *actual),
        RimError::TooManyCategories {
            variable,
            count,
            max,
        } => o
            .opt_int("variable", *variable)
            .int("count", *count)
            .int("max", *max),
        RimError::CodeOutOfRange {
            variable,
            row,
            value,
        } => o
            .int("variable", *variable)
            .int("row", *row)
            .int("value", usize::from(*value)),
        RimError::GroupCodeOutOfRange { row, value } => {
            o.int("row", *row).int("value", usize::from(*value))
        }
        RimError::MissingValue {
            variable,
            row,
            count,
        } => o
            .int("variable", *variable)
            .int("row", *row)
            .int("count", *count),
        RimError::MissingGroup { row, count } => o.int("row", *row).int("count", *count),
        RimError::BadTargets {
            variable,
            group,
            reason,
        } => o
            .int("variable", *variable)
            .opt_int("group", *group)
            .str("reason", reason.as_str()),
        RimError::EmptyCategory {
            variable,
            category,
            group,
        } => o
            .int("variable", *variable)
            .int("category", *category)
            .opt_int("group", *group),
        RimError::ZeroTargetWithRespondents {
            variable,
            category,
            group,
            count,
        } => o
            .int("variable", *variable)
            .int("category", *category)
            .opt_int("group", *group)
            .int("count", *count),
        RimError::BadBaseWeight { row, value } => o.int("row", *row).num("value", *value),
        RimError::EmptyGroup { group } => o.int("group", *group),
        RimError::BadShares { reason } => o.str("reason", reason.as_str()),
        RimError::BadOption { option, value } => {
            o.str("option", option.as_str()).num("value", *value)
        }
        RimError::InfeasibleCaps { min, max } => o.num("min", *min).num("max", *max),
    }
    .end()
}

fn category_json(r: &CategoryRow) -> String {
    Obj::new()
        .int("variable", r.variable)
        .int("category", r.category)
        .opt_int("group", r.group)
        .int("unweightedN", r.unweighted_n)
        .num("unweightedPct", r.unweighted_pct)
        .num("targetPct", r.target_pct)
        .num("weightedPct", r.weighted_pct)
        .num("diffPct", r.diff_pct)
        .end()
}

fn summary_json(s: &WeightSummary) -> String {
    Obj::new()
        .opt_int("group", s.group)
        .int("n", s.n)
        .num("sumWeights", s.sum_weights)
        .num("mean", s.mean)
        .num("min", s.min)
        .num("max", s.max)
        .num("ratio", s.ratio)
        .num("efficiencyPct", s.efficiency_pct)
        .num("deff", s.deff)
        .num("effectiveN", s.effective_n)
        .int("atCapMin", s.at_cap_min)
        .int("atCapMax", s.at_cap_max)
        .end()
}

fn group_run_json(r: &GroupRun) -> String {
    Obj::new()
        .int("group", r.group)
        .str("status", r.status.as_str())
        .int("iterations", r.iterations)
        .num("maxResidual", r.max_residual)
        .end()
}

/// Every RakeResult field but `weights`, with contract.ts names: status, iterations, maxResidual,
/// residualTrace, categories, summary, groups, groupRuns, cellPath, cells.
pub fn report_json(r: &RakeResult) -> String {
    Obj::new()
        .str("status", r.status.as_str())
        .int("iterations", r.iterations)
        .num("maxResidual", r.max_residual)
        .raw(
            "residualTrace",
            &array(&r.residual_trace, |&x| {
                let mut s = String::new();
                push_num(&mut s, x);
                s
            }),
        )
        .raw("categories", &array(&r.categories, category_json))
        .raw("summary", &summary_json(&r.summary))
        .raw("groups", &array(&r.groups, summary_json))
        .raw("groupRuns", &array(&r.group_runs, group_run_json))
        .bool("cellPath", r.cell_path)
        .int("cells", r.cells)
        .end()
}

fn advisor_run_json(r: &AdvisorRun) -> String {
    let cap = r.cap_max.map_or_else(
        || "null".to_string(),
        |c| {
            let mut s = String::new();
            push_num(&mut s, c);
            s
        },
    );
    Obj::new()
        .raw("capMax", &cap)
        .opt_int("dropped", r.dropped)
        .str("status", r.status.as_str())
        .int("iterations", r.iterations)
        .num("maxResidual", r.max_residual)
        .num("efficiencyPct", r.efficiency_pct)
        .num("deff", r.deff)
        .num("effectiveN", r.effective_n)
        .num("minWeight", r.min_weight)
        .num("maxWeight", r.max_weight)
        .num("maxOverMean", r.max_over_mean)
        .end()
}

fn budget_json(b: &BudgetAdvice) -> String {
    let (kind, limit) = match b.budget {
        Budget::MaxDeff(d) => ("maxDeff", d),
        Budget::MinEfficiency(e) => ("minEfficiency", e),
    };
    Obj::new()
        .str("kind", kind)
        .num("limit", limit)
        .str("outcome", b.outcome.as_str())
        .raw(
            "run",
            &b.run
                .as_ref()
                .map_or_else(|| "null".to_string(), advisor_run_json),
        )
        .raw("tried", &array(&b.tried, advisor_run_json))
        .end()
}

/// contract.ts `Advice` less backend, threads and elapsedMs.
pub fn advice_json(a: &Advice) -> String {
    Obj::new()
        .raw("reference", &advisor_run_json(&a.reference))
        .raw("sweep", &array(&a.sweep, advisor_run_json))
        .raw("leaveOneOut", &array(&a.leave_one_out, advisor_run_json))
        .raw(
            "budget",
            &a.budget
                .as_ref()
                .map_or_else(|| "null".to_string(), budget_json),
        )
        .int("runs", a.runs)
        .end()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{OptionName, VectorReason};

    #[test]
    fn errors_use_contract_field_names() {
        assert_eq!(
            error_json(&RimError::EmptyProblem),
            r#"{"code":"empty_problem"}"#
        );
        assert_eq!(
            error_json(&RimError::BadTargets {
                variable: 2,
                group: None,
                reason: VectorReason::NotFinite
            }),
            r#"{"code":"bad_targets","variable":2,"group":null,"reason":"not_finite"}"#
        );
        assert_eq!(
            error_json(&RimError::LengthMismatch {
                field: "variables[1].codes".into(),
                expected: 5,
                actual: 4
            }),
            r#"{"code":"length_mismatch","field":"variables[1].codes","expected":5,"actual":4}"#
        );
        assert_eq!(
            error_json(&RimError::BadOption {
                option: OptionName::MaxIterations,
                value: 1.5
            }),
            r#"{"code":"bad_option","option":"maxIterations","value":1.5}"#
        );
        assert_eq!(
            error_json(&RimError::InfeasibleCaps {
                min: 1.5,
                max: f64::INFINITY
            }),
            r#"{"code":"infeasible_caps","min":1.5,"max":null}"#
        );
        assert_eq!(
            error_json(&RimError::ZeroTargetWithRespondents {
                variable: 0,
                category: 3,
                group: Some(1),
                count: 7
            }),
            r#"{"code":"zero_target_with_respondents","variable":0,"category":3,"group":1,"count":7}"#
        );
    }

    #[test]
    fn report_has_every_contract_field_but_weights() {
        let p =
            crate::testutil::problem(vec![crate::testutil::var_u8(vec![0, 0, 1], vec![0.5, 0.5])]);
        let r = crate::rim::rake(&p, &crate::problem::Options::default()).unwrap();
        let j = report_json(&r);
        assert!(
            j.starts_with(
                r#"{"status":"converged","iterations":1,"maxResidual":0,"residualTrace":[0],"#
            ),
            "{j}"
        );
        assert!(j.contains(
            r#""categories":[{"variable":0,"category":0,"group":null,"unweightedN":2,"unweightedPct":66.66666666666667,"#
        ));
        assert!(j.contains(r#""summary":{"group":null,"n":3,"sumWeights":3,"mean":1,"min":0.75,"max":1.5,"ratio":2,"#));
        assert!(j.contains(r#""atCapMin":0,"atCapMax":0}"#));
        assert!(j.ends_with(
            r#""groups":[],"groupRuns":[{"group":0,"status":"converged","iterations":1,"maxResidual":0}],"cellPath":true,"cells":2}"#
        ));
        assert!(!j.contains("weights\""));
    }

    #[test]
    fn numbers_round_trip() {
        for x in [0.1, 1.0 / 3.0, 1e-300, 123456789.125, 6.02e23, -2.5e-7, 0.0] {
            let mut s = String::new();
            push_num(&mut s, x);
            assert_eq!(s.parse::<f64>().unwrap(), x, "{s}");
        }
        let mut s = String::new();
        push_num(&mut s, f64::NAN);
        assert_eq!(s, "null");
    }

    #[test]
    fn strings_are_escaped() {
        let mut s = String::new();
        push_str(&mut s, "a\"b\\c\n");
        assert_eq!(s, r#""a\"b\\c\u000a""#);
    }
}

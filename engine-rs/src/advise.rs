//! The weighting advisor (docs/ENGINE.md, Advisor): a cap sweep, leave-one-variable-out runs and the loosest
//! cap within a design-effect budget, each a full [`rake`]. The runs of a batch are independent and run with
//! rayon's `par_iter` (in parallel in the threaded build, on the calling thread in the single build); every
//! result is taken in batch order, so the numbers do not depend on the thread count. engine/advise.ts is the
//! same algorithm run in sequence. Pure: must not import wasm_bindgen/js_sys/JsValue.

use rayon::prelude::*;
use serde::ser::{Serialize, SerializeStruct, Serializer};

use crate::error::{OptionName, RimError};
use crate::problem::{Caps, Options, Problem, RakeResult, Status};
use crate::rim::rake;

/// Caps raked per round of the budget search (the first round adds the cap of 1).
pub const BUDGET_POINTS: usize = 8;
/// Rounds of the budget search at most: the bracket narrows by [`BUDGET_POINTS`] each round.
pub const BUDGET_ROUNDS: usize = 4;
/// The search stops once the bracket is this narrow (in multiples of the mean weight).
pub const BUDGET_RESOLUTION: f64 = 1e-3;

/// A design-effect budget.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Budget {
    /// The largest Kish design effect allowed.
    MaxDeff(f64),
    /// The smallest efficiency allowed, in %.
    MinEfficiency(f64),
}

impl Budget {
    fn meets(self, run: &AdvisorRun) -> bool {
        match self {
            Budget::MaxDeff(d) => run.deff <= d,
            Budget::MinEfficiency(e) => run.efficiency_pct >= e,
        }
    }

    /// A budget outside its range, as the option error it is.
    pub fn check(self) -> Result<(), RimError> {
        match self {
            Budget::MaxDeff(d) if !(d.is_finite() && d >= 1.0) => Err(RimError::BadOption {
                option: OptionName::MaxDeff,
                value: d,
            }),
            Budget::MinEfficiency(e) if !(e.is_finite() && e > 0.0 && e <= 100.0) => {
                Err(RimError::BadOption {
                    option: OptionName::MinEfficiency,
                    value: e,
                })
            }
            _ => Ok(()),
        }
    }
}

/// What the advisor tries besides the options as given (contract.ts `AdviseRequest`).
#[derive(Clone, Debug, PartialEq, Default)]
pub struct AdviseRequest {
    /// Upper caps to sweep, in this order.
    pub caps: Vec<f64>,
    /// Find the loosest upper cap within this budget.
    pub budget: Option<Budget>,
}

/// One run to make: an upper cap (`None`: none) and a variable to leave out.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RunSpec {
    /// Upper cap of the run; the lower cap is the options' own.
    pub cap_max: Option<f64>,
    /// Variable index left out.
    pub dropped: Option<usize>,
}

/// One advisor run, summarised (contract.ts `AdvisorRun`).
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AdvisorRun {
    /// The run's upper cap.
    pub cap_max: Option<f64>,
    /// The variable left out.
    pub dropped: Option<usize>,
    /// How the run ended.
    pub status: Status,
    /// Passes made.
    pub iterations: usize,
    /// Max residual after the last pass.
    pub max_residual: f64,
    /// Whole-sample efficiency, %.
    pub efficiency_pct: f64,
    /// Whole-sample Kish design effect.
    pub deff: f64,
    /// Whole-sample effective sample size.
    pub effective_n: f64,
    /// Smallest weight.
    pub min_weight: f64,
    /// Largest weight.
    pub max_weight: f64,
    /// Largest weight over its group's mean weight (the scale of the caps).
    pub max_over_mean: f64,
}

/// How the budget search ended (contract.ts `BudgetAdvice.outcome`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum BudgetOutcome {
    /// The run without an upper cap keeps within the budget.
    Uncapped,
    /// The loosest cap found that keeps within it.
    Cap,
    /// Not even a cap of 1 does.
    None,
}

/// The budget search's answer (contract.ts `BudgetAdvice`).
#[derive(Clone, Debug, PartialEq)]
pub struct BudgetAdvice {
    /// The budget searched for.
    pub budget: Budget,
    /// How it ended.
    pub outcome: BudgetOutcome,
    /// The uncapped run, the loosest cap within the budget, or `None`.
    pub run: Option<AdvisorRun>,
    /// Every cap raked by the search, in order.
    pub tried: Vec<AdvisorRun>,
}

/// contract.ts `BudgetAdvice`: the budget is spelled as its kind and limit.
impl Serialize for BudgetAdvice {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let (kind, limit) = match self.budget {
            Budget::MaxDeff(d) => ("maxDeff", d),
            Budget::MinEfficiency(e) => ("minEfficiency", e),
        };
        let mut s = serializer.serialize_struct("BudgetAdvice", 5)?;
        s.serialize_field("kind", kind)?;
        s.serialize_field("limit", &limit)?;
        s.serialize_field("outcome", &self.outcome)?;
        s.serialize_field("run", &self.run)?;
        s.serialize_field("tried", &self.tried)?;
        s.end()
    }
}

/// The advice (contract.ts `Advice` less backend, threads and elapsedMs).
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Advice {
    /// The options as given.
    pub reference: AdvisorRun,
    /// No upper cap, then each requested cap.
    pub sweep: Vec<AdvisorRun>,
    /// The options as given without each variable (empty for a single variable).
    pub leave_one_out: Vec<AdvisorRun>,
    /// The budget search, when asked for.
    pub budget: Option<BudgetAdvice>,
    /// Rakes made.
    pub runs: usize,
}

/// Advises on `problem` under `options`; `progress(done, total)` is called on the calling thread after each
/// batch (`total` is the most runs the advice can need). Errors: a bad budget, or the first failing run's
/// error in batch order.
pub fn advise(
    problem: &Problem,
    options: &Options,
    request: &AdviseRequest,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Advice, RimError> {
    if let Some(budget) = request.budget {
        budget.check()?;
    }
    let total = planned_runs(problem, options, request);
    let mut done = 0;
    let mut batch = |specs: &[RunSpec]| -> Result<Vec<AdvisorRun>, RimError> {
        let runs = run_batch(problem, options, specs)?;
        done += runs.len();
        progress(done, total);
        Ok(runs)
    };
    let first = batch(&first_batch(problem, options, request))?;
    let own_run = usize::from(given_cap(options).is_some());
    let sweep = first[own_run..own_run + 1 + request.caps.len()].to_vec();
    let leave_one_out = first[own_run + sweep.len()..].to_vec();
    let budget = match request.budget {
        Some(b) => Some(search_budget(b, &sweep[0], &mut batch)?),
        None => None,
    };
    Ok(Advice {
        reference: first[0].clone(),
        sweep,
        leave_one_out,
        budget,
        runs: done,
    })
}

fn given_cap(options: &Options) -> Option<f64> {
    options.active_caps().and_then(|c| c.max)
}

/// The first batch, in this order: the options as given (only when they have an upper cap; otherwise the
/// sweep's uncapped run is the same run), the uncapped run, each requested cap, then each variable left out.
pub fn first_batch(problem: &Problem, options: &Options, request: &AdviseRequest) -> Vec<RunSpec> {
    let given = given_cap(options);
    let mut specs = Vec::new();
    if given.is_some() {
        specs.push(RunSpec {
            cap_max: given,
            dropped: None,
        });
    }
    specs.push(RunSpec {
        cap_max: None,
        dropped: None,
    });
    specs.extend(request.caps.iter().map(|&c| RunSpec {
        cap_max: Some(c),
        dropped: None,
    }));
    if problem.variables.len() > 1 {
        specs.extend((0..problem.variables.len()).map(|v| RunSpec {
            cap_max: given,
            dropped: Some(v),
        }));
    }
    specs
}

/// Runs the advice can need: the first batch and, with a budget, every round of the search.
pub fn planned_runs(problem: &Problem, options: &Options, request: &AdviseRequest) -> usize {
    let search = if request.budget.is_some() {
        1 + BUDGET_POINTS + (BUDGET_ROUNDS - 1) * (BUDGET_POINTS - 1)
    } else {
        0
    };
    first_batch(problem, options, request).len() + search
}

/// The runs of a batch, in parallel, their results in batch order; the first error in batch order wins.
pub fn run_batch(
    problem: &Problem,
    options: &Options,
    specs: &[RunSpec],
) -> Result<Vec<AdvisorRun>, RimError> {
    let results: Vec<Result<AdvisorRun, RimError>> = specs
        .par_iter()
        .map(|spec| advise_run(problem, options, spec))
        .collect();
    results.into_iter().collect()
}

/// One full rake with the spec's upper cap (the options' lower cap kept) and without its dropped variable.
pub fn advise_run(
    problem: &Problem,
    options: &Options,
    spec: &RunSpec,
) -> Result<AdvisorRun, RimError> {
    let caps = Caps {
        min: options.active_caps().and_then(|c| c.min),
        max: spec.cap_max,
    };
    let run_options = Options {
        caps: caps.is_set().then_some(caps),
        ..*options
    };
    let result = match spec.dropped {
        None => rake(problem, &run_options)?,
        Some(v) => rake(&without_variable(problem, v), &run_options)?,
    };
    Ok(run_summary(spec, &result))
}

/// The problem less one variable (the others keep their order).
fn without_variable(problem: &Problem, dropped: usize) -> Problem {
    Problem {
        n: problem.n,
        variables: problem
            .variables
            .iter()
            .enumerate()
            .filter(|&(v, _)| v != dropped)
            .map(|(_, var)| var.clone())
            .collect(),
        base_weights: problem.base_weights.clone(),
        group: problem.group.clone(),
    }
}

fn run_summary(spec: &RunSpec, r: &RakeResult) -> AdvisorRun {
    let s = &r.summary;
    AdvisorRun {
        cap_max: spec.cap_max,
        dropped: spec.dropped,
        status: r.status,
        iterations: r.iterations,
        max_residual: r.max_residual,
        efficiency_pct: s.efficiency_pct,
        deff: s.deff,
        effective_n: s.effective_n,
        min_weight: s.min,
        max_weight: s.max,
        max_over_mean: max_over_mean(r),
    }
}

/// The largest weight over its group's mean weight: the scale of the caps (whole sample when ungrouped).
fn max_over_mean(r: &RakeResult) -> f64 {
    if r.groups.is_empty() {
        return r.summary.max / r.summary.mean;
    }
    let mut most = 0.0;
    for g in &r.groups {
        if g.n > 0 && g.max / g.mean > most {
            most = g.max / g.mean;
        }
    }
    most
}

/// Rakes a batch of runs, results in batch order (and counts them for the progress).
pub type BatchRunner<'a> = dyn FnMut(&[RunSpec]) -> Result<Vec<AdvisorRun>, RimError> + 'a;

/// The loosest cap within the budget: a bracketing search over [1, the uncapped run's largest weight / mean]
/// (a cap there or above would not bind at the end). Each round rakes [`BUDGET_POINTS`] evenly spaced caps
/// of the bracket; the largest within the budget becomes its lower end, the next one raked above it the
/// upper end. A tighter cap gives flatter weights, so the caps within the budget lie below those outside it.
pub fn search_budget(
    budget: Budget,
    uncapped: &AdvisorRun,
    run_batch: &mut BatchRunner<'_>,
) -> Result<BudgetAdvice, RimError> {
    if budget.meets(uncapped) {
        return Ok(BudgetAdvice {
            budget,
            outcome: BudgetOutcome::Uncapped,
            run: Some(uncapped.clone()),
            tried: Vec::new(),
        });
    }
    let mut tried = Vec::new();
    let mut lo = 1.0;
    let mut hi = uncapped.max_over_mean;
    let mut best: Option<AdvisorRun> = None;
    let mut round = 0;
    while round < BUDGET_ROUNDS && hi - lo > BUDGET_RESOLUTION {
        let caps = bracket_caps(lo, hi, round == 0);
        let specs: Vec<RunSpec> = caps
            .iter()
            .map(|&c| RunSpec {
                cap_max: Some(c),
                dropped: None,
            })
            .collect();
        let runs = run_batch(&specs)?;
        match runs.iter().rposition(|r| budget.meets(r)) {
            Some(k) => {
                best = Some(runs[k].clone());
                lo = caps[k];
                if k + 1 < caps.len() {
                    hi = caps[k + 1];
                }
            }
            None if best.is_none() => {
                tried.extend(runs);
                return Ok(BudgetAdvice {
                    budget,
                    outcome: BudgetOutcome::None,
                    run: None,
                    tried,
                });
            }
            None => hi = caps[0],
        }
        tried.extend(runs);
        round += 1;
    }
    Ok(BudgetAdvice {
        budget,
        outcome: BudgetOutcome::Cap,
        run: best,
        tried,
    })
}

/// Caps evenly spaced over [lo, hi): lo itself only in the first round (later it was raked already).
pub fn bracket_caps(lo: f64, hi: f64, first: bool) -> Vec<f64> {
    let start = usize::from(!first);
    (start..BUDGET_POINTS)
        .map(|i| lo + (hi - lo) * i as f64 / BUDGET_POINTS as f64)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::{problem, random_targets, var_u8, Rng};

    /// Six respondents, two variables; the sample is 4:2 on `a` and 3:3 on `b`.
    fn six() -> Problem {
        let mut a = var_u8(vec![0, 0, 0, 0, 1, 1], vec![0.5, 0.5]);
        a.name = "a".into();
        let mut b = var_u8(vec![0, 1, 0, 1, 0, 1], vec![0.3, 0.7]);
        b.name = "b".into();
        problem(vec![a, b])
    }

    fn no_progress() -> impl FnMut(usize, usize) {
        |_, _| {}
    }

    #[test]
    fn sweep_rows_equal_separate_rakes_and_a_tight_cap_stalls() {
        let p = six();
        let o = Options::default();
        let request = AdviseRequest {
            caps: vec![1.2, 3.0],
            budget: None,
        };
        let advice = advise(&p, &o, &request, &mut no_progress()).unwrap();
        assert_eq!(advice.sweep.len(), 3);
        assert_eq!(advice.runs, 3 + 2);
        // Uncapped, a 4:2 sample raked to 1:1 on a: weights 0.75 (×4) and 1.5 (×2) before b moves them.
        let uncapped = rake(&p, &o).unwrap();
        assert_eq!(
            advice.sweep[0].efficiency_pct,
            uncapped.summary.efficiency_pct
        );
        assert_eq!(advice.reference, advice.sweep[0]);
        for (row, cap) in advice.sweep[1..].iter().zip([1.2, 3.0]) {
            let capped = Options {
                caps: Some(Caps {
                    min: None,
                    max: Some(cap),
                }),
                ..o
            };
            let r = rake(&p, &capped).unwrap();
            assert_eq!(row.cap_max, Some(cap));
            assert_eq!(row.efficiency_pct, r.summary.efficiency_pct);
            assert_eq!(row.max_residual, r.max_residual);
            assert_eq!(row.status, r.status);
        }
        // A cap of 1.2 cannot give the two `a = 1` respondents 1.5 each: the targets cannot be met.
        assert_eq!(advice.sweep[1].status, Status::Stalled);
        assert!(advice.sweep[1].max_residual > 1e-3);
        assert_eq!(advice.sweep[2].status, Status::Converged);
    }

    #[test]
    fn leave_one_out_rakes_the_other_variables_only() {
        let p = six();
        let o = Options::default();
        let advice = advise(&p, &o, &AdviseRequest::default(), &mut no_progress()).unwrap();
        assert_eq!(advice.leave_one_out.len(), 2);
        // Without `a`, only b is raked: 3:3 to 0.3:0.7 gives weights 0.6 and 1.4, efficiency 100/(0.5·(0.36+1.96)).
        let without_a = &advice.leave_one_out[0];
        assert_eq!(without_a.dropped, Some(0));
        assert!((without_a.efficiency_pct - 100.0 / 1.16).abs() < 1e-9);
        assert!((without_a.max_weight - 1.4).abs() < 1e-9);
        // Dropping a variable never costs efficiency here: each alone is closer to the sample than both.
        for run in &advice.leave_one_out {
            assert!(run.efficiency_pct >= advice.reference.efficiency_pct - 1e-9);
        }
    }

    #[test]
    fn budget_finds_the_loosest_cap_within_it_or_says_none() {
        let p = six();
        let o = Options::default();
        let uncapped = advise(&p, &o, &AdviseRequest::default(), &mut no_progress()).unwrap();
        // A budget the uncapped run already meets needs no cap.
        let loose = AdviseRequest {
            caps: vec![],
            budget: Some(Budget::MaxDeff(uncapped.reference.deff + 0.01)),
        };
        let a = advise(&p, &o, &loose, &mut no_progress()).unwrap();
        let b = a.budget.unwrap();
        assert_eq!(b.outcome, BudgetOutcome::Uncapped);
        assert!(b.tried.is_empty());
        // A tighter budget: the answer meets it, and every cap tried above it does not.
        let limit = 1.0 + (uncapped.reference.deff - 1.0) / 2.0;
        let tight = AdviseRequest {
            caps: vec![],
            budget: Some(Budget::MaxDeff(limit)),
        };
        let mut calls = Vec::new();
        let a = advise(&p, &o, &tight, &mut |done, total| calls.push((done, total))).unwrap();
        let b = a.budget.unwrap();
        assert_eq!(b.outcome, BudgetOutcome::Cap);
        let run = b.run.unwrap();
        let cap = run.cap_max.unwrap();
        assert!(run.deff <= limit);
        assert!(b
            .tried
            .iter()
            .filter(|r| r.cap_max.unwrap() > cap)
            .all(|r| r.deff > limit));
        assert_eq!(a.runs, 3 + b.tried.len());
        assert_eq!(calls.last().unwrap().0, a.runs);
        assert!(calls.iter().all(|&(d, t)| d <= t));
        // The reported run is the rake with that cap.
        let capped = Options {
            caps: Some(Caps {
                min: None,
                max: Some(cap),
            }),
            ..o
        };
        assert_eq!(run.deff, rake(&p, &capped).unwrap().summary.deff);
    }

    /// 300 respondents, three variables of 2–4 categories, skewed sample, random targets.
    fn generated() -> Problem {
        let mut rng = Rng(11);
        let variables = [2usize, 3, 4]
            .iter()
            .enumerate()
            .map(|(v, &k)| {
                let codes = (0..300)
                    .map(|_| (rng.unit() * rng.unit() * k as f64) as u8)
                    .collect();
                let mut var = var_u8(codes, random_targets(&mut rng, k));
                var.name = format!("v{v}");
                var
            })
            .collect();
        problem(variables)
    }

    #[test]
    fn the_advice_does_not_depend_on_the_thread_count() {
        let p = generated();
        let o = Options::default();
        let request = AdviseRequest {
            caps: vec![1.5, 2.0, 3.0],
            budget: Some(Budget::MinEfficiency(90.0)),
        };
        let on = |threads: usize| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap()
                .install(|| advise(&p, &o, &request, &mut no_progress()))
                .unwrap()
        };
        let one = on(1);
        assert_eq!(one.leave_one_out.len(), 3);
        assert!(one.budget.as_ref().unwrap().tried.len() > 8);
        assert_eq!(one, on(4));
    }

    #[test]
    fn a_budget_out_of_range_is_a_bad_option() {
        let p = six();
        let bad = AdviseRequest {
            caps: vec![],
            budget: Some(Budget::MinEfficiency(0.0)),
        };
        let e = advise(&p, &Options::default(), &bad, &mut no_progress()).unwrap_err();
        assert_eq!(
            e,
            RimError::BadOption {
                option: OptionName::MinEfficiency,
                value: 0.0
            }
        );
        let bad = AdviseRequest {
            caps: vec![],
            budget: Some(Budget::MaxDeff(0.5)),
        };
        assert!(advise(&p, &Options::default(), &bad, &mut no_progress()).is_err());
    }

    #[test]
    fn a_bad_cap_fails_with_the_rake_error() {
        let p = six();
        let request = AdviseRequest {
            caps: vec![2.0, 0.5],
            budget: None,
        };
        let e = advise(&p, &Options::default(), &request, &mut no_progress()).unwrap_err();
        assert!(matches!(e, RimError::InfeasibleCaps { .. }), "{e:?}");
    }
}

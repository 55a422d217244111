//! RIM weighting (raking / iterative proportional fitting): a pure engine on plain slices, plus its
//! WebAssembly door. See docs/ENGINE.md for the algorithm step by step and engine/contract.ts for the types.
// The wasm door and nothing else: module declarations, re-exports, and (wasm32 only) the wasm_bindgen API
// that converts, calls `rim::rake` / `advise::advise` and hands the report, the advice and errors over as JS
// objects (serde). No algorithm here; no other module may import
// wasm_bindgen, js_sys or JsValue.
#![cfg_attr(not(target_arch = "wasm32"), forbid(unsafe_code))]
#![deny(
    missing_docs,
    missing_debug_implementations,
    rust_2018_idioms,
    unused_must_use
)]

pub mod advise;
pub mod blocks;
pub mod caps;
pub mod cells;
pub mod diagnostics;
pub mod error;
pub mod kernels;
pub mod problem;
pub mod rim;
pub mod validate;

#[cfg(test)]
mod testutil;

pub use error::RimError;
pub use problem::{
    Caps, CategoryRow, Codes, Group, GroupRun, MissingPolicy, Options, Problem, RakeResult, Status,
    Variable, WeightSummary,
};
pub use rim::{rake, rake_with, PathChoice};
pub use validate::validate_problem;

#[cfg(target_arch = "wasm32")]
pub use wasm::{thread_count, WasmProblem, WasmResult};

/// Threaded build only: `initThreadPool(n)` for JS, to be awaited inside the engine's Worker.
#[cfg(all(target_arch = "wasm32", feature = "parallel"))]
pub use wasm_bindgen_rayon::init_thread_pool;

#[cfg(target_arch = "wasm32")]
mod wasm {
    use serde::{Deserialize, Serialize};
    use wasm_bindgen::prelude::*;

    use crate::advise::{AdviseRequest, Budget};
    use crate::problem::{Caps, Codes, Group, MissingPolicy, Options, Problem, Variable};

    /// A plain JS object with contract.ts names. JSON-compatible: `None` becomes `null` (not `undefined`),
    /// as the contract's `group: number | null` wants; numbers stay numbers, NaN and ±Infinity included.
    fn to_js<T: Serialize>(value: &T) -> JsValue {
        value
            .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
            .unwrap_or_else(JsValue::from)
    }

    /// Index labels "0", "1", … for categories and group labels (the engine reports indices only).
    fn index_labels(k: usize) -> Vec<String> {
        (0..k).map(|i| i.to_string()).collect()
    }

    /// Builds a Problem from typed arrays, one call per part. Arrays are taken as `Vec`s: wasm-bindgen
    /// copies a typed array into wasm memory once and the Vec owns that copy (a slice would be copied
    /// again by `to_vec`).
    #[wasm_bindgen]
    #[derive(Debug)]
    pub struct WasmProblem {
        problem: Problem,
    }

    #[wasm_bindgen]
    impl WasmProblem {
        /// An empty problem with `n` respondents.
        #[wasm_bindgen(constructor)]
        pub fn new(n: usize) -> WasmProblem {
            WasmProblem {
                problem: Problem {
                    n,
                    variables: Vec::new(),
                    base_weights: None,
                    group: None,
                },
            }
        }

        fn add_variable(&mut self, codes: Codes, n_categories: usize, targets: Vec<f64>) {
            let i = self.problem.variables.len();
            self.problem.variables.push(Variable {
                name: format!("v{i}"),
                categories: index_labels(n_categories),
                codes,
                targets,
                targets_by_group: Vec::new(),
            });
        }

        /// Adds a variable with one-byte codes (255 = missing).
        pub fn add_variable_u8(&mut self, codes: Vec<u8>, n_categories: usize, targets: Vec<f64>) {
            self.add_variable(Codes::U8(codes), n_categories, targets);
        }

        /// Adds a variable with two-byte codes (65535 = missing).
        pub fn add_variable_u16(
            &mut self,
            codes: Vec<u16>,
            n_categories: usize,
            targets: Vec<f64>,
        ) {
            self.add_variable(Codes::U16(codes), n_categories, targets);
        }

        /// Sets `targetsByGroup[group]` of an added variable.
        pub fn set_variable_group_targets(
            &mut self,
            variable: usize,
            group: usize,
            targets: Vec<f64>,
        ) -> Result<(), JsValue> {
            let v = self
                .problem
                .variables
                .get_mut(variable)
                .ok_or_else(|| JsValue::from_str(&format!("no variable {variable}")))?;
            if v.targets_by_group.len() <= group {
                v.targets_by_group.resize(group + 1, None);
            }
            v.targets_by_group[group] = Some(targets);
            Ok(())
        }

        /// Sets the base weights.
        pub fn set_base_weights(&mut self, weights: Vec<f64>) {
            self.problem.base_weights = Some(weights);
        }

        fn set_group(&mut self, codes: Codes, n_labels: usize, shares: Option<Vec<f64>>) {
            self.problem.group = Some(Group {
                name: "group".to_string(),
                labels: index_labels(n_labels),
                codes,
                shares,
            });
        }

        /// Sets the grouping with one-byte codes and optional shares.
        pub fn set_group_u8(&mut self, codes: Vec<u8>, n_labels: usize, shares: Option<Vec<f64>>) {
            self.set_group(Codes::U8(codes), n_labels, shares);
        }

        /// Sets the grouping with two-byte codes and optional shares.
        pub fn set_group_u16(
            &mut self,
            codes: Vec<u16>,
            n_labels: usize,
            shares: Option<Vec<f64>>,
        ) {
            self.set_group(Codes::U16(codes), n_labels, shares);
        }

        /// Rakes. On failure throws the EngineError as a plain object (error.rs).
        pub fn rake(
            &self,
            tolerance: f64,
            max_iterations: f64,
            exclude_missing: bool,
            cap_min: Option<f64>,
            cap_max: Option<f64>,
            total: Option<f64>,
        ) -> Result<WasmResult, JsValue> {
            let options = options_of(
                tolerance,
                max_iterations,
                exclude_missing,
                cap_min,
                cap_max,
                total,
            );
            let problem = &self.problem;
            match on_pool(|| crate::rim::rake(problem, &options)) {
                // RakeResult's Serialize leaves the weights out; they move into the WasmResult.
                Ok(mut r) => Ok(WasmResult {
                    report: to_js(&r),
                    weights: std::mem::take(&mut r.weights),
                }),
                Err(e) => Err(to_js(&e)),
            }
        }

        /// The weighting advisor (advise.rs): `args` is wasm-adapter.ts `WasmAdviseArgs` (the run's options,
        /// the caps to sweep, at most one budget); `progress(done, total)` is called between batches of runs.
        /// Returns contract.ts `Advice` less backend, threads and elapsedMs, as a plain object; on failure
        /// throws the EngineError as a plain object.
        pub fn advise(&self, args: JsValue, progress: &AdviseProgress) -> Result<JsValue, JsValue> {
            let args: AdviseArgs = serde_wasm_bindgen::from_value(args)?;
            let options = options_of(
                args.tolerance,
                args.max_iterations,
                args.exclude_missing,
                args.cap_min,
                args.cap_max,
                args.total,
            );
            let budget = match (args.max_deff, args.min_efficiency) {
                (Some(d), None) => Some(Budget::MaxDeff(d)),
                (None, Some(e)) => Some(Budget::MinEfficiency(e)),
                (None, None) => None,
                (Some(_), Some(_)) => {
                    return Err(JsValue::from_str(
                        "advise takes maxDeff or minEfficiency, not both",
                    ))
                }
            };
            let request = AdviseRequest {
                caps: args.caps,
                budget,
            };
            let mut report = |done: usize, total: usize| {
                progress.call(&JsValue::NULL, done as f64, total as f64);
            };
            crate::advise::advise(&self.problem, &options, &request, &mut report)
                .map(|advice| to_js(&advice))
                .map_err(|e| to_js(&e))
        }
    }

    /// Runs `f` on one of rayon's pool threads (the threaded build; the single build runs it here), so that
    /// each parallel step inside hands half its work to a sibling while doing the rest, instead of waking
    /// the pool from the engine's Worker and waiting for it: in Chromium each such hand-off from outside the
    /// pool costs a wake-up, and a rake has dozens of steps. Only for work that calls no JS (a JS function
    /// belongs to the Worker that made it), so not for `advise` and its progress callback.
    fn on_pool<R: Send>(f: impl FnOnce() -> R + Send) -> R {
        rayon::join(f, || ()).0
    }

    /// wasm-adapter.ts `WasmAdviseArgs`.
    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct AdviseArgs {
        tolerance: f64,
        max_iterations: f64,
        exclude_missing: bool,
        cap_min: Option<f64>,
        cap_max: Option<f64>,
        total: Option<f64>,
        caps: Vec<f64>,
        max_deff: Option<f64>,
        min_efficiency: Option<f64>,
    }

    #[wasm_bindgen]
    extern "C" {
        /// A JS function `(done, total) => void` for the advisor's progress.
        pub type AdviseProgress;
        #[wasm_bindgen(method, js_name = call)]
        fn call(this: &AdviseProgress, this_arg: &JsValue, done: f64, total: f64);
    }

    /// contract.ts Options from the door's plain arguments.
    fn options_of(
        tolerance: f64,
        max_iterations: f64,
        exclude_missing: bool,
        cap_min: Option<f64>,
        cap_max: Option<f64>,
        total: Option<f64>,
    ) -> Options {
        let caps = Caps {
            min: cap_min,
            max: cap_max,
        };
        Options {
            tolerance,
            max_iterations,
            missing: if exclude_missing {
                MissingPolicy::Exclude
            } else {
                MissingPolicy::Error
            },
            caps: caps.is_set().then_some(caps),
            total,
        }
    }

    /// A raking result: the report (every RakeResult field but the weights, a JS object) and the weights.
    #[wasm_bindgen]
    #[derive(Debug)]
    pub struct WasmResult {
        weights: Vec<f64>,
        report: JsValue,
    }

    #[wasm_bindgen]
    impl WasmResult {
        /// status, iterations, maxResidual, residualTrace, categories, summary, groups, groupRuns, cellPath,
        /// cells — contract.ts names.
        pub fn report(&self) -> JsValue {
            self.report.clone()
        }

        /// The weights (a Float64Array in JS), moved out: consumes the result (JS must not use it after).
        pub fn into_weights(self) -> Vec<f64> {
            self.weights
        }
    }

    /// Threads in rayon's pool (1 in the single build).
    #[wasm_bindgen]
    pub fn thread_count() -> usize {
        rayon::current_num_threads()
    }
}

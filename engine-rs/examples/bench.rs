//! Native benchmark of `rim_engine::rake` on a problem written by bench/gen.js (bench/data/s<scale>/<id>/),
//! driven by `npm run bench` (bench/run.js). Prints one JSON object on stdout.
//!
//!   cargo run --release --example bench -- <problem dir> [--repeat N] [--respondents] [--weights out.f64]
//!
//! Threads: rayon's global pool, so `RAYON_NUM_THREADS=1` gives the single-threaded figure.
//! Reports the best and median of N runs of the whole `rake` call (validation, set-up, cells, loop,
//! expansion, diagnostics), the "floor" (one sequential pass reading every code and the weights, the least
//! any exact raking must do; run before each rake, as many times) and the peak resident set (VmHWM).
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Instant;

use rim_engine::cells::build_cells;
use rim_engine::diagnostics::weight_summaries;
use rim_engine::rim::set_up;
use rim_engine::{
    rake, rake_with, validate_problem, Caps, Codes, Group, MissingPolicy, Options, PathChoice,
    Problem, Variable,
};

/// Runs before the timed ones, their times reported as `warmupMs`.
const WARMUP_RUNS: usize = 2;

fn nums(words: &[&str]) -> Vec<f64> {
    words
        .iter()
        .map(|w| w.parse::<f64>().expect("number"))
        .collect()
}

fn load(dir: &Path) -> (Problem, Options) {
    let meta = fs::read_to_string(dir.join("meta.txt")).expect("meta.txt");
    let mut n = 0usize;
    let mut options = Options::default();
    let mut vars: Vec<(String, usize, Vec<f64>)> = Vec::new();
    let mut group: Option<(String, usize, Vec<f64>)> = None;
    let mut group_targets: Vec<(usize, usize, Vec<f64>)> = Vec::new();
    let mut base_file: Option<PathBuf> = None;
    for line in meta.lines() {
        let w: Vec<&str> = line.split_whitespace().collect();
        match w.first().copied() {
            Some("n") => n = w[1].parse().expect("n"),
            Some("tolerance") => options.tolerance = w[1].parse().expect("tolerance"),
            Some("max_iterations") => {
                options.max_iterations = w[1].parse().expect("max_iterations")
            }
            Some("caps") => {
                options.caps = Some(Caps {
                    min: Some(w[1].parse().expect("cap min")),
                    max: Some(w[2].parse().expect("cap max")),
                })
            }
            Some("base") => base_file = Some(dir.join(w[1])),
            Some("variable") => {
                vars.push((w[1].to_string(), w[2].parse().expect("k"), nums(&w[3..])))
            }
            Some("group") => {
                group = Some((
                    w[1].to_string(),
                    w[2].parse().expect("labels"),
                    nums(&w[3..]),
                ))
            }
            Some("group_targets") => group_targets.push((
                w[1].parse().expect("variable"),
                w[2].parse().expect("group"),
                nums(&w[3..]),
            )),
            _ => {}
        }
    }
    options.missing = MissingPolicy::Error;
    let codes = fs::read(dir.join("codes.u8")).expect("codes.u8");
    let mut variables: Vec<Variable> = vars
        .into_iter()
        .enumerate()
        .map(|(v, (name, k, targets))| Variable {
            name,
            categories: (0..k).map(|c| c.to_string()).collect(),
            codes: Codes::U8(codes[v * n..(v + 1) * n].to_vec()),
            targets,
            targets_by_group: Vec::new(),
        })
        .collect();
    let n_vars = variables.len();
    let group = group.map(|(name, labels, shares)| Group {
        name,
        labels: (0..labels).map(|g| g.to_string()).collect(),
        codes: Codes::U8(codes[n_vars * n..(n_vars + 1) * n].to_vec()),
        shares: Some(shares),
    });
    if let Some(g) = &group {
        for (v, gi, t) in group_targets {
            let tbg = &mut variables[v].targets_by_group;
            if tbg.len() < g.labels.len() {
                tbg.resize(g.labels.len(), None);
            }
            tbg[gi] = Some(t);
        }
    }
    let base_weights = base_file.map(|f| {
        fs::read(f)
            .expect("base.f64")
            .chunks_exact(8)
            .map(|b| f64::from_le_bytes(b.try_into().expect("8 bytes")))
            .collect()
    });
    (
        Problem {
            n,
            variables,
            base_weights,
            group,
        },
        options,
    )
}

/// The floor: one sequential pass over every code column and the weights, summing the weights per category
/// (a single gather of every variable). Returns a checksum so that the pass cannot be optimised away.
fn floor_pass(problem: &Problem, w: &[f64], sums: &mut [Vec<f64>]) -> f64 {
    for s in sums.iter_mut() {
        s.iter_mut().for_each(|x| *x = 0.0);
    }
    for (v, var) in problem.variables.iter().enumerate() {
        let s = &mut sums[v];
        if let Codes::U8(codes) = &var.codes {
            for (&c, &wi) in codes.iter().zip(w) {
                s[c as usize] += wi;
            }
        }
    }
    sums.iter().map(|s| s.iter().sum::<f64>()).sum()
}

fn peak_rss_kib() -> Option<u64> {
    let status = fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
}

/// Times as the inside of a JSON array.
fn ms_list(times: &[f64]) -> String {
    times
        .iter()
        .map(|t| format!("{t:.3}"))
        .collect::<Vec<_>>()
        .join(",")
}

fn stats(mut t: Vec<f64>) -> (f64, f64) {
    t.sort_by(f64::total_cmp);
    (t[0], t[t.len() / 2])
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dir = PathBuf::from(
        args.first()
            .expect("usage: bench <problem dir> [--repeat N]"),
    );
    let mut repeat = 3usize;
    let mut path = PathChoice::Auto;
    let mut weights_out: Option<PathBuf> = None;
    let mut i = 1;
    while i < args.len() {
        match args[i].as_str() {
            "--repeat" => {
                repeat = args[i + 1].parse().expect("--repeat N");
                i += 1;
            }
            "--respondents" => path = PathChoice::Respondents,
            "--weights" => {
                weights_out = Some(PathBuf::from(&args[i + 1]));
                i += 1;
            }
            other => panic!("unknown argument {other}"),
        }
        i += 1;
    }
    let t_load = Instant::now();
    let (problem, options) = load(&dir);
    let load_ms = t_load.elapsed().as_secs_f64() * 1e3;
    let rss_loaded = peak_rss_kib();

    // Floor and rake alternate, the same number of times, so that a ratio of their bests compares the same
    // stretches of a shared machine.
    let w: Vec<f64> = problem
        .base_weights
        .clone()
        .unwrap_or_else(|| vec![1.0; problem.n]);
    let mut sums: Vec<Vec<f64>> = problem
        .variables
        .iter()
        .map(|v| vec![0.0; v.categories.len()])
        .collect();
    let mut floor_times = Vec::new();
    let mut checksum = 0.0;
    let mut times = Vec::new();
    let mut warmup_times = Vec::new();
    let mut last = None;
    // Unmeasured runs first, as the wasm rows have (bench/browser/worker.js WARMUP_RUNS).
    for k in 0..WARMUP_RUNS + repeat {
        let t = Instant::now();
        checksum += floor_pass(&problem, &w, &mut sums);
        let floor_ms = t.elapsed().as_secs_f64() * 1e3;
        let t = Instant::now();
        let r = match path {
            PathChoice::Auto => rake(&problem, &options),
            PathChoice::Respondents => rake_with(&problem, &options, path),
        }
        .unwrap_or_else(|e| panic!("rake failed: {e:?}"));
        let ms = t.elapsed().as_secs_f64() * 1e3;
        if k < WARMUP_RUNS {
            warmup_times.push(ms);
        } else {
            floor_times.push(floor_ms);
            times.push(ms);
        }
        last = Some(r);
    }
    drop(w);
    let r = last.expect("at least one run");
    if let Some(out) = weights_out {
        let bytes: Vec<u8> = r.weights.iter().flat_map(|x| x.to_le_bytes()).collect();
        fs::write(out, bytes).expect("write weights");
    }
    // Where the time goes: the stages of `rake` that are public, timed on their own once; the rest
    // (unit table, the iterations, expansion) is the remainder of the median run.
    let t = Instant::now();
    validate_problem(&problem, &options).expect("valid");
    let validate_ms = t.elapsed().as_secs_f64() * 1e3;
    let t = Instant::now();
    let (bounds, _w0) = set_up(&problem, &options);
    let set_up_ms = t.elapsed().as_secs_f64() * 1e3;
    let t = Instant::now();
    let cells = build_cells(&problem);
    let cells_ms = t.elapsed().as_secs_f64() * 1e3;
    drop(cells);
    let t = Instant::now();
    // The category rows come from the last pass's joint tables: a few microseconds, left in the rest.
    let summaries = weight_summaries(&problem, &r.weights, &bounds);
    let diagnostics_ms = t.elapsed().as_secs_f64() * 1e3;
    drop(summaries);
    let (best, median) = stats(times.clone());
    let phases = format!(
        "{{\"validate\":{validate_ms:.3},\"setUp\":{set_up_ms:.3},\"buildCells\":{cells_ms:.3},\
         \"diagnostics\":{diagnostics_ms:.3},\"loopAndRest\":{:.3}}}",
        best - validate_ms - set_up_ms - cells_ms - diagnostics_ms
    );
    let (floor_best, floor_median) = stats(floor_times);
    println!(
        "{{\"backend\":\"native\",\"threads\":{},\"n\":{},\"repeat\":{},\"bestMs\":{:.3},\"medianMs\":{:.3},\
         \"timesMs\":[{}],\"warmupMs\":[{}],\"floorMs\":{:.3},\"floorMedianMs\":{:.3},\"loadMs\":{:.1},\"status\":{},\
         \"iterations\":{},\"maxResidual\":{:e},\"cellPath\":{},\"cells\":{},\"atCapMin\":{},\"atCapMax\":{},\
         \"peakRssKiB\":{},\"loadedRssKiB\":{},\"checksum\":{},\"phasesMs\":{}}}",
        rayon::current_num_threads(),
        problem.n,
        repeat,
        best,
        median,
        ms_list(&times),
        ms_list(&warmup_times),
        floor_best,
        floor_median,
        load_ms,
        serde_json::to_string(&r.status).expect("a status serialises"),
        r.iterations,
        r.max_residual,
        r.cell_path,
        r.cells,
        r.summary.at_cap_min,
        r.summary.at_cap_max,
        peak_rss_kib().map_or("null".to_string(), |v| v.to_string()),
        rss_loaded.map_or("null".to_string(), |v| v.to_string()),
        checksum,
        phases,
    );
}

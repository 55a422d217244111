//! Native side of the parity test (tests/engine/parity-native.test.ts): reads problems written by the test
//! in a plain token format, rakes each natively, and prints the whole result, so the test can compare
//! native Rust with the TS engine field by field.
//!
//! Usage: `cargo run --release --example parity_native -- FILE...`; one line per file:
//! `{"report": <the report, serialised as at the wasm door>, "weights": [...]}` or `{"error": <EngineError>}`
//! (serde_json writes each f64 in its shortest round-trip form, non-finite numbers as null).
use rim_engine::{rake, Caps, Codes, Group, MissingPolicy, Options, Problem, Variable};
use std::{env, fs, process::ExitCode};

struct Tokens<'a>(std::str::SplitWhitespace<'a>);

impl Tokens<'_> {
    fn word(&mut self) -> &str {
        self.0.next().expect("truncated problem file")
    }
    fn usize(&mut self) -> usize {
        self.word().parse().expect("not an integer")
    }
    fn f64(&mut self) -> f64 {
        self.word().parse().expect("not a number")
    }
    fn opt_f64(&mut self) -> Option<f64> {
        match self.word() {
            "-" => None,
            w => Some(w.parse().expect("not a number")),
        }
    }
    /// `LEN x1 … xLEN`: arrays carry their own length, so that a wrong one reaches the engine.
    fn floats(&mut self) -> Vec<f64> {
        let len = self.usize();
        (0..len).map(|_| self.f64()).collect()
    }
    /// `u8|u16 LEN c1 … cLEN`.
    fn codes(&mut self) -> Codes {
        let wide = self.word() == "u16";
        let len = self.usize();
        if wide {
            Codes::U16((0..len).map(|_| self.usize() as u16).collect())
        } else {
            Codes::U8((0..len).map(|_| self.usize() as u8).collect())
        }
    }
}

fn read_problem(text: &str) -> (Problem, Options) {
    let mut t = Tokens(text.split_whitespace());
    let n = t.usize();
    let options = Options {
        tolerance: t.f64(),
        max_iterations: t.f64(),
        missing: if t.usize() == 1 {
            MissingPolicy::Exclude
        } else {
            MissingPolicy::Error
        },
        caps: match (t.opt_f64(), t.opt_f64()) {
            (None, None) => None,
            (min, max) => Some(Caps { min, max }),
        },
        total: t.opt_f64(),
    };
    let mut problem = Problem {
        n,
        variables: Vec::new(),
        base_weights: None,
        group: None,
    };
    loop {
        match t.0.next() {
            None => break,
            Some("var") => {
                let categories = t.usize();
                let codes = t.codes();
                let targets = t.floats();
                problem.variables.push(Variable {
                    name: String::new(),
                    categories: (0..categories).map(|c| c.to_string()).collect(),
                    codes,
                    targets,
                    targets_by_group: Vec::new(),
                });
            }
            Some("bygroup") => {
                let (v, g) = (t.usize(), t.usize());
                let targets = t.floats();
                let slots = &mut problem.variables[v].targets_by_group;
                if slots.len() <= g {
                    slots.resize(g + 1, None);
                }
                slots[g] = Some(targets);
            }
            Some("base") => problem.base_weights = Some(t.floats()),
            Some("group") => {
                let labels = t.usize();
                let codes = t.codes();
                let shares = (t.word() == "shares").then(|| t.floats());
                problem.group = Some(Group {
                    name: String::new(),
                    labels: (0..labels).map(|g| g.to_string()).collect(),
                    codes,
                    shares,
                });
            }
            Some(other) => panic!("unknown section {other}"),
        }
    }
    (problem, options)
}

fn main() -> ExitCode {
    for path in env::args().skip(1) {
        let text = fs::read_to_string(&path).expect("cannot read problem file");
        let (problem, options) = read_problem(&text);
        match rake(&problem, &options) {
            Ok(result) => {
                let report = serde_json::to_string(&result).expect("a report serialises");
                let weights = serde_json::to_string(&result.weights).expect("weights serialise");
                println!("{{\"report\":{report},\"weights\":{weights}}}");
            }
            Err(error) => {
                let error = serde_json::to_string(&error).expect("an error serialises");
                println!("{{\"error\":{error}}}");
            }
        }
    }
    ExitCode::SUCCESS
}

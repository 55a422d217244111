//! Test helpers (compiled only for `cargo test`): problem builders and a small deterministic PRNG.
//! Must not import wasm_bindgen/js_sys.

use crate::problem::{Codes, Group, Problem, Variable};

/// SplitMix64 (Steele, Lea & Flood 2014), enough for reproducible test problems.
pub struct Rng(pub u64);

impl Rng {
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in 0..n.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// Uniform in [lo, hi).
    pub fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }
}

/// A variable with u8 codes, `k` index-named categories and the given targets.
pub fn var_u8(codes: Vec<u8>, targets: Vec<f64>) -> Variable {
    let k = targets.len();
    Variable {
        name: "v".into(),
        categories: (0..k).map(|c| c.to_string()).collect(),
        codes: Codes::U8(codes),
        targets,
        targets_by_group: Vec::new(),
    }
}

/// A group with u8 codes and `k` labels.
pub fn group_u8(codes: Vec<u8>, k: usize, shares: Option<Vec<f64>>) -> Group {
    Group {
        name: "g".into(),
        labels: (0..k).map(|c| c.to_string()).collect(),
        codes: Codes::U8(codes),
        shares,
    }
}

/// An ungrouped problem without base weights.
pub fn problem(variables: Vec<Variable>) -> Problem {
    let n = variables.first().map_or(0, |v| v.codes.len());
    Problem {
        n,
        variables,
        base_weights: None,
        group: None,
    }
}

/// Proportions: random entries in [0.05, 1) normalised.
pub fn random_targets(rng: &mut Rng, k: usize) -> Vec<f64> {
    let raw: Vec<f64> = (0..k).map(|_| rng.range(0.05, 1.0)).collect();
    let s: f64 = raw.iter().sum();
    raw.iter().map(|x| x / s).collect()
}

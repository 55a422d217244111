//! Units of raking (docs/ENGINE.md §3): cells (build_cells, mixed-radix ids) or respondents, and expand.
//! Works on problem.rs types and plain slices; must not import wasm_bindgen/js_sys or rim/caps. Work per row
//! or per unit runs in parallel chunks (rayon) where each output depends on its own row only, so results do
//! not depend on the threads; numbering cells by first appearance stays sequential.

use rayon::prelude::*;

use crate::blocks::Block;
use crate::problem::{Codes, Problem, SWEEP_CHUNK};

/// Keys are ranked through one bit per possible key while the radix product is at most this many times n
/// (16 bytes of bits per row), else numbered through a hash map.
const RANK_BITS_PER_ROW: u64 = 128;
/// Marks a rank not seen yet.
const NO_ID: u32 = u32::MAX;

/// Respondents aggregated by (group, code on every variable, MISSING counted as a code).
#[derive(Clone, Debug, PartialEq)]
pub struct Cells {
    /// Cell of each respondent; cells are numbered in order of first appearance.
    pub cell_of: Vec<u32>,
    /// First member (row) of each cell.
    pub first: Vec<u32>,
    /// Members of each cell.
    pub count: Vec<u32>,
}

impl Cells {
    /// Number of cells.
    pub fn len(&self) -> usize {
        self.first.len()
    }

    /// True when there are no cells (n = 0).
    pub fn is_empty(&self) -> bool {
        self.first.is_empty()
    }
}

/// Keys renumbered 0, 1, … in order of first appearance: each row's id, and each id's first row.
struct Numbering {
    ids: Vec<u32>,
    first: Vec<u32>,
}

/// Renumbers `keys` (each `< radix`) 0, 1, … in order of first appearance.
/// While the radix product allows, the keys are first ranked among the distinct keys ([`rank_by_bits`]) and
/// the ranks numbered by first appearance: both steps look up tables the caches hold (A: 0.6 MB of bits and
/// 1.4 MB of ids), where one id per possible key would take 12.8 MB for A and 260 MB for C. Else a hash map.
fn number_keys<K: CellKey>(keys: Vec<K>, radix: u64) -> Numbering {
    let n = keys.len() as u64;
    let mut first = Vec::new();
    let mut row = 0;
    let ids = if radix <= RANK_BITS_PER_ROW.saturating_mul(n).max(64) {
        let (ranks, distinct) = rank_by_bits(keys, radix);
        let mut table = vec![NO_ID; distinct];
        u32::renumber(ranks, |rank| {
            let slot = &mut table[rank as usize];
            if *slot == NO_ID {
                *slot = first.len() as u32;
                first.push(row);
            }
            row += 1;
            *slot
        })
    } else {
        let mut map = KeyMap::new();
        let mut next = 0;
        K::renumber(keys, |key| {
            let id = map.id_of(key.into(), &mut next);
            if id as usize == first.len() {
                first.push(row);
            }
            row += 1;
            id
        })
    };
    Numbering { ids, first }
}

/// Each key's rank among the distinct keys (increasing key order), and how many there are: one bit per
/// possible key, and per 64-bit word the count of set bits before it.
fn rank_by_bits<K: CellKey>(keys: Vec<K>, radix: u64) -> (Vec<u32>, usize) {
    let mut bits = vec![0u64; radix.div_ceil(64) as usize];
    for &key in &keys {
        let k: u64 = key.into();
        bits[(k >> 6) as usize] |= 1 << (k & 63);
    }
    let mut below = Vec::with_capacity(bits.len());
    let mut distinct = 0u32;
    for &word in &bits {
        below.push(distinct);
        distinct += word.count_ones();
    }
    let ranks = K::renumber(keys, |key| {
        let k: u64 = key.into();
        let w = (k >> 6) as usize;
        below[w] + (bits[w] & ((1u64 << (k & 63)) - 1)).count_ones()
    });
    (ranks, distinct as usize)
}

/// Open-addressing map from u64 keys (never `u64::MAX`) to dense ids, linear probing, a multiplicative
/// mixer, grown at half load. A key and its id share one entry, so a look-up touches one cache line.
struct KeyMap {
    entries: Vec<Entry>,
    shift: u32,
    len: usize,
}

/// One slot of [`KeyMap`].
#[derive(Clone, Copy)]
struct Entry {
    key: u64,
    id: u32,
}

impl KeyMap {
    const EMPTY: Entry = Entry {
        key: u64::MAX,
        id: 0,
    };

    fn new() -> KeyMap {
        KeyMap::with_bits(10)
    }

    fn with_bits(bits: u32) -> KeyMap {
        KeyMap {
            entries: vec![Self::EMPTY; 1 << bits],
            shift: 64 - bits,
            len: 0,
        }
    }

    #[inline]
    fn slot(&self, key: u64) -> usize {
        ((key ^ (key >> 29)).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> self.shift) as usize
    }

    /// The id of `key`, giving it `*next` (and incrementing it) when new.
    #[inline]
    fn id_of(&mut self, key: u64, next: &mut u32) -> u32 {
        let mask = self.entries.len() - 1;
        let mut i = self.slot(key);
        loop {
            let e = self.entries[i];
            if e.key == key {
                return e.id;
            }
            if e.key == Self::EMPTY.key {
                let id = *next;
                *next += 1;
                self.entries[i] = Entry { key, id };
                self.len += 1;
                if 2 * self.len > self.entries.len() {
                    self.grow();
                }
                return id;
            }
            i = (i + 1) & mask;
        }
    }

    fn grow(&mut self) {
        let bits = 64 - self.shift + 1;
        let mut bigger = KeyMap::with_bits(bits);
        let mask = bigger.entries.len() - 1;
        for e in &self.entries {
            if e.key != Self::EMPTY.key {
                let mut i = bigger.slot(e.key);
                while bigger.entries[i].key != Self::EMPTY.key {
                    i = (i + 1) & mask;
                }
                bigger.entries[i] = *e;
            }
        }
        bigger.len = self.len;
        *self = bigger;
    }
}

/// A cell key: a mixed-radix number over (group, each variable's digit). 32 bits when the radix product
/// allows (the multiply-add then vectorises), else 64.
trait CellKey: Copy + Send + Sync + From<u16> + Into<u64> {
    /// `self · radix + digit`.
    fn push(self, radix: u32, digit: u16) -> Self;
    /// Every key replaced by `id(key)`, in place where the widths allow (a 4 MB column less at 1M rows).
    fn renumber(keys: Vec<Self>, id: impl FnMut(Self) -> u32) -> Vec<u32>;
}

impl CellKey for u32 {
    #[inline]
    fn push(self, radix: u32, digit: u16) -> u32 {
        self * radix + u32::from(digit)
    }

    fn renumber(mut keys: Vec<u32>, mut id: impl FnMut(u32) -> u32) -> Vec<u32> {
        for key in &mut keys {
            *key = id(*key);
        }
        keys
    }
}

impl CellKey for u64 {
    #[inline]
    fn push(self, radix: u32, digit: u16) -> u64 {
        self * u64::from(radix) + u64::from(digit)
    }

    fn renumber(keys: Vec<u64>, id: impl FnMut(u64) -> u32) -> Vec<u32> {
        keys.into_iter().map(id).collect()
    }
}

/// Each row's group code (0 when ungrouped): the most significant digit of every key.
fn group_keys<K: CellKey>(problem: &Problem) -> Vec<K> {
    match &problem.group {
        None => vec![K::from(0); problem.n],
        Some(g) => {
            let mut keys = Vec::with_capacity(problem.n);
            g.codes.for_each_code(|_, c| keys.push(K::from(c)));
            keys
        }
    }
}

/// Appends the digits of `vars` to every row's key, in parallel chunks of rows. The caller has checked that
/// the radix product fits `K`.
fn push_digits<K: CellKey>(keys: &mut [K], vars: &[crate::problem::Variable]) {
    keys.par_chunks_mut(SWEEP_CHUNK)
        .enumerate()
        .for_each(|(i, kc)| {
            let rows = i * SWEEP_CHUNK..i * SWEEP_CHUNK + kc.len();
            for v in vars {
                // Codes are valid: below k, or the missing marker, which is above k; so min(code, k) is the
                // digit, and the loop has no branch. k + 1 ≤ 2^16 (validation's indexable check).
                let k = v.categories.len() as u16;
                let r = u32::from(k) + 1;
                match &v.codes {
                    Codes::U8(c) => {
                        for (key, &x) in kc.iter_mut().zip(&c[rows.clone()]) {
                            *key = key.push(r, u16::from(x).min(k));
                        }
                    }
                    Codes::U16(c) => {
                        for (key, &x) in kc.iter_mut().zip(&c[rows.clone()]) {
                            *key = key.push(r, x.min(k));
                        }
                    }
                }
            }
        });
}

/// Aggregates respondents into cells: mixed-radix id over (group, each variable's code with MISSING as
/// code `categories.len()`), numbered in order of first appearance. When the radix product would overflow
/// u64 the ids so far are renumbered densely first (first-appearance order is kept by every renumbering).
/// The problem must be valid.
pub fn build_cells(problem: &Problem) -> Cells {
    let vars = &problem.variables;
    let full = vars.iter().try_fold(problem.n_groups() as u64, |r, v| {
        r.checked_mul(v.categories.len() as u64 + 1)
    });
    let Numbering { ids, first } = match full {
        Some(radix) if radix <= 1 << 32 => {
            let mut keys = group_keys::<u32>(problem);
            push_digits(&mut keys, vars);
            number_keys(keys, radix)
        }
        _ => staged_numbering(problem),
    };
    // Apart from the numbering: an increment there would wait on the look-up of its row's id.
    let mut count = vec![0u32; first.len()];
    for &id in &ids {
        count[id as usize] += 1;
    }
    Cells {
        cell_of: ids,
        first,
        count,
    }
}

/// [`build_cells`]' numbering on u64 keys, in stages: the variables whose radices still fit on top of the
/// ids so far, then a dense renumbering when the next would overflow.
fn staged_numbering(problem: &Problem) -> Numbering {
    let vars = &problem.variables;
    let mut radix = problem.n_groups() as u64;
    let mut keys = group_keys::<u64>(problem);
    let mut v0 = 0;
    while v0 < vars.len() {
        let mut v1 = v0;
        let mut stage_radix = radix;
        while v1 < vars.len() {
            match stage_radix.checked_mul(vars[v1].categories.len() as u64 + 1) {
                Some(r) => stage_radix = r,
                None => break,
            }
            v1 += 1;
        }
        if v1 == v0 {
            let numbering = number_keys(keys, radix);
            radix = numbering.first.len() as u64;
            keys = numbering.ids.into_iter().map(u64::from).collect();
            continue;
        }
        push_digits(&mut keys, &vars[v0..v1]);
        radix = stage_radix;
        v0 = v1;
    }
    number_keys(keys, radix)
}

/// True when every member's base weight equals its cell's first member's (exact comparison).
pub fn base_constant_within_cells(problem: &Problem, cells: &Cells) -> bool {
    match &problem.base_weights {
        None => true,
        Some(b) => cells
            .cell_of
            .iter()
            .enumerate()
            .all(|(row, &c)| b[row] == b[cells.first[c as usize] as usize]),
    }
}

/// The initial weights `w0_i` (docs/ENGINE.md §2, rim.rs `set_up`).
#[derive(Clone, Debug, PartialEq)]
pub enum InitialWeights {
    /// Without base weights every member of group g starts at `1 · T_g / n_g`: one value per group, not a
    /// column of n.
    PerGroup(Vec<f64>),
    /// `base_i · T_g / Σ_{i∈g} base_i` per respondent.
    PerRow(Vec<f64>),
}

impl InitialWeights {
    /// `w0` of `row` (its group looked up only when the weights are per group).
    #[inline]
    pub fn of(&self, problem: &Problem, row: usize) -> f64 {
        match self {
            InitialWeights::PerGroup(w) => w[problem.group_of(row)],
            InitialWeights::PerRow(w) => w[row],
        }
    }

    /// `w0` of `row`, which is in group `g`.
    #[inline]
    pub fn at(&self, g: usize, row: usize) -> f64 {
        match self {
            InitialWeights::PerGroup(w) => w[g],
            InitialWeights::PerRow(w) => w[row],
        }
    }
}

/// What a unit is, and so how its weight expands to respondents.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnitKind {
    /// Each respondent is a unit, `m_u = 1`; `w_i = w_u`.
    Respondents,
    /// Cells whose members share one initial weight: `m_u` = member count, `w_u` = that weight; `w_i = w_u`.
    WeightCells,
    /// Cells (no caps) whose members' base weights differ: `m_u = Σ_{i∈u} w0_i` (respondent order),
    /// `w_u` starts at 1 and is the cell's factor; `w_i = w0_i · w_u`.
    FactorCells,
}

/// One group's units: flat, block-major slots, masses and weights.
#[derive(Clone, Debug, PartialEq)]
pub struct Units {
    /// Number of units.
    pub len: usize,
    /// `slots[b * len + u]`: unit u's slot in block b's joint table (blocks.rs), its codes on the block's
    /// variables as digits, a missing answer as the digit `k`.
    pub slots: Vec<u16>,
    /// `m_u`; `None` means 1 for every unit (the respondent path).
    pub mass: Option<Vec<f64>>,
    /// `w_u`, raked in place.
    pub weights: Vec<f64>,
}

/// Every group's units, and where each respondent sits.
#[derive(Clone, Debug, PartialEq)]
pub struct UnitTable {
    /// How units expand.
    pub kind: UnitKind,
    /// Units per group label (one entry when ungrouped).
    pub groups: Vec<Units>,
    /// Index of each respondent's unit within its group.
    pub unit_of: Vec<u32>,
}

/// Fills every unit's slots, one per block: unit u of group g takes its codes from row `rows[g][u]`.
/// Parallel over chunks of units (each slot depends on its own row only).
fn fill_slots(problem: &Problem, blocks: &[Block], groups: &mut [Units], rows: &[Vec<u32>]) {
    for (units, rows) in groups.iter_mut().zip(rows) {
        let len = units.len;
        for (b, block) in blocks.iter().enumerate() {
            let vars = &problem.variables[block.vars.clone()];
            units.slots[b * len..(b + 1) * len]
                .par_chunks_mut(SWEEP_CHUNK)
                .zip(rows.par_chunks(SWEEP_CHUNK))
                .for_each(|(out, rows)| {
                    for (var, &stride) in vars.iter().zip(&block.strides) {
                        // Slots stay below the block's size: at most JOINT_MAX, or one variable's k + 1 ≤ 2^16.
                        // Valid codes are below k or the missing marker above it: min(code, k) is the digit.
                        let k = var.categories.len() as u16;
                        let stride = stride as u16;
                        match &var.codes {
                            Codes::U8(c) => {
                                for (s, &row) in out.iter_mut().zip(rows) {
                                    *s += u16::from(c[row as usize]).min(k) * stride;
                                }
                            }
                            Codes::U16(c) => {
                                for (s, &row) in out.iter_mut().zip(rows) {
                                    *s += c[row as usize].min(k) * stride;
                                }
                            }
                        }
                    }
                });
        }
    }
}

/// Allocates one Units per group with `sizes[g]` units and `n_blocks` slot rows.
fn alloc_units(sizes: &[usize], n_blocks: usize, with_mass: bool) -> Vec<Units> {
    sizes
        .iter()
        .map(|&len| Units {
            len,
            slots: vec![0; len * n_blocks],
            mass: with_mass.then(|| vec![0.0; len]),
            weights: vec![0.0; len],
        })
        .collect()
}

/// Respondent path: each respondent is a unit of its group, in respondent order, starting at `w0`.
pub fn respondent_units(problem: &Problem, blocks: &[Block], w0: &InitialWeights) -> UnitTable {
    let mut sizes = vec![0usize; problem.n_groups()];
    let mut unit_of = Vec::with_capacity(problem.n);
    for row in 0..problem.n {
        let g = problem.group_of(row);
        unit_of.push(sizes[g] as u32);
        sizes[g] += 1;
    }
    let mut groups = alloc_units(&sizes, blocks.len(), false);
    let mut rows: Vec<Vec<u32>> = sizes.iter().map(|&s| Vec::with_capacity(s)).collect();
    for (row, &u) in unit_of.iter().enumerate() {
        let g = problem.group_of(row);
        groups[g].weights[u as usize] = w0.of(problem, row);
        rows[g].push(row as u32);
    }
    fill_slots(problem, blocks, &mut groups, &rows);
    UnitTable {
        kind: UnitKind::Respondents,
        groups,
        unit_of,
    }
}

/// Cell path: each cell is a unit of its group, in cell order. `kind` is WeightCells or FactorCells.
/// Takes the cells: ungrouped, a respondent's unit is its cell, and `cell_of` becomes `unit_of`.
pub fn cell_units(
    problem: &Problem,
    blocks: &[Block],
    cells: Cells,
    w0: &InitialWeights,
    kind: UnitKind,
) -> UnitTable {
    let mut sizes = vec![0usize; problem.n_groups()];
    let mut local = Vec::with_capacity(cells.len());
    let mut group_of_cell = Vec::with_capacity(cells.len());
    for &first in &cells.first {
        let g = problem.group_of(first as usize);
        local.push(sizes[g] as u32);
        group_of_cell.push(g as u32);
        sizes[g] += 1;
    }
    let mut groups = alloc_units(&sizes, blocks.len(), true);
    let mut rows: Vec<Vec<u32>> = sizes.iter().map(|&s| Vec::with_capacity(s)).collect();
    for (c, (&first, &g)) in cells.first.iter().zip(&group_of_cell).enumerate() {
        let g = g as usize;
        rows[g].push(first);
        let units = &mut groups[g];
        let u = local[c] as usize;
        match kind {
            UnitKind::FactorCells => units.weights[u] = 1.0,
            _ => {
                units.weights[u] = w0.at(g, first as usize);
                if let Some(m) = units.mass.as_mut() {
                    m[u] = f64::from(cells.count[c]);
                }
            }
        }
    }
    if kind == UnitKind::FactorCells {
        for (row, &c) in cells.cell_of.iter().enumerate() {
            let g = problem.group_of(row);
            if let Some(m) = groups[g].mass.as_mut() {
                m[local[c as usize] as usize] += w0.at(g, row);
            }
        }
    }
    fill_slots(problem, blocks, &mut groups, &rows);
    let unit_of = if problem.group.is_none() {
        cells.cell_of
    } else {
        cells
            .cell_of
            .par_iter()
            .map(|&c| local[c as usize])
            .collect()
    };
    UnitTable {
        kind,
        groups,
        unit_of,
    }
}

/// Respondent weights from raked units: `w_i = w_{unit(i)}`, or `w0_i · w_{unit(i)}` for factor cells.
/// Parallel over chunks of rows.
pub fn expand(problem: &Problem, table: &UnitTable, w0: &InitialWeights) -> Vec<f64> {
    let mut out = vec![0.0; problem.n];
    out.par_chunks_mut(SWEEP_CHUNK)
        .enumerate()
        .for_each(|(i, oc)| {
            let lo = i * SWEEP_CHUNK;
            let units = &table.unit_of[lo..lo + oc.len()];
            match &problem.group {
                None => {
                    let w = &table.groups[0].weights;
                    for (x, &u) in oc.iter_mut().zip(units) {
                        *x = w[u as usize];
                    }
                }
                Some(group) => {
                    for (j, (x, &u)) in oc.iter_mut().zip(units).enumerate() {
                        let g = usize::from(group.codes.raw(lo + j));
                        *x = table.groups[g].weights[u as usize];
                    }
                }
            }
            if table.kind == UnitKind::FactorCells {
                for (j, x) in oc.iter_mut().enumerate() {
                    *x *= w0.of(problem, lo + j);
                }
            }
        });
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::blocks::blocks_of;
    use crate::problem::{Codes, Group, Variable};
    use std::collections::HashMap;

    fn var(codes: Vec<u8>, k: usize) -> Variable {
        Variable {
            name: "v".into(),
            categories: (0..k).map(|c| c.to_string()).collect(),
            codes: Codes::U8(codes),
            targets: vec![1.0 / k as f64; k],
            targets_by_group: vec![],
        }
    }

    #[test]
    fn cells_in_first_appearance_order_with_missing_as_a_code() {
        let p = Problem {
            n: 6,
            variables: vec![
                var(vec![1, 0, 1, 255, 0, 255], 2),
                var(vec![0, 0, 0, 1, 0, 1], 2),
            ],
            base_weights: None,
            group: None,
        };
        let c = build_cells(&p);
        assert_eq!(c.cell_of, vec![0, 1, 0, 2, 1, 2]);
        assert_eq!(c.first, vec![0, 1, 3]);
        assert_eq!(c.count, vec![2, 2, 2]);
    }

    #[test]
    fn group_is_part_of_the_cell() {
        let p = Problem {
            n: 4,
            variables: vec![var(vec![0, 0, 0, 0], 1)],
            base_weights: None,
            group: Some(Group {
                name: "g".into(),
                labels: vec!["a".into(), "b".into()],
                codes: Codes::U8(vec![1, 0, 1, 0]),
                shares: None,
            }),
        };
        let c = build_cells(&p);
        assert_eq!(c.cell_of, vec![0, 1, 0, 1]);
        let w0 = InitialWeights::PerGroup(vec![1.0; 2]);
        let t = cell_units(&p, &blocks_of(&[1]), c, &w0, UnitKind::WeightCells);
        assert_eq!(t.groups[0].len, 1);
        assert_eq!(t.groups[1].len, 1);
        assert_eq!(t.unit_of, vec![0, 0, 0, 0]);
    }

    #[test]
    fn every_numbering_path_numbers_by_first_appearance() {
        // Variables of 200 categories on 50 rows: 1 → radix 201 ≤ 128·n, ranked by bits; 3 → 201^3, 32-bit
        // keys in the hash map; 10 → 201^10 overflows u64: 64-bit keys, staged renumbering, hash map.
        let n = 50;
        for vars in [1, 3, 10] {
            let vars: Vec<Variable> = (0..vars)
                .map(|v| var((0..n).map(|i| ((i * (v + 3)) % 7) as u8).collect(), 200))
                .collect();
            let p = Problem {
                n,
                variables: vars.clone(),
                base_weights: None,
                group: None,
            };
            let c = build_cells(&p);
            let mut seen = HashMap::new();
            let mut count = Vec::new();
            for row in 0..n {
                let key: Vec<u16> = vars.iter().map(|v| v.codes.code(row)).collect();
                let next = seen.len() as u32;
                let id = *seen.entry(key).or_insert(next);
                assert_eq!(c.cell_of[row], id);
                if id == next {
                    assert_eq!(c.first[id as usize], row as u32);
                    count.push(0);
                }
                count[id as usize] += 1;
            }
            assert_eq!(c.count, count);
        }
    }

    #[test]
    fn base_constancy_is_exact() {
        let mut p = Problem {
            n: 3,
            variables: vec![var(vec![0, 0, 1], 2)],
            base_weights: Some(vec![2.0, 2.0, 5.0]),
            group: None,
        };
        let c = build_cells(&p);
        assert!(base_constant_within_cells(&p, &c));
        p.base_weights = Some(vec![2.0, 2.0 + 1e-15, 5.0]);
        assert!(!base_constant_within_cells(&p, &c));
    }

    #[test]
    fn factor_cells_carry_mass_and_expand_by_initial_weight() {
        let p = Problem {
            n: 3,
            variables: vec![var(vec![0, 0, 1], 2)],
            base_weights: Some(vec![1.0, 3.0, 2.0]),
            group: None,
        };
        let c = build_cells(&p);
        let w0 = InitialWeights::PerRow(vec![1.0, 3.0, 2.0]);
        let mut t = cell_units(&p, &blocks_of(&[2]), c, &w0, UnitKind::FactorCells);
        assert_eq!(t.groups[0].mass.as_deref(), Some(&[4.0, 2.0][..]));
        t.groups[0].weights = vec![0.5, 2.0];
        assert_eq!(expand(&p, &t, &w0), vec![0.5, 1.5, 4.0]);
    }
}

//! Units of raking (docs/ENGINE.md §3): cells (build_cells, mixed-radix ids) or respondents, and expand.
//! Works on problem.rs types and plain slices; must not import wasm_bindgen/js_sys or rim/caps. Work per row
//! or per unit runs in parallel chunks (rayon) where each output depends on its own row only, so results do
//! not depend on the threads; numbering cells by first appearance stays sequential.

use rayon::prelude::*;

use crate::blocks::Block;
use crate::problem::{Codes, Group, Problem, SWEEP_CHUNK};

/// Keys are ranked through one bit per possible key while the radix product is at most this many times n
/// (16 bytes of bits per row), else numbered through a hash map.
const RANK_BITS_PER_ROW: u64 = 128;
/// Marks a rank not seen yet.
const NO_ID: u32 = u32::MAX;

/// Respondents aggregated by (group, code on every variable, MISSING counted as a code).
#[derive(Clone, Debug, PartialEq)]
pub struct Cells {
    /// Each respondent's cell within its group: a group's cells are numbered 0, 1, … in order of first
    /// appearance.
    pub cell_of: Vec<u32>,
    /// Group g's cells are entries `offsets[g]..offsets[g + 1]` of the lists below (group-major: one list per
    /// field, not per group, so that filling them is a few streams of writes).
    pub offsets: Vec<usize>,
    /// First member (row) of each cell.
    pub first: Vec<u32>,
    /// Members of each cell.
    pub count: Vec<u32>,
    /// Each cell's key: its variables' digits as one mixed-radix number, the first variable most significant.
    /// Empty unless the radix product (group included) fits 32 bits: wider keys are not kept.
    pub keys: Vec<u32>,
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

    /// Group g's cells: entries of `first`, `count` and `keys`.
    pub fn of_group(&self, g: usize) -> std::ops::Range<usize> {
        self.offsets[g]..self.offsets[g + 1]
    }
}

/// Keys renumbered 0, 1, … in order of first appearance: each row's id, and each id's first row and key.
struct Numbering<K> {
    ids: Vec<u32>,
    first: Vec<u32>,
    keys: Vec<K>,
}

/// Renumbers `keys` (each `< radix`) 0, 1, … in order of first appearance.
/// While the radix product allows, the keys are first ranked among the distinct keys ([`rank_by_bits`]) and
/// the ranks numbered by first appearance: both steps look up tables the caches hold (A: 0.6 MB of bits and
/// 1.4 MB of ids), where one id per possible key would take 12.8 MB for A and 260 MB for C. Else a hash map.
fn number_keys<K: CellKey>(keys: &[K], radix: u64) -> Numbering<K> {
    let n = keys.len() as u64;
    let mut first = Vec::new();
    let mut kept = Vec::new();
    let mut row = 0;
    let ids = if radix <= RANK_BITS_PER_ROW.saturating_mul(n).max(64) {
        let (mut ranks, distinct) = rank_by_bits(keys, radix);
        let mut table = vec![NO_ID; distinct];
        first.reserve_exact(distinct);
        kept.reserve_exact(distinct);
        // The ranks beside the keys: a new cell's key is read in order, not looked up by its rank.
        for (slot_of_row, &key) in ranks.iter_mut().zip(keys) {
            let slot = &mut table[*slot_of_row as usize];
            if *slot == NO_ID {
                *slot = first.len() as u32;
                first.push(row);
                kept.push(key);
            }
            row += 1;
            *slot_of_row = *slot;
        }
        ranks
    } else {
        let mut map = KeyMap::new();
        let mut next = 0;
        keys.iter()
            .map(|&key| {
                let id = map.id_of(key.into(), &mut next);
                if id as usize == first.len() {
                    first.push(row);
                    kept.push(key);
                }
                row += 1;
                id
            })
            .collect()
    };
    Numbering {
        ids,
        first,
        keys: kept,
    }
}

/// Each key's rank among the distinct keys (increasing key order), and how many there are: one bit per
/// possible key, and per 64-bit word the count of set bits before it.
fn rank_by_bits<K: CellKey>(keys: &[K], radix: u64) -> (Vec<u32>, usize) {
    let mut bits = vec![0u64; radix.div_ceil(64) as usize];
    for &key in keys {
        let k: u64 = key.into();
        bits[(k >> 6) as usize] |= 1 << (k & 63);
    }
    let mut below = Vec::with_capacity(bits.len());
    let mut distinct = 0u32;
    for &word in &bits {
        below.push(distinct);
        distinct += word.count_ones();
    }
    let ranks = keys
        .par_iter()
        .map(|&key| {
            let k: u64 = key.into();
            let w = (k >> 6) as usize;
            below[w] + (bits[w] & ((1u64 << (k & 63)) - 1)).count_ones()
        })
        .collect();
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
trait CellKey: Copy + Send + Sync + Into<u64> {
    /// `self · radix + digit`.
    fn push(self, radix: u32, digit: u16) -> Self;
}

impl CellKey for u32 {
    #[inline]
    fn push(self, radix: u32, digit: u16) -> u32 {
        self * radix + u32::from(digit)
    }
}

impl CellKey for u64 {
    #[inline]
    fn push(self, radix: u32, digit: u16) -> u64 {
        self * u64::from(radix) + u64::from(digit)
    }
}

/// Each row's group code (0 when ungrouped) as a 64-bit key: the most significant digit of every key.
fn group_keys(problem: &Problem) -> Vec<u64> {
    match &problem.group {
        None => vec![0; problem.n],
        Some(g) => group_codes(problem, g).into_iter().map(u64::from).collect(),
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

/// Aggregates respondents into cells: mixed-radix key over (group, each variable's code with MISSING as
/// code `categories.len()`), a group's cells numbered in order of first appearance. Keys within 32 bits are
/// ranked and numbered group by group ([`cells_by_group`]) and kept; wider ones go through [`wide_cells`].
/// The problem must be valid.
pub fn build_cells(problem: &Problem) -> Cells {
    let full = problem
        .variables
        .iter()
        .try_fold(problem.n_groups() as u64, |r, v| {
            r.checked_mul(v.categories.len() as u64 + 1)
        });
    match (full, &problem.group) {
        (Some(radix), Some(group)) if radix <= 1 << 32 => {
            cells_by_group(problem, group, radix / problem.n_groups() as u64)
        }
        (Some(radix), None) if radix <= 1 << 32 => {
            let mut keys = vec![0u32; problem.n];
            push_digits(&mut keys, &problem.variables);
            let Numbering { ids, first, keys } = number_keys(&keys, radix);
            Cells {
                count: count_members(&ids, first.len()),
                cell_of: ids,
                offsets: vec![0, first.len()],
                first,
                keys,
            }
        }
        _ => wide_cells(problem),
    }
}

/// Members of each of `cells` ids. Apart from the numbering: an increment there would wait on the look-up
/// of its row's id.
fn count_members(ids: &[u32], cells: usize) -> Vec<u32> {
    let mut count = vec![0u32; cells];
    for &id in ids {
        count[id as usize] += 1;
    }
    count
}

/// [`build_cells`] past 32-bit keys: numbered over the whole sample ([`staged_numbering`]), then laid out
/// group by group; no key is kept (slots then come from the codes).
fn wide_cells(problem: &Problem) -> Cells {
    let Numbering { mut ids, first, .. } = staged_numbering(problem);
    let count = count_members(&ids, first.len());
    let Some(group) = &problem.group else {
        return Cells {
            cell_of: ids,
            offsets: vec![0, first.len()],
            first,
            count,
            keys: Vec::new(),
        };
    };
    // Each group takes its cells in order, and a row's id becomes its cell's index within its group.
    let group_of_cell: Vec<u16> = first
        .par_iter()
        .map(|&r| group.codes.raw(r as usize))
        .collect();
    let places = GroupMajor::of(&group_of_cell, problem.n_groups());
    let first = places.sorted(|c| first[c]);
    let count = places.sorted(|c| count[c]);
    let GroupMajor { offsets, local, .. } = places;
    ids.par_iter_mut().for_each(|id| *id = local[*id as usize]);
    Cells {
        cell_of: ids,
        offsets,
        first,
        count,
        keys: Vec::new(),
    }
}

/// [`build_cells`] for a grouped problem whose keys fit 32 bits: the rows sorted by group (stably), then each
/// group's keys (its variables' digits; `radix` is their product) numbered on their own, the groups in
/// parallel. A group's rank and id tables are a fraction of the whole sample's, so the caches hold them.
fn cells_by_group(problem: &Problem, group: &Group, radix: u64) -> Cells {
    let n_groups = problem.n_groups();
    let codes = group_codes(problem, group);
    let places = GroupMajor::of(&codes, n_groups);
    let mut keys = vec![0u32; problem.n];
    push_digits(&mut keys, &problem.variables);
    let rows = places.sorted(|row| row as u32);
    let sorted = places.sorted(|row| keys[row]);
    drop(keys);
    let groups: Vec<(Numbering<u32>, Vec<u32>)> = (0..n_groups)
        .into_par_iter()
        .map(|g| {
            let numbering = number_keys(&sorted[places.offsets[g]..places.offsets[g + 1]], radix);
            let count = count_members(&numbering.ids, numbering.first.len());
            (numbering, count)
        })
        .collect();
    let cell_of = codes
        .par_iter()
        .zip(&places.local)
        .map(|(&g, &i)| groups[usize::from(g)].0.ids[i as usize])
        .collect();
    let mut cells = Cells {
        cell_of,
        offsets: vec![0],
        first: Vec::with_capacity(groups.iter().map(|(n, _)| n.first.len()).sum()),
        count: Vec::new(),
        keys: Vec::new(),
    };
    for (g, (numbering, count)) in groups.into_iter().enumerate() {
        // A group's first members, as places in its run of rows.
        let rows = &rows[places.offsets[g]..];
        cells
            .first
            .extend(numbering.first.iter().map(|&i| rows[i as usize]));
        cells.count.extend(count);
        cells.keys.extend(numbering.keys);
        cells.offsets.push(cells.first.len());
    }
    cells
}

/// [`build_cells`]' numbering on u64 keys, in stages: the variables whose radices still fit on top of the
/// ids so far, then a dense renumbering when the next would overflow.
fn staged_numbering(problem: &Problem) -> Numbering<u64> {
    let vars = &problem.variables;
    let mut radix = problem.n_groups() as u64;
    let mut keys = group_keys(problem);
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
            let numbering = number_keys(&keys, radix);
            radix = numbering.first.len() as u64;
            keys = numbering.ids.into_iter().map(u64::from).collect();
            continue;
        }
        push_digits(&mut keys, &vars[v0..v1]);
        radix = stage_radix;
        v0 = v1;
    }
    number_keys(&keys, radix)
}

/// True when every member's base weight equals its cell's first member's (exact comparison).
pub fn base_constant_within_cells(problem: &Problem, cells: &Cells) -> bool {
    match &problem.base_weights {
        None => true,
        Some(b) => cells.cell_of.iter().enumerate().all(|(row, &c)| {
            let first = cells.first[cells.offsets[problem.group_of(row)] + c as usize];
            b[row] == b[first as usize]
        }),
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

/// `len` units' slots, block-major (`slots[b * len + u]`): block b's row filled by `fill(block b, row)`.
fn block_major(len: usize, blocks: &[Block], fill: impl Fn(&Block, &mut [u16])) -> Vec<u16> {
    let mut slots = vec![0; len * blocks.len()];
    if len > 0 {
        for (block, out) in blocks.iter().zip(slots.chunks_mut(len)) {
            fill(block, out);
        }
    }
    slots
}

/// Block-major slots of units whose codes come from `rows` (unit u from row `rows[u]`).
/// Parallel over chunks of units (each slot depends on its own row only).
fn slots_of(problem: &Problem, blocks: &[Block], rows: &[u32]) -> Vec<u16> {
    block_major(rows.len(), blocks, |block, out| {
        let vars = &problem.variables[block.vars.clone()];
        out.par_chunks_mut(SWEEP_CHUNK)
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
    })
}

/// Block-major slots of cells from their keys ([`Cells::keys`]): block b's slot is the keys' digits of
/// its variables, `(key / below_b) % size_b` with below_b the radix product of the variables after b. No
/// code is read, so a group's cells cost the same whether or not its members are spread over the rows.
fn slots_from_keys(problem: &Problem, blocks: &[Block], keys: &[u32]) -> Vec<u16> {
    block_major(keys.len(), blocks, |block, out| {
        // Below 2^32, as the keys are.
        let below = problem.variables[block.vars.end..]
            .iter()
            .map(|v| v.categories.len() as u32 + 1)
            .product::<u32>();
        // Digits above the block: earlier variables. Without them the quotient is the slot.
        let size = if block.vars.start > 0 {
            block.size as u32
        } else {
            u32::MAX
        };
        // The divisors are the same for every key: the branches below are taken the same way throughout.
        out.par_chunks_mut(SWEEP_CHUNK)
            .zip(keys.par_chunks(SWEEP_CHUNK))
            .for_each(|(out, keys)| {
                for (s, &key) in out.iter_mut().zip(keys) {
                    let q = if below == 1 { key } else { key / below };
                    // A slot is below the block's size ≤ 2^16 (blocks.rs).
                    *s = if size == u32::MAX { q } else { q % size } as u16;
                }
            });
    })
}

/// Where items `0..n` go when sorted by group, stably: group g's take places `offsets[g]..offsets[g + 1]`,
/// item i the `local[i]`-th of its group's. (A counting sort: writing one array per field at these places
/// costs several times less than filling one list per group push by push.)
struct GroupMajor<'a> {
    /// Each item's group.
    of: &'a [u16],
    offsets: Vec<usize>,
    local: Vec<u32>,
}

impl<'a> GroupMajor<'a> {
    /// Places items by their group `of[i]`.
    fn of(of: &'a [u16], n_groups: usize) -> GroupMajor<'a> {
        let mut offsets = vec![0; n_groups + 1];
        for &g in of {
            offsets[usize::from(g) + 1] += 1;
        }
        for g in 0..n_groups {
            offsets[g + 1] += offsets[g];
        }
        let mut next = offsets[..n_groups].to_vec();
        let local = of
            .iter()
            .map(|&g| {
                let g = usize::from(g);
                next[g] += 1;
                (next[g] - 1 - offsets[g]) as u32
            })
            .collect();
        GroupMajor { of, offsets, local }
    }

    /// Item i's place.
    #[inline]
    fn place(&self, i: usize) -> usize {
        self.offsets[usize::from(self.of[i])] + self.local[i] as usize
    }

    /// `value(i)` of every item, in group-major order: scattered in item order, a few streams of writes
    /// (gathering each group's items instead reads one cache line per item).
    fn sorted<T: Copy + Default>(&self, value: impl Fn(usize) -> T) -> Vec<T> {
        let mut out = vec![T::default(); self.of.len()];
        for i in 0..self.of.len() {
            out[self.place(i)] = value(i);
        }
        out
    }
}

/// Each row's group code, as stored.
fn group_codes(problem: &Problem, group: &Group) -> Vec<u16> {
    (0..problem.n)
        .into_par_iter()
        .map(|row| group.codes.raw(row))
        .collect()
}

/// Respondent path: each respondent is a unit of its group, in respondent order, starting at `w0`.
pub fn respondent_units(problem: &Problem, blocks: &[Block], w0: &InitialWeights) -> UnitTable {
    let Some(group) = &problem.group else {
        let rows: Vec<u32> = (0..problem.n as u32).collect();
        let weights = (0..problem.n).map(|row| w0.at(0, row)).collect();
        return UnitTable {
            kind: UnitKind::Respondents,
            groups: vec![Units {
                len: problem.n,
                slots: slots_of(problem, blocks, &rows),
                mass: None,
                weights,
            }],
            unit_of: rows,
        };
    };
    let codes = group_codes(problem, group);
    let places = GroupMajor::of(&codes, problem.n_groups());
    let order = places.sorted(|row| row as u32);
    let GroupMajor {
        offsets,
        local: unit_of,
        ..
    } = places;
    let groups = (0..problem.n_groups())
        .into_par_iter()
        .map(|g| &order[offsets[g]..offsets[g + 1]])
        .enumerate()
        .map(|(g, rows)| Units {
            len: rows.len(),
            slots: slots_of(problem, blocks, rows),
            mass: None,
            weights: rows.iter().map(|&row| w0.at(g, row as usize)).collect(),
        })
        .collect();
    UnitTable {
        kind: UnitKind::Respondents,
        groups,
        unit_of,
    }
}

/// Cell path: each cell is a unit of its group, in cell order. `kind` is WeightCells or FactorCells.
/// Takes the cells: a respondent's unit is its cell, and `cell_of` becomes `unit_of`.
pub fn cell_units(
    problem: &Problem,
    blocks: &[Block],
    cells: Cells,
    w0: &InitialWeights,
    kind: UnitKind,
) -> UnitTable {
    let mut groups: Vec<Units> = (0..problem.n_groups())
        .into_par_iter()
        .map(|g| {
            let range = cells.of_group(g);
            let first = &cells.first[range.clone()];
            let len = first.len();
            let slots = if cells.keys.is_empty() {
                slots_of(problem, blocks, first)
            } else {
                slots_from_keys(problem, blocks, &cells.keys[range.clone()])
            };
            let (weights, mass) = match kind {
                // Masses from the members below.
                UnitKind::FactorCells => (vec![1.0; len], vec![0.0; len]),
                _ => (
                    first.par_iter().map(|&r| w0.at(g, r as usize)).collect(),
                    cells.count[range]
                        .par_iter()
                        .map(|&m| f64::from(m))
                        .collect(),
                ),
            };
            Units {
                len,
                slots,
                mass: Some(mass),
                weights,
            }
        })
        .collect();
    let cell_of = cells.cell_of;
    if kind == UnitKind::FactorCells {
        // m_u = Σ of the members' w0, in respondent order.
        for (row, &u) in cell_of.iter().enumerate() {
            let g = problem.group_of(row);
            if let Some(m) = groups[g].mass.as_mut() {
                m[u as usize] += w0.at(g, row);
            }
        }
    }
    UnitTable {
        kind,
        groups,
        unit_of: cell_of,
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
                // The width matched once, and each group's weights one slice away.
                Some(group) => {
                    let w: Vec<&[f64]> = table.groups.iter().map(|u| &u.weights[..]).collect();
                    let rows = lo..lo + oc.len();
                    match &group.codes {
                        Codes::U8(gs) => {
                            for ((x, &u), &g) in oc.iter_mut().zip(units).zip(&gs[rows]) {
                                *x = w[usize::from(g)][u as usize];
                            }
                        }
                        Codes::U16(gs) => {
                            for ((x, &u), &g) in oc.iter_mut().zip(units).zip(&gs[rows]) {
                                *x = w[usize::from(g)][u as usize];
                            }
                        }
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
        // Radices 3 · 3: digits (1, 0), (0, 0), (2 = missing, 1).
        assert_eq!(c.keys, vec![3, 0, 7]);
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
        // One cell in each group, numbered within it.
        assert_eq!(c.cell_of, vec![0, 0, 0, 0]);
        assert_eq!(c.offsets, vec![0, 1, 2]);
        assert_eq!(c.first, vec![1, 0]);
        let w0 = InitialWeights::PerGroup(vec![1.0; 2]);
        let t = cell_units(&p, &blocks_of(&[1]), c, &w0, UnitKind::WeightCells);
        assert_eq!(t.groups[0].len, 1);
        assert_eq!(t.groups[1].len, 1);
        assert_eq!(t.unit_of, vec![0, 0, 0, 0]);
    }

    #[test]
    fn every_numbering_path_numbers_by_first_appearance_within_groups() {
        // Variables of 200 categories on 50 rows: 1 → radix 201 ≤ 128·n, ranked by bits; 3 → 201^3, 32-bit
        // keys in the hash map; 10 → 201^10 overflows u64: 64-bit keys, staged renumbering, hash map.
        let n = 50;
        for vars in [1, 3, 10] {
            for grouped in [false, true] {
                let vars: Vec<Variable> = (0..vars)
                    .map(|v| var((0..n).map(|i| ((i * (v + 3)) % 7) as u8).collect(), 200))
                    .collect();
                let group = grouped.then(|| Group {
                    name: "g".into(),
                    labels: vec!["a".into(), "b".into(), "c".into()],
                    codes: Codes::U8((0..n).map(|i| (i * 5 % 3) as u8).collect()),
                    shares: None,
                });
                let p = Problem {
                    n,
                    variables: vars.clone(),
                    base_weights: None,
                    group,
                };
                let c = build_cells(&p);
                let mut seen = vec![HashMap::new(); p.n_groups()];
                let mut first = vec![Vec::new(); p.n_groups()];
                let mut count = vec![Vec::new(); p.n_groups()];
                for row in 0..n {
                    let g = p.group_of(row);
                    let key: Vec<u16> = vars.iter().map(|v| v.codes.code(row)).collect();
                    let next = seen[g].len() as u32;
                    let id = *seen[g].entry(key).or_insert(next);
                    assert_eq!(c.cell_of[row], id);
                    if id == next {
                        first[g].push(row as u32);
                        count[g].push(0);
                    }
                    count[g][id as usize] += 1;
                }
                let blocks = blocks_of(&p.category_counts());
                for g in 0..p.n_groups() {
                    let range = c.of_group(g);
                    assert_eq!(c.first[range.clone()], first[g]);
                    assert_eq!(c.count[range.clone()], count[g]);
                    if vars.len() < 10 {
                        // Keys kept (32 bits): the slots they give are the slots the codes give.
                        assert_eq!(
                            slots_from_keys(&p, &blocks, &c.keys[range.clone()]),
                            slots_of(&p, &blocks, &c.first[range])
                        );
                    }
                }
                if vars.len() == 10 {
                    assert!(c.keys.is_empty());
                }
            }
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

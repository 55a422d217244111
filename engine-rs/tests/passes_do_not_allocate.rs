//! The raking loop allocates its scratch once per group run: a run of many passes makes exactly as many
//! heap allocations as a run of two. Counted by a global allocator wrapper, per thread, so that the test
//! harness's own threads do not disturb the count (this file holds one test for the same reason).
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use rim_engine::blocks::blocks_of;
use rim_engine::caps::GroupBounds;
use rim_engine::cells::respondent_units;
use rim_engine::rim::{rake_group, set_up};
use rim_engine::{Caps, Codes, Options, Problem, Variable};

struct Counting;

thread_local! {
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

// SAFETY: forwards every call to the system allocator unchanged; only counts.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.with(|c| c.set(c.get() + 1));
        System.alloc(layout)
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout)
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.with(|c| c.set(c.get() + 1));
        System.realloc(ptr, layout, new_size)
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn variable(n: usize, k: usize, step: usize, targets: Vec<f64>) -> Variable {
    Variable {
        name: String::new(),
        categories: (0..k).map(|c| c.to_string()).collect(),
        codes: Codes::U8((0..n).map(|i| ((i * step + i / 7) % k) as u8).collect()),
        targets,
        targets_by_group: Vec::new(),
    }
}

/// Allocations made by one group's loop with at most `passes` passes, and the passes it made.
fn allocations(problem: &Problem, options: &Options, passes: usize) -> (usize, usize) {
    let (bounds, w0): (Vec<GroupBounds>, _) = set_up(problem, options);
    let blocks = blocks_of(&problem.category_counts());
    let mut table = respondent_units(problem, &blocks, &w0);
    let targets: Vec<&[f64]> = problem.variables.iter().map(|v| &v.targets[..]).collect();
    let units = &mut table.groups[0];
    let before = ALLOCATIONS.with(Cell::get);
    let outcome = rake_group(units, &targets, &blocks, &bounds[0], true, 0.0, passes);
    let made = ALLOCATIONS.with(Cell::get) - before;
    (made, outcome.trace.len())
}

#[test]
fn a_long_run_allocates_no_more_than_a_short_one() {
    let n = 500;
    let problem = Problem {
        n,
        variables: vec![
            variable(n, 3, 1, vec![0.2, 0.3, 0.5]),
            variable(n, 4, 3, vec![0.1, 0.2, 0.3, 0.4]),
            variable(n, 2, 5, vec![0.7, 0.3]),
        ],
        base_weights: Some((0..n).map(|i| 1.0 + (i % 5) as f64 * 0.25).collect()),
        group: None,
    };
    let options = Options {
        tolerance: 0.0,
        caps: Some(Caps {
            min: Some(0.6),
            max: Some(1.8),
        }),
        ..Options::default()
    };
    // The first run also starts rayon's global pool (Chunking asks for its thread count): not counted.
    allocations(&problem, &options, 1);
    let (short, short_passes) = allocations(&problem, &options, 2);
    let (long, long_passes) = allocations(&problem, &options, 9);
    assert_eq!(
        (short_passes, long_passes),
        (2, 9),
        "both runs must use every pass"
    );
    assert_eq!(
        long, short,
        "allocations per run: {short} in 2 passes, {long} in 9"
    );
}

// Units (engine/cells.ts): cell numbering, the fast-path decision, grouping and expansion.

import type { Problem } from "../../engine/contract";
import { buildCells, buildRespondentUnits, cellIds, expandCells, UNIT_MISSING } from "../../engine/cells";

const M = 0xff;

function problem(codesA: number[], codesB: number[], extra: Partial<Problem> = {}): Problem {
  return {
    n: codesA.length,
    variables: [
      {
        name: "a",
        categories: ["a0", "a1", "a2"],
        codes: Uint8Array.from(codesA),
        targets: Float64Array.from([0.3, 0.3, 0.4]),
      },
      { name: "b", categories: ["b0", "b1"], codes: Uint8Array.from(codesB), targets: Float64Array.from([0.5, 0.5]) },
    ],
    ...extra,
  };
}

test("cells are numbered by first appearance; MISSING is a code of its own", () => {
  const p = problem([2, 0, 2, 1, 0, M, 2, M], [1, 0, 1, 1, 0, 0, 0, 0]);
  expect(cellIds(p)).toEqual({ ids: Int32Array.from([0, 1, 0, 2, 1, 3, 4, 3]), count: 5 });
});

test("the group is part of the cell", () => {
  const p = problem([0, 0, 0, 0], [1, 1, 1, 1], {
    group: { name: "g", labels: ["x", "y"], codes: Uint8Array.from([1, 0, 1, 0]) },
  });
  expect(cellIds(p)).toEqual({ ids: Int32Array.from([0, 1, 0, 1]), count: 2 });
});

test("numbering via a Map (many categories) agrees with a string key", () => {
  const n = 2000;
  const k = 1500; // (group × (k+1) × (k+1)) exceeds the dense table
  const a = Uint16Array.from({ length: n }, (_, i) => (i * 7919) % k);
  const b = Uint16Array.from({ length: n }, (_, i) => ((i * 104729) % 3 === 0 ? 0xffff : (i * 31) % k));
  const cats = Array.from({ length: k }, (_, c) => `c${c}`);
  const targets = new Float64Array(k).fill(1 / k);
  const p: Problem = {
    n,
    variables: [
      { name: "a", categories: cats, codes: a, targets },
      { name: "b", categories: cats, codes: b, targets },
    ],
  };
  const seen = new Map<string, number>();
  const expected = Int32Array.from({ length: n }, (_, i) => {
    const key = `${a[i]}|${b[i]}`;
    if (!seen.has(key)) seen.set(key, seen.size);
    return seen.get(key)!;
  });
  expect(cellIds(p)).toEqual({ ids: expected, count: seen.size });
});

test("cell table: grouped contiguously, members counted, the member's initial weight", () => {
  const p = problem([0, 1, 0, 1, 0], [0, 0, 0, 0, 1], {
    group: { name: "g", labels: ["x", "y"], codes: Uint8Array.from([1, 0, 1, 1, 0]) },
  });
  const initial = Float64Array.from([2, 3, 2, 5, 7]);
  const t = buildCells(p, initial, false)!;
  // cells by first appearance: (y,0,0)=0 rows 0,2; (x,1,0)=1 row 1; (y,1,0)=2 row 3; (x,0,1)=3 row 4
  // group x first: cells 1, 3; then group y: cells 0, 2
  expect(t.cellPath).toBe(true);
  expect(t.units).toBe(4);
  expect(Array.from(t.groupStart)).toEqual([0, 2, 4]);
  expect(Array.from(t.members)).toEqual([1, 1, 2, 1]);
  expect(Array.from(t.weights)).toEqual([3, 7, 2, 5]);
  expect(Array.from(t.codes[0])).toEqual([1, 0, 0, 1]);
  expect(Array.from(t.codes[1])).toEqual([0, 1, 0, 0]);
  expect(Array.from(t.unitOf)).toEqual([2, 0, 2, 3, 1]);
  expect(t.mixed).toBeNull();
  const out = new Float64Array(5);
  t.weights.set([30, 70, 20, 50]);
  expandCells(t, initial, out);
  expect(Array.from(out)).toEqual([20, 30, 20, 50, 70]);
});

test("missing codes become UNIT_MISSING", () => {
  const t = buildRespondentUnits(problem([0, M], [1, 1]), Float64Array.from([1, 1]));
  expect(Array.from(t.codes[0])).toEqual([0, UNIT_MISSING]);
});

test("caps with base weights differing inside a cell: no fast path", () => {
  const p = problem([0, 0, 1], [0, 0, 1], { baseWeights: Float64Array.from([1, 2, 1]) });
  expect(buildCells(p, Float64Array.from([0.75, 1.5, 0.75]), true)).toBeNull();
  // equal bases inside every cell: fast path even with caps
  const q = problem([0, 0, 1], [0, 0, 1], { baseWeights: Float64Array.from([2, 2, 1]) });
  expect(buildCells(q, Float64Array.from([1.2, 1.2, 0.6]), true)?.units).toBe(2);
});

test("without caps, a cell with differing bases starts at the mean and expands by ratio", () => {
  const p = problem([0, 0, 1], [0, 0, 1], { baseWeights: Float64Array.from([1, 3, 2]) });
  const initial = Float64Array.from([0.5, 1.5, 1]);
  const t = buildCells(p, initial, false)!;
  expect(Array.from(t.members)).toEqual([2, 1]);
  expect(Array.from(t.weights)).toEqual([1, 1]); // (0.5 + 1.5) / 2, and the single member's 1
  expect(Array.from(t.mixed!)).toEqual([1, 0]);
  t.weights.set([2, 4]);
  const out = new Float64Array(3);
  expandCells(t, initial, out);
  expect(Array.from(out)).toEqual([1, 3, 4]);
});

test("respondent units: grouped, respondent order within a group, one member each", () => {
  const p = problem([0, 1, 2, 0], [0, 1, 0, 1], {
    group: { name: "g", labels: ["x", "y"], codes: Uint8Array.from([1, 0, 1, 0]) },
  });
  const t = buildRespondentUnits(p, Float64Array.from([1, 2, 3, 4]));
  expect(t.cellPath).toBe(false);
  expect(Array.from(t.groupStart)).toEqual([0, 2, 4]);
  expect(Array.from(t.weights)).toEqual([2, 4, 1, 3]);
  expect(Array.from(t.members)).toEqual([1, 1, 1, 1]);
  expect(Array.from(t.unitOf)).toEqual([2, 0, 3, 1]);
});

// The cap correction (engine/caps.ts), by hand.

import { CAP_SLACK } from "../../engine/contract";
import { applyCaps, capBounds, capEdges, CAP_ROUNDS } from "../../engine/caps";

const ones = (n: number) => new Float64Array(n).fill(1);

test("bounds are relative to the group mean; absent caps are 0 and +Infinity", () => {
  expect(capBounds(8, 4, 0.5, 1.5)).toEqual({ lo: 1, hi: 3, mean: 2 });
  expect(capBounds(8, 4, undefined, undefined)).toEqual({ lo: 0, hi: Infinity, mean: 2 });
  expect(capEdges({ lo: 1, hi: 3, mean: 2 })).toEqual({ minEdge: 1 + 1e-9, maxEdge: 3 * (1 - 1e-9) });
});

test("a max cap: clip, rescale, repeat until within; the total is kept", () => {
  // total 8, mean 2, max 1.5 × 2 = 3. Fixed point: x·(0.5 + 1 + 1.5) + 3 = 8 → x = 5/3.
  const w = Float64Array.from([0.5, 1, 1.5, 5]);
  const rounds = applyCaps(w, ones(4), 0, 4, 8, capBounds(8, 4, undefined, 1.5));
  expect(rounds).toBeGreaterThan(1);
  expect(rounds).toBeLessThan(CAP_ROUNDS);
  const expected = [0.5, 1, 1.5].map((x) => (x * 5) / 3).concat(3);
  w.forEach((x, i) => expect(x).toBeCloseTo(expected[i], 8));
  expect(w.reduce((s, x) => s + x, 0)).toBeCloseTo(8, 12);
  expect(Math.max(...w)).toBeLessThanOrEqual(3 + CAP_SLACK * 2);
});

test("a min cap", () => {
  // total 4, mean 1, min 0.5. Fixed point: 0.5 + x·(1 + 1 + 1.9) = 4.
  const w = Float64Array.from([0.1, 1, 1, 1.9]);
  applyCaps(w, ones(4), 0, 4, 4, capBounds(4, 4, 0.5, undefined));
  const x = 3.5 / 3.9;
  [0.5, x, x, 1.9 * x].forEach((e, i) => expect(w[i]).toBeCloseTo(e, 8));
  expect(Math.min(...w)).toBeGreaterThanOrEqual(0.5 - CAP_SLACK);
});

test("units count m_u times in the total", () => {
  // two units: 3 members at 1, 1 member at 5; total 8 (mean 2), max cap 1.5 → 3: 3x + 3 = 8
  const w = Float64Array.from([1, 5]);
  applyCaps(w, Float64Array.from([3, 1]), 0, 2, 8, capBounds(8, 4, undefined, 1.5));
  expect(w[0]).toBeCloseTo(5 / 3, 8);
  expect(w[1]).toBeCloseTo(3, 8);
});

test("weights already within take one round (the rescale to the total still applies)", () => {
  const w = Float64Array.from([1, 2, 3]);
  expect(applyCaps(w, ones(3), 0, 3, 12, capBounds(12, 3, 0.1, 10))).toBe(1);
  expect(Array.from(w)).toEqual([2, 4, 6]);
});

test("only the group's range is touched", () => {
  const w = Float64Array.from([100, 0.5, 5, 100]);
  applyCaps(w, ones(4), 1, 3, 4, capBounds(4, 2, undefined, 1.2));
  expect(w[0]).toBe(100);
  expect(w[3]).toBe(100);
  expect(w[1] + w[2]).toBeCloseTo(4, 12);
  expect(w[2]).toBeCloseTo(2.4, 8);
});

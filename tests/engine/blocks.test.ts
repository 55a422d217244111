// Blocks of variables (engine/blocks.ts, engine-rs/src/blocks.rs): how variables are grouped, and that raking a
// block on its joint table gives the weights of raking its variables one by one on the units.
import { blocksOf, blockScratch, rakeBlock, residualOfBlock } from "../../engine/blocks";

test("blocks fill up to the joint limit, in order", () => {
  // Digits 3·4·5·6·7 = 2520 ≤ 4096 (·9 would not fit); 9·11·13 = 1287.
  const blocks = blocksOf([2, 3, 4, 5, 6, 8, 10, 12]);
  expect(blocks.map((b) => [b.first, b.end, b.size])).toEqual([
    [0, 5, 2520],
    [5, 8, 1287],
  ]);
  expect(blocks[0].strides).toEqual([840, 210, 42, 7, 1]);
  // A variable wider than the limit is a block of its own.
  expect(blocksOf([1, 5000, 1]).map((b) => [b.first, b.end])).toEqual([
    [0, 1],
    [1, 2],
    [2, 3],
  ]);
  expect(blocksOf([])).toEqual([]);
});

test("raking a block equals raking its variables one by one, missing answers left alone", () => {
  // Units (a, b, weight) on a 2-category and a 3-category variable; digit 2 / 3 is a missing answer.
  const units: [number, number, number][] = [
    [0, 0, 1],
    [0, 1, 2],
    [1, 2, 1.5],
    [1, 0, 0.5],
    [2, 1, 3],
    [0, 3, 2.5],
  ];
  const targets = [Float64Array.from([0.4, 0.6]), Float64Array.from([0.2, 0.3, 0.5])];
  const blocks = blocksOf([2, 3]);
  const block = blocks[0];
  const joint = new Float64Array(block.size);
  for (const [a, b, w] of units) joint[a * 4 + b] += w;
  const factor = new Float64Array(block.size);
  const scratch = blockScratch(blocks);
  rakeBlock(block, targets, joint, scratch, factor);

  const w = units.map((u) => u[2]);
  targets.forEach((t, v) => {
    const sum = new Array<number>(t.length).fill(0);
    units.forEach((u, i) => {
      if (u[v] < t.length) sum[u[v]] += w[i];
    });
    const s = sum.reduce((x, y) => x + y, 0);
    units.forEach((u, i) => {
      if (u[v] < t.length) w[i] *= (t[u[v]] * s) / sum[u[v]];
    });
  });
  units.forEach(([a, b, w0], i) => expect(w0 * factor[a * 4 + b]).toBeCloseTo(w[i], 14));

  // After the block, the last variable is on target and the first, raked before it, is not.
  const raked = joint.map((x, s) => x * factor[s]);
  expect(residualOfBlock(block, targets, raked, scratch)).toBeGreaterThan(1e-3);
  const marginB = new Float64Array(4);
  raked.forEach((x, s) => (marginB[s % 4] += x));
  const bBlock = { first: 1, end: 2, radices: [4], strides: [1], size: 4 };
  expect(residualOfBlock(bBlock, targets, marginB, scratch)).toBeLessThan(1e-15);
});

import { cellBytes, createBlockSizer, sampledBytes } from "../../../taskpane/excel/block-size";

describe("createBlockSizer", () => {
  it("grows from the first block to the rows that fill the target bytes", () => {
    const sizer = createBlockSizer({ firstRows: 1000, maxRows: 1_000_000, targetBytes: 100_000 });
    expect(sizer.rows).toBe(1000);
    sizer.succeeded(1000, 20_000); // 20 bytes a row
    expect(sizer.rows).toBe(5000);
    sizer.succeeded(5000, 100_000);
    expect(sizer.rows).toBe(5000);
  });

  it("shrinks when rows turn out heavier, never below one row", () => {
    const sizer = createBlockSizer({ firstRows: 1000, maxRows: 10_000, targetBytes: 10_000 });
    sizer.succeeded(1000, 40_000);
    expect(sizer.rows).toBe(250);
    sizer.succeeded(250, 1e9);
    expect(sizer.rows).toBe(1);
  });

  it("never asks for more than maxRows", () => {
    const sizer = createBlockSizer({ firstRows: 50_000, maxRows: 12_500, targetBytes: 1e9 });
    expect(sizer.rows).toBe(12_500);
    sizer.succeeded(12_500, 10);
    expect(sizer.rows).toBe(12_500);
  });

  it("halves on a refusal and never grows past that half again", () => {
    const sizer = createBlockSizer({ firstRows: 8000, maxRows: 1_000_000, targetBytes: 1_000_000 });
    sizer.refused(8000);
    expect(sizer.rows).toBe(4000);
    sizer.succeeded(4000, 4000); // 1 byte a row would allow a million rows
    expect(sizer.rows).toBe(4000);
    sizer.refused(4000);
    expect(sizer.rows).toBe(2000);
    sizer.succeeded(2000, 2000);
    expect(sizer.rows).toBe(2000);
  });
});

describe("sampledBytes", () => {
  it("is exact for rows of one size and close for mixed rows", () => {
    expect(sampledBytes(100_000, () => 7)).toBe(700_000);
    expect(sampledBytes(0, () => 7)).toBe(0);
    const sizes = Array.from({ length: 100_000 }, (_, i) => 10 + (i % 13));
    const exact = sizes.reduce((a, b) => a + b, 0);
    expect(Math.abs(sampledBytes(sizes.length, (i) => sizes[i]) - exact) / exact).toBeLessThan(0.02);
  });
});

describe("cellBytes", () => {
  it("counts a cell as JSON writes it, with its separator", () => {
    for (const value of [0, 1.25, -3e-7, 0.8234567890123456, "North", 'say "hi"', "", true, false, null])
      expect(cellBytes(value)).toBe(JSON.stringify(value).length + 1);
  });
});

import { readCell } from "../../../scheme/cells";
import { readColumnsInBlocks, firstBlockRows, type RowBlock } from "../../../taskpane/excel/read-blocks";
import { readRespondents } from "../../../taskpane/excel/read-data";
import { compactCell } from "../../../taskpane/compact-grid";
import { PaneError } from "../../../taskpane/errors";
import { createFakeHost, type FakeHost, type FakeHostOptions } from "../../fake-excel";

function installHost(options: FakeHostOptions): { host: FakeHost; uninstall: () => void } {
  const host = createFakeHost(options);
  return { host, uninstall: host.install(globalThis) };
}

/** n respondents: id, region, gender, age, base weight. */
function survey(n: number): { data: unknown[][] } {
  const data: unknown[][] = [["id", "region", "gender", "age", "wt0"]];
  const regions = ["North", "South", "East", "West"];
  for (let i = 0; i < n; i++)
    data.push([i + 1, regions[i % 4], i % 3 ? "m" : "f", ["18-34", "35-54", "55+"][(i % 5) % 3], 0.5 + (i % 7) / 10]);
  return { data };
}

describe("readColumnsInBlocks", () => {
  let uninstall: () => void = () => undefined;
  afterEach(() => uninstall());

  function seeded(
    n: number,
    limits: { payloadLimitBytes?: number; maxCellsPerRead?: number },
    mode: "web" | "desktop" = "web",
  ) {
    const { data } = survey(n);
    const installed = installHost({ mode, limits, sheets: { Data: data } });
    uninstall = installed.uninstall;
    return { host: installed.host, data };
  }

  it("halves the block on payload errors and still returns every row in order", async () => {
    const n = 3000;
    const { host, data } = seeded(n, { payloadLimitBytes: 20_000 });
    const blocks: RowBlock[] = [];
    const stats = await readColumnsInBlocks({
      sheet: "Data",
      firstRow: 1,
      rowCount: n,
      columns: [3, 1],
      onBlock: (b) => blocks.push(b),
    });
    expect(stats.halvings).toBeGreaterThan(0);
    expect(host.workbook.counters.payloadErrors).toBe(stats.halvings);
    expect(stats.blockRows).toBeLessThan(3000);
    let next = 0;
    for (const b of blocks) {
      expect(b.start).toBe(next);
      for (let i = 0; i < b.rows; i++) {
        expect(b.columns[0][i]).toBe(data[1 + b.start + i][3]);
        expect(b.columns[1][i]).toBe(data[1 + b.start + i][1]);
      }
      next += b.rows;
    }
    expect(next).toBe(n);
  });

  it("stops after the block at which the caller says it is done, without reading the rest", async () => {
    const n = 3000;
    const { host } = seeded(n, {});
    const starts: number[] = [];
    const stats = await readColumnsInBlocks({
      sheet: "Data",
      firstRow: 1,
      rowCount: n,
      columns: [1],
      initialBlockRows: 500,
      onBlock: (b) => starts.push(b.start),
      done: () => starts.length === 2,
    });
    expect(starts).toEqual([0, 500]);
    expect(stats.blocks).toBe(2);
    expect(host.workbook.counters.syncs).toBe(2);
  });

  it("sizes blocks by their bytes: at most twice the fewest syncs the 5 MB limit allows", async () => {
    const n = 300_000;
    const { host } = seeded(n, {});
    let rows = 0;
    const stats = await readColumnsInBlocks({
      sheet: "Data",
      firstRow: 1,
      rowCount: n,
      columns: [1, 2, 3, 4],
      onBlock: (b) => (rows += b.rows),
    });
    expect(rows).toBe(n);
    expect(stats.halvings).toBe(0);
    expect(stats.syncs).toBe(host.workbook.counters.syncs);
    expect(stats.syncs).toBeLessThanOrEqual(2 * Math.ceil(stats.bytes / (5 * 1024 * 1024)));
    // the estimate is the response the host measured, to a few percent
    const measured = host.workbook.counters.maxResponseBytes;
    expect(Math.abs(stats.maxBlockBytes - measured) / measured).toBeLessThan(0.05);
  }, 60_000);

  it("treats a null values answer as an error, not as data", async () => {
    seeded(500, { maxCellsPerRead: 100 });
    const onBlock = jest.fn();
    await expect(
      readColumnsInBlocks({ sheet: "Data", firstRow: 1, rowCount: 500, columns: [1, 2], onBlock }),
    ).rejects.toThrow(PaneError);
    await expect(
      readColumnsInBlocks({ sheet: "Data", firstRow: 1, rowCount: 500, columns: [1, 2], onBlock }),
    ).rejects.toThrow(/returned no values for Data!B2:C/);
    expect(onBlock).not.toHaveBeenCalled();
  });

  it("never asks for more than 5,000,000 cells at once", () => {
    expect(firstBlockRows({ columns: Array.from({ length: 400 }, (_, i) => i), rowCount: 1_000_000 })).toBe(12_500);
    expect(firstBlockRows({ columns: [0, 1], rowCount: 1_000_000 })).toBe(20_000);
    expect(firstBlockRows({ columns: [0], rowCount: 10 })).toBe(10);
  });

  it("stops between blocks when cancelled", async () => {
    seeded(100, {}, "desktop");
    const controller = new AbortController();
    controller.abort();
    await expect(
      readColumnsInBlocks({
        sheet: "Data",
        firstRow: 1,
        rowCount: 100,
        columns: [1],
        signal: controller.signal,
        onBlock: () => undefined,
      }),
    ).rejects.toThrow(/cancelled/);
  });

  it("packs blocks into compact columns at once", async () => {
    const n = 1200;
    const { data } = seeded(n, { payloadLimitBytes: 15_000 });
    const header = data[0].map(readCell);
    const { data: compact, stats } = await readRespondents({
      rect: { sheet: "Data", r0: 0, c0: 0, r1: n, c1: 4 },
      header,
      labelColumns: [1, 2],
      numberColumns: [4],
      initialBlockRows: 1000,
    });
    expect(stats.blocks).toBeGreaterThan(1);
    const region = compact.columns.get(1)!;
    const weight = compact.columns.get(4)!;
    expect(region.kind).toBe("labels");
    expect(weight.kind).toBe("numbers");
    if (region.kind === "labels") expect(region.codes).toBeInstanceOf(Uint32Array);
    for (const i of [0, 1, 599, n - 1]) {
      expect(compactCell(region, i)).toEqual(readCell(data[i + 1][1]));
      expect(compactCell(weight, i)).toEqual(readCell(data[i + 1][4]));
    }
  });
});

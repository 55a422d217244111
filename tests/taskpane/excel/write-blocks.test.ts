import { writeColumnInBlocks } from "../../../taskpane/excel/write-blocks";
import { createFakeHost, type FakeHost } from "../../fake-excel";

const LIMIT = 5 * 1024 * 1024;

describe("writeColumnInBlocks", () => {
  let uninstall: () => void = () => undefined;
  afterEach(() => uninstall());

  function host(rows: number, limits: { payloadLimitBytes?: number } = {}): FakeHost {
    const h = createFakeHost({
      mode: "web",
      limits,
      sheets: { Data: [["x"], ...Array.from({ length: rows }, () => [1])] },
    });
    uninstall = h.install(globalThis);
    return h;
  }

  it("sizes blocks by their bytes: at most twice the fewest syncs the 5 MB limit allows", async () => {
    const n = 400_000;
    const h = host(n);
    const values = Float64Array.from({ length: n }, (_, i) => 0.5 + ((i * 7919) % 1000) / 997);
    const stats = await writeColumnInBlocks({ sheet: "Data", column: 1, firstRow: 1, values, numberFormat: "0.0000" });
    const fewest = Math.ceil(stats.bytes / LIMIT);
    expect(stats.halvings).toBe(0);
    expect(stats.syncs).toBe(h.workbook.counters.syncs);
    expect(stats.syncs).toBeLessThanOrEqual(2 * fewest);
    // the estimate is the request the host measured, to a few percent (the host adds the batch's framing)
    expect(Math.abs(stats.maxBlockBytes - h.workbook.counters.maxRequestBytes) / stats.maxBlockBytes).toBeLessThan(
      0.05,
    );
    const written = h.workbook.getValues("Data", `B2:B${n + 1}`);
    for (const i of [0, 1, 19_999, 20_000, 200_001, n - 1]) expect(written[i][0]).toBe(values[i]);
    expect(h.workbook.getNumberFormats("Data", `B${n + 1}`)[0][0]).toBe("0.0000");
  }, 60_000);

  it("halves after a refusal and writes every row once, in order", async () => {
    const n = 6000;
    const h = host(n, { payloadLimitBytes: 40_000 });
    const values = Float64Array.from({ length: n }, (_, i) => i / 7);
    const stats = await writeColumnInBlocks({ sheet: "Data", column: 1, firstRow: 1, values, numberFormat: "0.00" });
    expect(stats.halvings).toBeGreaterThan(0);
    expect(stats.syncs).toBe(stats.blocks + stats.halvings);
    expect(h.workbook.counters.payloadErrors).toBe(stats.halvings);
    expect(h.workbook.getValues("Data", `B2:B${n + 1}`).map((r) => r[0])).toEqual(Array.from(values));
  });

  it("writes a non-finite weight as an empty cell", async () => {
    const h = host(3);
    await writeColumnInBlocks({ sheet: "Data", column: 1, firstRow: 1, values: Float64Array.of(1, NaN, 2) });
    expect(h.workbook.getValues("Data", "B2:B4").map((r) => r[0])).toEqual([1, "", 2]);
  });
});

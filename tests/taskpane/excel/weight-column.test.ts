import { createFakeHost, type FakeHost } from "../../fake-excel";
import { planWeightColumn, writeWeightColumn, type ReplaceAnswer } from "../../../taskpane/excel/weight-column";
import { loadWeightColumns, recordWeightColumn, persistSettings } from "../../../taskpane/excel/scheme-settings";
import type { SheetRect } from "../../../taskpane/address";

const DATA: SheetRect = { sheet: "Data", r0: 0, c0: 0, r1: 4, c1: 2 };

function workbook(extra: (host: FakeHost) => void = () => undefined): { host: FakeHost; uninstall: () => void } {
  const host = createFakeHost({
    mode: "web",
    sheets: {
      Data: [
        ["id", "g", "a"],
        [1, "m", "x"],
        [2, "f", "y"],
        [3, "m", "y"],
        [4, "f", "x"],
      ],
    },
  });
  extra(host);
  return { host, uninstall: host.install(globalThis) };
}

const weights = Float64Array.from([0.5, 1.5, 0.75, 1.25]);

async function placeAndWrite(answer: ReplaceAnswer, header = "weight") {
  const confirm = jest.fn(async () => answer);
  const placement = await planWeightColumn(DATA, loadWeightColumns(), confirm);
  if (!placement) return { confirm, placement };
  const { record } = await writeWeightColumn(placement, weights, { header });
  recordWeightColumn(record);
  await persistSettings();
  return { confirm, placement };
}

describe("weight column placement", () => {
  let uninstall: () => void = () => undefined;
  afterEach(() => uninstall());

  it("goes into the first empty column right of the data and never touches a user column", async () => {
    const w = workbook((host) => {
      host.workbook.setValues("Data", "D3", [["note"]]);
      host.workbook.setValues("Data", "F1", [["other"], [9], [9], [9], [9]]);
    });
    uninstall = w.uninstall;
    const { placement, confirm } = await placeAndWrite("replace");
    expect(confirm).not.toHaveBeenCalled();
    expect(placement!.address).toBe("Data!E1:E5");
    expect(w.host.workbook.getValues("Data", "E1:E5").map((r) => r[0])).toEqual(["weight", 0.5, 1.5, 0.75, 1.25]);
    expect(w.host.workbook.getValues("Data", "D1:D5").map((r) => r[0])).toEqual(["", "", "note", "", ""]);
    expect(w.host.workbook.getValues("Data", "F1:F5").map((r) => r[0])).toEqual(["other", 9, 9, 9, 9]);
    expect(w.host.workbook.getNumberFormats("Data", "E2")[0][0]).toBe("0.0000");
    expect(w.host.workbook.counters.calculationSuspends).toBeGreaterThan(0);
  });

  it("replaces its own previous column only when the user confirms", async () => {
    const w = workbook();
    uninstall = w.uninstall;
    await placeAndWrite("replace");
    expect(loadWeightColumns()).toEqual([{ sheet: "Data", column: 3, header: "weight", headerRow: 0, lastRow: 4 }]);

    const declined = await placeAndWrite("new-column");
    expect(declined.confirm).toHaveBeenCalledTimes(1);
    expect(declined.confirm.mock.calls[0]).toEqual([
      { address: "Data!D1:D5", header: "weight", freeAddress: "Data!E1:E5" },
    ]);
    expect(declined.placement!.address).toBe("Data!E1:E5");
    expect(w.host.workbook.getValues("Data", "D1:E1")[0]).toEqual(["weight", "weight"]);

    const cancelled = await placeAndWrite("cancel");
    expect(cancelled.placement).toBeNull();
    expect(w.host.workbook.usedRange("Data")).toBe("Data!A1:E5");

    const replaced = await placeAndWrite("replace");
    expect(replaced.placement!.address).toBe("Data!D1:D5");
    expect(replaced.placement!.replaces).not.toBeNull();
    expect(w.host.workbook.usedRange("Data")).toBe("Data!A1:E5");
  });

  it("does not treat a user's column called 'weight' as its own", async () => {
    const w = workbook((host) => host.workbook.setValues("Data", "D1", [["weight"], [7], [7], [7], [7]]));
    uninstall = w.uninstall;
    const { confirm, placement } = await placeAndWrite("replace");
    expect(confirm).not.toHaveBeenCalled();
    expect(placement!.address).toBe("Data!E1:E5");
    expect(w.host.workbook.getValues("Data", "D2:D5").map((r) => r[0])).toEqual([7, 7, 7, 7]);
  });

  it("does not replace a recorded column whose header the user changed", async () => {
    const w = workbook();
    uninstall = w.uninstall;
    await placeAndWrite("replace");
    w.host.workbook.setValues("Data", "D1", [["my weights"]]);
    const { confirm, placement } = await placeAndWrite("replace");
    expect(confirm).not.toHaveBeenCalled();
    expect(placement!.address).toBe("Data!E1:E5");
    expect(w.host.workbook.getValues("Data", "D1")[0][0]).toBe("my weights");
  });

  it("treats a column holding only a formula as used", async () => {
    const w = workbook((host) => host.workbook.setValues("Data", "D4", [['=""']]));
    uninstall = w.uninstall;
    const { placement } = await placeAndWrite("replace");
    expect(placement!.address).toBe("Data!E1:E5");
    expect(w.host.workbook.getCell("Data", "D4").formula).toBe('=""');
  });

  it("writes a header that looks like a formula as text", async () => {
    const w = workbook();
    uninstall = w.uninstall;
    await placeAndWrite("replace", "=w");
    const cell = w.host.workbook.getCell("Data", "D1");
    expect(cell.value).toBe("=w");
    expect(cell.formula).toBeUndefined();
  });

  it("halves write blocks on payload errors", async () => {
    const n = 4000;
    const rows = [["x"], ...Array.from({ length: n }, (_, i) => [i])];
    const host = createFakeHost({ mode: "web", limits: { payloadLimitBytes: 30_000 }, sheets: { Data: rows } });
    uninstall = host.install(globalThis);
    const data: SheetRect = { sheet: "Data", r0: 0, c0: 0, r1: n, c1: 0 };
    const placement = await planWeightColumn(data, [], async () => "cancel");
    const values = Float64Array.from({ length: n }, (_, i) => i / 7);
    const { stats } = await writeWeightColumn(placement!, values, { header: "weight" });
    expect(stats.halvings).toBeGreaterThan(0);
    const written = host.workbook.getValues("Data", `B2:B${n + 1}`).map((r) => r[0]);
    expect(written).toEqual(Array.from(values));
  });
});

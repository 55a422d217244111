/** Tests of the fake Excel host itself (tests/fake-excel). */
import {
  createFakeHost,
  FakeHost,
  FakeHostOptions,
  FakeOfficeError,
  parseAddress,
  formatAddress,
  colToIndex,
  indexToCol,
  MAX_ROWS,
} from "./";

type Ctx = InstanceType<FakeHost["Excel"]["RequestContext"]>;

function host(mode: "web" | "desktop" = "web", extra: Partial<FakeHostOptions> = {}) {
  return createFakeHost({ mode, ...extra });
}

async function codeOf(p: Promise<unknown> | (() => unknown)): Promise<string | undefined> {
  try {
    if (typeof p === "function") await p();
    else await p;
  } catch (e) {
    return (e as { code?: string }).code;
  }
  return undefined;
}

describe("load/sync strictness", () => {
  test("reading a property before load+sync throws PropertyNotLoaded with the real message", async () => {
    const h = host();
    h.workbook.setValues("Sheet1", "A1", [[1, 2]]);
    await h.Excel.run(async (ctx: Ctx) => {
      const r = ctx.workbook.worksheets.getItem("Sheet1").getRange("A1:B1");
      let err: unknown;
      try {
        void r.values;
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(FakeOfficeError);
      expect((err as FakeOfficeError).code).toBe("PropertyNotLoaded");
      expect((err as FakeOfficeError).message).toBe(
        `The property 'values' is not available. Before reading the property's value, call the load method on the containing object and call "context.sync()" on the associated request context.`,
      );
      r.load("values");
      // loaded but not synced: still not available
      expect(() => r.values).toThrow(expect.objectContaining({ code: "PropertyNotLoaded" }));
      await ctx.sync();
      expect(r.values).toEqual([[1, 2]]);
      // address was not loaded
      expect(() => r.address).toThrow(expect.objectContaining({ code: "PropertyNotLoaded" }));
    });
  });

  test("load accepts string, array and object forms", async () => {
    const h = host();
    h.workbook.setValues("Sheet1", "B2", [["a", 3]]);
    await h.Excel.run(async (ctx: Ctx) => {
      const s = ctx.workbook.worksheets.getItem("Sheet1");
      const a = s
        .getRange("B2:C2")
        .load("values, address, rowIndex, columnIndex, rowCount, columnCount, numberFormat, formulas, text");
      const b = s.getRange("B2:C2").load(["address", "rowCount"]);
      const c = s.getRange("B2:C2").load({ select: "columnCount, values" });
      const d = s.getRange("B2:C2").load({ address: true, format: { font: { bold: true } } } as never);
      await ctx.sync();
      expect(a.address).toBe("Sheet1!B2:C2");
      expect([a.rowIndex, a.columnIndex, a.rowCount, a.columnCount]).toEqual([1, 1, 1, 2]);
      expect(a.numberFormat).toEqual([["General", "General"]]);
      expect(a.formulas).toEqual([["a", 3]]);
      expect(a.text).toEqual([["a", "3"]]);
      expect(b.rowCount).toBe(1);
      expect(() => b.values).toThrow();
      expect(c.values).toEqual([["a", 3]]);
      expect(d.address).toBe("Sheet1!B2:C2");
      expect(d.format.font.bold).toBe(false);
    });
  });

  test("queued writes are not visible before sync, and apply in order at sync", async () => {
    const h = host();
    await h.Excel.run(async (ctx: Ctx) => {
      const r = ctx.workbook.worksheets.getItem("Sheet1").getRange("A1");
      const before = ctx.workbook.worksheets.getItem("Sheet1").getRange("A1").load("values");
      r.values = [[1]];
      const after1 = ctx.workbook.worksheets.getItem("Sheet1").getRange("A1").load("values");
      r.values = [[2]];
      expect(h.workbook.getValues("Sheet1", "A1")).toEqual([[""]]);
      expect(h.workbook.counters.writes).toBe(0);
      await ctx.sync();
      expect(before.values).toEqual([[""]]);
      expect(after1.values).toEqual([[1]]);
      expect(h.workbook.getValues("Sheet1", "A1")).toEqual([[2]]);
      expect(h.workbook.counters.writes).toBe(2);
    });
  });

  test("a proxy used after its Excel.run ended, or in another context, throws InvalidObjectPath", async () => {
    const h = host();
    let kept: ReturnType<Ctx["workbook"]["worksheets"]["getItem"]> | undefined;
    await h.Excel.run(async (ctx: Ctx) => {
      kept = ctx.workbook.worksheets.getItem("Sheet1");
      await ctx.sync();
    });
    expect(await codeOf(() => kept!.getRange("A1"))).toBe("InvalidObjectPath");
    await h.Excel.run(async (ctx1: Ctx) => {
      await h.Excel.run(async (ctx2: Ctx) => {
        const r1 = ctx1.workbook.worksheets.getItem("Sheet1").getRange("A1:B2");
        const s2 = ctx2.workbook.worksheets.getItem("Sheet1");
        expect(await codeOf(() => s2.charts.add("Line", r1 as never, "Auto"))).toBe("InvalidObjectPath");
      });
    });
  });

  test("errors at sync are OfficeExtension.Error-like with code, message, debugInfo; earlier ops stay applied", async () => {
    const h = host();
    await h.Excel.run(async (ctx: Ctx) => {
      ctx.workbook.worksheets.getItem("Sheet1").getRange("A1").values = [["kept"]];
      ctx.workbook.worksheets.getItem("Nope").getRange("A1").values = [["x"]];
      ctx.workbook.worksheets.getItem("Sheet1").getRange("A2").values = [["dropped"]];
      let err: FakeOfficeError | undefined;
      try {
        await ctx.sync();
      } catch (e) {
        err = e as FakeOfficeError;
      }
      expect(err).toBeInstanceOf(h.OfficeExtension.Error);
      expect(err!.code).toBe("ItemNotFound");
      expect(err!.debugInfo.code).toBe("ItemNotFound");
      expect(err!.debugInfo.errorLocation).toBeDefined();
    });
    expect(h.workbook.getValues("Sheet1", "A1:A2")).toEqual([["kept"], [""]]);
    expect(h.OfficeExtension.ErrorCodes.propertyNotLoaded).toBe("PropertyNotLoaded");
  });

  test("Excel.run syncs what is left queued, and counts it", async () => {
    const h = host();
    await h.Excel.run(async (ctx: Ctx) => {
      ctx.workbook.worksheets.getItem("Sheet1").getRange("C3").values = [[7]];
    });
    expect(h.workbook.getValues("Sheet1", "C3")).toEqual([[7]]);
    expect(h.workbook.counters.implicitSyncs).toBe(1);
  });

  test("OfficeExtension.ClientResult from getCount is only readable after sync", async () => {
    const h = host("web", { sheets: ["A", "B"] });
    await h.Excel.run(async (ctx: Ctx) => {
      const n = ctx.workbook.worksheets.getCount();
      expect(() => n.value).toThrow(expect.objectContaining({ code: "ValueNotLoaded" }));
      await ctx.sync();
      expect(n.value).toBe(2);
    });
  });

  test("assigning an unknown property on a proxy throws (objects are not extensible)", async () => {
    const h = host();
    await h.Excel.run(async (ctx: Ctx) => {
      const r = ctx.workbook.worksheets.getItem("Sheet1").getRange("A1") as unknown as Record<string, unknown>;
      expect(() => {
        r.valuez = [[1]];
      }).toThrow(TypeError);
    });
  });
});

describe("limits", () => {
  test("a read of more than maxCellsPerRead cells returns null silently", async () => {
    const h = host("web", { limits: { maxCellsPerRead: 100 } });
    h.workbook.setValues("Sheet1", "A1", [[1]]);
    await h.Excel.run(async (ctx: Ctx) => {
      const s = ctx.workbook.worksheets.getItem("Sheet1");
      const big = s.getRange("A1:K10").load("values, address, rowCount"); // 110 cells
      const ok = s.getRange("A1:J10").load("values"); // 100 cells
      await ctx.sync();
      expect(big.values).toBeNull();
      expect(big.address).toBe("Sheet1!A1:K10");
      expect(big.rowCount).toBe(10);
      expect(ok.values.length).toBe(10);
      expect(ok.values[0][0]).toBe(1);
    });
    expect(h.workbook.counters.nullReads).toBe(1);
  });

  test("the default 5,000,000-cell read cap applies to a whole-column read of 5 columns", async () => {
    const h = host("desktop");
    h.workbook.setValues("Sheet1", "A1", [[1, 2, 3, 4, 5]]);
    await h.Excel.run(async (ctx: Ctx) => {
      const s = ctx.workbook.worksheets.getItem("Sheet1");
      const five = s.getRange("A:E").load("values"); // 5 * 1,048,576 > 5,000,000
      const four = s.getRange("A:D").load("values");
      await ctx.sync();
      expect(five.values).toBeNull();
      expect(four.values).toEqual([[1, 2, 3, 4]]);
    });
  });

  test("web: a request payload over the limit throws RequestPayloadSizeLimitExceeded and applies nothing", async () => {
    const h = host("web", { limits: { payloadLimitBytes: 1000 } });
    const rows = Array.from({ length: 200 }, (_, i) => [i]);
    let code: string | undefined;
    await h.Excel.run(async (ctx: Ctx) => {
      const s = ctx.workbook.worksheets.getItem("Sheet1");
      s.getRange("B1").values = [["small write in the same batch"]];
      s.getRange("A1:A200").values = rows;
      code = await codeOf(ctx.sync());
    });
    expect(code).toBe("RequestPayloadSizeLimitExceeded");
    expect(h.workbook.getValues("Sheet1", "A1:B1")).toEqual([["", ""]]);
    expect(h.workbook.counters.payloadErrors).toBe(1);
    expect(h.workbook.counters.lastRequestBytes).toBeGreaterThan(1000);
  });

  test("web: a response payload over the limit throws and rolls back the batch's writes", async () => {
    const h = host("web", { limits: { payloadLimitBytes: 2000 } });
    h.workbook.setValues(
      "Sheet1",
      "A1",
      Array.from({ length: 300 }, (_, i) => [`row ${i}`]),
    );
    let code: string | undefined;
    await h.Excel.run(async (ctx: Ctx) => {
      const s = ctx.workbook.worksheets.getItem("Sheet1");
      s.getRange("C1").values = [["written before the big read"]];
      ctx.workbook.worksheets.add("NewSheet");
      const r = s.getRange("A1:A300").load("values");
      code = await codeOf(ctx.sync());
      expect(() => r.values).toThrow(expect.objectContaining({ code: "PropertyNotLoaded" }));
      // halving works
      const half = s.getRange("A1:A100").load("values");
      await ctx.sync();
      expect(half.values[99]).toEqual(["row 99"]);
    });
    expect(code).toBe("ResponsePayloadSizeLimitExceeded");
    expect(h.workbook.getValues("Sheet1", "C1")).toEqual([[""]]);
    expect(h.workbook.sheetNames()).toEqual(["Sheet1"]);
  });

  test("desktop mode has no payload limit; mode can be toggled on the handle", async () => {
    const h = host("desktop", { limits: { payloadLimitBytes: 100 } });
    const rows = Array.from({ length: 200 }, (_, i) => [i]);
    await h.Excel.run(async (ctx: Ctx) => {
      ctx.workbook.worksheets.getItem("Sheet1").getRange("A1:A200").values = rows;
      await ctx.sync();
    });
    expect(h.workbook.getValues("Sheet1", "A200")).toEqual([[199]]);
    h.workbook.mode = "web";
    const code = await codeOf(
      h.Excel.run(async (ctx: Ctx) => {
        ctx.workbook.worksheets.getItem("Sheet1").getRange("B1:B200").values = rows;
        await ctx.sync();
      }),
    );
    expect(code).toBe("RequestPayloadSizeLimitExceeded");
  });

  test("counters and calculation suspension", async () => {
    const h = host();
    await h.Excel.run(async (ctx: Ctx) => {
      ctx.application.suspendApiCalculationUntilNextSync();
      ctx.workbook.worksheets.getItem("Sheet1").getRange("A1:B2").values = [
        [1, 2],
        [3, 4],
      ];
      await ctx.sync();
      const r = ctx.workbook.worksheets.getItem("Sheet1").getRange("A1:B2").load("values");
      ctx.application.load("calculationMode");
      await ctx.sync();
      expect(ctx.application.calculationMode).toBe("Automatic");
      ctx.application.calculationMode = "Manual";
      await ctx.sync();
      expect(r.values[1][1]).toBe(4);
    });
    const c = h.workbook.counters;
    expect(c.syncs).toBe(3);
    expect(c.calculationSuspends).toBe(1);
    expect(c.syncsWithCalculationSuspended).toBe(2); // the suspended one, and the one that switched to Manual
    expect(c.cellsWritten).toBe(4);
    expect(c.reads).toBe(1);
    expect(h.workbook.calculationMode).toBe("Manual");
    h.workbook.resetCounters();
    expect(h.workbook.counters.syncs).toBe(0);
  });
});

describe("Excel cell semantics", () => {
  test("formula conversion: '=' strings become formulas; values read '#NAME?', formulas read the text", async () => {
    const h = host();
    await h.Excel.run(async (ctx: Ctx) => {
      const s = ctx.workbook.worksheets.getItem("Sheet1");
      s.getRange("A1:F1").values = [["=SUM(1,2)", "'=abc", "-abc", "007", "-5", "TRUE"]];
      const r = s.getRange("A1:F1").load("values, formulas, valueTypes");
      await ctx.sync();
      expect(r.values).toEqual([["#NAME?", "=abc", "#NAME?", 7, -5, true]]);
      expect(r.formulas).toEqual([["=SUM(1,2)", "=abc", "=-abc", 7, -5, true]]);
      expect(r.valueTypes).toEqual([["Error", "String", "Error", "Double", "Double", "Boolean"]]);
    });
    expect(h.workbook.getCell("Sheet1", "B1")).toMatchObject({ value: "=abc", formula: undefined, quotePrefix: true });
    expect(h.workbook.getCell("Sheet1", "A1").formula).toBe("=SUM(1,2)");
  });

  test("numberFormat '@' keeps a later '=x' write as text; formulaValue option", async () => {
    const h = host("web", { formulaValue: (f) => (f === "=1+1" ? 2 : 0) });
    await h.Excel.run(async (ctx: Ctx) => {
      const s = ctx.workbook.worksheets.getItem("Sheet1");
      s.getRange("A1:A2").numberFormat = [["@"], ["General"]];
      s.getRange("A1:A2").values = [["=x"], ["=1+1"]];
      const r = s.getRange("A1:A2").load("values, formulas, numberFormat");
      await ctx.sync();
      expect(r.values).toEqual([["=x"], [2]]);
      expect(r.formulas).toEqual([["=x"], ["=1+1"]]);
      expect(r.numberFormat).toEqual([["@"], ["General"]]);
    });
    expect(h.workbook.getNumberFormats("Sheet1", "A1:A2")).toEqual([["@"], ["General"]]);
  });

  test("a 1×1 number format applies to every cell of the range; 1×1 values do not (docs-reference #578)", async () => {
    const h = host();
    await h.Excel.run(async (ctx: Ctx) => {
      const s = ctx.workbook.worksheets.getItem("Sheet1");
      s.getRange("A1:B3").numberFormat = [["0.00"]];
      await ctx.sync();
      s.getRange("A1:B3").values = [[1]];
      await expect(ctx.sync()).rejects.toMatchObject({ code: "InvalidArgument" });
    });
    expect(h.workbook.getNumberFormats("Sheet1", "A1:B3")).toEqual([
      ["0.00", "0.00"],
      ["0.00", "0.00"],
      ["0.00", "0.00"],
    ]);
  });

  test("empty cells read as '', null leaves a cell unchanged, '' clears it, NaN is dropped like JSON null", async () => {
    const h = host();
    h.workbook.setValues("Sheet1", "A1", [[1, 2, 3]]);
    await h.Excel.run(async (ctx: Ctx) => {
      const s = ctx.workbook.worksheets.getItem("Sheet1");
      s.getRange("A1:D1").values = [[null, "", NaN, null]];
      const r = s.getRange("A1:D1").load("values");
      await ctx.sync();
      expect(r.values).toEqual([[1, "", 3, ""]]);
    });
  });

  test("a 2-D array must match the range; a scalar broadcasts", async () => {
    const h = host();
    const code = await codeOf(
      h.Excel.run(async (ctx: Ctx) => {
        ctx.workbook.worksheets.getItem("Sheet1").getRange("A1:B2").values = [[1, 2, 3]];
        await ctx.sync();
      }),
    );
    expect(code).toBe("InvalidArgument");
    const code2 = await codeOf(
      h.Excel.run(async (ctx: Ctx) => {
        ctx.workbook.worksheets.getItem("Sheet1").getRange("A1:B2").values = [[1]];
        await ctx.sync();
      }),
    );
    expect(code2).toBe("InvalidArgument");
    await h.Excel.run(async (ctx: Ctx) => {
      const r = ctx.workbook.worksheets.getItem("Sheet1").getRange("A1:B2");
      r.values = 5 as never;
      r.numberFormat = "0.00" as never;
      await ctx.sync();
    });
    expect(h.workbook.getValues("Sheet1", "A1:B2")).toEqual([
      [5, 5],
      [5, 5],
    ]);
    expect(h.workbook.getText("Sheet1", "A1:B2")).toEqual([
      ["5.00", "5.00"],
      ["5.00", "5.00"],
    ]);
  });

  test("format.font.bold, autofitColumns, clear", async () => {
    const h = host();
    h.workbook.setValues("Sheet1", "A1", [
      ["header", "h2"],
      [1, 2],
    ]);
    await h.Excel.run(async (ctx: Ctx) => {
      const s = ctx.workbook.worksheets.getItem("Sheet1");
      s.getRange("A1:B1").format.font.bold = true;
      s.getRange("A:B").format.autofitColumns();
      s.getRange("B2").clear();
      const f = s.getRange("A1:B2").format.font.load("bold");
      const f1 = s.getRange("A1:B1").format.font.load("bold");
      await ctx.sync();
      expect(f.bold).toBeNull(); // mixed
      expect(f1.bold).toBe(true);
    });
    expect(h.workbook.getCell("Sheet1", "A1").bold).toBe(true);
    expect(h.workbook.autofitCalls("Sheet1")).toEqual(["Sheet1!A:B"]);
    expect(h.workbook.getValues("Sheet1", "A2:B2")).toEqual([[1, ""]]);
  });
});

describe("worksheets", () => {
  test("getItemOrNullObject: isNullObject after load+sync", async () => {
    const h = host();
    await h.Excel.run(async (ctx: Ctx) => {
      const missing = ctx.workbook.worksheets.getItemOrNullObject("Missing");
      const present = ctx.workbook.worksheets.getItemOrNullObject("sheet1"); // case-insensitive
      expect(() => missing.isNullObject).toThrow(expect.objectContaining({ code: "PropertyNotLoaded" }));
      missing.load("name");
      present.load("name");
      await ctx.sync();
      expect(missing.isNullObject).toBe(true);
      expect(present.isNullObject).toBe(false);
      expect(present.name).toBe("Sheet1");
    });
  });

  test("getItem of a missing sheet fails at sync with ItemNotFound; add rejects duplicates", async () => {
    const h = host();
    await h.Excel.run(async (ctx: Ctx) => {
      const ws = ctx.workbook.worksheets.getItem("Missing"); // no error yet
      ws.load("name");
      expect(await codeOf(ctx.sync())).toBe("ItemNotFound");
      ctx.workbook.worksheets.add("SHEET1");
      expect(await codeOf(ctx.sync())).toBe("ItemAlreadyExists");
      const added = ctx.workbook.worksheets.add("Diagnostics");
      added.getRange("A1").values = [["ok"]];
      added.activate();
      ctx.workbook.worksheets.load("items/name");
      await ctx.sync();
      expect(ctx.workbook.worksheets.items.map((w) => w.name)).toEqual(["Sheet1", "Diagnostics"]);
      const active = ctx.workbook.worksheets.getActiveWorksheet().load("name");
      await ctx.sync();
      expect(active.name).toBe("Diagnostics");
      added.delete();
      await ctx.sync();
    });
    expect(h.workbook.sheetNames()).toEqual(["Sheet1"]);
  });

  test("used range, getRangeByIndexes, relative ranges, selection", async () => {
    const h = host("web", {
      sheets: {
        Data: [
          ["a", "b"],
          [1, 2],
          [3, 4],
        ],
      },
    });
    h.workbook.select("Data", "B2:B3");
    await h.Excel.run(async (ctx: Ctx) => {
      const s = ctx.workbook.worksheets.getItem("Data");
      const used = s.getUsedRange(true).load("address");
      const byIdx = s.getRangeByIndexes(1, 0, 2, 2).load("values");
      const cell = s.getRange("A1:B3").getCell(2, 1).load("address");
      const off = s.getRange("A1").getOffsetRange(1, 1).getResizedRange(1, 0).load("address");
      const col = s.getRange("A1:B3").getColumn(1).getLastRow().load("address");
      const entire = s.getRange("B2").getEntireColumn().load("address");
      const sel = ctx.workbook.getSelectedRange().load("address, values");
      const nullUsed = ctx.workbook.worksheets.add("Empty").getUsedRangeOrNullObject();
      nullUsed.load("address");
      await ctx.sync();
      expect(used.address).toBe("Data!A1:B3");
      expect(byIdx.values).toEqual([
        [1, 2],
        [3, 4],
      ]);
      expect(cell.address).toBe("Data!B3");
      expect(off.address).toBe("Data!B2:B3");
      expect(col.address).toBe("Data!B3");
      expect(entire.address).toBe("Data!B:B");
      expect(sel.address).toBe("Data!B2:B3");
      expect(sel.values).toEqual([[2], [4]]);
      expect(nullUsed.isNullObject).toBe(true);
    });
  });

  test("tables, charts (with title) and freeze panes are recorded", async () => {
    const h = host("web", {
      sheets: {
        Data: [
          ["k", "v"],
          ["x", 1],
          ["y", 2],
        ],
      },
    });
    await h.Excel.run(async (ctx: Ctx) => {
      const s = ctx.workbook.worksheets.getItem("Data");
      const t = s.tables.add("A1:B3", true);
      t.name = "Weights";
      const chart = s.charts.add("ColumnClustered", s.getRange("A1:B3"), "Columns");
      chart.title.text = "Weights by k";
      s.freezePanes.freezeRows(1);
      await ctx.sync();
      s.tables.add("B2:C4", true); // overlaps
      expect(await codeOf(ctx.sync())).toBe("InvalidArgument");
    });
    expect(h.workbook.tables()).toEqual([
      expect.objectContaining({ name: "Weights", address: "Data!A1:B3", hasHeaders: true }),
    ]);
    expect(h.workbook.charts()).toEqual([
      expect.objectContaining({
        type: "ColumnClustered",
        sourceAddress: "Data!A1:B3",
        seriesBy: "Columns",
        title: "Weights by k",
      }),
    ]);
    expect(h.workbook.freezePanes("Data")).toEqual({ rows: 1, columns: 0 });
  });

  test("whole columns and rows read only up to the used range (bounded mode); 'full' returns every row", async () => {
    const h = host();
    h.workbook.setValues("Sheet1", "A1", [
      [1, 2],
      [3, 4],
    ]);
    await h.Excel.run(async (ctx: Ctx) => {
      const s = ctx.workbook.worksheets.getItem("Sheet1");
      const col = s.getRange("A:A").load("values, rowCount, address");
      const row = s.getRange("1:1").load("values, columnCount, address");
      await ctx.sync();
      expect(col.values).toEqual([[1], [3]]);
      expect(col.rowCount).toBe(MAX_ROWS);
      expect(col.address).toBe("Sheet1!A:A");
      expect(row.values).toEqual([[1, 2]]);
      expect(row.address).toBe("Sheet1!1:1");
    });
    h.workbook.wholeRangeReads = "full";
    // a full column of "" is over 5 MB of JSON: the web response limit trips, as it would in Excel on the web
    const code = await codeOf(
      h.Excel.run(async (ctx: Ctx) => {
        ctx.workbook.worksheets.getItem("Sheet1").getRange("B:B").load("values");
        await ctx.sync();
      }),
    );
    expect(code).toBe("ResponsePayloadSizeLimitExceeded");
    h.workbook.mode = "desktop";
    await h.Excel.run(async (ctx: Ctx) => {
      const col = ctx.workbook.worksheets.getItem("Sheet1").getRange("B:B").load("values");
      await ctx.sync();
      expect(col.values.length).toBe(MAX_ROWS);
      expect(col.values[1]).toEqual([4]);
    });
  });
});

describe("A1 addresses", () => {
  test("column letters", () => {
    expect(colToIndex("A")).toBe(0);
    expect(colToIndex("Z")).toBe(25);
    expect(colToIndex("AA")).toBe(26);
    expect(colToIndex("XFD")).toBe(16383);
    expect(indexToCol(26)).toBe("AA");
    expect(indexToCol(701)).toBe("ZZ");
    expect(indexToCol(702)).toBe("AAA");
  });

  test("parse and format", () => {
    expect(parseAddress("AA10").rect).toEqual({ r0: 9, c0: 26, r1: 9, c1: 26 });
    expect(parseAddress("'My Sheet'!A1:B2")).toEqual({ sheet: "My Sheet", rect: { r0: 0, c0: 0, r1: 1, c1: 1 } });
    expect(parseAddress("'It''s'!$B$2").sheet).toBe("It's");
    expect(parseAddress("Sheet1!B2:A1").rect).toEqual({ r0: 0, c0: 0, r1: 1, c1: 1 });
    expect(parseAddress("C:A").rect).toEqual({ r0: 0, c0: 0, r1: MAX_ROWS - 1, c1: 2 });
    expect(parseAddress("3:3").rect.r0).toBe(2);
    expect(() => parseAddress("A0")).toThrow();
    expect(() => parseAddress("XFE1")).toThrow();
    expect(() => parseAddress("A1:B2:C3")).toThrow();
    expect(formatAddress("My Sheet", { r0: 0, c0: 0, r1: 1, c1: 1 })).toBe("'My Sheet'!A1:B2");
    expect(formatAddress("Sheet1", { r0: 4, c0: 2, r1: 4, c1: 2 })).toBe("Sheet1!C5");
  });

  test("quoted sheet names through the API; a different sheet in getRange is an error", async () => {
    const h = host("web", { sheets: ["My Sheet"] });
    h.workbook.setValues("My Sheet", "A1", [
      [1, 2],
      [3, 4],
    ]);
    await h.Excel.run(async (ctx: Ctx) => {
      const s = ctx.workbook.worksheets.getItem("My Sheet");
      const r = s.getRange("'My Sheet'!A1:B2").load("values, address");
      await ctx.sync();
      expect(r.values).toEqual([
        [1, 2],
        [3, 4],
      ]);
      expect(r.address).toBe("'My Sheet'!A1:B2");
      s.getRange("Other!A1").load("values");
      expect(await codeOf(ctx.sync())).toBe("InvalidArgument");
    });
  });
});

describe("Office", () => {
  test("onReady, HostType, requirements", async () => {
    const h = host("desktop");
    const info = await h.Office.onReady();
    expect(info).toEqual({ host: "Excel", platform: "PC" });
    expect(info.host).toBe(h.Office.HostType.Excel);
    expect(h.Office.context.requirements.isSetSupported("ExcelApi", "1.12")).toBe(true);
    expect(h.Office.context.requirements.isSetSupported("ExcelApi", "1.99")).toBe(false);
    expect(h.Office.context.requirements.isSetSupported("NoSuchApi")).toBe(false);
  });

  test("settings round trip: set/get/remove, saveAsync callback shape, reload keeps only what was saved", async () => {
    const h = host();
    const settings = h.Office.context.document.settings;
    expect(settings.get("scheme")).toBeNull();
    settings.set("scheme", { targets: [1, 2] });
    settings.set("tmp", 1);
    settings.remove("tmp");
    const result = await new Promise<{ status: string; error: unknown }>((resolve) =>
      settings.saveAsync((r) => resolve(r)),
    );
    expect(result.status).toBe(h.Office.AsyncResultStatus.Succeeded);
    expect(result.error).toBeUndefined();
    settings.set("unsaved", true);
    expect(h.workbook.settings.saved()).toEqual({ scheme: { targets: [1, 2] } });
    h.workbook.settings.reload();
    expect(settings.get("unsaved")).toBeNull();
    expect(settings.get("scheme")).toEqual({ targets: [1, 2] });
  });

  test("install puts the namespaces on a global and uninstall restores it", () => {
    const h = host();
    const g: Record<string, unknown> = { Excel: "previous" };
    const uninstall = h.install(g, { exposeAs: "__fakeExcel" });
    expect(g.Excel).toBe(h.Excel);
    expect(g.Office).toBe(h.Office);
    expect(g.CustomFunctions).toBe(h.CustomFunctions);
    expect(g.__fakeExcel).toBe(h);
    uninstall();
    expect(g.Excel).toBe("previous");
    expect("Office" in g).toBe(false);
  });
});

describe("custom functions", () => {
  test("associate records registrations; invoke passes an invocation; errors map to cells", async () => {
    const h = host();
    h.CustomFunctions.associate("WEIGHT", (a: number, b: number | null, inv: CustomFunctions.Invocation) => {
      if (b === null) throw new h.CustomFunctions.Error(h.CustomFunctions.ErrorCode.invalidValue, "b is missing");
      return [[a + b, inv.address, inv.isInValuePreview]];
    });
    h.CustomFunctions.associate({
      OTHER: () => {
        throw new Error("boom");
      },
    });
    expect(h.functions.ids()).toEqual(["WEIGHT", "OTHER"]);
    const ok = h.functions.invoke("weight", [1, 2], { address: "Sheet1!C3", isInValuePreview: true });
    expect(await ok.result).toEqual([[3, "Sheet1!C3", true]]);
    const missing = await h.functions.invoke("WEIGHT", [1], { parameterCount: 2 }).outcome();
    expect(missing).toEqual({ error: "#VALUE!", message: "b is missing", canceled: false });
    expect(await h.functions.invoke("OTHER", []).outcome()).toEqual({ error: "#VALUE!", canceled: false });
    expect(h.CustomFunctions.ErrorCode.notAvailable).toBe("#N/A");
    expect(() => new h.CustomFunctions.Error("#BOGUS" as never)).toThrow();
  });

  test("cancellation calls onCanceled once", async () => {
    const h = host();
    let canceledCalls = 0;
    h.CustomFunctions.associate(
      "SLOW",
      (inv: CustomFunctions.CancelableInvocation) =>
        new Promise((resolve) => {
          inv.onCanceled = () => {
            canceledCalls++;
            resolve("stopped");
          };
        }),
    );
    const call = h.functions.invoke("SLOW", []);
    call.cancel();
    call.cancel();
    expect(canceledCalls).toBe(1);
    expect(call.canceled).toBe(true);
    expect(await call.outcome()).toEqual({ value: "stopped", canceled: true });
  });
});

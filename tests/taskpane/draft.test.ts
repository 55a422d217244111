// Draft target table in the pane: a new sheet with an Excel table of the data's categories (labels as text,
// never formulas), never over an existing sheet, and a *Check scheme* that names the empty target cells.
import { createFakeHost } from "../fake-excel";
import { draftTargetTable, draftVariables } from "../../taskpane/draft";
import { previewScheme } from "../../taskpane/run";
import { emptyScheme } from "../../taskpane/saved-scheme";
import { PaneError } from "../../taskpane/errors";

// a leading apostrophe types the label as text, as a user would for a label that starts with = + or @
const DATA = [
  ["id", "region", "score", "sex"],
  [1, "'=North", 3, "m"],
  [2, "'+South", 1, "f"],
  [3, "'=North", 3, "f"],
  [4, "'@East", 2, "m"],
];

describe("draft target table", () => {
  let uninstall: () => void = () => undefined;
  afterEach(() => uninstall());

  function install(sheets: Record<string, unknown[][]>) {
    const host = createFakeHost({ mode: "web", sheets });
    uninstall = host.install(globalThis);
    return host;
  }

  it("writes variable | category | sample n | sample % | target as a table on a new sheet, labels as text", async () => {
    const host = install({ Data: DATA });
    const out = await draftTargetTable({ dataAddress: "Data!A1:D5", variables: "region, score", missing: "error" });
    expect(out.sheet).toBe("RIM Targets");
    expect(out.tableAddress).toBe("'RIM Targets'!A1:E7");
    expect(out.targetAddress).toBe("'RIM Targets'!E2:E7");
    expect(out.categories).toBe(6);
    expect(host.workbook.getValues("RIM Targets", "A1:E7")).toEqual([
      ["variable", "category", "sample n", "sample %", "target"],
      ["region", "=North", 2, 50, ""],
      ["region", "+South", 1, 25, ""],
      ["region", "@East", 1, 25, ""],
      ["score", 1, 1, 25, ""],
      ["score", 2, 1, 25, ""],
      ["score", 3, 2, 50, ""],
    ]);
    for (const cell of ["B2", "B3", "B4"]) {
      const info = host.workbook.getCell("RIM Targets", cell);
      expect(info.formula).toBeUndefined();
      expect(info.numberFormat).toBe("@");
    }
    expect(host.workbook.getCell("RIM Targets", "D2").numberFormat).toBe("0.00");
    const tables = host.workbook.tables();
    expect(tables).toHaveLength(1);
    expect(tables[0]).toMatchObject({ sheet: "RIM Targets", address: "'RIM Targets'!A1:E7", hasHeaders: true });
  });

  it("crosses columns typed as `a x b`, and never writes over an existing sheet", async () => {
    const host = install({ Data: DATA, "RIM Targets": [["the user's own"]], "rim targets (2)": [["also theirs"]] });
    const out = await draftTargetTable({ dataAddress: "Data!A1:D5", variables: "sex x score", missing: "error" });
    expect(out.sheet).toBe("RIM Targets (3)");
    expect(host.workbook.getValues("RIM Targets", "A1")).toEqual([["the user's own"]]);
    expect(host.workbook.getValues("rim targets (2)", "A1")).toEqual([["also theirs"]]);
    expect(host.workbook.getValues("RIM Targets (3)", "A2:C5")).toEqual([
      ["sex x score", "m x 2", 1],
      ["sex x score", "m x 3", 1],
      ["sex x score", "f x 1", 1],
      ["sex x score", "f x 3", 1],
    ]);
  });

  it("names the field or column for bad input and writes nothing", async () => {
    const host = install({ Data: DATA });
    expect(() => draftVariables(" , ")).toThrow(PaneError);
    await expect(
      draftTargetTable({ dataAddress: "Data!A1:D5", variables: "region, income", missing: "error" }),
    ).rejects.toThrow(/income/);
    await expect(draftTargetTable({ dataAddress: "", variables: "region", missing: "error" })).rejects.toMatchObject({
      where: "data range",
    });
    expect(host.workbook.sheetNames()).toEqual(["Data"]);
  });

  it("Check scheme on the drafted table names every empty target cell", async () => {
    install({ Data: DATA });
    const out = await draftTargetTable({ dataAddress: "Data!A1:D5", variables: "region", missing: "error" });
    const saved = {
      ...emptyScheme(),
      dataAddress: "Data!A1:D5",
      targetsAddress: out.tableAddress,
      variables: ["region"],
    };
    const error = await previewScheme(saved).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(PaneError);
    expect((error as PaneError).where).toBe("'RIM Targets'!E2");
    expect((error as PaneError).message).toBe(
      "targets: 3 targets are blank ('RIM Targets'!E2:E4); fill in a number of at least 0 for each category.",
    );
  });
});

// functions/addresses.ts: invocation.parameterAddresses read as a sheet and range, and as the top-left cell the
// parser counts message cells from.
import { gridAddressOf, sheetAndRange } from "../../functions/addresses";

describe("gridAddressOf", () => {
  test.each([
    ["Sheet1!B2:F101", { sheet: "Sheet1", row: 1, col: 1 }],
    ["'My data'!$C$5:$D$9", { sheet: "My data", row: 4, col: 2 }],
    ["[Book1]Sheet1!A1", { sheet: "Sheet1", row: 0, col: 0 }],
    ["'O''Brien'!AA10", { sheet: "O'Brien", row: 9, col: 26 }],
    ["Data!B:F", { sheet: "Data", row: 0, col: 1 }],
    ["C3:D4", { row: 2, col: 2 }],
    ["", undefined],
    [undefined, undefined],
    ["{1,2;3,4}", undefined],
  ])("%s", (address, expected) => {
    expect(gridAddressOf(address)).toEqual(expected);
  });
});

describe("sheetAndRange", () => {
  test("sheet and range, quotes and a workbook prefix dropped; no sheet is no address", () => {
    expect(sheetAndRange("Data!A1:E501")).toEqual({ sheet: "Data", range: "A1:E501" });
    expect(sheetAndRange("[Book1]'It''s data'!$A$1:$C$9")).toEqual({ sheet: "It's data", range: "$A$1:$C$9" });
    expect(sheetAndRange("'[Book1]My data'!A1")).toEqual({ sheet: "My data", range: "A1" });
    expect(sheetAndRange("A1:B2")).toBeUndefined();
    expect(sheetAndRange("Data!")).toBeUndefined();
  });
});

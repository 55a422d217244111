// Range addresses (taskpane/address.ts): sheet-qualified addresses written and read back, and addresses as the
// user types them, as the pane's reader accepts them.
import { formatSheetAddress, parseSheetAddress } from "../../taskpane/address";
import { rectOf } from "../../taskpane/excel/read-data";

describe("sheet addresses", () => {
  test("a sheet named like an R1C1 reference is quoted and reads back as the same range", () => {
    const rect = { sheet: "R1C1", r0: 0, c0: 0, r1: 4, c1: 2 };
    expect(formatSheetAddress(rect)).toBe("'R1C1'!A1:C5");
    expect(parseSheetAddress(formatSheetAddress(rect))).toEqual(rect);
  });
});

describe("typed range addresses", () => {
  it("a list of areas is not read as one range on a sheet named 'Data!A1:C5,Data'", () => {
    expect(parseSheetAddress("Data!A1:C5,Data!E1:E5")).toBeNull();
    expect(() => rectOf("Data!A1:C5,Data!E1:E5", "data range")).toThrow(
      "The data range 'Data!A1:C5,Data!E1:E5' is not a range address like Data!A1:F500; set it from the selection.",
    );
    expect(parseSheetAddress("'Bob''s data, 2024'!A1:C5")).toEqual({
      sheet: "Bob's data, 2024",
      r0: 0,
      c0: 0,
      r1: 4,
      c1: 2,
    });
  });
});

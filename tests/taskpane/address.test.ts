// taskpane/address.ts: sheet-qualified range addresses, written and read back.
import { formatSheetAddress, parseSheetAddress } from "../../taskpane/address";

describe("sheet addresses", () => {
  test("a sheet named like an R1C1 reference is quoted and reads back as the same range", () => {
    const rect = { sheet: "R1C1", r0: 0, c0: 0, r1: 4, c1: 2 };
    expect(formatSheetAddress(rect)).toBe("'R1C1'!A1:C5");
    expect(parseSheetAddress(formatSheetAddress(rect))).toEqual(rect);
  });
});

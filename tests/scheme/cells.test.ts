// scheme/cells.ts: the one reading of a host value as a Cell (what every door uses), what a Cell reads as,
// and A1 addresses with quoted sheet names.
import {
  BLANK_CELL,
  cellAddress,
  isBlankRow,
  labelOf,
  numberOf,
  readCell,
  textOf,
  textNumber,
} from "../../scheme/cells";

describe("readCell", () => {
  test("empty values are blank; a 0 is the number 0 (a host that passes 0 for empty says so at its door)", () => {
    for (const empty of ["", "   ", null, undefined]) expect(readCell(empty)).toBe(BLANK_CELL);
    expect(readCell(0)).toEqual({ kind: "number", value: 0 });
    expect(isBlankRow([readCell(""), readCell(null)])).toBe(true);
    expect(isBlankRow([readCell(""), readCell(0)])).toBe(false);
  });

  test("text is trimmed; booleans are TRUE/FALSE; error words and error objects are errors", () => {
    expect(readCell("  x ")).toEqual({ kind: "text", text: "x" });
    expect(readCell(true)).toEqual({ kind: "text", text: "TRUE" });
    expect(readCell("#n/a")).toEqual({ kind: "error", text: "#N/A" });
    expect(readCell({ type: "Error", basicValue: "#REF!" })).toEqual({ kind: "error", text: "#REF!" });
    expect(readCell({ code: "#DIV/0!", errorType: "DivisionByZero" })).toEqual({ kind: "error", text: "#DIV/0!" });
    expect(readCell(new Error("bad"))).toEqual({ kind: "error", text: "#VALUE!" });
    expect(readCell(Number.NaN)).toEqual({ kind: "error", text: "#NUM!" });
    expect(readCell({ type: "String", basicValue: "y" })).toEqual({ kind: "text", text: "y" });
  });

  test("labels, numbers and shown text", () => {
    expect(labelOf(readCell(0.1 + 0.2))).toBe("0.3");
    expect(labelOf(readCell(""))).toBeNull();
    expect(labelOf(readCell("#N/A"))).toBeNull();
    expect(numberOf(readCell("25%"))).toBe(25);
    expect(numberOf(readCell("1,5"))).toBeNaN();
    expect(numberOf(readCell(true))).toBeNaN();
    expect(textNumber(" 1e3 ")).toBe(1000);
    expect(textOf(readCell({ type: "Error", basicValue: "#N/A" }))).toBe("#N/A");
    expect(textOf(readCell(2.5))).toBe("2.5");
  });
});

describe("cellAddress", () => {
  test("a sheet named like an A1 or R1C1 reference is quoted, a plain name is not", () => {
    expect(cellAddress({ sheet: "R1C1", row: 0, col: 0 }, 1, 2)).toBe("'R1C1'!C2");
    expect(cellAddress({ sheet: "RC", row: 0, col: 0 }, 0, 0)).toBe("'RC'!A1");
    expect(cellAddress({ sheet: "AB12", row: 0, col: 0 }, 0, 0)).toBe("'AB12'!A1");
    expect(cellAddress({ sheet: "It's", row: 4, col: 2 }, 0, 26)).toBe("'It''s'!AC5");
    expect(cellAddress({ sheet: "Results", row: 0, col: 0 }, 0, 0)).toBe("Results!A1");
  });
});

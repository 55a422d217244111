// The current selection as the task pane uses it: a range address for the inputs (whole columns or rows are
// cut to the sheet's used range), and the data column the selection sits in. Calls Excel.run; no React.
import { labelOf, readCell } from "../../scheme/cells";
import { formatSheetAddress, MAX_SHEET_COLS, MAX_SHEET_ROWS, parseSheetAddress, type SheetRect } from "../address";
import { PaneError } from "../errors";

function isWhole(rect: SheetRect): boolean {
  return (rect.r0 === 0 && rect.r1 === MAX_SHEET_ROWS - 1) || (rect.c0 === 0 && rect.c1 === MAX_SHEET_COLS - 1);
}

/** The selected range as a rect, whole columns/rows cut to the used range. */
export async function selectedRect(): Promise<SheetRect> {
  const address = await Excel.run(async (context) => {
    const range = context.workbook.getSelectedRange().load("address");
    await context.sync();
    const rect = parseSheetAddress(range.address);
    if (!rect || !isWhole(rect)) return range.address;
    const used = range.getUsedRangeOrNullObject(true).load("address");
    await context.sync();
    if (used.isNullObject)
      throw new PaneError(`The selection ${range.address} is empty; select the cells to use.`, range.address);
    return used.address;
  });
  const rect = parseSheetAddress(address);
  if (!rect)
    throw new PaneError(`The selection '${address}' is not one block of cells; select one rectangular range.`, address);
  return rect;
}

export async function selectedAddress(): Promise<string> {
  return formatSheetAddress(await selectedRect());
}

/** The header name of the data column holding the selection (for base weight / group pickers). */
export async function selectedColumnName(data: SheetRect): Promise<string> {
  const selection = await selectedRect();
  const inside = selection.sheet === data.sheet && selection.c0 >= data.c0 && selection.c0 <= data.c1;
  if (!inside)
    throw new PaneError(
      `The selection ${formatSheetAddress(selection)} is not a column of the data range ${formatSheetAddress(data)}.`,
      formatSheetAddress(selection),
    );
  const value = await Excel.run(async (context) => {
    const cell = context.workbook.worksheets.getItem(data.sheet).getCell(data.r0, selection.c0).load("values");
    await context.sync();
    return cell.values[0][0] as unknown;
  });
  const name = labelOf(readCell(value));
  if (name === null)
    throw new PaneError(
      `The data column at ${formatSheetAddress({ ...selection, r0: data.r0, r1: data.r0, c1: selection.c0 })} has no header name.`,
    );
  return name;
}

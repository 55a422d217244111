// Writes a drafted target table (scheme/draft.ts's grid) to a NEW sheet as an Excel table: never over an
// existing sheet (a taken name gets a fresh one, `RIM Targets (2)`). Text cells get the Text number format
// before their values, so a category such as "=x" or "+1 to 3" stays a label and never becomes a formula
// (the way diagnostics-sheet.ts writes labels); the table comes last. Calls Excel.run; imports no React.
import { DRAFT_HEADER } from "../../scheme/draft";
import { formatSheetAddress } from "../address";
import { PaneError } from "../errors";
import { freeSheetName, textFormats } from "./diagnostics-sheet";

export const DRAFT_SHEET = "RIM Targets";
/** sample % is shown with two decimals; the value keeps every digit */
const PCT_FORMAT = "0.00";
const PCT_COLUMN = DRAFT_HEADER.indexOf("sample %");

export interface DraftSheet {
  sheet: string;
  /** the table's range with its header row, sheet-qualified: what *Target table* is set to */
  tableAddress: string;
  /** the empty target cells, sheet-qualified (the last column below the header) */
  targetAddress: string;
}

async function addFreshSheet(): Promise<string> {
  return Excel.run(async (context) => {
    const sheets = context.workbook.worksheets;
    sheets.load("items/name");
    await context.sync();
    const sheet = sheets.add(
      freeSheetName(
        sheets.items.map((s) => s.name),
        DRAFT_SHEET,
      ),
    );
    sheet.load("name");
    await context.sync();
    return sheet.name;
  });
}

async function fillSheet(name: string, grid: (string | number)[][]): Promise<void> {
  await Excel.run(async (context) => {
    context.workbook.application.suspendApiCalculationUntilNextSync();
    const sheet = context.workbook.worksheets.getItem(name);
    const range = sheet.getRangeByIndexes(0, 0, grid.length, grid[0].length);
    range.numberFormat = textFormats(grid);
    range.values = grid;
    const pct = grid.slice(1).map(() => [PCT_FORMAT]);
    if (pct.length > 0) sheet.getRangeByIndexes(1, PCT_COLUMN, pct.length, 1).numberFormat = pct;
    // Excel names the table (Table1, Table2 …): a fixed name could clash with one of the user's tables
    sheet.tables.add(range, true);
    range.format.autofitColumns();
    sheet.activate();
    await context.sync();
  });
}

/** Adds the sheet and the table; on failure removes the half-made sheet again (it is ours, made just now). */
export async function writeDraftSheet(grid: (string | number)[][]): Promise<DraftSheet> {
  const sheet = await addFreshSheet();
  try {
    await fillSheet(sheet, grid);
  } catch (error) {
    await Excel.run(async (context) => {
      context.workbook.worksheets.getItem(sheet).delete();
      await context.sync();
    }).catch(() => undefined);
    const detail = error instanceof Error ? error.message : String(error);
    throw new PaneError(`The target table could not be written to a new sheet '${sheet}': ${detail}`, sheet);
  }
  const width = grid[0].length;
  return {
    sheet,
    tableAddress: formatSheetAddress({ sheet, r0: 0, c0: 0, r1: grid.length - 1, c1: width - 1 }),
    targetAddress: formatSheetAddress({ sheet, r0: 1, c0: width - 1, r1: Math.max(1, grid.length - 1), c1: width - 1 }),
  };
}

// Writes the advisor's section (advisor-layout.ts) onto the diagnostics sheet, below the run's diagnostics,
// which stay as they are. The sheet is the one a run recognises as ours (diagnostics-sheet.ts: the recorded
// name with our title in A1); without one, a new sheet is made as a run makes it (`RIM Diagnostics`, or a fresh
// name), with that title in A1. An earlier advisor section on that
// sheet — recognised by its title in column A, the last such cell — is cleared and its chart deleted first,
// so advising again replaces the advice instead of piling it up. Text cells get the Text format before their
// values (never a formula), numeric formats follow, bold and the line chart come last. Calls Excel.run.
import { formatSheetAddress } from "../address";
import { PaneError } from "../errors";
import { ADVISOR_TITLE, type AdvisorLayout } from "./advisor-layout";
import { DIAGNOSTICS_TITLE, type LayoutRect } from "./diagnostics-layout";
import {
  DIAGNOSTICS_SHEET,
  findOurSheet,
  freeSheetName,
  textFormats,
  type DiagnosticsSheetRecord,
} from "./diagnostics-sheet";

/** The advisor's chart, by name: found and replaced when advising again. */
export const ADVISOR_CHART = "RIM advisor efficiency by cap";

export interface AdvisorSection {
  sheet: DiagnosticsSheetRecord;
  /** the section's cells, sheet-qualified */
  address: string;
}

/** Our diagnostics sheet, or a new one under a free name (`created`: removed again if the writing fails). */
async function openSheet(
  record: DiagnosticsSheetRecord | null,
): Promise<{ sheet: DiagnosticsSheetRecord; created: boolean }> {
  return Excel.run(async (context) => {
    const sheets = context.workbook.worksheets;
    sheets.load("items/name");
    await context.sync();
    const ours = await findOurSheet(context, sheets, record);
    if (ours) return { sheet: { name: ours.name }, created: false };
    const sheet = sheets.add(
      freeSheetName(
        sheets.items.map((s) => s.name),
        DIAGNOSTICS_SHEET,
      ),
    );
    // The run's title in A1 makes the sheet ours for a later run, which replaces it (diagnostics-sheet.ts).
    sheet.getRange("A1").values = [[DIAGNOSTICS_TITLE]];
    sheet.load("name");
    await context.sync();
    return { sheet: { name: sheet.name }, created: true };
  });
}

async function deleteSheet(name: string): Promise<void> {
  await Excel.run(async (context) => {
    context.workbook.worksheets.getItem(name).delete();
    await context.sync();
  });
}

/** The section's top row: where an earlier advisor section starts (cleared here), else two rows below the rest. */
async function clearPlace(sheetName: string): Promise<number> {
  return Excel.run(async (context) => {
    const sheet = context.workbook.worksheets.getItem(sheetName);
    const used = sheet.getUsedRangeOrNullObject(true);
    used.load("rowIndex,rowCount,columnIndex,columnCount");
    const chart = sheet.charts.getItemOrNullObject(ADVISOR_CHART).load("name");
    await context.sync();
    if (used.isNullObject) return 0;
    const firstColumn = sheet.getRangeByIndexes(0, 0, used.rowIndex + used.rowCount, 1);
    firstColumn.load("values");
    await context.sync();
    const titles = firstColumn.values.map((row, r) => (row[0] === ADVISOR_TITLE ? r : -1)).filter((r) => r >= 0);
    if (!chart.isNullObject) chart.delete();
    if (titles.length === 0) {
      await context.sync();
      return used.rowIndex + used.rowCount + 2;
    }
    const top = titles[titles.length - 1];
    sheet.getRangeByIndexes(top, 0, used.rowIndex + used.rowCount - top, used.columnIndex + used.columnCount).clear();
    await context.sync();
    return top;
  });
}

function rangeAt(sheet: Excel.Worksheet, top: number, rect: LayoutRect): Excel.Range {
  return sheet.getRangeByIndexes(top + rect.r0, rect.c0, rect.r1 - rect.r0 + 1, rect.c1 - rect.c0 + 1);
}

async function writeSection(sheetName: string, top: number, layout: AdvisorLayout): Promise<void> {
  await Excel.run(async (context) => {
    context.workbook.application.suspendApiCalculationUntilNextSync();
    const sheet = context.workbook.worksheets.getItem(sheetName);
    const range = sheet.getRangeByIndexes(top, 0, layout.values.length, layout.width);
    range.numberFormat = textFormats(layout.values);
    range.values = layout.values;
    range.numberFormat = layout.numberFormats;
    for (const rect of layout.bold) rangeAt(sheet, top, rect).format.font.bold = true;
    range.format.autofitColumns();
    const chart = sheet.charts.add("Line", rangeAt(sheet, top, layout.chart.source), "Columns");
    chart.name = ADVISOR_CHART;
    chart.title.text = layout.chart.title;
    chart.legend.visible = false;
    chart.setPosition(
      sheet.getRangeByIndexes(top, layout.width + 1, 1, 1),
      sheet.getRangeByIndexes(top + 18, layout.width + 8, 1, 1),
    );
    sheet.activate();
    range.getCell(0, 0).select();
    await context.sync();
  });
}

/** Writes the section; returns where. The caller keeps the sheet's record in the settings. */
export async function writeAdvisorSection(
  layout: AdvisorLayout,
  record: DiagnosticsSheetRecord | null,
): Promise<AdvisorSection> {
  const { sheet, created } = await openSheet(record);
  let top = 0;
  try {
    top = await clearPlace(sheet.name);
    await writeSection(sheet.name, top, layout);
  } catch (error) {
    if (created) await deleteSheet(sheet.name).catch(() => undefined);
    const detail = error instanceof Error ? error.message : String(error);
    throw new PaneError(`The advice could not be written to the sheet '${sheet.name}': ${detail}`, sheet.name);
  }
  const address = formatSheetAddress({
    sheet: sheet.name,
    r0: top,
    c0: 0,
    r1: top + layout.values.length - 1,
    c1: layout.width - 1,
  });
  return { sheet, address };
}

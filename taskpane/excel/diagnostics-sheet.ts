// Writes the diagnostics layout (diagnostics-layout.ts) to a sheet: `RIM Diagnostics`, replacing only the sheet
// this add-in made last time, otherwise a fresh name like `RIM Diagnostics (2)`. Ours is the sheet of the name
// the workbook settings recorded whose A1 still holds the layout's title: both survive saving and reopening,
// while worksheet ids need not (office-js-docs-reference #297, office-js #1390). Text cells get the Text number
// format before their values are written, so a label such as "=x" or "-5 to 5" stays text and never becomes a
// formula; numeric formats follow the values; bold, widths and the chart come last. Calls Excel.run; imports no
// React.
import { DIAGNOSTICS_TITLE, type DiagnosticsLayout, type LayoutRect } from "./diagnostics-layout";
import { PaneError } from "../errors";

export const DIAGNOSTICS_SHEET = "RIM Diagnostics";
/** Rows per request when writing the grid (a diagnostics sheet is small; this bounds the payload anyway). */
const ROWS_PER_BATCH = 2_000;

/** What the settings keep about the sheet this add-in created. */
export interface DiagnosticsSheetRecord {
  name: string;
}

/** `base`, or `base (2)`, `base (3)` … : the first name not taken (Excel compares sheet names without case). */
export function freeSheetName(taken: readonly string[], base = DIAGNOSTICS_SHEET): string {
  const lower = new Set(taken.map((n) => n.toLowerCase()));
  if (!lower.has(base.toLowerCase())) return base;
  for (let i = 2; ; i++) {
    const name = `${base} (${i})`;
    if (!lower.has(name.toLowerCase())) return name;
  }
}

/** "@" for text cells, null (leave alone) elsewhere: applied before the values. */
export function textFormats(values: readonly (readonly (string | number)[])[]): (string | null)[][] {
  return values.map((row) => row.map((v) => (typeof v === "string" && v !== "" ? "@" : null)));
}

/** The sheet named in the record, if it still carries our title in A1 (the user may have reused the name). */
async function findOurSheet(
  context: Excel.RequestContext,
  sheets: Excel.WorksheetCollection,
  record: DiagnosticsSheetRecord | null,
): Promise<Excel.Worksheet | undefined> {
  const named = record && sheets.items.find((s) => s.name.toLowerCase() === record.name.toLowerCase());
  if (!named) return undefined;
  const a1 = named.getRange("A1");
  a1.load("values");
  await context.sync();
  return a1.values[0][0] === DIAGNOSTICS_TITLE ? named : undefined;
}

/** Deletes our previous sheet (if it is still ours) and adds a new one; returns its record. */
async function replaceOrAddSheet(record: DiagnosticsSheetRecord | null): Promise<DiagnosticsSheetRecord> {
  return Excel.run(async (context) => {
    const sheets = context.workbook.worksheets;
    sheets.load("items/name");
    await context.sync();
    const ours = await findOurSheet(context, sheets, record);
    const taken = sheets.items.filter((s) => s !== ours).map((s) => s.name);
    const name = ours ? ours.name : freeSheetName(taken);
    ours?.delete();
    const sheet = sheets.add(name);
    sheet.load("name");
    await context.sync();
    return { name: sheet.name };
  });
}

/** Queues rows [r0, r1) of the layout: Text format on text cells first, then the values, then their formats. */
function queueRows(sheet: Excel.Worksheet, layout: DiagnosticsLayout, r0: number, r1: number): void {
  const range = sheet.getRangeByIndexes(r0, 0, r1 - r0, layout.width);
  const values = layout.values.slice(r0, r1);
  range.numberFormat = textFormats(values);
  range.values = values;
  range.numberFormat = layout.numberFormats.slice(r0, r1);
}

function rangeOf(sheet: Excel.Worksheet, rect: LayoutRect): Excel.Range {
  return sheet.getRangeByIndexes(rect.r0, rect.c0, rect.r1 - rect.r0 + 1, rect.c1 - rect.c0 + 1);
}

/** Queues bold headers, column widths, and the clustered column chart of target vs achieved; shows the sheet. */
function queueFinish(sheet: Excel.Worksheet, layout: DiagnosticsLayout): void {
  for (const rect of layout.bold) rangeOf(sheet, rect).format.font.bold = true;
  sheet.getRangeByIndexes(0, 0, layout.values.length, layout.width).format.autofitColumns();
  if (layout.chart) {
    const chart = sheet.charts.add("ColumnClustered", rangeOf(sheet, layout.chart.source), "Columns");
    chart.title.text = layout.chart.title;
    chart.legend.position = "Bottom";
    const top = layout.sections.summary;
    chart.setPosition(
      sheet.getRangeByIndexes(top, layout.width + 1, 1, 1),
      sheet.getRangeByIndexes(top + 20, layout.width + 9, 1, 1),
    );
  }
  sheet.activate();
}

/** One batch of rows [r0, r1), calculation suspended; the last batch also carries the finish (bold, widths, chart). */
async function writeBatch(sheetName: string, layout: DiagnosticsLayout, r0: number, r1: number): Promise<void> {
  await Excel.run(async (context) => {
    context.workbook.application.suspendApiCalculationUntilNextSync();
    const sheet = context.workbook.worksheets.getItem(sheetName);
    if (r1 > r0) queueRows(sheet, layout, r0, r1);
    if (r1 === layout.values.length) queueFinish(sheet, layout);
    await context.sync();
  });
}

/**
 * The layout in batches of rows (a bound on the payload): values first, formats after, the chart last, the
 * finish riding with the last batch, one round trip fewer than a request of its own.
 */
async function writeLayout(sheetName: string, layout: DiagnosticsLayout): Promise<void> {
  const rows = layout.values.length;
  for (let r0 = 0; r0 < Math.max(rows, 1); r0 += ROWS_PER_BATCH)
    await writeBatch(sheetName, layout, r0, Math.min(rows, r0 + ROWS_PER_BATCH));
}

async function deleteSheet(name: string): Promise<void> {
  await Excel.run(async (context) => {
    context.workbook.worksheets.getItem(name).delete();
    await context.sync();
  });
}

/** Writes the sheet; on failure removes the half-made sheet again. Returns the record to keep in settings. */
export async function writeDiagnosticsSheet(
  layout: DiagnosticsLayout,
  previous: DiagnosticsSheetRecord | null,
): Promise<DiagnosticsSheetRecord> {
  const record = await replaceOrAddSheet(previous);
  try {
    await writeLayout(record.name, layout);
  } catch (error) {
    await deleteSheet(record.name).catch(() => undefined);
    const detail = error instanceof Error ? error.message : String(error);
    throw new PaneError(
      `The weights were written, but the diagnostics sheet '${record.name}' could not be made: ${detail}`,
      record.name,
    );
  }
  return record;
}

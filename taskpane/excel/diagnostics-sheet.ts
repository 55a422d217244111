// Writes the diagnostics layout (diagnostics-layout.ts) to a sheet: `RIM Diagnostics`, replacing only the sheet
// this add-in made last time, otherwise a fresh name like `RIM Diagnostics (2)`. Ours is the sheet of the name
// the workbook settings recorded whose A1 still holds the layout's title: both survive saving and reopening,
// while worksheet ids need not (office-js-docs-reference #297, office-js #1390). Text cells get the Text number
// format before their values are written, so a label such as "=x" or "-5 to 5" stays text and never becomes a
// formula; numeric formats follow the values; bold, widths and the chart come last. Calls Excel.run; imports no
// React.
import { DIAGNOSTICS_TITLE, type DiagnosticsLayout, type LayoutRect } from "./diagnostics-layout";
import { PaneError } from "../errors";
import { readTogether, type QueuedRead } from "./queued-read";

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

/** The sheet name in `names` that the record names (Excel compares sheet names without case). */
function recordedName(record: DiagnosticsSheetRecord | null, names: readonly string[]): string | undefined {
  return record ? names.find((n) => n.toLowerCase() === record.name.toLowerCase()) : undefined;
}

/** The sheet named in the record, if it still carries our title in A1 (the user may have reused the name). */
export async function findOurSheet(
  context: Excel.RequestContext,
  sheets: Excel.WorksheetCollection,
  record: DiagnosticsSheetRecord | null,
): Promise<Excel.Worksheet | undefined> {
  const name = recordedName(
    record,
    sheets.items.map((s) => s.name),
  );
  const named = sheets.items.find((s) => s.name === name);
  if (!named) return undefined;
  const a1 = named.getRange("A1");
  a1.load("values");
  await context.sync();
  return a1.values[0][0] === DIAGNOSTICS_TITLE ? named : undefined;
}

/** The workbook's sheet names, queued to ride with another request (the run's check just before writing). */
export function queueSheetNames(): QueuedRead<string[]> {
  return (context) => {
    const sheets = context.workbook.worksheets.load("items/name");
    return () => sheets.items.map((s) => s.name);
  };
}

/** The recorded sheet's name if it is among `names` and still carries our title (a request only then). */
async function ourSheetName(
  record: DiagnosticsSheetRecord | null,
  names: readonly string[],
): Promise<string | undefined> {
  const name = recordedName(record, names);
  if (name === undefined) return undefined;
  const title = await Excel.run(async (context) => {
    const a1 = context.workbook.worksheets.getItem(name).getRange("A1").load("values");
    await context.sync();
    return a1.values[0][0];
  });
  return title === DIAGNOSTICS_TITLE ? name : undefined;
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

/**
 * One batch of rows [r0, r1), calculation suspended; the first batch also makes the sheet (deleting our previous
 * one of that name), the last one carries the finish (bold, widths, chart).
 */
async function writeBatch(
  sheetName: string,
  layout: DiagnosticsLayout,
  r0: number,
  r1: number,
  replaces: boolean,
): Promise<void> {
  await Excel.run(async (context) => {
    context.workbook.application.suspendApiCalculationUntilNextSync();
    const sheets = context.workbook.worksheets;
    let sheet: Excel.Worksheet;
    if (r0 === 0) {
      if (replaces) sheets.getItem(sheetName).delete();
      sheet = sheets.add(sheetName);
    } else sheet = sheets.getItem(sheetName);
    if (r1 > r0) queueRows(sheet, layout, r0, r1);
    if (r1 === layout.values.length) queueFinish(sheet, layout);
    await context.sync();
  });
}

/**
 * The sheet and its layout in batches of rows (a bound on the payload): values first, formats after, the chart
 * last. Making the sheet rides with the first batch and the finish with the last: a diagnostics sheet is one
 * request, not three.
 */
async function writeLayout(sheetName: string, layout: DiagnosticsLayout, replaces: boolean): Promise<void> {
  const rows = layout.values.length;
  for (let r0 = 0; r0 < Math.max(rows, 1); r0 += ROWS_PER_BATCH)
    await writeBatch(sheetName, layout, r0, Math.min(rows, r0 + ROWS_PER_BATCH), replaces);
}

/**
 * After a failed write: removes the sheet of that name only when our title in A1 proves it is the half-made one.
 * A failed batch may have stopped at making the sheet because a sheet of that name appeared meanwhile: that
 * sheet is the user's and stays (a sheet of ours that failed before its first values stays too, empty).
 */
async function removeHalfMadeSheet(name: string): Promise<void> {
  await Excel.run(async (context) => {
    const sheet = context.workbook.worksheets.getItemOrNullObject(name).load("name");
    await context.sync();
    if (sheet.isNullObject) return;
    const a1 = sheet.getRange("A1").load("values");
    await context.sync();
    if (a1.values[0][0] !== DIAGNOSTICS_TITLE) return;
    sheet.delete();
    await context.sync();
  });
}

/**
 * Writes the sheet; on failure removes the half-made sheet again. Returns the record to keep in settings.
 * `names`: the workbook's sheet names when a request just before carried them (queueSheetNames), else read here.
 */
export async function writeDiagnosticsSheet(
  layout: DiagnosticsLayout,
  previous: DiagnosticsSheetRecord | null,
  names?: readonly string[],
): Promise<DiagnosticsSheetRecord> {
  const taken = names ?? (await readTogether(queueSheetNames()))[0];
  const ours = await ourSheetName(previous, taken);
  const name = ours ?? freeSheetName(taken);
  try {
    await writeLayout(name, layout, ours !== undefined);
  } catch (error) {
    await removeHalfMadeSheet(name).catch(() => undefined);
    const detail = error instanceof Error ? error.message : String(error);
    throw new PaneError(
      `The weights were written, but the diagnostics sheet '${name}' could not be made: ${detail}`,
      name,
    );
  }
  return { name };
}

// Where the weight column goes. Rules: the first column right of the data whose cells over the data's rows are
// all empty; a column this add-in wrote before (its header still as recorded in the workbook settings) is
// replaced only when the user confirms; no other cell is ever overwritten. Calls Excel.run; imports no React.
import { labelOf, readCell } from "../../scheme/cells";
import { columnAddress, MAX_SHEET_COLS, parseSheetAddress, type SheetRect } from "../address";
import { PaneError } from "../errors";
import { readTogether, type QueuedRead } from "./queued-read";
import { readColumnsInBlocks } from "./read-blocks";
import { clearColumnRows, writeColumnInBlocks, type WriteStats } from "./write-blocks";

/** A weight column this add-in wrote: kept in the workbook settings. */
export interface WeightColumnRecord {
  sheet: string;
  column: number;
  header: string;
  /** 0-based sheet rows of the header and of the last weight */
  headerRow: number;
  lastRow: number;
}

export type ReplaceAnswer = "replace" | "new-column" | "cancel";

/** What the confirm callback is told about the column from a previous run. */
export interface ReplaceQuestion {
  address: string;
  header: string;
  /** where the weights go instead if the user does not want to replace */
  freeAddress: string;
}

export interface WeightPlacement {
  sheet: string;
  column: number;
  headerRow: number;
  lastRow: number;
  /** the previous run's column being replaced, or null for an empty column */
  replaces: WeightColumnRecord | null;
  address: string;
}

/** Columns surveyed with the scheme's first request, and per request when looking further for an empty one. */
const COLUMNS_PER_PROBE = 16;

function placementAddress(sheet: string, column: number, headerRow: number, lastRow: number): string {
  return columnAddress({ sheet, r0: headerRow, r1: lastRow, c0: column, c1: column }, column);
}

/** True when no cell of the rect holds a value or a formula (formats do not count); stops at the first one. */
async function rectIsEmpty(rect: SheetRect): Promise<boolean> {
  let empty = true;
  await readColumnsInBlocks({
    sheet: rect.sheet,
    firstRow: rect.r0,
    rowCount: rect.r1 - rect.r0 + 1,
    columns: [rect.c0],
    property: "formulas",
    onBlock: (block) => {
      empty = block.columns[0].every((v) => v === "" || v === null);
    },
    // one cell is enough: a full column of a million rows is not read to the end
    done: () => !empty,
  });
  return empty;
}

/**
 * Queues the used range (values and formulas) of `column` over rows r0..r1: null when nothing is in it, or when
 * there are no such rows. Excel may report the intersection with the sheet's used range, so a non-null answer
 * is checked cell by cell after (usedIsEmpty).
 */
function queueUsedRows(
  context: Excel.RequestContext,
  sheet: string,
  column: number,
  r0: number,
  r1: number,
): () => SheetRect | null {
  if (r1 < r0) return () => null;
  const used = context.workbook.worksheets
    .getItem(sheet)
    .getRangeByIndexes(r0, column, r1 - r0 + 1, 1)
    .getUsedRangeOrNullObject(true)
    .load("address");
  return () => (used.isNullObject ? null : parseSheetAddress(used.address));
}

/** `count` columns from `start` over the data's rows, in one request (queueUsedRows each). */
function queueProbe(data: SheetRect, start: number, count: number): QueuedRead<(SheetRect | null)[]> {
  return (context) => {
    const takes = Array.from({ length: count }, (_, k) =>
      queueUsedRows(context, data.sheet, start + k, data.r0, data.r1),
    );
    return () => takes.map((take) => take());
  };
}

/** True when a column whose used range over some rows is `used` holds no value or formula there. */
async function usedIsEmpty(used: SheetRect | null, column: number): Promise<boolean> {
  return used === null || rectIsEmpty({ ...used, c0: column, c1: column });
}

/**
 * The first column at or after `from` with no value or formula in rows r0..r1 of the data. `surveyed`: the
 * probe of the first columns from `from`, when a request already carried it; `nonEmpty`: columns known to
 * hold something in those rows (a previous run's header), skipped without reading them.
 */
export async function firstEmptyColumn(
  data: SheetRect,
  from: number,
  surveyed?: (SheetRect | null)[],
  nonEmpty: readonly number[] = [],
): Promise<number> {
  for (let start = from; start < MAX_SHEET_COLS; start += COLUMNS_PER_PROBE) {
    const count = Math.min(COLUMNS_PER_PROBE, MAX_SHEET_COLS - start);
    const used = start === from && surveyed ? surveyed : (await readTogether(queueProbe(data, start, count)))[0];
    for (let k = 0; k < used.length; k++) {
      const column = start + k;
      if (!nonEmpty.includes(column) && (await usedIsEmpty(used[k], column))) return column;
    }
  }
  throw new PaneError(
    `There is no empty column right of the data ${columnAddress(data, data.c1)} for the weights.`,
    columnAddress(data, data.c1),
  );
}

/** Records for this data block (same sheet and header row, right of the data). */
export function candidateRecords(data: SheetRect, records: readonly WeightColumnRecord[]): WeightColumnRecord[] {
  return records
    .filter((r) => r.sheet === data.sheet && r.headerRow === data.r0 && r.column > data.c1)
    .sort((a, b) => a.column - b.column);
}

/** True when a previous run's header cell still holds the header it recorded. */
function headerStillOurs(record: WeightColumnRecord, cell: unknown): boolean {
  return labelOf(readCell(cell)) === record.header;
}

/** Rows of a previous run's column that must be empty for it to take this data: below its old weights. */
function rowsBelow(ours: WeightColumnRecord, headerRow: number, lastRow: number): { r0: number; r1: number } {
  return { r0: Math.max(ours.lastRow + 1, headerRow + 1), r1: lastRow };
}

/** What one request tells about where the weights can go (queueColumnSurvey), in candidateRecords' order. */
export interface ColumnSurvey {
  /** each recorded column's header cell */
  headers: unknown[];
  /** each recorded column's used range below its old weights, down to the data's last row */
  below: (SheetRect | null)[];
  /** used ranges over the data's rows of the columns right of the data (COLUMNS_PER_PROBE of them) */
  probe: (SheetRect | null)[];
}

/**
 * Queues everything planWeightColumn needs to know in the usual case, so it can travel with the scheme's first
 * request: the previous runs' header cells, the rows under their weights, and the first columns right of the
 * data. Only a used range that has to be told apart from an empty one costs a request more.
 */
export function queueColumnSurvey(data: SheetRect, records: readonly WeightColumnRecord[]): QueuedRead<ColumnSurvey> {
  const candidates = candidateRecords(data, records);
  const from = data.c1 + 1;
  const probe = queueProbe(data, from, Math.max(0, Math.min(COLUMNS_PER_PROBE, MAX_SHEET_COLS - from)));
  return (context) => {
    const sheet = context.workbook.worksheets.getItem(data.sheet);
    const headers = candidates.map((r) => sheet.getCell(r.headerRow, r.column).load("values"));
    const below = candidates.map((r) => {
      const rows = rowsBelow(r, data.r0, data.r1);
      return queueUsedRows(context, data.sheet, r.column, rows.r0, rows.r1);
    });
    const takeProbe = probe(context);
    return () => ({
      headers: headers.map((cell) => cell.values[0][0]),
      below: below.map((take) => take()),
      probe: takeProbe(),
    });
  };
}

/**
 * Decides where the weights go, asking `confirm` only when a previous run's column exists. null: the user
 * cancelled. Nothing is written here. `survey`: queueColumnSurvey's answer when the caller's request carried
 * it, else it is read here.
 */
export async function planWeightColumn(
  data: SheetRect,
  records: readonly WeightColumnRecord[],
  confirm: (question: ReplaceQuestion) => Promise<ReplaceAnswer>,
  survey?: ColumnSurvey,
): Promise<WeightPlacement | null> {
  const candidates = candidateRecords(data, records);
  const facts = survey ?? (await readTogether(queueColumnSurvey(data, records)))[0];
  const matched = candidates.filter((r, i) => headerStillOurs(r, facts.headers[i]));
  const found = matched[0];
  // a previous column with the user's cells below its weights is not offered for replacing: a new column instead
  const ours = found && (await usedIsEmpty(facts.below[candidates.indexOf(found)], found.column)) ? found : null;
  // our previous columns hold their header in the data's rows: not empty, and not worth reading to prove it
  const free = await firstEmptyColumn(
    data,
    data.c1 + 1,
    facts.probe,
    matched.map((r) => r.column),
  );
  const freePlacement: WeightPlacement = {
    sheet: data.sheet,
    column: free,
    headerRow: data.r0,
    lastRow: data.r1,
    replaces: null,
    address: placementAddress(data.sheet, free, data.r0, data.r1),
  };
  if (!ours) return freePlacement;
  const answer = await confirm({
    address: placementAddress(ours.sheet, ours.column, ours.headerRow, ours.lastRow),
    header: ours.header,
    freeAddress: freePlacement.address,
  });
  if (answer === "cancel") return null;
  if (answer === "new-column") return freePlacement;
  return {
    sheet: data.sheet,
    column: ours.column,
    headerRow: data.r0,
    lastRow: data.r1,
    replaces: ours,
    address: placementAddress(data.sheet, ours.column, data.r0, data.r1),
  };
}

/** What checkPlacement reads: the replaced column's header cell, and the used range of the rows to be written. */
export interface PlacementFacts {
  /** the replaced column's header cell (undefined for an empty column) */
  header?: unknown;
  used: SheetRect | null;
}

/**
 * Queues checkPlacement's reads, so they can travel with other reads made just before writing: an empty
 * column's rows, or a replaced column's header and its rows below the old weights.
 */
export function queuePlacementCheck(placement: WeightPlacement): QueuedRead<PlacementFacts> {
  const old = placement.replaces;
  const rows = old
    ? rowsBelow(old, placement.headerRow, placement.lastRow)
    : { r0: placement.headerRow, r1: placement.lastRow };
  return (context) => {
    const header =
      old && context.workbook.worksheets.getItem(old.sheet).getCell(old.headerRow, old.column).load("values");
    const used = queueUsedRows(context, placement.sheet, placement.column, rows.r0, rows.r1);
    return () => ({ header: header ? header.values[0][0] : undefined, used: used() });
  };
}

/**
 * Checks, just before writing, that the planned column is still empty (or still ours, with nothing typed under
 * its old weights): the sheet may have changed during the run. `facts`: queuePlacementCheck's answer when the
 * caller's request carried it, else it is read here.
 */
export async function checkPlacement(placement: WeightPlacement, facts?: PlacementFacts): Promise<void> {
  const read = facts ?? (await readTogether(queuePlacementCheck(placement)))[0];
  const ok =
    (placement.replaces === null || headerStillOurs(placement.replaces, read.header)) &&
    (await usedIsEmpty(read.used, placement.column));
  if (!ok)
    throw new PaneError(
      `The column ${placement.address} changed while the weights were computed; nothing was written. Run again.`,
      placement.address,
    );
}

/** The placement cut to end at sheet row `lastRow` (the last respondent: no weights below the data). */
export function trimPlacement(placement: WeightPlacement, lastRow: number): WeightPlacement {
  const last = Math.max(placement.headerRow, Math.min(placement.lastRow, lastRow));
  return {
    ...placement,
    lastRow: last,
    address: placementAddress(placement.sheet, placement.column, placement.headerRow, last),
  };
}

/** Header as text (Text format first, so a name like "=w" stays a name), bold. */
function queueHeader(sheet: Excel.Worksheet, placement: WeightPlacement, header: string): void {
  const cell = sheet.getCell(placement.headerRow, placement.column);
  cell.numberFormat = [["@"]];
  cell.values = [[header]];
  cell.format.font.bold = true;
}

export interface WriteWeightsOptions {
  header: string;
  numberFormat?: string;
  signal?: AbortSignal;
  onProgress?: (rowsDone: number) => void;
}

/**
 * Writes the header and the weights. A new column is rolled back (cleared) on cancel or failure; a replaced
 * column is first cleared over its old extent and is not cancellable once started.
 */
export async function writeWeightColumn(
  placement: WeightPlacement,
  weights: Float64Array,
  options: WriteWeightsOptions,
): Promise<{ record: WeightColumnRecord; stats: WriteStats }> {
  const fresh = placement.replaces === null;
  const old = placement.replaces;
  let stats: WriteStats;
  try {
    stats = await writeColumnInBlocks({
      sheet: placement.sheet,
      column: placement.column,
      firstRow: placement.headerRow + 1,
      values: weights,
      numberFormat: options.numberFormat ?? "0.0000",
      signal: fresh ? options.signal : undefined,
      rollback: fresh,
      onProgress: options.onProgress,
      // the replaced column's old extent is cleared in the first block's request, before its values
      withFirstBlock:
        old === null
          ? undefined
          : (sheet) =>
              sheet.getRangeByIndexes(old.headerRow, old.column, old.lastRow - old.headerRow + 1, 1).clear("All"),
      withLastBlock: (sheet) => queueHeader(sheet, placement, options.header),
    });
  } catch (error) {
    if (fresh)
      await clearColumnRows(
        placement.sheet,
        placement.column,
        placement.headerRow,
        placement.lastRow - placement.headerRow + 1,
      ).catch(() => undefined);
    throw error;
  }
  const record: WeightColumnRecord = {
    sheet: placement.sheet,
    column: placement.column,
    header: options.header,
    headerRow: placement.headerRow,
    lastRow: placement.headerRow + weights.length,
  };
  return { record, stats };
}

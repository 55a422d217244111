// Where the weight column goes. Rules: the first column right of the data whose cells over the data's rows are
// all empty; a column this add-in wrote before (its header still as recorded in the workbook settings) is
// replaced only when the user confirms; no other cell is ever overwritten. Calls Excel.run; imports no React.
import { labelOf, readCell } from "../../scheme/cells";
import { columnAddress, MAX_SHEET_COLS, parseSheetAddress, type SheetRect } from "../address";
import { PaneError } from "../errors";
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

/** Columns checked per request while looking for an empty one. */
const COLUMNS_PER_PROBE = 16;

function placementAddress(sheet: string, column: number, headerRow: number, lastRow: number): string {
  return columnAddress({ sheet, r0: headerRow, r1: lastRow, c0: column, c1: column }, column);
}

/** True when no cell of the rect holds a value or a formula (formats do not count). */
async function rectIsEmpty(rect: SheetRect): Promise<boolean> {
  let empty = true;
  await readColumnsInBlocks({
    sheet: rect.sheet,
    firstRow: rect.r0,
    rowCount: rect.r1 - rect.r0 + 1,
    columns: [rect.c0],
    property: "formulas",
    onBlock: (block) => {
      if (empty) empty = block.columns[0].every((v) => v === "" || v === null);
    },
  });
  return empty;
}

/**
 * Used ranges of `count` columns from `start` over rows r0..r1: null for a column with nothing in it. Excel may
 * report the intersection with the sheet's used range, so a non-null answer is checked cell by cell after.
 */
async function probeColumns(data: SheetRect, start: number, count: number): Promise<(SheetRect | null)[]> {
  const addresses = await Excel.run(async (context) => {
    const sheet = context.workbook.worksheets.getItem(data.sheet);
    const used = Array.from({ length: count }, (_, k) =>
      sheet
        .getRangeByIndexes(data.r0, start + k, data.r1 - data.r0 + 1, 1)
        .getUsedRangeOrNullObject(true)
        .load("address"),
    );
    await context.sync();
    return used.map((range) => (range.isNullObject ? null : range.address));
  });
  return addresses.map((a) => (a === null ? null : parseSheetAddress(a)));
}

/** The first column at or after `from` with no value or formula in rows r0..r1 of the data. */
export async function firstEmptyColumn(data: SheetRect, from: number): Promise<number> {
  for (let start = from; start < MAX_SHEET_COLS; start += COLUMNS_PER_PROBE) {
    const used = await probeColumns(data, start, Math.min(COLUMNS_PER_PROBE, MAX_SHEET_COLS - start));
    for (let k = 0; k < used.length; k++) {
      const rect = used[k];
      if (rect === null || (await rectIsEmpty({ ...rect, c0: start + k, c1: start + k }))) return start + k;
    }
  }
  throw new PaneError(
    `There is no empty column right of the data ${columnAddress(data, data.c1)} for the weights.`,
    columnAddress(data, data.c1),
  );
}

/** True when column `column` holds no value or formula in rows r0..r1 (nothing to check when r1 < r0). */
async function columnRowsEmpty(sheet: string, column: number, r0: number, r1: number): Promise<boolean> {
  if (r1 < r0) return true;
  const [used] = await probeColumns({ sheet, r0, r1, c0: column, c1: column }, column, 1);
  return used === null || rectIsEmpty({ ...used, c0: column, c1: column });
}

/**
 * A previous run's column can take this data only when its rows below the old weights (the data grew) are
 * empty: replacing must not overwrite what the user typed under the old weights.
 */
function replaceableRows(ours: WeightColumnRecord, data: SheetRect): Promise<boolean> {
  return columnRowsEmpty(ours.sheet, ours.column, Math.max(ours.lastRow + 1, data.r0 + 1), data.r1);
}

/** Records for this data block (same sheet and header row, right of the data). */
export function candidateRecords(data: SheetRect, records: readonly WeightColumnRecord[]): WeightColumnRecord[] {
  return records
    .filter((r) => r.sheet === data.sheet && r.headerRow === data.r0 && r.column > data.c1)
    .sort((a, b) => a.column - b.column);
}

/** The previous run's weight column, if its header cell still holds the recorded header. */
export async function findOurColumn(
  data: SheetRect,
  records: readonly WeightColumnRecord[],
): Promise<WeightColumnRecord | null> {
  const candidates = candidateRecords(data, records);
  if (candidates.length === 0) return null;
  const headers = await Excel.run(async (context) => {
    const sheet = context.workbook.worksheets.getItem(data.sheet);
    const cells = candidates.map((r) => sheet.getCell(r.headerRow, r.column).load("values"));
    await context.sync();
    return cells.map((cell) => cell.values[0][0]);
  });
  return candidates.find((r, i) => i < headers.length && labelOf(readCell(headers[i])) === r.header) ?? null;
}

/**
 * Decides where the weights go, asking `confirm` only when a previous run's column exists. null: the user
 * cancelled. Nothing is written here.
 */
export async function planWeightColumn(
  data: SheetRect,
  records: readonly WeightColumnRecord[],
  confirm: (question: ReplaceQuestion) => Promise<ReplaceAnswer>,
): Promise<WeightPlacement | null> {
  const found = await findOurColumn(data, records);
  // a previous column with the user's cells below its weights is not offered for replacing: a new column instead
  const ours = found && (await replaceableRows(found, data)) ? found : null;
  const free = await firstEmptyColumn(data, data.c1 + 1);
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

/** Checks, just before writing, that the planned column is still empty (or still ours): the sheet may have changed during the run. */
export async function checkPlacement(placement: WeightPlacement): Promise<void> {
  const data: SheetRect = {
    sheet: placement.sheet,
    r0: placement.headerRow,
    r1: placement.lastRow,
    c0: placement.column,
    c1: placement.column,
  };
  const ok = placement.replaces
    ? (await findOurColumn({ ...data, c1: placement.column - 1 }, [placement.replaces])) !== null &&
      (await replaceableRows(placement.replaces, data))
    : (await firstEmptyColumn(data, placement.column).catch(() => -1)) === placement.column;
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

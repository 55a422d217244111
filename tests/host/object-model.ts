// Excel's object model as the host answers it: each object the client library can address (workbook,
// worksheets, ranges, formats, charts, tables, application) with the members Excel has on the wire (PascalCase
// names) mapped onto the in-memory workbook store (tests/fake-excel/model.ts). A member this emulator does not
// implement fails loudly with ApiNotFound naming it; it never answers with a silent default. Imports no wire
// decoding and no browser API.
import { parseAddress, rectCells, type Rect } from "../fake-excel/address";
import { WorkbookModel, type ChartRecord, type SheetModel, type TableRecord } from "../fake-excel/model";
import { readGrid, readRect } from "../fake-excel/range";
import { coerceInput } from "../fake-excel/values";
import type { FlavourLimits } from "./limits";
import { fail } from "./wire";

export type HostObject =
  | { kind: "Workbook" }
  | { kind: "Application" }
  | { kind: "WorksheetCollection" }
  | { kind: "Worksheet"; sheet: SheetModel }
  | { kind: "WorksheetProtection"; sheet: SheetModel }
  | { kind: "Range"; sheet: SheetModel; rect: Rect }
  | { kind: "RangeFormat"; sheet: SheetModel; rect: Rect }
  | { kind: "RangeFont"; sheet: SheetModel; rect: Rect }
  | { kind: "ChartCollection"; sheet: SheetModel }
  | { kind: "Chart"; chart: ChartRecord }
  | { kind: "ChartTitle"; chart: ChartRecord }
  | { kind: "ChartLegend"; chart: ChartRecord }
  | { kind: "TableCollection"; sheet: SheetModel | null }
  | { kind: "Table"; table: TableRecord };

/** The host's per-workbook state beyond the cell store: protection and the flavour's limits. */
export interface HostState {
  model: WorkbookModel;
  limits: FlavourLimits;
  protectedSheets: Set<number>;
}

const ROOT: HostObject = { kind: "Workbook" };

export function rootObject(): HostObject {
  return ROOT;
}

function where(object: HostObject, member: string): string {
  return `${object.kind}.${member.charAt(0).toLowerCase()}${member.slice(1)}`;
}

function notImplemented(object: HostObject, member: string): never {
  return fail(
    "ApiNotFound",
    `The API you are trying to use could not be found. (tests/host does not implement ${object.kind}.${member})`,
    where(object, member),
  );
}

function liveSheet(sheet: SheetModel, location: string): SheetModel {
  if (sheet.deleted) fail("ItemNotFound", "The requested resource doesn't exist.", location);
  return sheet;
}

/** A worksheet's id on the wire: a GUID-shaped string, as Excel's ids are. */
function sheetId(sheet: SheetModel): string {
  return `{${String(sheet.id).padStart(8, "0")}-0001-0000-0000-000000000000}`;
}

/**
 * worksheets.getItem(key) takes a name or an id (learn.microsoft.com/javascript/api/excel/
 * excel.worksheetcollection#excel-excel-worksheetcollection-getitem-member(1)); the client library itself
 * addresses the items of a loaded collection by id.
 */
function sheetByKey(state: HostState, key: unknown): SheetModel | undefined {
  if (typeof key !== "string") return undefined;
  return state.model.sheetByName(key) ?? state.model.liveSheets().find((s) => sheetId(s) === key);
}

function sheetNamed(state: HostState, key: unknown, location: string): SheetModel {
  const sheet = sheetByKey(state, key);
  if (!sheet) fail("ItemNotFound", "The requested resource doesn't exist.", location);
  return sheet;
}

function integerArg(value: unknown, location: string): number {
  if (typeof value !== "number" || !Number.isInteger(value))
    fail("InvalidArgument", "The argument is invalid or missing or has an incorrect format.", location);
  return value;
}

/** A rect from getRangeByIndexes / getCell arguments, inside the sheet's 1,048,576 × 16,384 grid. */
function rectByIndexes(args: unknown[], location: string): Rect {
  const [row, column, rows = 1, columns = 1] = args.map((a) => integerArg(a, location));
  const rect = { r0: row, c0: column, r1: row + rows - 1, c1: column + columns - 1 };
  if (row < 0 || column < 0 || rows < 1 || columns < 1 || rect.r1 >= 1_048_576 || rect.c1 >= 16_384)
    fail("InvalidArgument", "The argument is invalid or missing or has an incorrect format.", location);
  return rect;
}

/** An A1 address (optionally with a sheet) through the store's parser; a bad one is InvalidArgument. */
function rectOfAddress(address: unknown, location: string): { sheet?: string; rect: Rect } {
  try {
    return parseAddress(String(address));
  } catch {
    return fail("InvalidArgument", "The argument is invalid or missing or has an incorrect format.", location);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Navigation: ObjectPathType 4 (property) and 3 (method), 5 (indexer)

export function navigate(state: HostState, parent: HostObject, name: string, args: unknown[]): HostObject | null {
  // An indexer path (ObjectPathType 5) has no name: it is the collection's getItem.
  const location = where(parent, name || "GetItem");
  switch (parent.kind) {
    case "Workbook":
      if (name === "Worksheets") return { kind: "WorksheetCollection" };
      if (name === "Application") return { kind: "Application" };
      if (name === "Tables") return { kind: "TableCollection", sheet: null };
      if (name === "GetSelectedRange") {
        const { sheet, rect } = state.model.selectionOrDefault();
        return { kind: "Range", sheet, rect };
      }
      break;
    case "WorksheetCollection":
      if (name === "" || name === "GetItem") return { kind: "Worksheet", sheet: sheetNamed(state, args[0], location) };
      if (name === "GetItemOrNullObject") {
        const sheet = sheetByKey(state, args[0]);
        return sheet ? { kind: "Worksheet", sheet } : null;
      }
      // A loaded collection's item that came back without an id is addressed by its position (FACTS.md).
      if (name === "GetItemAt") {
        const sheet = state.model.liveSheets()[Number(args[0])];
        if (!sheet) fail("ItemNotFound", "The requested resource doesn't exist.", location);
        return { kind: "Worksheet", sheet };
      }
      if (name === "GetActiveWorksheet") return { kind: "Worksheet", sheet: state.model.activeSheet() };
      if (name === "Add") return { kind: "Worksheet", sheet: modelCall(() => state.model.addSheet(args[0] as string)) };
      break;
    case "Worksheet": {
      const sheet = liveSheet(parent.sheet, location);
      if (name === "GetRange") {
        const parsed = args.length === 0 || args[0] === undefined ? null : rectOfAddress(args[0], location);
        if (parsed?.sheet !== undefined && parsed.sheet.toLowerCase() !== sheet.name.toLowerCase())
          fail("InvalidArgument", "The argument is invalid or missing or has an incorrect format.", location);
        return { kind: "Range", sheet, rect: parsed ? parsed.rect : { r0: 0, c0: 0, r1: 1_048_575, c1: 16_383 } };
      }
      if (name === "GetRangeByIndexes") return { kind: "Range", sheet, rect: rectByIndexes(args, location) };
      if (name === "GetCell") return { kind: "Range", sheet, rect: rectByIndexes(args.slice(0, 2), location) };
      if (name === "GetUsedRange" || name === "GetUsedRangeOrNullObject") {
        const used = sheet.usedRect(args[0] === true);
        if (used) return { kind: "Range", sheet, rect: used };
        if (name === "GetUsedRangeOrNullObject") return null;
        return { kind: "Range", sheet, rect: { r0: 0, c0: 0, r1: 0, c1: 0 } };
      }
      if (name === "Charts") return { kind: "ChartCollection", sheet };
      if (name === "Tables") return { kind: "TableCollection", sheet };
      if (name === "Protection") return { kind: "WorksheetProtection", sheet };
      break;
    }
    case "Range": {
      const sheet = liveSheet(parent.sheet, location);
      if (name === "Format") return { kind: "RangeFormat", sheet, rect: parent.rect };
      if (name === "GetCell") {
        const [r, c] = [integerArg(args[0], location), integerArg(args[1], location)];
        return { kind: "Range", sheet, rect: rectByIndexes([parent.rect.r0 + r, parent.rect.c0 + c], location) };
      }
      if (name === "GetUsedRange" || name === "GetUsedRangeOrNullObject") {
        const used = sheet.usedRect(args[0] === true);
        const rect = used && intersection(used, parent.rect);
        if (rect) return { kind: "Range", sheet, rect };
        if (name === "GetUsedRangeOrNullObject") return null;
        return fail("ItemNotFound", "The requested resource doesn't exist.", location);
      }
      // The client library splits a write of more than 1,500 cells into row chunks, each addressed as
      // range.getRow(i).getBoundingRect(range.getRow(j)) (excel-web-16.00.debug.js setRangePropertiesInBulk).
      if (name === "GetRow") {
        const r = integerArg(args[0], location);
        if (r < 0 || parent.rect.r0 + r > parent.rect.r1)
          fail("InvalidArgument", "The argument is invalid or missing or has an incorrect format.", location);
        return { kind: "Range", sheet, rect: { ...parent.rect, r0: parent.rect.r0 + r, r1: parent.rect.r0 + r } };
      }
      if (name === "GetBoundingRect") {
        const other = args[0] as HostObject | undefined;
        if (!other || other.kind !== "Range" || other.sheet !== sheet)
          fail("InvalidArgument", "The argument is invalid or missing or has an incorrect format.", location);
        const a = parent.rect;
        const b = other.rect;
        const rect = {
          r0: Math.min(a.r0, b.r0),
          c0: Math.min(a.c0, b.c0),
          r1: Math.max(a.r1, b.r1),
          c1: Math.max(a.c1, b.c1),
        };
        return { kind: "Range", sheet, rect };
      }
      if (name === "GetEntireColumn") return { kind: "Range", sheet, rect: { ...parent.rect, r0: 0, r1: 1_048_575 } };
      break;
    }
    case "RangeFormat":
      if (name === "Font") return { kind: "RangeFont", sheet: parent.sheet, rect: parent.rect };
      break;
    case "ChartCollection": {
      if (name === "Add") return { kind: "Chart", chart: addChart(state, parent.sheet, args, location) };
      // getItem / getItemOrNullObject take a chart's name; the indexer is how the client library addresses an
      // item of a loaded collection, by its id (FACTS.md).
      if (name === "" || name === "GetItem" || name === "GetItemOrNullObject") {
        const chart = chartByKey(state, parent.sheet, name === "" ? "id" : "name", args[0]);
        if (chart) return { kind: "Chart", chart };
        if (name === "GetItemOrNullObject") return null;
        return fail("ItemNotFound", "The requested resource doesn't exist.", location);
      }
      break;
    }
    case "Chart":
      if (name === "Title") return { kind: "ChartTitle", chart: parent.chart };
      if (name === "Legend") return { kind: "ChartLegend", chart: parent.chart };
      break;
    case "TableCollection":
      if (name === "" || name === "GetItem") {
        const table = state.model.tables.find((t) => t.name === args[0] || t.id === args[0]);
        if (!table) fail("ItemNotFound", "The requested resource doesn't exist.", location);
        return { kind: "Table", table };
      }
      if (name === "Add") return { kind: "Table", table: addTable(state, parent.sheet, args, location) };
      break;
  }
  return notImplemented(parent, name);
}

function intersection(a: Rect, b: Rect): Rect | null {
  const r = { r0: Math.max(a.r0, b.r0), c0: Math.max(a.c0, b.c0), r1: Math.min(a.r1, b.r1), c1: Math.min(a.c1, b.c1) };
  return r.r0 <= r.r1 && r.c0 <= r.c1 ? r : null;
}

/** The store throws FakeOfficeError-shaped errors (code, message): rethrown as host failures. */
function modelCall<T>(call: () => T, location = "Workbook"): T {
  try {
    return call();
  } catch (e) {
    const err = e as { code?: string; message?: string };
    if (typeof err.code === "string") return fail(err.code, err.message ?? err.code, location);
    throw e;
  }
}

/** The sheet's first chart (in creation order) with this name or id: names need not be unique (FACTS.md). */
function chartByKey(state: HostState, sheet: SheetModel, by: "name" | "id", key: unknown): ChartRecord | undefined {
  if (typeof key !== "string") return undefined;
  return state.model.charts.find((c) => c.sheetId === sheet.id && c[by] === key);
}

/** charts.add(type, sourceData, seriesBy): the source arrives as a range object (ReferencedObjectPathIds). */
function addChart(state: HostState, sheet: SheetModel, args: unknown[], location: string): ChartRecord {
  const [type, source, seriesBy = "Auto"] = args;
  const range = source as HostObject | undefined;
  if (typeof type !== "string" || !range || range.kind !== "Range")
    fail("InvalidArgument", "The argument is invalid or missing or has an incorrect format.", location);
  return modelCall(
    () => state.model.addChart(sheet, type, { sheet: range.sheet, rect: range.rect }, String(seriesBy)),
    location,
  );
}

/** tables.add(address or range, hasHeaders). */
function addTable(state: HostState, sheet: SheetModel | null, args: unknown[], location: string): TableRecord {
  const [source, hasHeaders] = args;
  if (source && typeof source === "object" && (source as HostObject).kind === "Range") {
    const range = source as Extract<HostObject, { kind: "Range" }>;
    return modelCall(() => state.model.addTable(range.sheet, range.rect, hasHeaders === true), location);
  }
  const parsed = rectOfAddress(source, location);
  const target = parsed.sheet !== undefined ? sheetNamed(state, parsed.sheet, location) : sheet;
  if (!target)
    return fail("InvalidArgument", "The argument is invalid or missing or has an incorrect format.", location);
  return modelCall(() => state.model.addTable(target, parsed.rect, hasHeaders === true), location);
}

// ---------------------------------------------------------------------------------------------------------
// Methods with no object result (ActionType 3)

export function invoke(state: HostState, object: HostObject, name: string, args: unknown[]): unknown {
  const location = where(object, name);
  if (name === "_KeepReference") return null;
  switch (object.kind) {
    case "Application":
      if (name === "SuspendApiCalculationUntilNextSync") {
        state.model.calculationSuspended = true;
        return null;
      }
      if (name === "Calculate") return null;
      break;
    case "Worksheet":
      liveSheet(object.sheet, location);
      if (name === "Activate") {
        state.model.activeSheetId = object.sheet.id;
        return null;
      }
      if (name === "Delete") return (modelCall(() => state.model.deleteSheet(object.sheet), location), null);
      break;
    case "WorksheetProtection":
      if (name === "Protect") return (state.protectedSheets.add(object.sheet.id), null);
      if (name === "Unprotect") return (state.protectedSheets.delete(object.sheet.id), null);
      break;
    case "Range":
      liveSheet(object.sheet, location);
      if (name === "Clear") {
        assertWritable(state, object.sheet, location);
        object.sheet.clear(object.rect, typeof args[0] === "string" ? args[0] : "All");
        return null;
      }
      if (name === "_ValidateArraySize") {
        const { r0, r1, c0, c1 } = object.rect;
        if (args[0] !== r1 - r0 + 1 || args[1] !== c1 - c0 + 1)
          fail(
            "InvalidArgument",
            "The number of rows or columns in the input array doesn't match the size or dimensions of the range.",
            location,
          );
        return null;
      }
      if (name === "Select") {
        state.model.selection = { sheetId: object.sheet.id, rect: object.rect };
        state.model.activeSheetId = object.sheet.id;
        return null;
      }
      break;
    case "RangeFormat":
      if (name === "AutofitColumns" || name === "AutofitRows") {
        object.sheet.autofitColumnCalls.push(object.rect);
        return null;
      }
      break;
    case "Chart":
      if (name === "SetPosition") {
        const [start, end] = args as (HostObject | string | undefined)[];
        const startCell = cellName(start);
        if (startCell === undefined)
          fail("InvalidArgument", "The argument is invalid or missing or has an incorrect format.", location);
        state.model.setField(object.chart, "position", { startCell, endCell: cellName(end) });
        return null;
      }
      if (name === "Delete") {
        state.model.charts = state.model.charts.filter((c) => c !== object.chart);
        return null;
      }
      break;
  }
  return notImplemented(object, name);
}

function cellName(x: HostObject | string | undefined): string | undefined {
  if (x === undefined || typeof x === "string") return x;
  return x.kind === "Range" ? x.sheet.address(x.rect) : undefined;
}

function assertWritable(state: HostState, sheet: SheetModel, location: string): void {
  if (state.protectedSheets.has(sheet.id))
    fail(
      "AccessDenied",
      "The cell or chart you're trying to change is on a protected sheet. To make a change, unprotect the sheet.",
      location,
    );
}

// ---------------------------------------------------------------------------------------------------------
// Property writes (ActionType 4)

export function setProperty(state: HostState, object: HostObject, name: string, value: unknown): void {
  const location = where(object, name);
  switch (object.kind) {
    case "Range":
      liveSheet(object.sheet, location);
      assertWritable(state, object.sheet, location);
      if (name === "Values" || name === "Formulas") return writeCells(object, value, location, "value");
      if (name === "NumberFormat") return writeCells(object, value, location, "numberFormat");
      break;
    case "RangeFont":
      assertWritable(state, object.sheet, location);
      if (name === "Bold") return formatCells(object, { bold: value === true });
      if (name === "Italic") return formatCells(object, { italic: value === true });
      if (name === "Color") return formatCells(object, { fontColor: String(value) });
      break;
    case "Worksheet":
      if (name === "Name") return modelCall(() => state.model.renameSheet(object.sheet, String(value)), location);
      break;
    case "Chart":
      if (name === "Name") {
        if (typeof value !== "string")
          fail("InvalidArgument", "The argument is invalid or missing or has an incorrect format.", location);
        return state.model.setField(object.chart, "name", value);
      }
      break;
    case "ChartTitle":
      if (name === "Text") return state.model.setField(object.chart.title, "text", String(value));
      if (name === "Visible") return state.model.setField(object.chart.title, "visible", value === true);
      break;
    case "ChartLegend":
      if (name === "Position") return state.model.setField(object.chart.legend, "position", String(value));
      if (name === "Visible") return state.model.setField(object.chart.legend, "visible", value === true);
      break;
    case "Application":
      if (name === "CalculationMode") return void (state.model.calculationMode = String(value));
      break;
  }
  notImplemented(object, name);
}

/**
 * Writes a grid (or one scalar for the whole range) of values or number formats. The grid must match the
 * range's shape (Excel: InvalidArgument). Values are typed as Excel types entered text (coerceInput): a
 * string starting with "=" becomes a formula, "+"/"-"/"@" too unless it is a number, on a cell whose number
 * format is Text ("@") the string stays text.
 */
function writeCells(
  range: { sheet: SheetModel; rect: Rect },
  value: unknown,
  location: string,
  what: "value" | "numberFormat",
): void {
  const { sheet, rect } = range;
  const rows = rect.r1 - rect.r0 + 1;
  const cols = rect.c1 - rect.c0 + 1;
  // A 1×1 number format applies to every cell of the range (FACTS.md: office-js-docs-reference #578,
  // office-js-docs-pr #5400); values are not broadcast that way.
  const oneFormat =
    what === "numberFormat" &&
    Array.isArray(value) &&
    value.length === 1 &&
    Array.isArray(value[0]) &&
    value[0].length === 1;
  if (oneFormat) value = (value as unknown[][])[0][0];
  const grid = Array.isArray(value) ? (value as unknown[][]) : null;
  if (grid && (grid.length !== rows || grid.some((row) => !Array.isArray(row) || row.length !== cols)))
    fail(
      "InvalidArgument",
      "The number of rows or columns in the input array doesn't match the size or dimensions of the range.",
      location,
    );
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const x = grid ? grid[i][j] : value;
      const r = rect.r0 + i;
      const c = rect.c0 + j;
      if (what === "numberFormat") {
        if (x !== null) sheet.setNumberFormat(r, c, String(x));
      } else {
        sheet.writeCell(
          r,
          c,
          modelCall(() => coerceInput(x, sheet.numberFormat(r, c)), location),
        );
      }
    }
  }
}

function formatCells(font: { sheet: SheetModel; rect: Rect }, patch: Record<string, unknown>): void {
  const rect = readRect(font.sheet, font.rect, "bounded");
  for (let c = rect.c0; c <= rect.c1; c++) for (let r = rect.r0; r <= rect.r1; r++) font.sheet.setFormat(r, c, patch);
}

// ---------------------------------------------------------------------------------------------------------
// Queries (ActionType 2): `select` holds the client's camelCase names; the answer uses Excel's PascalCase

const RANGE_GRIDS: Record<string, string> = {
  values: "values",
  formulas: "formulas",
  numberFormat: "numberFormat",
  text: "text",
  valueTypes: "valueTypes",
};

function pascal(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/** Scalar properties each kind answers to load() without a select list. */
const DEFAULT_SELECT: Partial<Record<HostObject["kind"], string[]>> = {
  Worksheet: ["name", "id", "position", "visibility"],
  Range: ["address", "rowCount", "columnCount", "rowIndex", "columnIndex", "values", "formulas", "numberFormat"],
  Chart: ["name", "id", "chartType"],
  Table: ["name", "id"],
  Application: ["calculationMode"],
  WorksheetProtection: ["protected"],
};

export function query(state: HostState, object: HostObject, select: string[] | undefined): Record<string, unknown> {
  if (object.kind === "WorksheetCollection") {
    const fields = itemFields(select);
    return {
      _Items: state.model.liveSheets().map((sheet) => queryFields(state, { kind: "Worksheet", sheet }, fields)),
    };
  }
  if (object.kind === "ChartCollection") {
    const fields = itemFields(select);
    const charts = state.model.charts.filter((c) => c.sheetId === object.sheet.id);
    return { _Items: charts.map((chart) => queryFields(state, { kind: "Chart", chart }, fields)) };
  }
  if (object.kind === "TableCollection") {
    const fields = itemFields(select);
    const tables = state.model.tables.filter((t) => !object.sheet || t.sheetId === object.sheet.id);
    return { _Items: tables.map((table) => queryFields(state, { kind: "Table", table }, fields)) };
  }
  return queryFields(state, object, select && select.length ? select : (DEFAULT_SELECT[object.kind] ?? []));
}

/** "items/name" → "name" (the client library sends collection loads as item paths). */
function itemFields(select: string[] | undefined): string[] | undefined {
  return select?.map((s) => s.replace(/^items\//, ""));
}

function queryFields(state: HostState, object: HostObject, select: string[] | undefined): Record<string, unknown> {
  const fields = select && select.length ? select : (DEFAULT_SELECT[object.kind] ?? []);
  const out: Record<string, unknown> = {};
  for (const field of fields) out[pascal(field)] = scalar(state, object, field);
  return out;
}

function scalar(state: HostState, object: HostObject, field: string): unknown {
  const location = where(object, field);
  switch (object.kind) {
    case "Worksheet": {
      const sheet = liveSheet(object.sheet, location);
      if (field === "name") return sheet.name;
      if (field === "id") return sheetId(sheet);
      if (field === "position") return state.model.liveSheets().indexOf(sheet);
      if (field === "visibility") return sheet.visibility;
      break;
    }
    case "WorksheetProtection":
      if (field === "protected") return state.protectedSheets.has(object.sheet.id);
      break;
    case "Range": {
      const { sheet, rect } = object;
      liveSheet(sheet, location);
      if (field === "address" || field === "addressLocal") return sheet.address(rect);
      if (field === "rowCount") return rect.r1 - rect.r0 + 1;
      if (field === "columnCount") return rect.c1 - rect.c0 + 1;
      if (field === "rowIndex") return rect.r0;
      if (field === "columnIndex") return rect.c0;
      if (field === "cellCount") return rectCells(rect);
      const grid = RANGE_GRIDS[field];
      if (grid) {
        // Excel on the web answers a read of more than 5,000,000 cells with null values (FACTS.md).
        const cap = state.limits.maxCellsPerRead;
        if (cap !== null && rectCells(rect) > cap) return null;
        return readGrid(sheet, readRect(sheet, rect, "bounded"), grid);
      }
      break;
    }
    case "Chart":
      if (field === "name") return object.chart.name;
      if (field === "id") return object.chart.id;
      if (field === "chartType") return object.chart.type;
      break;
    case "ChartTitle":
      if (field === "text") return object.chart.title.text;
      break;
    case "Table":
      if (field === "name") return object.table.name;
      if (field === "id") return object.table.id;
      break;
    case "Application":
      if (field === "calculationMode") return state.model.calculationMode;
      break;
  }
  return notImplemented(object, pascal(field));
}

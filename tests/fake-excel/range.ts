/** Excel.Range and its format sub-objects. */
import {
  MAX_COLS,
  MAX_ROWS,
  Rect,
  boundingRect,
  checkRect,
  formatAddress,
  intersect,
  parseAddress,
  rectCells,
  rectCols,
  rectRows,
} from "./address";
import { ClientObject, ContextLike, SyncTally } from "./client-object";
import { MESSAGES, officeError } from "./errors";
import { jsonSize } from "./limits";
import type { CellFormat, SheetModel } from "./model";
import { CellValue, coerceInput, formatText, valueType } from "./values";
import { Worksheet, sheetAlive } from "./worksheet";

export interface RangeTarget {
  sheet: SheetModel;
  rect: Rect;
}

const DATA_PROPS = ["values", "formulas", "formulasLocal", "numberFormat", "text", "valueTypes"] as const;
const RANGE_PROPS = [
  "address",
  "addressLocal",
  "rowIndex",
  "columnIndex",
  "rowCount",
  "columnCount",
  "cellCount",
  ...DATA_PROPS,
] as const;

export class Range extends ClientObject {
  /** @internal */ _resolver: () => RangeTarget | null;
  /** @internal */ _cache: { t: RangeTarget | null } | undefined = undefined;
  /** @internal */ _format: RangeFormat | undefined = undefined;

  constructor(ctx: ContextLike, resolver: () => RangeTarget | null) {
    super(ctx);
    this._resolver = resolver;
    Object.preventExtensions(this);
  }

  get _typeName() {
    return "Range";
  }
  get _scalarProps() {
    return RANGE_PROPS;
  }
  get _navProps() {
    return ["format", "worksheet"];
  }

  /** @internal resolve inside a sync; null for a null object */
  _targetOrNull(): RangeTarget | null {
    if (!this._cache) this._cache = { t: this._resolver() };
    const t = this._cache.t;
    if (t && !sheetAlive(t.sheet)) throw officeError("ItemNotFound", MESSAGES.itemNotFound, "Range");
    return t;
  }

  /** @internal */
  _target(): RangeTarget {
    const t = this._targetOrNull();
    if (!t) throw officeError("ItemNotFound", MESSAGES.itemNotFound, "Range");
    return t;
  }

  /** @internal a derived range, resolved lazily from this one */
  _derive(f: (t: RangeTarget) => Rect | null): Range {
    this._use();
    return new Range(this._ctx, () => {
      const t = this._target();
      const rect = f(t);
      return rect ? { sheet: t.sheet, rect } : null;
    });
  }

  _snapshot(props: readonly string[], tally: SyncTally): Record<string, unknown> | null {
    const t = this._targetOrNull();
    if (!t) return null;
    const { sheet, rect } = t;
    const out: Record<string, unknown> = {};
    for (const p of props) {
      switch (p) {
        case "address":
        case "addressLocal":
          out[p] = formatAddress(sheet.name, rect);
          break;
        case "rowIndex":
          out[p] = rect.r0;
          break;
        case "columnIndex":
          out[p] = rect.c0;
          break;
        case "rowCount":
          out[p] = rectRows(rect);
          break;
        case "columnCount":
          out[p] = rectCols(rect);
          break;
        case "cellCount":
          out[p] = rectCells(rect);
          break;
      }
    }
    const data = props.filter((p) => (DATA_PROPS as readonly string[]).includes(p));
    if (data.length) {
      const wb = sheet.wb;
      const cells = rectCells(rect);
      tally.reads++;
      tally.cellsRead += cells;
      if (cells > wb.limits.maxCellsPerRead) {
        tally.nullReads++;
        for (const p of data) out[p] = null;
      } else {
        const rr = readRect(sheet, rect, wb.wholeRangeReads);
        for (const p of data) out[p] = readGrid(sheet, rr, p);
      }
    }
    return out;
  }

  get values(): any[][] {
    return this._get("values");
  }
  set values(v: any[][]) {
    this._writeCells("values", v);
  }
  get formulas(): any[][] {
    return this._get("formulas");
  }
  set formulas(v: any[][]) {
    this._writeCells("formulas", v);
  }
  get formulasLocal(): any[][] {
    return this._get("formulasLocal");
  }
  set formulasLocal(v: any[][]) {
    this._writeCells("formulasLocal", v);
  }
  get numberFormat(): any[][] {
    return this._get("numberFormat");
  }
  set numberFormat(v: any[][]) {
    this._writeCells("numberFormat", v);
  }
  get text(): string[][] {
    return this._get("text");
  }
  get valueTypes(): string[][] {
    return this._get("valueTypes");
  }
  get address(): string {
    return this._get("address");
  }
  get addressLocal(): string {
    return this._get("addressLocal");
  }
  get rowIndex(): number {
    return this._get("rowIndex");
  }
  get columnIndex(): number {
    return this._get("columnIndex");
  }
  get rowCount(): number {
    return this._get("rowCount");
  }
  get columnCount(): number {
    return this._get("columnCount");
  }
  get cellCount(): number {
    return this._get("cellCount");
  }

  /** @internal */
  _writeCells(prop: "values" | "formulas" | "formulasLocal" | "numberFormat", input: unknown): void {
    this._setProp(
      prop,
      input,
      (tally) => {
        const { sheet, rect } = this._target();
        const rows = rectRows(rect),
          cols = rectCols(rect);
        // A 1×1 number format applies to every cell of the range (office-js-docs-reference #578: "If the
        // argument is a single value, it will be applied to all cells"; office-js-docs-pr #5400: tested with a
        // 1×1 array on bounded and unbounded ranges). Values and formulas are not broadcast that way (#578).
        const oneFormat =
          prop === "numberFormat" &&
          Array.isArray(input) &&
          input.length === 1 &&
          Array.isArray(input[0]) &&
          input[0].length === 1;
        if (oneFormat) input = (input as unknown[][])[0][0];
        const scalar = !Array.isArray(input);
        if (!scalar) {
          const arr = input as unknown[];
          if (arr.length !== rows || arr.some((row) => !Array.isArray(row) || row.length !== cols)) {
            throw officeError(
              "InvalidArgument",
              `${MESSAGES.dimensionMismatch} (range ${formatAddress(sheet.name, rect)} is ${rows}x${cols}, input is ${arr.length}x${Array.isArray(arr[0]) ? (arr[0] as unknown[]).length : "?"})`,
              `Range.${prop}`,
            );
          }
        }
        sheet.journalRect(rect);
        const grid = input as unknown[][];
        for (let i = 0; i < rows; i++) {
          const row = scalar ? null : grid[i];
          for (let j = 0; j < cols; j++) {
            const x = scalar ? input : row![j];
            const r = rect.r0 + i,
              c = rect.c0 + j;
            if (prop === "numberFormat") {
              if (x === null || x === undefined) continue;
              sheet.setNumberFormat(r, c, String(x));
            } else {
              sheet.writeCell(r, c, coerceInput(x, sheet.numberFormat(r, c)));
            }
          }
        }
        tally.writes++;
        tally.cellsWritten += rows * cols;
      },
      jsonSize(input),
    );
  }

  get format(): RangeFormat {
    this._use();
    return (this._format ??= new RangeFormat(this));
  }

  get worksheet(): Worksheet {
    this._use();
    return new Worksheet(this._ctx, () => this._target().sheet);
  }

  getCell(row: number, column: number): Range {
    return this._derive(({ rect }) =>
      checked({ r0: rect.r0 + row, c0: rect.c0 + column, r1: rect.r0 + row, c1: rect.c0 + column }),
    );
  }
  getOffsetRange(rowOffset: number, columnOffset: number): Range {
    return this._derive(({ rect }) =>
      checked({
        r0: rect.r0 + rowOffset,
        c0: rect.c0 + columnOffset,
        r1: rect.r1 + rowOffset,
        c1: rect.c1 + columnOffset,
      }),
    );
  }
  getResizedRange(deltaRows: number, deltaColumns: number): Range {
    return this._derive(({ rect }) =>
      checked({ r0: rect.r0, c0: rect.c0, r1: rect.r1 + deltaRows, c1: rect.c1 + deltaColumns }),
    );
  }
  getAbsoluteResizedRange(numRows: number, numColumns: number): Range {
    return this._derive(({ rect }) =>
      checked({ r0: rect.r0, c0: rect.c0, r1: rect.r0 + numRows - 1, c1: rect.c0 + numColumns - 1 }),
    );
  }
  getColumn(column: number): Range {
    return this._derive(({ rect }) =>
      checked({ r0: rect.r0, r1: rect.r1, c0: rect.c0 + column, c1: rect.c0 + column }),
    );
  }
  getRow(row: number): Range {
    return this._derive(({ rect }) => checked({ r0: rect.r0 + row, r1: rect.r0 + row, c0: rect.c0, c1: rect.c1 }));
  }
  getColumnsAfter(count = 1): Range {
    return this._derive(({ rect }) => checked({ r0: rect.r0, r1: rect.r1, c0: rect.c1 + 1, c1: rect.c1 + count }));
  }
  getColumnsBefore(count = 1): Range {
    return this._derive(({ rect }) => checked({ r0: rect.r0, r1: rect.r1, c0: rect.c0 - count, c1: rect.c0 - 1 }));
  }
  getRowsAbove(count = 1): Range {
    return this._derive(({ rect }) => checked({ r0: rect.r0 - count, r1: rect.r0 - 1, c0: rect.c0, c1: rect.c1 }));
  }
  getRowsBelow(count = 1): Range {
    return this._derive(({ rect }) => checked({ r0: rect.r1 + 1, r1: rect.r1 + count, c0: rect.c0, c1: rect.c1 }));
  }
  getEntireColumn(): Range {
    return this._derive(({ rect }) => ({ r0: 0, r1: MAX_ROWS - 1, c0: rect.c0, c1: rect.c1 }));
  }
  getEntireRow(): Range {
    return this._derive(({ rect }) => ({ r0: rect.r0, r1: rect.r1, c0: 0, c1: MAX_COLS - 1 }));
  }
  getLastRow(): Range {
    return this._derive(({ rect }) => ({ r0: rect.r1, r1: rect.r1, c0: rect.c0, c1: rect.c1 }));
  }
  getLastColumn(): Range {
    return this._derive(({ rect }) => ({ r0: rect.r0, r1: rect.r1, c0: rect.c1, c1: rect.c1 }));
  }
  getLastCell(): Range {
    return this._derive(({ rect }) => ({ r0: rect.r1, r1: rect.r1, c0: rect.c1, c1: rect.c1 }));
  }
  getBoundingRect(anotherRange: Range | string): Range {
    return this._derive((t) => boundingRect(t.rect, this._other(anotherRange, t).rect));
  }
  getIntersection(anotherRange: Range | string): Range {
    return this._derive((t) => {
      const r = intersect(t.rect, this._other(anotherRange, t).rect);
      if (!r) throw officeError("InvalidArgument", "The ranges don't intersect.", "Range.getIntersection");
      return r;
    });
  }
  getIntersectionOrNullObject(anotherRange: Range | string): Range {
    return this._derive((t) => intersect(t.rect, this._other(anotherRange, t).rect));
  }
  getUsedRange(valuesOnly?: boolean): Range {
    return this._derive(({ sheet, rect }) => {
      const u = sheet.usedRect(!!valuesOnly);
      const r = u && intersect(u, rect);
      if (!r) throw officeError("ItemNotFound", MESSAGES.itemNotFound, "Range.getUsedRange");
      return r;
    });
  }
  getUsedRangeOrNullObject(valuesOnly?: boolean): Range {
    return this._derive(({ sheet, rect }) => {
      const u = sheet.usedRect(!!valuesOnly);
      return u && intersect(u, rect);
    });
  }

  /** @internal */
  _other(another: Range | string, t: RangeTarget): RangeTarget {
    if (typeof another === "string") {
      const p = parseAddress(another);
      if (p.sheet !== undefined && p.sheet.toLowerCase() !== t.sheet.name.toLowerCase())
        throw officeError("InvalidArgument", MESSAGES.invalidArgument);
      return { sheet: t.sheet, rect: p.rect };
    }
    const o = another._target();
    if (o.sheet !== t.sheet) throw officeError("InvalidArgument", "The ranges are on different worksheets.");
    return o;
  }

  clear(applyTo: string = "All"): void {
    this._action("clear", () => {
      const { sheet, rect } = this._target();
      sheet.clear(rect, applyTo);
    });
  }

  select(): void {
    this._action("select", () => {
      const { sheet, rect } = this._target();
      sheet.wb.setField(sheet.wb, "activeSheetId", sheet.id);
      sheet.wb.setField(sheet.wb, "selection", { sheetId: sheet.id, rect });
    });
  }

  track(): this {
    this._use();
    (this._ctx as unknown as { trackedObjects: { add(o: unknown): void } }).trackedObjects.add(this);
    return this;
  }
  untrack(): this {
    this._use();
    (this._ctx as unknown as { trackedObjects: { remove(o: unknown): void } }).trackedObjects.remove(this);
    return this;
  }
}

function checked(rect: Rect): Rect {
  checkRect(rect, "range");
  return rect;
}

/** Rows/columns actually materialised for a read: whole rows/columns are cut to the used range in "bounded" mode. */
export function readRect(sheet: SheetModel, rect: Rect, mode: "bounded" | "full"): Rect {
  if (mode === "full") return rect;
  const wholeCols = rect.r0 === 0 && rect.r1 === MAX_ROWS - 1;
  const wholeRows = rect.c0 === 0 && rect.c1 === MAX_COLS - 1;
  if (!wholeCols && !wholeRows) return rect;
  const used = sheet.usedRect(false);
  const r = { ...rect };
  if (wholeCols) r.r1 = Math.max(rect.r0, used ? used.r1 : 0);
  if (wholeRows) r.c1 = Math.max(rect.c0, used ? used.c1 : 0);
  return r;
}

export function readGrid(sheet: SheetModel, rect: Rect, prop: string): unknown[][] {
  const rows = rectRows(rect),
    cols = rectCols(rect);
  const out: unknown[][] = new Array(rows);
  const colData = [];
  for (let j = 0; j < cols; j++) colData.push(sheet.cols[rect.c0 + j]);
  for (let i = 0; i < rows; i++) {
    const r = rect.r0 + i;
    const row: unknown[] = new Array(cols);
    for (let j = 0; j < cols; j++) {
      const col = colData[j];
      const v: CellValue | undefined = col?.v[r];
      switch (prop) {
        case "values":
          row[j] = v === undefined ? "" : v;
          break;
        case "formulas":
        case "formulasLocal":
          row[j] = col?.f?.[r] ?? (v === undefined ? "" : v);
          break;
        case "numberFormat":
          row[j] = col?.nf?.[r] ?? "General";
          break;
        case "text":
          row[j] = formatText(v, col?.nf?.[r]);
          break;
        case "valueTypes":
          row[j] = valueType(v, col?.qp?.[r] === true);
          break;
      }
    }
    out[i] = row;
  }
  return out;
}

/** Common value of a per-cell format field over a rect, or null when mixed (as Excel reports). */
function commonFormat<K extends keyof CellFormat>(
  sheet: SheetModel,
  rect: Rect,
  key: K,
  dflt: CellFormat[K],
): CellFormat[K] | null {
  const rr = readRect(sheet, rect, "bounded");
  let first: CellFormat[K] | undefined;
  let seen = false;
  for (let c = rr.c0; c <= rr.c1; c++) {
    for (let r = rr.r0; r <= rr.r1; r++) {
      const v = sheet.format(r, c)?.[key] ?? dflt;
      if (!seen) {
        first = v;
        seen = true;
      } else if (v !== first) return null;
    }
  }
  return first ?? dflt;
}

function applyFormat(range: Range, patch: CellFormat): void {
  const { sheet, rect } = range._target();
  sheet.journalRect(rect);
  const rr = readRect(sheet, rect, "bounded");
  for (let c = rr.c0; c <= rr.c1; c++) for (let r = rr.r0; r <= rr.r1; r++) sheet.setFormat(r, c, patch);
}

export class RangeFormat extends ClientObject {
  /** @internal */ _range: Range;
  /** @internal */ _font: RangeFont | undefined = undefined;
  /** @internal */ _fill: RangeFill | undefined = undefined;
  constructor(range: Range) {
    super(range._ctx);
    this._range = range;
    Object.preventExtensions(this);
  }
  get _typeName() {
    return "RangeFormat";
  }
  get _scalarProps() {
    return ["columnWidth", "rowHeight", "horizontalAlignment", "wrapText"];
  }
  get _navProps() {
    return ["font", "fill"];
  }
  _snapshot(props: readonly string[]): Record<string, unknown> | null {
    const t = this._range._targetOrNull();
    if (!t) return null;
    const out: Record<string, unknown> = {};
    for (const p of props) {
      if (p === "columnWidth") {
        const ws = new Set<number>();
        for (let c = t.rect.c0; c <= Math.min(t.rect.c1, t.rect.c0 + 1000); c++)
          ws.add(t.sheet.columnWidths.get(c) ?? 48);
        out[p] = ws.size === 1 ? [...ws][0] : null;
      } else if (p === "rowHeight") out[p] = 15;
      else if (p === "horizontalAlignment") out[p] = commonFormat(t.sheet, t.rect, "horizontalAlignment", "General");
      else if (p === "wrapText") out[p] = false;
    }
    return out;
  }
  get font(): RangeFont {
    this._use();
    return (this._font ??= new RangeFont(this._range));
  }
  get fill(): RangeFill {
    this._use();
    return (this._fill ??= new RangeFill(this._range));
  }
  get columnWidth(): number {
    return this._get("columnWidth");
  }
  set columnWidth(w: number) {
    this._setProp("columnWidth", w, () => {
      const { sheet, rect } = this._range._target();
      for (let c = rect.c0; c <= rect.c1; c++) sheet.columnWidths.set(c, w);
    });
  }
  get rowHeight(): number {
    return this._get("rowHeight");
  }
  get wrapText(): boolean {
    return this._get("wrapText");
  }
  get horizontalAlignment(): string {
    return this._get("horizontalAlignment");
  }
  set horizontalAlignment(a: string) {
    this._setProp("horizontalAlignment", a, () => applyFormat(this._range, { horizontalAlignment: a }));
  }

  autofitColumns(): void {
    this._action("autofitColumns", () => {
      const { sheet, rect } = this._range._target();
      sheet.autofitColumnCalls.push(rect);
      const used = sheet.usedRect(false);
      for (let c = rect.c0; c <= Math.min(rect.c1, used ? used.c1 : rect.c0); c++) {
        let len = 0;
        if (used) {
          const r1 = Math.min(rect.r1, used.r1);
          for (let r = Math.max(rect.r0, used.r0); r <= r1; r++)
            len = Math.max(len, formatText(sheet.value(r, c), sheet.numberFormat(r, c)).length);
        }
        sheet.columnWidths.set(c, Math.max(8, len * 6 + 6));
      }
    });
  }
  autofitRows(): void {
    this._action("autofitRows", () => {
      this._range._target();
    });
  }
}

export class RangeFont extends ClientObject {
  /** @internal */ _range: Range;
  constructor(range: Range) {
    super(range._ctx);
    this._range = range;
    Object.preventExtensions(this);
  }
  get _typeName() {
    return "RangeFont";
  }
  get _scalarProps() {
    return ["bold", "italic", "color", "name", "size"];
  }
  _snapshot(props: readonly string[]): Record<string, unknown> | null {
    const t = this._range._targetOrNull();
    if (!t) return null;
    const out: Record<string, unknown> = {};
    for (const p of props) {
      if (p === "bold") out[p] = commonFormat(t.sheet, t.rect, "bold", false);
      else if (p === "italic") out[p] = commonFormat(t.sheet, t.rect, "italic", false);
      else if (p === "color") out[p] = commonFormat(t.sheet, t.rect, "fontColor", "#000000");
      else if (p === "name") out[p] = "Aptos Narrow";
      else if (p === "size") out[p] = 11;
    }
    return out;
  }
  get bold(): boolean {
    return this._get("bold");
  }
  set bold(b: boolean) {
    this._setProp("bold", b, () => applyFormat(this._range, { bold: !!b }));
  }
  get italic(): boolean {
    return this._get("italic");
  }
  set italic(b: boolean) {
    this._setProp("italic", b, () => applyFormat(this._range, { italic: !!b }));
  }
  get color(): string {
    return this._get("color");
  }
  set color(c: string) {
    this._setProp("color", c, () => applyFormat(this._range, { fontColor: c }));
  }
  get name(): string {
    return this._get("name");
  }
  get size(): number {
    return this._get("size");
  }
}

export class RangeFill extends ClientObject {
  /** @internal */ _range: Range;
  constructor(range: Range) {
    super(range._ctx);
    this._range = range;
    Object.preventExtensions(this);
  }
  get _typeName() {
    return "RangeFill";
  }
  get _scalarProps() {
    return ["color"];
  }
  _snapshot(props: readonly string[]): Record<string, unknown> | null {
    const t = this._range._targetOrNull();
    if (!t) return null;
    return props.includes("color") ? { color: commonFormat(t.sheet, t.rect, "fillColor", "#FFFFFF") } : {};
  }
  get color(): string {
    return this._get("color");
  }
  set color(c: string) {
    this._setProp("color", c, () => applyFormat(this._range, { fillColor: c }));
  }
  clear(): void {
    this._action("clear", () => applyFormat(this._range, { fillColor: undefined }));
  }
}

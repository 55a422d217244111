/** Excel.Worksheet, Excel.WorksheetCollection, Excel.WorksheetFreezePanes. */
import { Rect, checkRect, parseAddress } from "./address";
import { ClientObject, ContextLike } from "./client-object";
import { CollectionBase } from "./collection";
import { MESSAGES, officeError } from "./errors";
import { FULL_SHEET, SheetModel } from "./model";
import { ChartCollection, TableCollection } from "./objects";
import { Range } from "./range";

export function sheetAlive(sheet: SheetModel): boolean {
  return !sheet.deleted && sheet.wb.sheets.includes(sheet);
}

export function sheetIdString(sheet: SheetModel): string {
  return `{00000000-0001-0000-${String(sheet.id).padStart(4, "0")}-000000000000}`;
}

export class Worksheet extends ClientObject {
  /** @internal */ _resolver: () => SheetModel | null;
  /** @internal */ _cache: { s: SheetModel | null } | undefined = undefined;
  /** @internal */ _tables: TableCollection | undefined = undefined;
  /** @internal */ _charts: ChartCollection | undefined = undefined;
  /** @internal */ _freeze: WorksheetFreezePanes | undefined = undefined;

  constructor(ctx: ContextLike, resolver: () => SheetModel | null) {
    super(ctx);
    this._resolver = resolver;
    Object.preventExtensions(this);
  }

  get _typeName() {
    return "Worksheet";
  }
  get _scalarProps() {
    return ["name", "id", "position", "visibility"];
  }

  /** @internal */
  _sheetOrNull(): SheetModel | null {
    if (!this._cache) this._cache = { s: this._resolver() };
    const s = this._cache.s;
    if (s && !sheetAlive(s)) throw officeError("ItemNotFound", MESSAGES.itemNotFound, "Worksheet");
    return s;
  }
  /** @internal */
  _sheet(): SheetModel {
    const s = this._sheetOrNull();
    if (!s) throw officeError("ItemNotFound", MESSAGES.itemNotFound, "Worksheet");
    return s;
  }

  _snapshot(props: readonly string[]): Record<string, unknown> | null {
    const s = this._sheetOrNull();
    if (!s) return null;
    const out: Record<string, unknown> = {};
    for (const p of props) {
      if (p === "name") out[p] = s.name;
      else if (p === "id") out[p] = sheetIdString(s);
      else if (p === "position") out[p] = s.wb.liveSheets().indexOf(s);
      else if (p === "visibility") out[p] = s.visibility;
    }
    return out;
  }

  get name(): string {
    return this._get("name");
  }
  set name(n: string) {
    this._setProp("name", n, () => {
      const s = this._sheet();
      s.wb.renameSheet(s, n);
    });
  }
  get id(): string {
    return this._get("id");
  }
  get position(): number {
    return this._get("position");
  }
  set position(p: number) {
    this._setProp("position", p, () => {
      const s = this._sheet();
      const wb = s.wb;
      const live = wb.liveSheets();
      if (!Number.isInteger(p) || p < 0 || p >= live.length)
        throw officeError("InvalidArgument", MESSAGES.invalidArgument, "Worksheet.position");
      const old = wb.sheets;
      const without = old.filter((x) => x !== s);
      const anchor = live.filter((x) => x !== s)[p];
      const idx = anchor ? without.indexOf(anchor) : without.length;
      wb.sheets = [...without.slice(0, idx), s, ...without.slice(idx)];
      wb.journal?.push(() => {
        wb.sheets = old;
      });
    });
  }
  get visibility(): string {
    return this._get("visibility");
  }
  set visibility(v: string) {
    this._setProp("visibility", v, () => {
      const s = this._sheet();
      if (v !== "Visible" && s.wb.liveSheets().filter((x) => x.visibility === "Visible" && x !== s).length === 0) {
        throw officeError(
          "InvalidOperation",
          "A workbook must contain at least one visible worksheet.",
          "Worksheet.visibility",
        );
      }
      s.wb.setField(s, "visibility", v);
    });
  }

  /** @internal */
  _range(rect: () => Rect): Range {
    this._use();
    return new Range(this._ctx, () => ({ sheet: this._sheet(), rect: rect() }));
  }

  getRange(address?: string): Range {
    this._use();
    return new Range(this._ctx, () => {
      const sheet = this._sheet();
      if (address === undefined || address === "") return { sheet, rect: FULL_SHEET };
      const p = parseAddress(address);
      if (p.sheet !== undefined && p.sheet.toLowerCase() !== sheet.name.toLowerCase()) {
        throw officeError(
          "InvalidArgument",
          `${MESSAGES.invalidArgument} ('${address}' is not on worksheet '${sheet.name}')`,
          "Worksheet.getRange",
        );
      }
      return { sheet, rect: p.rect };
    });
  }

  getRangeByIndexes(startRow: number, startColumn: number, rowCount: number, columnCount: number): Range {
    return this._range(() => {
      const rect = { r0: startRow, c0: startColumn, r1: startRow + rowCount - 1, c1: startColumn + columnCount - 1 };
      checkRect(rect, `getRangeByIndexes(${startRow}, ${startColumn}, ${rowCount}, ${columnCount})`);
      return rect;
    });
  }

  getCell(row: number, column: number): Range {
    return this._range(() => {
      const rect = { r0: row, c0: column, r1: row, c1: column };
      checkRect(rect, "getCell");
      return rect;
    });
  }

  /** Excel: a blank sheet's used range is A1. */
  getUsedRange(valuesOnly?: boolean): Range {
    return this._range(() => this._sheet().usedRect(!!valuesOnly) ?? { r0: 0, c0: 0, r1: 0, c1: 0 });
  }

  getUsedRangeOrNullObject(valuesOnly?: boolean): Range {
    this._use();
    return new Range(this._ctx, () => {
      const sheet = this._sheet();
      const rect = sheet.usedRect(!!valuesOnly);
      return rect ? { sheet, rect } : null;
    });
  }

  activate(): void {
    this._action("activate", () => {
      const s = this._sheet();
      if (s.visibility !== "Visible")
        throw officeError("InvalidOperation", "A hidden worksheet can't be activated.", "Worksheet.activate");
      s.wb.setField(s.wb, "activeSheetId", s.id);
      s.wb.setField(s.wb, "selection", { sheetId: s.id, rect: { r0: 0, c0: 0, r1: 0, c1: 0 } });
    });
  }

  delete(): void {
    this._action("delete", () => {
      const s = this._sheet();
      s.wb.deleteSheet(s);
    });
  }

  get tables(): TableCollection {
    this._use();
    return (this._tables ??= new TableCollection(this._ctx, () => this._sheet()));
  }
  get charts(): ChartCollection {
    this._use();
    return (this._charts ??= new ChartCollection(this._ctx, this));
  }
  get freezePanes(): WorksheetFreezePanes {
    this._use();
    return (this._freeze ??= new WorksheetFreezePanes(this));
  }
}

export class WorksheetCollection extends CollectionBase<Worksheet, SheetModel> {
  /** @internal */ _model: () => import("./model").WorkbookModel;
  constructor(ctx: ContextLike) {
    super(ctx);
    this._model = () => ctx._host.model;
    Object.preventExtensions(this);
  }
  get _typeName() {
    return "WorksheetCollection";
  }
  get _itemProps() {
    return ["name", "id", "position", "visibility"];
  }
  _list(): SheetModel[] {
    return this._model().liveSheets();
  }
  _wrap(m: SheetModel): Worksheet {
    return new Worksheet(this._ctx, () => m);
  }

  /** @internal */
  _byKey(key: string): SheetModel | undefined {
    const wb = this._model();
    return wb.sheetByName(String(key)) ?? wb.liveSheets().find((s) => sheetIdString(s) === key);
  }

  getItem(key: string): Worksheet {
    this._use();
    return new Worksheet(this._ctx, () => {
      const s = this._byKey(key);
      if (!s)
        throw officeError(
          "ItemNotFound",
          `${MESSAGES.itemNotFound} (worksheet '${key}')`,
          "WorksheetCollection.getItem",
        );
      return s;
    });
  }

  getItemOrNullObject(key: string): Worksheet {
    this._use();
    return new Worksheet(this._ctx, () => this._byKey(key) ?? null);
  }

  getActiveWorksheet(): Worksheet {
    this._use();
    return new Worksheet(this._ctx, () => this._model().activeSheet());
  }

  getFirst(): Worksheet {
    this._use();
    return new Worksheet(this._ctx, () => this._model().liveSheets()[0]);
  }
  getLast(): Worksheet {
    this._use();
    const l = () => this._model().liveSheets();
    return new Worksheet(this._ctx, () => l()[l().length - 1]);
  }

  add(name?: string): Worksheet {
    let created: SheetModel | null = null;
    this._action("add", () => {
      created = this._model().addSheet(name);
    });
    return new Worksheet(this._ctx, () => {
      if (!created) throw officeError("GeneralException", "The worksheet was not created.", "WorksheetCollection.add");
      return created;
    });
  }
}

export class WorksheetFreezePanes extends ClientObject {
  /** @internal */ _ws: Worksheet;
  constructor(ws: Worksheet) {
    super(ws._ctx);
    this._ws = ws;
    Object.preventExtensions(this);
  }
  get _typeName() {
    return "WorksheetFreezePanes";
  }
  get _scalarProps() {
    return [];
  }
  _snapshot(): Record<string, unknown> | null {
    return this._ws._sheetOrNull() ? {} : null;
  }
  /** @internal */
  _set(rows: number, columns: number, what: string): void {
    this._action(what, () => {
      const s = this._ws._sheet();
      if (!Number.isInteger(rows) || !Number.isInteger(columns) || rows < 0 || columns < 0)
        throw officeError("InvalidArgument", MESSAGES.invalidArgument, `WorksheetFreezePanes.${what}`);
      s.wb.setField(s, "freeze", { rows, columns });
    });
  }
  freezeRows(count = 1): void {
    this._set(count, 0, "freezeRows");
  }
  freezeColumns(count = 1): void {
    this._set(0, count, "freezeColumns");
  }
  freezeAt(frozenRange: Range | string): void {
    if (typeof frozenRange !== "string") this._useArg(frozenRange);
    this._action("freezeAt", () => {
      const s = this._ws._sheet();
      const rect = typeof frozenRange === "string" ? parseAddress(frozenRange).rect : frozenRange._target().rect;
      s.wb.setField(s, "freeze", { rows: rect.r1 + 1, columns: rect.c1 + 1 });
    });
  }
  unfreeze(): void {
    this._set(0, 0, "unfreeze");
  }
}

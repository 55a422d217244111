/** Tables and charts: recorded so tests can inspect them, with just enough behaviour to be strict. */
import { Rect, formatRect, parseAddress } from "./address";
import { ClientObject, ContextLike } from "./client-object";
import { CollectionBase } from "./collection";
import { MESSAGES, officeError } from "./errors";
import type { ChartRecord, SheetModel, TableRecord, WorkbookModel } from "./model";
import { Range } from "./range";
import { Worksheet, sheetAlive } from "./worksheet";

function model(ctx: ContextLike): WorkbookModel {
  return ctx._host.model;
}

export class TableCollection extends CollectionBase<Table, TableRecord> {
  /** @internal */ _sheet: (() => SheetModel) | null;
  constructor(ctx: ContextLike, sheet: (() => SheetModel) | null) {
    super(ctx);
    this._sheet = sheet;
    Object.preventExtensions(this);
  }
  get _typeName() {
    return "TableCollection";
  }
  get _itemProps() {
    return ["name", "id", "style", "showTotals", "showHeaders"];
  }
  _list(): TableRecord[] {
    const wb = model(this._ctx);
    const s = this._sheet?.();
    return wb.tables.filter((t) => (s ? t.sheetId === s.id : true));
  }
  _wrap(m: TableRecord): Table {
    return new Table(this._ctx, () => m);
  }

  add(address: Range | string, hasHeaders: boolean): Table {
    if (typeof address !== "string") this._useArg(address);
    let rec: TableRecord | null = null;
    this._action("add", () => {
      const wb = model(this._ctx);
      let sheet: SheetModel, rect: Rect;
      if (typeof address === "string") {
        const p = parseAddress(address);
        const own = this._sheet?.();
        if (p.sheet !== undefined) {
          const named = wb.sheetByName(p.sheet);
          if (!named)
            throw officeError(
              "ItemNotFound",
              `${MESSAGES.itemNotFound} (worksheet '${p.sheet}')`,
              "TableCollection.add",
            );
          if (own && named !== own)
            throw officeError("InvalidArgument", MESSAGES.invalidArgument, "TableCollection.add");
          sheet = named;
        } else sheet = own ?? wb.activeSheet();
        rect = p.rect;
      } else {
        const t = address._target();
        sheet = t.sheet;
        rect = t.rect;
        const own = this._sheet?.();
        if (own && own !== sheet) throw officeError("InvalidArgument", MESSAGES.invalidArgument, "TableCollection.add");
      }
      rec = wb.addTable(sheet, rect, !!hasHeaders);
    });
    return new Table(this._ctx, () => {
      if (!rec) throw officeError("GeneralException", "The table was not created.", "TableCollection.add");
      return rec;
    });
  }

  /** @internal */
  _find(key: string): TableRecord | undefined {
    const k = key.toLowerCase();
    return this._list().find((t) => t.name.toLowerCase() === k || t.id === key);
  }
  getItem(key: string): Table {
    this._use();
    return new Table(this._ctx, () => {
      const t = this._find(key);
      if (!t) throw officeError("ItemNotFound", `${MESSAGES.itemNotFound} (table '${key}')`, "TableCollection.getItem");
      return t;
    });
  }
  getItemOrNullObject(key: string): Table {
    this._use();
    return new Table(this._ctx, () => this._find(key) ?? null);
  }
}

export class Table extends ClientObject {
  /** @internal */ _resolver: () => TableRecord | null;
  constructor(ctx: ContextLike, resolver: () => TableRecord | null) {
    super(ctx);
    this._resolver = resolver;
    Object.preventExtensions(this);
  }
  get _typeName() {
    return "Table";
  }
  get _scalarProps() {
    return ["name", "id", "style", "showTotals", "showHeaders"];
  }
  /** @internal */
  _recOrNull(): TableRecord | null {
    const r = this._resolver();
    if (r && !model(this._ctx).tables.includes(r)) throw officeError("ItemNotFound", MESSAGES.itemNotFound, "Table");
    return r;
  }
  /** @internal */
  _rec(): TableRecord {
    const r = this._recOrNull();
    if (!r) throw officeError("ItemNotFound", MESSAGES.itemNotFound, "Table");
    return r;
  }
  _snapshot(props: readonly string[]): Record<string, unknown> | null {
    const r = this._recOrNull();
    if (!r) return null;
    const out: Record<string, unknown> = {};
    for (const p of props) {
      if (p === "showHeaders") out[p] = r.hasHeaders;
      else out[p] = (r as unknown as Record<string, unknown>)[p];
    }
    return out;
  }
  get name(): string {
    return this._get("name");
  }
  set name(n: string) {
    this._setProp("name", n, () => {
      const r = this._rec();
      const wb = model(this._ctx);
      if (!/^[A-Za-z_\\][A-Za-z0-9_.\\]*$/.test(n) || /^[A-Za-z]{1,3}\d+$/.test(n))
        throw officeError("InvalidArgument", `${MESSAGES.invalidArgument} (table name '${n}')`, "Table.name");
      if (wb.tables.some((t) => t !== r && t.name.toLowerCase() === n.toLowerCase()))
        throw officeError("ItemAlreadyExists", MESSAGES.itemAlreadyExists, "Table.name");
      wb.setField(r, "name", n);
    });
  }
  get id(): string {
    return this._get("id");
  }
  get style(): string {
    return this._get("style");
  }
  set style(s: string) {
    this._setProp("style", s, () => model(this._ctx).setField(this._rec(), "style", s));
  }
  get showTotals(): boolean {
    return this._get("showTotals");
  }
  set showTotals(b: boolean) {
    this._setProp("showTotals", b, () => model(this._ctx).setField(this._rec(), "showTotals", !!b));
  }
  get showHeaders(): boolean {
    return this._get("showHeaders");
  }

  /** @internal */
  _sub(f: (r: TableRecord) => Rect | null): Range {
    this._use();
    return new Range(this._ctx, () => {
      const r = this._rec();
      const sheet = model(this._ctx).sheetById(r.sheetId)!;
      const rect = f(r);
      return rect ? { sheet, rect } : null;
    });
  }
  getRange(): Range {
    return this._sub((r) => r.rect);
  }
  getHeaderRowRange(): Range {
    return this._sub((r) => (r.hasHeaders ? { ...r.rect, r1: r.rect.r0 } : null));
  }
  getDataBodyRange(): Range {
    return this._sub((r) => ({ ...r.rect, r0: r.hasHeaders ? r.rect.r0 + 1 : r.rect.r0 }));
  }
  get worksheet(): Worksheet {
    this._use();
    return new Worksheet(this._ctx, () => model(this._ctx).sheetById(this._rec().sheetId) ?? null);
  }
  delete(): void {
    this._action("delete", () => {
      const r = this._rec();
      const wb = model(this._ctx);
      wb.setField(
        wb,
        "tables",
        wb.tables.filter((t) => t !== r),
      );
    });
  }
  convertToRange(): Range {
    const range = this.getRange();
    this.delete();
    return range;
  }
}

export class ChartCollection extends CollectionBase<Chart, ChartRecord> {
  /** @internal */ _ws: Worksheet;
  constructor(ctx: ContextLike, ws: Worksheet) {
    super(ctx);
    this._ws = ws;
    Object.preventExtensions(this);
  }
  get _typeName() {
    return "ChartCollection";
  }
  get _itemProps() {
    return ["name", "id", "chartType", "top", "left", "width", "height"];
  }
  _list(): ChartRecord[] {
    const s = this._ws._sheet();
    return model(this._ctx).charts.filter((c) => c.sheetId === s.id);
  }
  _wrap(m: ChartRecord): Chart {
    return new Chart(this._ctx, () => m);
  }

  add(type: string, sourceData: Range, seriesBy: string = "Auto"): Chart {
    this._useArg(sourceData);
    if (!(sourceData instanceof Range))
      throw officeError(
        "InvalidArgument",
        `${MESSAGES.invalidArgument} (sourceData must be a Range)`,
        "ChartCollection.add",
      );
    let rec: ChartRecord | null = null;
    this._action("add", () => {
      if (typeof type !== "string" || !/^[A-Za-z0-9]+$/.test(type) || type === "Invalid")
        throw officeError(
          "InvalidArgument",
          `${MESSAGES.invalidArgument} (chart type '${type}')`,
          "ChartCollection.add",
        );
      if (!["Auto", "Columns", "Rows"].includes(seriesBy))
        throw officeError(
          "InvalidArgument",
          `${MESSAGES.invalidArgument} (seriesBy '${seriesBy}')`,
          "ChartCollection.add",
        );
      const src = sourceData._target();
      rec = model(this._ctx).addChart(this._ws._sheet(), type, src, seriesBy);
    });
    return new Chart(this._ctx, () => {
      if (!rec) throw officeError("GeneralException", "The chart was not created.", "ChartCollection.add");
      return rec;
    });
  }
  getItem(name: string): Chart {
    this._use();
    return new Chart(this._ctx, () => {
      const c = this._list().find((x) => x.name === name || x.id === name);
      if (!c)
        throw officeError("ItemNotFound", `${MESSAGES.itemNotFound} (chart '${name}')`, "ChartCollection.getItem");
      return c;
    });
  }
  getItemOrNullObject(name: string): Chart {
    this._use();
    return new Chart(this._ctx, () => this._list().find((x) => x.name === name || x.id === name) ?? null);
  }
  getItemAt(index: number): Chart {
    this._use();
    return new Chart(this._ctx, () => {
      const c = this._list()[index];
      if (!c) throw officeError("ItemNotFound", MESSAGES.itemNotFound, "ChartCollection.getItemAt");
      return c;
    });
  }
}

export class Chart extends ClientObject {
  /** @internal */ _resolver: () => ChartRecord | null;
  /** @internal */ _title: ChartTitle | undefined = undefined;
  /** @internal */ _legend: ChartLegend | undefined = undefined;
  constructor(ctx: ContextLike, resolver: () => ChartRecord | null) {
    super(ctx);
    this._resolver = resolver;
    Object.preventExtensions(this);
  }
  get _typeName() {
    return "Chart";
  }
  get _scalarProps() {
    return ["name", "id", "chartType", "top", "left", "width", "height"];
  }
  get _navProps() {
    return ["title", "legend"];
  }
  /** @internal */
  _recOrNull(): ChartRecord | null {
    const r = this._resolver();
    if (r && !model(this._ctx).charts.includes(r)) throw officeError("ItemNotFound", MESSAGES.itemNotFound, "Chart");
    return r;
  }
  /** @internal */
  _rec(): ChartRecord {
    const r = this._recOrNull();
    if (!r) throw officeError("ItemNotFound", MESSAGES.itemNotFound, "Chart");
    return r;
  }
  _snapshot(props: readonly string[]): Record<string, unknown> | null {
    const r = this._recOrNull();
    if (!r) return null;
    const out: Record<string, unknown> = {};
    for (const p of props) out[p] = p === "chartType" ? r.type : (r as unknown as Record<string, unknown>)[p];
    return out;
  }
  /** @internal */
  _field<K extends "name" | "type" | "top" | "left" | "width" | "height">(
    prop: string,
    key: K,
    v: ChartRecord[K],
  ): void {
    this._setProp(prop, v, () => model(this._ctx).setField(this._rec(), key, v));
  }
  get name(): string {
    return this._get("name");
  }
  set name(v: string) {
    this._field("name", "name", v);
  }
  get id(): string {
    return this._get("id");
  }
  get chartType(): string {
    return this._get("chartType");
  }
  set chartType(v: string) {
    this._field("chartType", "type", v);
  }
  get top(): number {
    return this._get("top");
  }
  set top(v: number) {
    this._field("top", "top", v);
  }
  get left(): number {
    return this._get("left");
  }
  set left(v: number) {
    this._field("left", "left", v);
  }
  get width(): number {
    return this._get("width");
  }
  set width(v: number) {
    this._field("width", "width", v);
  }
  get height(): number {
    return this._get("height");
  }
  set height(v: number) {
    this._field("height", "height", v);
  }
  get title(): ChartTitle {
    this._use();
    return (this._title ??= new ChartTitle(this));
  }
  get legend(): ChartLegend {
    this._use();
    return (this._legend ??= new ChartLegend(this));
  }
  setPosition(startCell: Range | string, endCell?: Range | string): void {
    for (const c of [startCell, endCell]) if (c !== undefined && typeof c !== "string") this._useArg(c);
    this._action("setPosition", () => {
      const r = this._rec();
      const addr = (c: Range | string) =>
        typeof c === "string" ? formatRect(parseAddress(c).rect) : formatRect(c._target().rect);
      model(this._ctx).setField(r, "position", {
        startCell: addr(startCell),
        ...(endCell !== undefined ? { endCell: addr(endCell) } : {}),
      });
    });
  }
  delete(): void {
    this._action("delete", () => {
      const r = this._rec();
      const wb = model(this._ctx);
      wb.setField(
        wb,
        "charts",
        wb.charts.filter((c) => c !== r),
      );
    });
  }
  get worksheet(): Worksheet {
    this._use();
    return new Worksheet(this._ctx, () => {
      const s = model(this._ctx).sheetById(this._rec().sheetId);
      return s && sheetAlive(s) ? s : null;
    });
  }
}

export class ChartTitle extends ClientObject {
  /** @internal */ _chart: Chart;
  constructor(chart: Chart) {
    super(chart._ctx);
    this._chart = chart;
    Object.preventExtensions(this);
  }
  get _typeName() {
    return "ChartTitle";
  }
  get _scalarProps() {
    return ["text", "visible"];
  }
  _snapshot(props: readonly string[]): Record<string, unknown> | null {
    const r = this._chart._recOrNull();
    if (!r) return null;
    const out: Record<string, unknown> = {};
    for (const p of props) out[p] = (r.title as Record<string, unknown>)[p];
    return out;
  }
  get text(): string {
    return this._get("text");
  }
  set text(v: string) {
    this._setProp("text", v, () => {
      const r = this._chart._rec();
      model(this._ctx).setField(r, "title", { ...r.title, text: String(v) });
    });
  }
  get visible(): boolean {
    return this._get("visible");
  }
  set visible(v: boolean) {
    this._setProp("visible", v, () => {
      const r = this._chart._rec();
      model(this._ctx).setField(r, "title", { ...r.title, visible: !!v });
    });
  }
}

export class ChartLegend extends ClientObject {
  /** @internal */ _chart: Chart;
  constructor(chart: Chart) {
    super(chart._ctx);
    this._chart = chart;
    Object.preventExtensions(this);
  }
  get _typeName() {
    return "ChartLegend";
  }
  get _scalarProps() {
    return ["visible", "position"];
  }
  _snapshot(props: readonly string[]): Record<string, unknown> | null {
    const r = this._chart._recOrNull();
    if (!r) return null;
    const out: Record<string, unknown> = {};
    for (const p of props) out[p] = (r.legend as Record<string, unknown>)[p];
    return out;
  }
  get visible(): boolean {
    return this._get("visible");
  }
  set visible(v: boolean) {
    this._setProp("visible", v, () => {
      const r = this._chart._rec();
      model(this._ctx).setField(r, "legend", { ...r.legend, visible: !!v });
    });
  }
  get position(): string {
    return this._get("position");
  }
  set position(v: string) {
    this._setProp("position", v, () => {
      const r = this._chart._rec();
      model(this._ctx).setField(r, "legend", { ...r.legend, position: String(v) });
    });
  }
}

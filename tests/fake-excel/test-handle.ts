/**
 * The test-side handle: seed and inspect the workbook directly, bypassing load/sync rules, limits and counters.
 */
import { MAX_COLS, MAX_ROWS, Rect, formatAddress, formatRect, parseAddress, rectCols, rectRows } from "./address";
import type { ClientObject } from "./client-object";
import { FakeLimits, FakeCounters, newCounters } from "./limits";
import { SheetModel, WorkbookModel } from "./model";
import { readGrid, readRect } from "./range";
import { FakeSettings } from "./settings";
import { CellValue, coerceInput } from "./values";

export interface CellInfo {
  value: CellValue | "";
  formula: string | undefined;
  numberFormat: string;
  /** stored as text because the input began with an apostrophe */
  quotePrefix: boolean;
  bold: boolean;
  italic: boolean;
  fillColor: string | undefined;
  fontColor: string | undefined;
}

export interface TableInfo {
  name: string;
  sheet: string;
  address: string;
  hasHeaders: boolean;
  style: string;
  showTotals: boolean;
}
export interface ChartInfo {
  name: string;
  sheet: string;
  type: string;
  sourceAddress: string;
  seriesBy: string;
  title: string;
  titleVisible: boolean;
  legend: { visible: boolean; position: string };
  position?: { startCell: string; endCell?: string };
  top: number;
  left: number;
  width: number;
  height: number;
}

export class FakeWorkbookHandle {
  /** @internal */ _wb: WorkbookModel;
  /** @internal */ _tracked: Set<ClientObject>;
  readonly settings: FakeSettingsHandle;

  constructor(wb: WorkbookModel, tracked: Set<ClientObject>, settings: FakeSettings) {
    this._wb = wb;
    this._tracked = tracked;
    this.settings = new FakeSettingsHandle(settings);
  }

  /** "web" enforces the payload limit; "desktop" does not. Switchable at any time. */
  get mode(): "web" | "desktop" {
    return this._wb.mode;
  }
  set mode(m: "web" | "desktop") {
    this._wb.mode = m;
  }
  /** live, mutable limits */
  get limits(): FakeLimits {
    return this._wb.limits;
  }
  setLimits(patch: Partial<FakeLimits>): void {
    Object.assign(this._wb.limits, patch);
  }
  get wholeRangeReads(): "bounded" | "full" {
    return this._wb.wholeRangeReads;
  }
  set wholeRangeReads(v: "bounded" | "full") {
    this._wb.wholeRangeReads = v;
  }
  /** live counters (the same object across calls) */
  get counters(): FakeCounters {
    return this._wb.counters;
  }
  resetCounters(): void {
    Object.assign(this._wb.counters, newCounters());
  }
  /** objects currently in some context.trackedObjects */
  get trackedObjectCount(): number {
    return this._tracked.size;
  }

  sheetNames(): string[] {
    return this._wb.liveSheets().map((s) => s.name);
  }
  hasSheet(name: string): boolean {
    return !!this._wb.sheetByName(name);
  }
  addSheet(name: string, values?: unknown[][]): void {
    this._wb.addSheet(name);
    if (values) this.setValues(name, "A1", values);
  }
  deleteSheet(name: string): void {
    this._wb.deleteSheet(this.sheet(name));
  }
  /** Save, close and reopen the workbook: the saved settings are loaded again and worksheet ids change. */
  reopen(): void {
    this._wb.reopen();
    this.settings.reload();
  }
  renameSheet(from: string, to: string): void {
    this._wb.renameSheet(this.sheet(from), to);
  }
  get activeSheet(): string {
    return this._wb.activeSheet().name;
  }
  activate(name: string): void {
    this._wb.activeSheetId = this.sheet(name).id;
    this._wb.selection = null;
  }

  /** @internal */
  sheet(name: string): SheetModel {
    const s = this._wb.sheetByName(name);
    if (!s) throw new Error(`fake-excel: no sheet '${name}' (have: ${this.sheetNames().join(", ")})`);
    return s;
  }

  /** @internal a single-cell address grows to the grid's size */
  _rect(address: string, grid?: unknown): Rect {
    const { rect } = parseAddress(address);
    if (Array.isArray(grid) && rect.r0 === rect.r1 && rect.c0 === rect.c1) {
      const rows = grid.length,
        cols = Array.isArray(grid[0]) ? (grid[0] as unknown[]).length : 1;
      return { r0: rect.r0, c0: rect.c0, r1: rect.r0 + Math.max(rows, 1) - 1, c1: rect.c0 + Math.max(cols, 1) - 1 };
    }
    return rect;
  }

  /**
   * Write cells like typed input (strings "=…" become formulas, "'x" text, "12" numbers — see values.ts),
   * or, with { raw: true }, store strings verbatim as text. A single-cell address is the top-left of the grid.
   */
  setValues(sheet: string, address: string, values: unknown[][] | CellValue, opts: { raw?: boolean } = {}): void {
    const s = this.sheet(sheet);
    const rect = this._rect(address, values);
    const rows = rectRows(rect),
      cols = rectCols(rect);
    const scalar = !Array.isArray(values);
    if (
      !scalar &&
      ((values as unknown[][]).length !== rows ||
        (values as unknown[][]).some((r) => !Array.isArray(r) || r.length !== cols))
    ) {
      throw new Error(`fake-excel: ${rows}x${cols} range ${address} vs a grid of another shape`);
    }
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) {
        const x = scalar ? values : (values as unknown[][])[i][j];
        const r = rect.r0 + i,
          c = rect.c0 + j;
        if (opts.raw && typeof x === "string")
          s.writeCell(r, c, x === "" ? { kind: "clear" } : { kind: "value", value: x });
        else s.writeCell(r, c, coerceInput(x, s.numberFormat(r, c)));
      }
    }
  }
  setFormulas(sheet: string, address: string, formulas: unknown[][]): void {
    this.setValues(sheet, address, formulas);
  }
  setNumberFormat(sheet: string, address: string, format: string | string[][]): void {
    const s = this.sheet(sheet);
    const rect = this._rect(address, format);
    for (let r = rect.r0; r <= rect.r1; r++)
      for (let c = rect.c0; c <= rect.c1; c++) {
        s.setNumberFormat(r, c, typeof format === "string" ? format : format[r - rect.r0][c - rect.c0]);
      }
  }

  /** Whole rows/columns are cut to the used range. */
  getValues(sheet: string, address: string): unknown[][] {
    return this._read(sheet, address, "values");
  }
  getFormulas(sheet: string, address: string): unknown[][] {
    return this._read(sheet, address, "formulas");
  }
  getNumberFormats(sheet: string, address: string): string[][] {
    return this._read(sheet, address, "numberFormat") as string[][];
  }
  getText(sheet: string, address: string): string[][] {
    return this._read(sheet, address, "text") as string[][];
  }
  getValueTypes(sheet: string, address: string): string[][] {
    return this._read(sheet, address, "valueTypes") as string[][];
  }
  /** @internal */
  _read(sheet: string, address: string, prop: string): unknown[][] {
    const s = this.sheet(sheet);
    return readGrid(s, readRect(s, parseAddress(address).rect, "bounded"), prop);
  }

  getCell(sheet: string, address: string): CellInfo {
    const s = this.sheet(sheet);
    const { r0: r, c0: c } = parseAddress(address).rect;
    const f = s.format(r, c);
    const v = s.value(r, c);
    return {
      value: v === undefined ? "" : v,
      formula: s.formula(r, c),
      numberFormat: s.numberFormat(r, c) ?? "General",
      quotePrefix: s.quotePrefix(r, c),
      bold: f?.bold ?? false,
      italic: f?.italic ?? false,
      fillColor: f?.fillColor,
      fontColor: f?.fontColor,
    };
  }

  /** "Sheet1!A1:C10" or null for a blank sheet */
  usedRange(sheet: string, valuesOnly = false): string | null {
    const s = this.sheet(sheet);
    const u = s.usedRect(valuesOnly);
    return u ? formatAddress(s.name, u) : null;
  }

  /** Set what workbook.getSelectedRange() returns (also activates the sheet). */
  select(sheet: string, address: string): void {
    const s = this.sheet(sheet);
    this._wb.activeSheetId = s.id;
    this._wb.selection = { sheetId: s.id, rect: parseAddress(address).rect };
  }
  get selection(): string {
    const { sheet, rect } = this._wb.selectionOrDefault();
    return formatAddress(sheet.name, rect);
  }

  tables(): TableInfo[] {
    return this._wb.tables.map((t) => {
      const s = this._wb.sheetById(t.sheetId)!;
      return {
        name: t.name,
        sheet: s.name,
        address: formatAddress(s.name, t.rect),
        hasHeaders: t.hasHeaders,
        style: t.style,
        showTotals: t.showTotals,
      };
    });
  }

  charts(): ChartInfo[] {
    return this._wb.charts.map((c) => {
      const s = this._wb.sheetById(c.sheetId)!;
      const src = this._wb.sheetById(c.sourceSheetId);
      return {
        name: c.name,
        sheet: s.name,
        type: c.type,
        sourceAddress: src ? formatAddress(src.name, c.sourceRect) : formatRect(c.sourceRect),
        seriesBy: c.seriesBy,
        title: c.title.text,
        titleVisible: c.title.visible,
        legend: { ...c.legend },
        position: c.position && { ...c.position },
        top: c.top,
        left: c.left,
        width: c.width,
        height: c.height,
      };
    });
  }

  freezePanes(sheet: string): { rows: number; columns: number } {
    return { ...this.sheet(sheet).freeze };
  }
  /** widths set by format.columnWidth or autofitColumns (default 48) */
  columnWidth(sheet: string, column: string | number): number {
    const c = typeof column === "number" ? column : parseAddress(`${column}1`).rect.c0;
    return this.sheet(sheet).columnWidths.get(c) ?? 48;
  }
  /** addresses autofitColumns() was called on, in order */
  autofitCalls(sheet: string): string[] {
    const s = this.sheet(sheet);
    return s.autofitColumnCalls.map((r) => formatAddress(s.name, r));
  }
  sheetVisibility(sheet: string): string {
    return this.sheet(sheet).visibility;
  }

  get calculationMode(): string {
    return this._wb.calculationMode;
  }
  set calculationMode(m: string) {
    this._wb.calculationMode = m;
  }
}

export class FakeSettingsHandle {
  /** @internal */ _s: FakeSettings;
  constructor(s: FakeSettings) {
    this._s = s;
  }
  /** what the last successful saveAsync persisted */
  saved(): Record<string, unknown> {
    return JSON.parse(this._s._saved);
  }
  /** current in-memory values (unsaved changes included) */
  current(): Record<string, unknown> {
    return { ...this._s._values };
  }
  get saveCount(): number {
    return this._s.saveCount;
  }
  /** simulate closing and reopening the document: in-memory values = last saved */
  reload(): void {
    this._s._values = JSON.parse(this._s._saved);
  }
  /** seed persisted settings (as if saved by an earlier session) and load them */
  seed(values: Record<string, unknown>): void {
    this._s._saved = JSON.stringify(values);
    this.reload();
  }
}

export const SHEET_LIMITS = { rows: MAX_ROWS, columns: MAX_COLS };

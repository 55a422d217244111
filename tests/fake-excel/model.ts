/** The in-memory workbook: sheets with sparse per-column cell storage, tables, charts, selection, counters. */
import { MAX_COLS, MAX_ROWS, Rect, formatAddress, intersect } from "./address";
import { officeError } from "./errors";
import { CellValue, CellWrite } from "./values";
import { FakeLimits, FakeCounters, newCounters } from "./limits";

export interface CellFormat {
  bold?: boolean;
  italic?: boolean;
  fontColor?: string;
  fillColor?: string;
  horizontalAlignment?: string;
}

interface Column {
  v: (CellValue | undefined)[];
  f?: (string | undefined)[];
  nf?: (string | undefined)[];
  qp?: (boolean | undefined)[];
  fmt?: (CellFormat | undefined)[];
}

export interface TableRecord {
  id: string;
  name: string;
  sheetId: number;
  rect: Rect;
  hasHeaders: boolean;
  style: string;
  showTotals: boolean;
}
export interface ChartRecord {
  id: string;
  name: string;
  sheetId: number;
  type: string;
  sourceSheetId: number;
  sourceRect: Rect;
  seriesBy: string;
  title: { text: string; visible: boolean };
  legend: { visible: boolean; position: string };
  position?: { startCell: string; endCell?: string };
  top: number;
  left: number;
  width: number;
  height: number;
  props: Record<string, unknown>;
}

let sheetIdSeq = 1;

export class SheetModel {
  /** changes on reopen (WorkbookModel.reopen): Excel does not promise stable worksheet ids across sessions */
  id: number;
  name: string;
  deleted = false;
  visibility = "Visible";
  cols: (Column | undefined)[] = [];
  freeze = { rows: 0, columns: 0 };
  columnWidths = new Map<number, number>();
  autofitColumnCalls: Rect[] = [];
  private usedCache: { all: Rect | null; values: Rect | null } | null = null;

  constructor(
    readonly wb: WorkbookModel,
    name: string,
  ) {
    this.id = sheetIdSeq++;
    this.name = name;
  }

  private col(c: number, create: true): Column;
  private col(c: number, create: false): Column | undefined;
  private col(c: number, create: boolean): Column | undefined {
    let col = this.cols[c];
    if (!col && create) {
      col = { v: [] };
      this.cols[c] = col;
    }
    return col;
  }

  value(r: number, c: number): CellValue | undefined {
    return this.cols[c]?.v[r];
  }
  formula(r: number, c: number): string | undefined {
    return this.cols[c]?.f?.[r];
  }
  numberFormat(r: number, c: number): string | undefined {
    return this.cols[c]?.nf?.[r];
  }
  quotePrefix(r: number, c: number): boolean {
    return this.cols[c]?.qp?.[r] === true;
  }
  format(r: number, c: number): CellFormat | undefined {
    return this.cols[c]?.fmt?.[r];
  }

  /** Snapshot a rect so a failed batch can be rolled back (only while a journal is open). */
  journalRect(rect: Rect): void {
    const j = this.wb.journal;
    if (!j) return;
    const saved: { c: number; col: Column | undefined }[] = [];
    for (let c = rect.c0; c <= rect.c1; c++) {
      const col = this.cols[c];
      saved.push({
        c,
        col: col && {
          v: col.v.slice(rect.r0, rect.r1 + 1),
          f: col.f?.slice(rect.r0, rect.r1 + 1),
          nf: col.nf?.slice(rect.r0, rect.r1 + 1),
          qp: col.qp?.slice(rect.r0, rect.r1 + 1),
          fmt: col.fmt?.slice(rect.r0, rect.r1 + 1),
        },
      });
    }
    j.push(() => {
      for (const { c, col: s } of saved) {
        const col = this.col(c, true);
        for (let r = rect.r0; r <= rect.r1; r++) {
          const i = r - rect.r0;
          col.v[r] = s?.v[i];
          if (col.f || s?.f) (col.f ??= [])[r] = s?.f?.[i];
          if (col.nf || s?.nf) (col.nf ??= [])[r] = s?.nf?.[i];
          if (col.qp || s?.qp) (col.qp ??= [])[r] = s?.qp?.[i];
          if (col.fmt || s?.fmt) (col.fmt ??= [])[r] = s?.fmt?.[i];
        }
      }
      this.usedCache = null;
    });
  }

  writeCell(r: number, c: number, w: CellWrite): void {
    if (w.kind === "skip") return;
    const col = this.col(c, true);
    this.usedCache = null;
    if (w.kind === "clear") {
      col.v[r] = undefined;
      if (col.f) col.f[r] = undefined;
      if (col.qp) col.qp[r] = undefined;
      return;
    }
    if (w.kind === "formula") {
      (col.f ??= [])[r] = w.formula;
      col.v[r] = this.wb.formulaValue(w.formula!, { sheet: this.name, row: r, column: c });
      if (col.qp) col.qp[r] = undefined;
      return;
    }
    col.v[r] = w.value;
    if (col.f) col.f[r] = undefined;
    if (w.quotePrefix) (col.qp ??= [])[r] = true;
    else if (col.qp) col.qp[r] = undefined;
  }

  setNumberFormat(r: number, c: number, nf: string | null | undefined): void {
    if (nf === null || nf === undefined) return;
    const col = this.col(c, true);
    (col.nf ??= [])[r] = nf === "" || nf === "General" ? undefined : nf;
    this.usedCache = null;
  }

  setFormat(r: number, c: number, patch: CellFormat): void {
    const col = this.col(c, true);
    const arr = (col.fmt ??= []);
    arr[r] = { ...(arr[r] ?? {}), ...patch };
    this.usedCache = null;
  }

  clear(rect: Rect, applyTo: string): void {
    this.journalRect(rect);
    const contents = applyTo === "All" || applyTo === "Contents" || applyTo === "ResetContents";
    const formats = applyTo === "All" || applyTo === "Formats";
    for (let c = rect.c0; c <= Math.min(rect.c1, this.cols.length - 1); c++) {
      const col = this.cols[c];
      if (!col) continue;
      const end = Math.min(
        rect.r1,
        Math.max(col.v.length, col.f?.length ?? 0, col.nf?.length ?? 0, col.fmt?.length ?? 0) - 1,
      );
      for (let r = rect.r0; r <= end; r++) {
        if (contents) {
          col.v[r] = undefined;
          if (col.f) col.f[r] = undefined;
          if (col.qp) col.qp[r] = undefined;
        }
        if (formats) {
          if (col.nf) col.nf[r] = undefined;
          if (col.fmt) col.fmt[r] = undefined;
        }
      }
    }
    this.usedCache = null;
  }

  /** The used range as Excel reports it; null for a blank sheet. valuesOnly ignores formatted-but-empty cells. */
  usedRect(valuesOnly: boolean): Rect | null {
    if (!this.usedCache) this.usedCache = { all: this.computeUsed(false), values: this.computeUsed(true) };
    return valuesOnly ? this.usedCache.values : this.usedCache.all;
  }

  private computeUsed(valuesOnly: boolean): Rect | null {
    let r0 = Infinity,
      r1 = -1,
      c0 = Infinity,
      c1 = -1;
    for (let c = 0; c < this.cols.length; c++) {
      const col = this.cols[c];
      if (!col) continue;
      const arrays: unknown[][] = [col.v];
      if (col.f) arrays.push(col.f);
      if (!valuesOnly) {
        if (col.nf) arrays.push(col.nf);
        if (col.fmt) arrays.push(col.fmt);
      }
      for (const arr of arrays) {
        let lo = -1,
          hi = -1;
        for (let r = 0; r < arr.length; r++)
          if (arr[r] !== undefined && arr[r] !== "") {
            lo = r;
            break;
          }
        if (lo < 0) continue;
        for (let r = arr.length - 1; r >= lo; r--)
          if (arr[r] !== undefined && arr[r] !== "") {
            hi = r;
            break;
          }
        r0 = Math.min(r0, lo);
        r1 = Math.max(r1, hi);
        c0 = Math.min(c0, c);
        c1 = Math.max(c1, c);
      }
    }
    return r1 < 0 ? null : { r0, r1, c0, c1 };
  }

  address(rect: Rect): string {
    return formatAddress(this.name, rect);
  }
}

export interface FormulaContext {
  sheet: string;
  row: number;
  column: number;
}

export class WorkbookModel {
  sheets: SheetModel[] = [];
  activeSheetId = 0;
  selection: { sheetId: number; rect: Rect } | null = null;
  tables: TableRecord[] = [];
  charts: ChartRecord[] = [];
  calculationMode = "Automatic";
  calculationSuspended = false;
  /** Open while a sync executes in a mode that may need to roll back; holds undo closures. */
  journal: (() => void)[] | null = null;
  counters: FakeCounters = newCounters();
  /** how reads of whole rows/columns are materialised (see FakeHostOptions.wholeRangeReads) */
  wholeRangeReads: "bounded" | "full" = "bounded";
  private tableSeq = 1;
  private chartSeq = 1;

  constructor(
    public mode: "web" | "desktop",
    public limits: FakeLimits,
    public formulaValue: (formula: string, ctx: FormulaContext) => CellValue,
  ) {}

  liveSheets(): SheetModel[] {
    return this.sheets.filter((s) => !s.deleted);
  }

  sheetByName(name: string): SheetModel | undefined {
    const lower = name.toLowerCase();
    return this.sheets.find((s) => !s.deleted && s.name.toLowerCase() === lower);
  }

  sheetById(id: number): SheetModel | undefined {
    return this.sheets.find((s) => s.id === id && !s.deleted);
  }

  activeSheet(): SheetModel {
    const s = this.sheetById(this.activeSheetId) ?? this.liveSheets()[0];
    if (!s) throw officeError("ItemNotFound", "The workbook has no worksheet.");
    this.activeSheetId = s.id;
    return s;
  }

  static validateSheetName(name: string): void {
    if (
      typeof name !== "string" ||
      name.length === 0 ||
      name.length > 31 ||
      /[[\]:*?/\\]/.test(name) ||
      name.startsWith("'") ||
      name.endsWith("'")
    ) {
      throw officeError(
        "InvalidArgument",
        `The argument is invalid or missing or has an incorrect format. (sheet name '${name}')`,
      );
    }
  }

  addSheet(name?: string): SheetModel {
    if (name === undefined || name === null) {
      let i = this.sheets.length + 1;
      while (this.sheetByName(`Sheet${i}`)) i++;
      name = `Sheet${i}`;
    }
    WorkbookModel.validateSheetName(name);
    if (this.sheetByName(name))
      throw officeError("ItemAlreadyExists", `A resource with the same name or ID already exists. (sheet '${name}')`);
    const sheet = new SheetModel(this, name);
    this.sheets.push(sheet);
    if (!this.activeSheetId) this.activeSheetId = sheet.id;
    this.journal?.push(() => {
      this.sheets = this.sheets.filter((s) => s !== sheet);
    });
    return sheet;
  }

  /**
   * Closing and reopening the file: deleted sheets are gone and every sheet gets a new id. Worksheet ids are not
   * guaranteed to survive a reopen (office-js-docs-reference #297, office-js #1390), so the fake changes them all.
   */
  reopen(): void {
    this.sheets = this.liveSheets();
    const ids = new Map(this.sheets.map((s) => [s.id, (s.id = sheetIdSeq++)]));
    const renumber = (id: number) => ids.get(id) ?? id;
    this.activeSheetId = renumber(this.activeSheetId);
    this.selection = null;
    for (const t of this.tables) t.sheetId = renumber(t.sheetId);
    for (const c of this.charts) {
      c.sheetId = renumber(c.sheetId);
      c.sourceSheetId = renumber(c.sourceSheetId);
    }
  }

  deleteSheet(sheet: SheetModel): void {
    if (this.liveSheets().filter((s) => s.visibility === "Visible").length <= 1 && sheet.visibility === "Visible") {
      throw officeError("InvalidOperation", "A workbook must contain at least one visible worksheet.");
    }
    sheet.deleted = true;
    const tables = this.tables,
      charts = this.charts,
      active = this.activeSheetId,
      sel = this.selection;
    this.tables = tables.filter((t) => t.sheetId !== sheet.id);
    this.charts = charts.filter((c) => c.sheetId !== sheet.id);
    if (this.activeSheetId === sheet.id) this.activeSheetId = this.liveSheets()[0].id;
    if (this.selection?.sheetId === sheet.id) this.selection = null;
    this.journal?.push(() => {
      sheet.deleted = false;
      this.tables = tables;
      this.charts = charts;
      this.activeSheetId = active;
      this.selection = sel;
    });
  }

  renameSheet(sheet: SheetModel, name: string): void {
    WorkbookModel.validateSheetName(name);
    const other = this.sheetByName(name);
    if (other && other !== sheet)
      throw officeError("ItemAlreadyExists", `A resource with the same name or ID already exists. (sheet '${name}')`);
    const old = sheet.name;
    sheet.name = name;
    this.journal?.push(() => {
      sheet.name = old;
    });
  }

  addTable(sheet: SheetModel, rect: Rect, hasHeaders: boolean): TableRecord {
    for (const t of this.tables) {
      if (t.sheetId === sheet.id && intersect(t.rect, rect))
        throw officeError("InvalidArgument", "A table can't overlap another table.");
    }
    while (this.tables.some((t) => t.name === `Table${this.tableSeq}`)) this.tableSeq++;
    const rec: TableRecord = {
      id: `{table-${this.tableSeq}}`,
      name: `Table${this.tableSeq++}`,
      sheetId: sheet.id,
      rect,
      hasHeaders,
      style: "TableStyleMedium2",
      showTotals: false,
    };
    // A table without headers gets a generated header row inserted above in Excel; the fake records the flag only.
    this.tables.push(rec);
    this.journal?.push(() => {
      this.tables = this.tables.filter((t) => t !== rec);
    });
    return rec;
  }

  addChart(sheet: SheetModel, type: string, source: { sheet: SheetModel; rect: Rect }, seriesBy: string): ChartRecord {
    const n = this.chartSeq++;
    const rec: ChartRecord = {
      id: `{chart-${n}}`,
      name: `Chart ${n}`,
      sheetId: sheet.id,
      type,
      sourceSheetId: source.sheet.id,
      sourceRect: source.rect,
      seriesBy,
      title: { text: "", visible: true },
      legend: { visible: true, position: "Right" },
      top: 0,
      left: 0,
      width: 360,
      height: 216,
      props: {},
    };
    this.charts.push(rec);
    this.journal?.push(() => {
      this.charts = this.charts.filter((c) => c !== rec);
    });
    return rec;
  }

  /** Record a scalar change on any record with undo. */
  setField<T extends object, K extends keyof T>(obj: T, key: K, value: T[K]): void {
    const old = obj[key];
    obj[key] = value;
    this.journal?.push(() => {
      obj[key] = old;
    });
  }

  /** Selection default: A1 of the active sheet. */
  selectionOrDefault(): { sheet: SheetModel; rect: Rect } {
    const sheet = (this.selection && this.sheetById(this.selection.sheetId)) || this.activeSheet();
    const rect =
      this.selection && this.sheetById(this.selection.sheetId) ? this.selection.rect : { r0: 0, c0: 0, r1: 0, c1: 0 };
    return { sheet, rect };
  }
}

export const FULL_SHEET: Rect = { r0: 0, c0: 0, r1: MAX_ROWS - 1, c1: MAX_COLS - 1 };

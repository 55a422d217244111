// Saving and restoring what the task pane keeps in the workbook (Office.context.document.settings): the
// scheme (ranges, chosen columns, options), the weight columns this add-in wrote, and the diagnostics sheet it
// created. Settings travel with the file; saveAsync persists them. Imports no React and no engine.
import type { DiagnosticsSheetRecord } from "./diagnostics-sheet";
import type { WeightColumnRecord } from "./weight-column";

export const SETTINGS_KEYS = {
  scheme: "rim.scheme",
  weightColumns: "rim.weightColumns",
  diagnosticsSheet: "rim.diagnosticsSheet",
} as const;

export type MissingChoice = "error" | "exclude";

/** The options as the form holds them: text as typed ("" = not set), validated by the scheme's own rules. */
export interface OptionsText {
  capMin: string;
  capMax: string;
  total: string;
  tolerance: string;
  maxIterations: string;
  missing: MissingChoice;
}

/** Everything a re-run needs, saved in the workbook. */
export interface SavedScheme {
  version: 1;
  dataAddress: string;
  targetsAddress: string;
  /** chosen raking variables (data header names); empty: every variable named in the targets */
  variables: string[];
  /** header name of the base-weight column, "" for none */
  baseColumn: string;
  /** header name of the group column, "" for none */
  groupColumn: string;
  /** `label | share` range, "" for none */
  sharesAddress: string;
  /** header of the weight column to write */
  weightHeader: string;
  options: OptionsText;
}

export const DEFAULT_OPTIONS_TEXT: OptionsText = {
  capMin: "",
  capMax: "",
  total: "",
  tolerance: "0.000001",
  maxIterations: "1000",
  missing: "error",
};

export function emptyScheme(): SavedScheme {
  return {
    version: 1,
    dataAddress: "",
    targetsAddress: "",
    variables: [],
    baseColumn: "",
    groupColumn: "",
    sharesAddress: "",
    weightHeader: "weight",
    options: { ...DEFAULT_OPTIONS_TEXT },
  };
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

function text(x: unknown, fallback: string): string {
  return typeof x === "string" ? x : typeof x === "number" ? String(x) : fallback;
}

/** A saved value read defensively: unknown fields are dropped, missing ones take defaults. */
export function schemeFromSetting(raw: unknown): SavedScheme | null {
  if (!isRecord(raw) || raw.version !== 1) return null;
  const base = emptyScheme();
  const options = isRecord(raw.options) ? raw.options : {};
  const o = base.options;
  return {
    version: 1,
    dataAddress: text(raw.dataAddress, ""),
    targetsAddress: text(raw.targetsAddress, ""),
    variables: Array.isArray(raw.variables) ? raw.variables.filter((v): v is string => typeof v === "string") : [],
    baseColumn: text(raw.baseColumn, ""),
    groupColumn: text(raw.groupColumn, ""),
    sharesAddress: text(raw.sharesAddress, ""),
    weightHeader: text(raw.weightHeader, base.weightHeader) || base.weightHeader,
    options: {
      capMin: text(options.capMin, o.capMin),
      capMax: text(options.capMax, o.capMax),
      total: text(options.total, o.total),
      tolerance: text(options.tolerance, o.tolerance),
      maxIterations: text(options.maxIterations, o.maxIterations),
      missing: options.missing === "exclude" ? "exclude" : "error",
    },
  };
}

function settings(): Office.Settings {
  return Office.context.document.settings;
}

/** Persists the settings changed so far. */
function persist(): Promise<void> {
  return new Promise((resolve, reject) => {
    settings().saveAsync((result) => {
      if (result.status === Office.AsyncResultStatus.Failed)
        reject(new Error(`The workbook settings could not be saved: ${result.error?.message ?? "unknown error"}`));
      else resolve();
    });
  });
}

export function loadScheme(): SavedScheme | null {
  return schemeFromSetting(settings().get(SETTINGS_KEYS.scheme));
}

export async function saveScheme(scheme: SavedScheme): Promise<void> {
  settings().set(SETTINGS_KEYS.scheme, scheme);
  await persist();
}

function isWeightRecord(x: unknown): x is WeightColumnRecord {
  return (
    isRecord(x) &&
    typeof x.sheet === "string" &&
    typeof x.column === "number" &&
    typeof x.header === "string" &&
    typeof x.headerRow === "number" &&
    typeof x.lastRow === "number"
  );
}

export function loadWeightColumns(): WeightColumnRecord[] {
  const raw: unknown = settings().get(SETTINGS_KEYS.weightColumns);
  return Array.isArray(raw) ? raw.filter(isWeightRecord) : [];
}

/** Records a written weight column, replacing any record for the same sheet and column. */
export async function saveWeightColumn(record: WeightColumnRecord): Promise<void> {
  const others = loadWeightColumns().filter((r) => !(r.sheet === record.sheet && r.column === record.column));
  settings().set(SETTINGS_KEYS.weightColumns, [...others, record]);
  await persist();
}

export function loadDiagnosticsSheet(): DiagnosticsSheetRecord | null {
  const raw: unknown = settings().get(SETTINGS_KEYS.diagnosticsSheet);
  // records of earlier versions also hold the sheet's id, which is not needed (nor stable) any more
  return isRecord(raw) && typeof raw.name === "string" ? { name: raw.name } : null;
}

export async function saveDiagnosticsSheet(record: DiagnosticsSheetRecord): Promise<void> {
  settings().set(SETTINGS_KEYS.diagnosticsSheet, record);
  await persist();
}

// Saving and restoring what the task pane keeps in the workbook (Office.context.document.settings): the
// scheme (its model is saved-scheme.ts), the weight columns this add-in wrote, and the diagnostics sheet it
// created. Settings travel with the file; saveAsync persists them. Imports no React and no engine.
import { isRecord, schemeFromSetting, type SavedScheme } from "../saved-scheme";
import type { DiagnosticsSheetRecord } from "./diagnostics-sheet";
import type { WeightColumnRecord } from "./weight-column";

export const SETTINGS_KEYS = {
  scheme: "rim.scheme",
  weightColumns: "rim.weightColumns",
  diagnosticsSheet: "rim.diagnosticsSheet",
} as const;

function settings(): Office.Settings {
  return Office.context.document.settings;
}

/**
 * Persists the settings changed so far. On Excel on the web each save is a round trip to the host, so a run
 * records its weight column and diagnostics sheet first and saves once (persistSettings).
 */
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

/** Records a written weight column, replacing any record for the same sheet and column; saved by persistSettings. */
export function recordWeightColumn(record: WeightColumnRecord): void {
  const others = loadWeightColumns().filter((r) => !(r.sheet === record.sheet && r.column === record.column));
  settings().set(SETTINGS_KEYS.weightColumns, [...others, record]);
}

export function loadDiagnosticsSheet(): DiagnosticsSheetRecord | null {
  const raw: unknown = settings().get(SETTINGS_KEYS.diagnosticsSheet);
  // records of earlier versions also hold the sheet's id, which is not needed (nor stable) any more
  return isRecord(raw) && typeof raw.name === "string" ? { name: raw.name } : null;
}

/** Records the diagnostics sheet this add-in made; saved by persistSettings. */
export function recordDiagnosticsSheet(record: DiagnosticsSheetRecord): void {
  settings().set(SETTINGS_KEYS.diagnosticsSheet, record);
}

export async function saveDiagnosticsSheet(record: DiagnosticsSheetRecord): Promise<void> {
  recordDiagnosticsSheet(record);
  await persist();
}

/** Saves what was recorded since the last save. */
export const persistSettings = persist;

// The task pane's door to Excel and the engine: one object of async functions that index.tsx builds and hands
// to <App/>, so components only ever see callbacks (STYLE.md: components never see `Excel`).
import type { BackendInfo } from "../engine/contract";
import { sharedEngineClient } from "../engine/runtime/shared-client";
import { adviseWeighting, type AdviseForm, type AdviseOutcome } from "./advise";
import { draftTargetTable, type DraftOutcome, type DraftRequest } from "./draft";
import { readHeader, rectOf } from "./excel/read-data";
import { loadScheme, saveScheme } from "./excel/scheme-settings";
import type { SavedScheme } from "./saved-scheme";
import { selectedAddress, selectedColumnName } from "./excel/selection";
import type { ReplaceAnswer, ReplaceQuestion } from "./excel/weight-column";
import type { PreviewModel } from "./preview-model";
import { previewScheme, runWeighting, type Progress, type RunOutcome } from "./run";

export interface RunCallbacks {
  signal: AbortSignal;
  onProgress: (progress: Progress) => void;
}

export interface PaneActions {
  loadScheme(): SavedScheme | null;
  saveScheme(scheme: SavedScheme): Promise<void>;
  selectedAddress(): Promise<string>;
  /** header name of the data column holding the selection */
  selectedColumnName(dataAddress: string): Promise<string>;
  /** header names of the data range ("" for blank header cells) */
  readHeaders(dataAddress: string): Promise<string[]>;
  preview(scheme: SavedScheme, callbacks: RunCallbacks): Promise<PreviewModel>;
  run(
    scheme: SavedScheme,
    callbacks: RunCallbacks & { confirmReplace: (q: ReplaceQuestion) => Promise<ReplaceAnswer> },
  ): Promise<RunOutcome>;
  backend(): Promise<BackendInfo>;
  draft(request: DraftRequest): Promise<DraftOutcome>;
  advise(scheme: SavedScheme, form: AdviseForm, callbacks: RunCallbacks): Promise<AdviseOutcome>;
}

export function createPaneActions(): PaneActions {
  const engine = sharedEngineClient();
  return {
    loadScheme,
    saveScheme,
    selectedAddress,
    selectedColumnName: (dataAddress) => selectedColumnName(rectOf(dataAddress, "data range")),
    readHeaders: async (dataAddress) => (await readHeader(rectOf(dataAddress, "data range"))).names,
    preview: (scheme, callbacks) => previewScheme(scheme, callbacks),
    run: (scheme, callbacks) => runWeighting(scheme, { engine, ...callbacks }),
    backend: () => engine.backend(),
    draft: draftTargetTable,
    advise: (scheme, form, callbacks) => adviseWeighting(scheme, form, { engine, ...callbacks }),
  };
}

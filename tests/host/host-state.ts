// A fresh host state for the emulator's jest tests: an empty workbook with Sheet1, the flavour's limits, no
// protected sheets. Test support only: the page side builds its own (page-entry.ts).
import { WorkbookModel } from "../fake-excel/model";
import { DEFAULT_LIMITS } from "../fake-excel/limits";
import { flavourLimits, type Flavour } from "./limits";
import type { HostState } from "./object-model";

export function hostState(flavour: Flavour = "web"): HostState {
  const model = new WorkbookModel(flavour, DEFAULT_LIMITS, () => "#NAME?");
  model.addSheet("Sheet1");
  return { model, limits: flavourLimits(flavour), protectedSheets: new Set() };
}

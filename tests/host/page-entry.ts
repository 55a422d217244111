// The host side of the browser test bed, loaded in the task pane page right after Microsoft's Excel client
// library (excel-web-16.00.js or excel-win32-16.01.js): the in-memory workbook, the RichApi channel the
// library sends its ProcessQuery requests through, and the Office.* shell that office.js would provide inside
// Office (onReady, document settings, actions, requirement sets). Bundled by tests/browser/harness.mjs into
// .cache/excel-host.js. Options come from window.__rimHostOptions (set by an init script).
import { WorkbookModel } from "../fake-excel/model";
import { DEFAULT_LIMITS } from "../fake-excel/limits";
import { createOffice, DEFAULT_REQUIREMENT_SETS } from "../fake-excel/office";
import { FakeSettings } from "../fake-excel/settings";
import { FakeWorkbookHandle } from "../fake-excel/test-handle";
import { seedSample, type SampleOptions } from "../../playground/sample";
import { installChannel, type WireRecord } from "./channel";
import { FunctionHost, type MicrosoftCustomFunctions } from "./custom-functions";
import { flavourLimits, type Flavour } from "./limits";
import type { HostState } from "./object-model";

interface HostOptions {
  flavour?: Flavour;
  seed?: SampleOptions | null;
  /** a workbook "reopened": sheets by name (values as stored) and the document settings last saved */
  reopen?: { sheets: Record<string, unknown[][]>; settings: Record<string, unknown> } | null;
}

export interface ExcelHost {
  flavour: Flavour;
  /** the workbook as tests see it (values, formats, charts, sheets) */
  workbook: FakeWorkbookHandle;
  functions: FunctionHost;
  state: HostState;
  /** one record per context.sync that reached the host */
  wire: WireRecord[];
}

declare global {
  interface Window {
    __rimHostOptions?: HostOptions;
    __rimHost?: ExcelHost;
  }
}

function install(): void {
  const options = window.__rimHostOptions ?? {};
  const flavour = options.flavour ?? "web";
  const win = window as unknown as Record<string, any>;
  if (!win.Excel || !win.OfficeExtension || !win.CustomFunctions)
    throw new Error("tests/host: Microsoft's Excel client library did not load before the host shell");
  const model = new WorkbookModel(flavour, DEFAULT_LIMITS, () => "#NAME?");
  model.addSheet("Sheet1");
  const state: HostState = { model, limits: flavourLimits(flavour), protectedSheets: new Set() };
  const settings = new FakeSettings();
  const workbook = new FakeWorkbookHandle(model, new Set(), settings);
  const wire: WireRecord[] = [];
  installChannel(win, state, wire);

  // Office.* shell: office.js's host bootstrap cannot run outside Office, so these members are ours; the
  // rest of window.Office (enums, isSetSupported's plumbing) stays as Microsoft's library defined it.
  const shell = createOffice({
    platform: flavour === "web" ? "OfficeOnline" : "PC",
    requirementSets: DEFAULT_REQUIREMENT_SETS,
    settings,
  });
  const office = (win.Office ??= {});
  for (const key of ["onReady", "addin", "actions", "HostType", "PlatformType"] as const) office[key] = shell[key];
  // Microsoft's Office.context getter asks office.js's app factory, which only exists inside Office.
  win.OSF._OfficeAppFactory ??= { getContext: () => shell.context };

  const functions = new FunctionHost(model, state.limits, win.CustomFunctions as MicrosoftCustomFunctions);
  win.CustomFunctions.associate = functions.associate.bind(functions);

  if (options.seed) seedSample(workbook, options.seed);
  if (options.reopen) reopen(workbook, options.reopen);
  window.__rimHost = { flavour, workbook, functions, state, wire };
}

function reopen(workbook: FakeWorkbookHandle, saved: NonNullable<HostOptions["reopen"]>): void {
  for (const [name, grid] of Object.entries(saved.sheets)) {
    if (!workbook.hasSheet(name)) workbook.addSheet(name);
    if (grid.length) workbook.setValues(name, "A1", grid, { raw: true });
  }
  if (!Object.hasOwn(saved.sheets, "Sheet1")) workbook.deleteSheet("Sheet1");
  workbook.settings.seed(saved.settings);
}

install();

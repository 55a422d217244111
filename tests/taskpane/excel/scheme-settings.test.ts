import { createFakeHost } from "../../fake-excel";
import {
  loadDiagnosticsSheet,
  loadScheme,
  loadWeightColumns,
  saveDiagnosticsSheet,
  saveScheme,
  recordWeightColumn,
  persistSettings,
  SETTINGS_KEYS,
} from "../../../taskpane/excel/scheme-settings";
import { emptyScheme, type SavedScheme } from "../../../taskpane/saved-scheme";

describe("scheme settings", () => {
  let uninstall: () => void = () => undefined;
  afterEach(() => uninstall());

  it("round-trips the scheme, weight columns and diagnostics sheet through the workbook settings", async () => {
    const host = createFakeHost({ mode: "web" });
    uninstall = host.install(globalThis);
    expect(loadScheme()).toBeNull();
    const scheme: SavedScheme = {
      ...emptyScheme(),
      dataAddress: "Data!A1:F1001",
      targetsAddress: "'My Targets'!A1:C12",
      variables: ["region", "age x gender"],
      baseColumn: "wt0",
      groupColumn: "country",
      sharesAddress: "Shares!A1:B4",
      weightHeader: "rim_w",
      options: { capMin: "0.2", capMax: "5", total: "", tolerance: "1e-7", maxIterations: "500", missing: "exclude" },
    };
    await saveScheme(scheme);
    recordWeightColumn({ sheet: "Data", column: 6, header: "rim_w", headerRow: 0, lastRow: 1000 });
    await persistSettings();
    await saveDiagnosticsSheet({ name: "RIM Diagnostics" });
    host.workbook.settings.reload();
    expect(loadScheme()).toEqual(scheme);
    expect(loadWeightColumns()).toEqual([{ sheet: "Data", column: 6, header: "rim_w", headerRow: 0, lastRow: 1000 }]);
    expect(loadDiagnosticsSheet()).toEqual({ name: "RIM Diagnostics" });
    expect(host.workbook.settings.saved()[SETTINGS_KEYS.scheme]).toEqual(scheme);
  });

  it("reads an earlier version's diagnostics record (name and worksheet id) by its name", () => {
    const host = createFakeHost({ mode: "desktop" });
    const uninstall = host.install(globalThis);
    try {
      host.workbook.settings.seed({ [SETTINGS_KEYS.diagnosticsSheet]: { name: "RIM Diagnostics", id: "{sheet-9}" } });
      expect(loadDiagnosticsSheet()).toEqual({ name: "RIM Diagnostics" });
    } finally {
      uninstall();
    }
  });
});

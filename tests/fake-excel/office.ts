/** The Office namespace subset: onReady, HostType/PlatformType, context.document.settings, requirements. */
import { FakeSettings } from "./settings";

export const HostType = {
  Word: "Word",
  Excel: "Excel",
  PowerPoint: "PowerPoint",
  Outlook: "Outlook",
  OneNote: "OneNote",
  Project: "Project",
  Access: "Access",
} as const;
export const PlatformType = {
  PC: "PC",
  OfficeOnline: "OfficeOnline",
  Mac: "Mac",
  iOS: "iOS",
  Android: "Android",
  Universal: "Universal",
} as const;
export const AsyncResultStatus = { Succeeded: "succeeded", Failed: "failed" } as const;

export const DEFAULT_REQUIREMENT_SETS: Record<string, string> = {
  ExcelApi: "1.17",
  CustomFunctionsRuntime: "1.5",
  SharedRuntime: "1.1",
  DialogApi: "1.2",
  RibbonApi: "1.1",
  IdentityAPI: "1.3",
};

function versionAtLeast(have: string, want: string): boolean {
  const a = have.split(".").map(Number),
    b = want.split(".").map(Number);
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i] ?? 0,
      y = b[i] ?? 0;
    if (x !== y) return x > y;
  }
  return true;
}

export interface OfficeOptions {
  platform: string;
  requirementSets: Record<string, string>;
  settings: FakeSettings;
}

export function createOffice(opts: OfficeOptions) {
  const info = { host: HostType.Excel, platform: opts.platform };
  let visibility: "Hidden" | "Taskpane" = "Taskpane";
  const visibilityHandlers: ((e: { visibilityMode: string }) => void)[] = [];
  const actions = new Map<string, Function>();
  const office = {
    HostType,
    PlatformType,
    AsyncResultStatus,
    EventType: { SettingsChanged: "settingsChanged", DocumentSelectionChanged: "documentSelectionChanged" },
    initialize: undefined as undefined | ((reason: unknown) => void),
    onReady(callback?: (i: typeof info) => void): Promise<typeof info> {
      return Promise.resolve().then(() => {
        if (callback) callback(info);
        return info;
      });
    },
    context: {
      host: HostType.Excel,
      platform: opts.platform,
      displayLanguage: "en-US",
      contentLanguage: "en-US",
      diagnostics: { host: HostType.Excel, platform: opts.platform, version: "16.0.0.0" },
      document: { settings: opts.settings, mode: "readWrite", url: "https://fake.invalid/Book1.xlsx" },
      requirements: {
        isSetSupported(name: string, minVersion?: string | number): boolean {
          const have = opts.requirementSets[name];
          if (have === undefined) return false;
          if (minVersion === undefined) return true;
          return versionAtLeast(have, typeof minVersion === "number" ? minVersion.toFixed(1) : String(minVersion));
        },
      },
    },
    addin: {
      async showAsTaskpane(): Promise<void> {
        visibility = "Taskpane";
        visibilityHandlers.forEach((h) => h({ visibilityMode: visibility }));
      },
      async hide(): Promise<void> {
        visibility = "Hidden";
        visibilityHandlers.forEach((h) => h({ visibilityMode: visibility }));
      },
      async onVisibilityModeChanged(handler: (e: { visibilityMode: string }) => void): Promise<() => Promise<void>> {
        visibilityHandlers.push(handler);
        return async () => {
          visibilityHandlers.splice(visibilityHandlers.indexOf(handler), 1);
        };
      },
      async setStartupBehavior(): Promise<void> {},
      async getStartupBehavior(): Promise<string> {
        return "None";
      },
    },
    actions: {
      associate(id: string, fn: Function): void {
        actions.set(id, fn);
      },
    },
    /** @internal test access */
    _actions: actions,
  };
  return office;
}

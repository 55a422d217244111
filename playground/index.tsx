// The playground (dist/playground.html, `npm run playground`): the real task pane and the custom functions of
// the shared runtime, mounted beside a grid that shows a fake Excel workbook pre-loaded with a generated
// survey. The fake host is installed on window before any Office code is imported, exactly where office.js
// would put Office and Excel. Not shipped to Office: a development and test page.
//
// URL parameters: ?n=ROWS (default 10,000), ?mode=desktop (no 5 MB payload limit), ?note=1 (a user column
// right of the data), ?engine=ts|wasm|wasm-threads&threads=N (forces the engine, as on the task pane),
// ?engine-only (no pane and no grid: only window.rimPlayground, for the browser tests).
import { createRoot } from "react-dom/client";
import { createFakeHost, type FakeHost } from "../tests/fake-excel";
import { seedSample, SAMPLE_SHEET, TARGETS_SHEET } from "./sample";
import { WorkbookView } from "./workbook-view";

export interface PlaygroundApi {
  host: FakeHost;
  sample: { sheet: string; targetsSheet: string; respondents: number; headers: string[] };
  /** resolves when the task pane module has been loaded (rejects with why it could not be) */
  paneLoaded: Promise<void>;
  /** =RIM.BACKEND() of this page's shared runtime */
  backend(): Promise<string>;
  /** the engine test hooks (own chunk) */
  engineHooks(): Promise<typeof import("./engine-hooks")>;
}

declare global {
  interface Window {
    rimPlayground?: PlaygroundApi;
  }
}

const params = new URLSearchParams(location.search);
const respondents = Math.max(1, Math.min(1_000_000, Math.floor(Number(params.get("n")) || 10_000)));
const engineOnly = params.has("engine-only");

const host = createFakeHost({ mode: params.get("mode") === "desktop" ? "desktop" : "web" });
host.install(window);
const sample = seedSample(host.workbook, { n: respondents, userColumn: params.get("note") === "1" });

async function backendText(): Promise<string> {
  await import(/* webpackChunkName: "playground-functions" */ "../functions/functions");
  const outcome = await host.functions.invoke("BACKEND", []).outcome();
  if ("error" in outcome && outcome.error)
    return `error ${outcome.error}${"message" in outcome && outcome.message ? `: ${outcome.message}` : ""}`;
  return String("value" in outcome ? outcome.value : "");
}

/** The shared runtime: custom functions first (as taskpane.html lists them), then the task pane. */
async function loadPane(): Promise<void> {
  await import(/* webpackChunkName: "playground-functions" */ "../functions/functions");
  await import(/* webpackChunkName: "playground-taskpane" */ "../taskpane/index");
}

function showStatus(text: string, failed = false): void {
  const status = document.getElementById("pg-status");
  if (!status) return;
  status.textContent = text;
  status.classList.toggle("pg-failed", failed);
}

function mountPlayground(): Promise<void> {
  document.body.classList.add("pg-full");
  const sheetRoot = document.getElementById("pg-sheet");
  if (sheetRoot) createRoot(sheetRoot).render(<WorkbookView workbook={host.workbook} />);
  const loaded = loadPane();
  loaded.then(
    async () => {
      showStatus("engine: starting…");
      try {
        showStatus(`engine: ${await backendText()}`);
      } catch (error) {
        showStatus(`engine: ${error instanceof Error ? error.message : String(error)}`, true);
      }
    },
    (error: unknown) => {
      const message = error instanceof Error ? `${error.message}` : String(error);
      showStatus(`the task pane could not be loaded: ${message}`, true);
      console.error(error);
    },
  );
  return loaded;
}

window.rimPlayground = {
  host,
  sample: { sheet: SAMPLE_SHEET, targetsSheet: TARGETS_SHEET, respondents, headers: sample.headers },
  paneLoaded: engineOnly ? Promise.resolve() : mountPlayground(),
  backend: backendText,
  engineHooks: () => import(/* webpackChunkName: "playground-engine-hooks" */ "./engine-hooks"),
};
if (engineOnly) document.body.classList.add("pg-engine-only");

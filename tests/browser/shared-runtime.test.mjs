// The shared runtime holds ONE engine: on the real dist/taskpane.html (production build and headers, cross-origin
// isolated), a pane run, a cancelled pane run and =RIM.WEIGHT() calls all go to one engine Worker (one rayon
// pool). Engine Workers are counted by wrapping the page's Worker constructor before any page script runs: the
// client names its worker "rim-engine". The same wrapper can hold rake requests back, so Cancel is pressed
// while the engine is certainly busy. Excel's side is Microsoft's client library on the host emulator, in
// both flavours (excel-web-16.00.js, excel-win32-16.01.js); =RIM.WEIGHT() is called through the emulator's
// custom-functions shim, which calls the function the pane's runtime associated, as Excel would
// (tests/host/README.md says why that call stays a shim), and gives the pane's weights.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { assertDistBuilt, launchBrowser, newContext, startServer, TIMEOUT, withDetail } from "./harness.mjs";
import {
  button,
  describeFailure,
  paneMessages,
  poll,
  refusedRequests,
  runWeighting,
  useSelection,
  waitForPane,
} from "./pane.mjs";

const N = 2000;
const LAST = N + 1;

/** Runs in the page before its scripts: counts engine Workers and lets the test hold their rake requests. */
const ENGINE_WORKER_PROBE = `(() => {
  const Native = window.Worker;
  const probe = { created: 0, terminated: 0, hold: false, held: [] };
  window.__rimEngineWorkers = probe;
  window.Worker = class extends Native {
    constructor(url, options) {
      super(url, options);
      this.__engine = options?.name === "rim-engine";
      if (this.__engine) probe.created++;
    }
    postMessage(message, transfer) {
      if (this.__engine && probe.hold && message?.type === "rim:rake") {
        probe.held.push(message.id);
        return;
      }
      return super.postMessage(message, transfer);
    }
    terminate() {
      if (this.__engine) probe.terminated++;
      return super.terminate();
    }
  };
})();`;

let browser;
let server;

before(async () => {
  assertDistBuilt();
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

function engineWorkers(page) {
  return page.evaluate(() => {
    const p = window.__rimEngineWorkers;
    return { created: p.created, terminated: p.terminated, live: p.created - p.terminated, held: p.held.length };
  });
}

/**
 * =RIM.WEIGHT(Survey!A1:F…, Targets!A1:C13) in Survey!J2, called through the emulator's custom-functions shim
 * with the ranges as the flavour passes them (tests/host/README.md: why the call is a shim).
 */
function weightFunction(page) {
  return page.evaluate(async (last) => {
    const outcome = await window.__rimHost.functions.invoke(
      "WEIGHT",
      [{ range: `Survey!A1:F${last}` }, { range: "Targets!A1:C13" }],
      "Survey!J2",
    );
    const weights = Array.isArray(outcome.value) ? outcome.value.map((row) => row[0]) : [];
    return { error: outcome.error, message: outcome.message, rows: weights.length, weights };
  }, LAST);
}

/** Run weighting again: a previous run's weight column is there, so the pane asks; the answer is Replace. */
async function runReplacing(page) {
  await button(page, "Run weighting").click();
  await button(page.getByRole("alertdialog"), "Replace").click();
}

/** The weights the pane wrote under its header in Survey!G1. */
async function paneWeights(page) {
  const column = await page.evaluate((last) => window.__rimHost.workbook.getValues("Survey", `G1:G${last}`), LAST);
  assert.equal(column[0][0], "weight", "the pane's weight column");
  return column.slice(1).map((row) => row[0]);
}

const sameWeights = (a, b) => a.length === b.length && a.every((w, i) => Math.abs(w - b[i]) <= 1e-12 * Math.abs(b[i]));

for (const flavour of ["web", "desktop"])
  test(`${flavour} flavour: taskpane.html runs the pane and =RIM.WEIGHT() on one engine Worker, also after a cancelled run`, async () => {
    const context = await newContext(browser, {
      excelHost: { flavour, seed: { n: N } },
      viewport: { width: 420, height: 1100 },
    });
    await context.addInitScript({ content: ENGINE_WORKER_PROBE });
    try {
      const page = await context.newPage();
      await page.goto(`${server.url}taskpane.html`);
      await waitForPane(page);
      await page.waitForFunction(() => window.__rimHost?.functions.ids().includes("WEIGHT"));

      await page.evaluate((last) => window.__rimHost.workbook.select("Survey", `A1:F${last}`), LAST);
      await useSelection(page, "Respondent data", `Survey!A1:F${LAST}`);
      await page.evaluate(() => window.__rimHost.workbook.select("Targets", "A1:C13"));
      await useSelection(page, "Target table", "Targets!A1:C13");

      const summary = await runWeighting(page);
      assert.match(summary, /^Converged/, summary);
      const { weights, ...call } = await weightFunction(page);
      assert.deepEqual(call, { error: undefined, message: undefined, rows: N });
      assert.ok(sameWeights(weights, await paneWeights(page)), "=RIM.WEIGHT() gives the pane's weights");
      assert.deepEqual(await engineWorkers(page), { created: 1, terminated: 0, live: 1, held: 0 });

      // Cancel while the engine holds the run: the worker is dropped, nothing is written, and the next
      // =RIM.WEIGHT() starts exactly one fresh worker.
      const before = await page.evaluate((last) => window.__rimHost.workbook.getValues("Survey", `A1:H${last}`), LAST);
      await page.evaluate(() => (window.__rimEngineWorkers.hold = true));
      await runReplacing(page);
      await poll(
        () => engineWorkers(page),
        (w) => w.held === 1,
        "the run's rake request to reach the engine",
      );
      await button(page, "Cancel").click();
      await poll(
        () => paneMessages(page),
        (m) => /cancelled; nothing was written/.test(m),
        "the pane to say the run was cancelled",
        TIMEOUT,
      );
      await page.evaluate(() => (window.__rimEngineWorkers.hold = false));
      assert.deepEqual(
        await page.evaluate((last) => window.__rimHost.workbook.getValues("Survey", `A1:H${last}`), LAST),
        before,
        "a cancelled run writes nothing",
      );
      assert.deepEqual(await engineWorkers(page), { created: 1, terminated: 1, live: 0, held: 1 });

      const again = await weightFunction(page);
      assert.equal(again.rows, N, JSON.stringify(again));
      assert.deepEqual(await engineWorkers(page), { created: 2, terminated: 1, live: 1, held: 1 });
      // ... and the pane's next run uses that same worker
      await runReplacing(page);
      await page.getByText(/Weights in /).waitFor({ timeout: TIMEOUT * 2 });
      assert.match(await page.getByText(/Weights in /).innerText(), /^Converged/);
      assert.deepEqual(await engineWorkers(page), { created: 2, terminated: 1, live: 1, held: 1 });
      assert.deepEqual(await refusedRequests(page), [], "the host refused none of the pane's requests");
    } catch (e) {
      throw withDetail(e, await describeFailure(context));
    } finally {
      await context.close();
    }
  });

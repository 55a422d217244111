// The shared runtime holds ONE engine: on the real dist/taskpane.html (production build and headers, cross-origin
// isolated), a pane run, a cancelled pane run and =RIM.WEIGHT() calls all go to one engine Worker (one rayon
// pool). Engine Workers are counted by wrapping the page's Worker constructor before any page script runs: the
// client names its worker "rim-engine". The same wrapper can hold rake requests back, so Cancel is pressed
// while the engine is certainly busy.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { assertDistBuilt, describeLog, launchBrowser, newContext, startServer, TIMEOUT } from "./harness.mjs";
import { button, paneMessages, poll, runWeighting, useSelection, waitForPane } from "./pane.mjs";

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

/** =RIM.WEIGHT(Survey!A1:F…, Targets!A1:C13) through the fake host's CustomFunctions, as a cell would call it. */
function weightFunction(page) {
  return page.evaluate(
    async ({ last }) => {
      const h = window.__rimFake;
      const outcome = await h.functions
        .invoke("WEIGHT", [h.workbook.getValues("Survey", `A1:F${last}`), h.workbook.getValues("Targets", "A1:C13")], {
          address: "Survey!J2",
          parameterAddresses: [`Survey!A1:F${last}`, "Targets!A1:C13", ""],
          parameterCount: 3,
        })
        .outcome();
      return {
        error: outcome.error,
        message: outcome.message,
        rows: Array.isArray(outcome.value) ? outcome.value.length : 0,
      };
    },
    { last: LAST },
  );
}

/** Run weighting again: a previous run's weight column is there, so the pane asks; the answer is Replace. */
async function runReplacing(page) {
  await button(page, "Run weighting").click();
  await button(page.getByRole("alertdialog"), "Replace").click();
}

test("taskpane.html runs the pane and =RIM.WEIGHT() on one engine Worker, also after a cancelled run", async () => {
  const context = await newContext(browser, {
    fakeHost: { mode: "web", seed: { n: N } },
    viewport: { width: 420, height: 1100 },
  });
  await context.addInitScript({ content: ENGINE_WORKER_PROBE });
  try {
    const page = await context.newPage();
    await page.goto(`${server.url}taskpane.html`);
    await waitForPane(page);
    await page.waitForFunction(() => window.__rimFake?.functions.ids().some((id) => id.toUpperCase() === "WEIGHT"));

    await page.evaluate((last) => window.__rimFake.workbook.select("Survey", `A1:F${last}`), LAST);
    await useSelection(page, "Respondent data", `Survey!A1:F${LAST}`);
    await page.evaluate(() => window.__rimFake.workbook.select("Targets", "A1:C13"));
    await useSelection(page, "Target table", "Targets!A1:C13");

    const summary = await runWeighting(page);
    assert.match(summary, /^Converged/, summary);
    const fn = await weightFunction(page);
    assert.deepEqual(fn, { error: undefined, message: undefined, rows: N }, JSON.stringify(fn));
    assert.deepEqual(await engineWorkers(page), { created: 1, terminated: 0, live: 1, held: 0 });

    // Cancel while the engine holds the run: the worker is dropped, nothing is written, and the next
    // =RIM.WEIGHT() starts exactly one fresh worker.
    const before = await page.evaluate((last) => window.__rimFake.workbook.getValues("Survey", `A1:H${last}`), LAST);
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
      await page.evaluate((last) => window.__rimFake.workbook.getValues("Survey", `A1:H${last}`), LAST),
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
  } catch (e) {
    e.message += describeLog(context);
    throw e;
  } finally {
    await context.close();
  }
});

// Task pane flows on Microsoft's own Excel client library (web flavour, tests/host): the scheme saved in the
// document and re-run after the workbook is reopened, the confirmation before a previous weight column is
// replaced (cancel leaves everything as it was), and a run on bad input that reports the cell and leaves the
// workbook untouched. Drives the shipped dist/taskpane.html by what the user sees.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { assertDistBuilt, cspViolations, launchBrowser, newContext, startServer, withDetail } from "./harness.mjs";
import {
  button,
  checkScheme,
  describeFailure,
  paneMessages,
  paneState,
  poll,
  rangeValue,
  runWeighting,
  useSelection,
  waitForPane,
} from "./pane.mjs";

const N = 500;
const DATA = `Survey!A1:F${N + 1}`;
const TARGETS = "Targets!A1:C13";

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

function workbook(page, method, ...args) {
  return page.evaluate(({ method, args }) => window.__rimHost.workbook[method](...args), { method, args });
}

/** Every sheet's used values, by name: what "the workbook is untouched" compares. */
function snapshot(page) {
  return page.evaluate(() => {
    const wb = window.__rimHost.workbook;
    return Object.fromEntries(
      wb.sheetNames().map((name) => {
        const used = wb.usedRange(name, true);
        return [name, used ? wb.getValues(name, used.split("!")[1]) : []];
      }),
    );
  });
}

async function openPane(options) {
  const context = await newContext(browser, { excelHost: { flavour: "web", ...options } });
  const page = await context.newPage();
  await page.goto(`${server.url}taskpane.html`);
  await waitForPane(page);
  return { context, page };
}

async function chooseRanges(page) {
  await workbook(page, "select", "Survey", DATA.split("!")[1]);
  await useSelection(page, "Respondent data", DATA);
  await workbook(page, "select", "Targets", "A1:C13");
  await useSelection(page, "Target table", TARGETS);
}

/** Clicks Run, waits for the replace question and answers it with `answer` ("Replace" | "Cancel run"). */
async function runAndAnswer(page, answer) {
  await button(page, "Run weighting").click();
  const dialog = page.getByRole("alertdialog");
  await dialog.getByText("Replace the previous weights?").waitFor();
  await button(dialog, answer).click();
  await dialog.waitFor({ state: "hidden" });
}

/** Waits for the run summary; a failure says what the pane shows instead and the requests the host refused. */
async function summary(page) {
  try {
    return await page
      .getByText(/Weights in /)
      .first()
      .innerText();
  } catch (e) {
    assert.fail(`no run summary (${e.message.split("\n")[0]}); ${await paneState(page)}`);
  }
}

async function inPane(context, fn) {
  try {
    await fn();
    assert.deepEqual(cspViolations(context), [], "no CSP violation");
  } catch (e) {
    throw withDetail(e, await describeFailure(context));
  } finally {
    await context.close();
  }
}

test("the scheme is saved in the document; a re-run asks before replacing the weight column; reopened, it runs again", async () => {
  const first = await openPane({ seed: { n: N, userColumn: true } });
  let saved;
  await inPane(first.context, async () => {
    const { page } = first;
    await chooseRanges(page);
    assert.match(await runWeighting(page), new RegExp(`Weights in Survey!G1:G${N + 1}`));
    const settings = await page.evaluate(() => window.__rimHost.workbook.settings.saved());
    assert.equal(settings["rim.scheme"]?.dataAddress, DATA, JSON.stringify(settings));
    assert.equal(settings["rim.scheme"]?.targetsAddress, TARGETS);

    // Run again: the previous weight column is recognised; cancelling changes nothing.
    const afterFirst = await snapshot(page);
    await runAndAnswer(page, "Cancel run");
    assert.deepEqual(await snapshot(page), afterFirst, "a cancelled run leaves the workbook as it was");

    // Replace: the same column, the same weights, one diagnostics sheet (replaced, not a second one).
    await runAndAnswer(page, "Replace");
    await summary(page);
    const afterReplace = await snapshot(page);
    assert.deepEqual(afterReplace.Survey, afterFirst.Survey, "the replaced column holds the same weights");
    assert.deepEqual(
      (await workbook(page, "sheetNames")).filter((s) => /^RIM Diagnostics/.test(s)),
      ["RIM Diagnostics"],
    );
    saved = { sheets: afterReplace, settings: await page.evaluate(() => window.__rimHost.workbook.settings.saved()) };
  });

  // Reopened: the pane shows the saved ranges, and a run asks before replacing the column it wrote.
  const second = await openPane({ reopen: saved });
  await inPane(second.context, async () => {
    const { page } = second;
    assert.equal(await rangeValue(page, "Respondent data"), DATA);
    assert.equal(await rangeValue(page, "Target table"), TARGETS);
    await runAndAnswer(page, "Replace");
    await summary(page);
    const wire = await page.evaluate(() => window.__rimHost.wire);
    assert.deepEqual(
      wire.filter((w) => w.outcome !== "ok"),
      [],
    );
  });
});

for (const flavour of ["web", "desktop"]) {
  test(`${flavour} flavour: a run sends its data blocks and three requests more; a replacing re-run four (issue 15)`, async () => {
    // Each request is a round trip on Excel on the web. Beyond the blocks: the scheme's small ranges with the
    // columns right of the data; the check before writing with the sheet names; the diagnostics sheet in one.
    const { context, page } = await openPane({ flavour, seed: { n: N } });
    await inPane(context, async () => {
      await chooseRanges(page);
      const wireLength = () => page.evaluate(() => window.__rimHost.wire.length);
      let before = await wireLength();
      assert.match(await runWeighting(page), new RegExp(`Weights in Survey!G1:G${N + 1}`));
      // 500 rows: one read block and one write block
      assert.equal((await wireLength()) - before, 5, "syncs of a first run");
      before = await wireLength();
      await runAndAnswer(page, "Replace");
      await summary(page);
      // a replacing run also reads the title of the diagnostics sheet it replaces; not the old weights
      assert.equal((await wireLength()) - before, 6, "syncs of a run that replaces its column");
      const wire = await page.evaluate(() => window.__rimHost.wire);
      assert.deepEqual(
        wire.filter((w) => w.outcome !== "ok"),
        [],
      );
    });
  });
}

test("a target that is not a number: the run names the cell and leaves the workbook untouched", async () => {
  const { context, page } = await openPane({ seed: { n: N } });
  await inPane(context, async () => {
    await workbook(page, "setValues", "Targets", "C3", [["lots"]], { raw: true });
    await chooseRanges(page);
    const before = await snapshot(page);
    const wireBefore = await page.evaluate(() => window.__rimHost.wire.length);
    await button(page, "Run weighting").click();
    const message = await poll(
      () => paneMessages(page),
      (m) => /Targets!C3/.test(m),
      "an error naming Targets!C3",
    );
    assert.doesNotMatch(message, /Weights in /);
    assert.deepEqual(await snapshot(page), before, "nothing written");
    const wire = await page.evaluate((n) => window.__rimHost.wire.slice(n), wireBefore);
    assert.ok(wire.length > 0, "the run read through Microsoft's library");
  });
});

test("Check scheme on the real library previews the categories", async () => {
  const { context, page } = await openPane({ seed: { n: N } });
  await inPane(context, async () => {
    await chooseRanges(page);
    const table = await checkScheme(page, "age");
    assert.match(await table.innerText(), /18 to 34/);
  });
});

test("web flavour: a read block whose response passes 5 MB is halved and retried; the run completes", async () => {
  const n = 20_000;
  const { context, page } = await openPane({ seed: { n } });
  await inPane(context, async () => {
    // Long region labels (data and targets alike): a 20,000-row block of them answers > 5 MB of JSON.
    const pad = " " + "x".repeat(300);
    await page.evaluate(
      ({ n, pad }) => {
        const wb = window.__rimHost.workbook;
        const region = wb.getValues("Survey", `D2:D${n + 1}`).map(([v]) => [v + pad]);
        wb.setValues("Survey", `D2:D${n + 1}`, region, { raw: true });
        const targets = wb
          .getValues("Targets", "A2:B13")
          .map(([variable, category]) => [variable, variable === "region" ? category + pad : category]);
        wb.setValues("Targets", "A2:B13", targets, { raw: true });
      },
      { n, pad },
    );
    await workbook(page, "select", "Survey", `A1:F${n + 1}`);
    await useSelection(page, "Respondent data", `Survey!A1:F${n + 1}`);
    await workbook(page, "select", "Targets", "A1:C13");
    await useSelection(page, "Target table", TARGETS);
    const before = await page.evaluate(() => window.__rimHost.wire.length);
    assert.match(await runWeighting(page), new RegExp(`Weights in Survey!G1:G${n + 1}`));
    const wire = await page.evaluate((k) => window.__rimHost.wire.slice(k), before);
    const refused = wire.filter((w) => w.outcome === "response-too-large");
    assert.ok(refused.length >= 1, `a block was refused: ${JSON.stringify(wire.map((w) => w.outcome))}`);
    assert.deepEqual(
      wire.filter((w) => w.outcome !== "ok" && w.outcome !== "response-too-large"),
      [],
    );
    assert.ok(Math.max(...wire.filter((w) => w.outcome === "ok").map((w) => w.responseBytes)) <= 5 * 1024 * 1024);
  });
});

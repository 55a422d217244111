// Accessibility of the real task pane (dist/taskpane.html) in its main states — empty, checked, done, advised,
// error, confirmation (the replace dialog) — by axe-core: no serious or critical violation in any of them.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { assertDistBuilt, launchBrowser, newContext, startServer, TIMEOUT, withDetail } from "./harness.mjs";
import { seriousViolations } from "./axe.mjs";
import {
  advise,
  button,
  checkScheme,
  describeFailure,
  paneMessages,
  poll,
  runWeighting,
  useSelection,
  waitForPane,
} from "./pane.mjs";

const N = 300;
const LAST = N + 1;

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

test("axe: no serious or critical violations when empty, checked, done, advised, in error and asking to replace", async () => {
  const context = await newContext(browser, {
    excelHost: { flavour: "web", seed: { n: N } },
    viewport: { width: 320, height: 900 },
  });
  const found = {};
  try {
    const page = await context.newPage();
    await page.goto(`${server.url}taskpane.html`);
    await waitForPane(page);
    found.empty = await seriousViolations(page);

    await workbook(page, "select", "Survey", `A1:F${LAST}`);
    await useSelection(page, "Respondent data", `Survey!A1:F${LAST}`);
    await workbook(page, "select", "Targets", "A1:C13");
    await useSelection(page, "Target table", "Targets!A1:C13");
    await checkScheme(page, "age");
    found.checked = await seriousViolations(page);

    await runWeighting(page);
    found.done = await seriousViolations(page);

    await advise(page, () => button(page, "Advise").click());
    found.advised = await seriousViolations(page);

    await button(page, "Run weighting").click();
    await page.getByRole("alertdialog").waitFor({ timeout: TIMEOUT });
    found.confirmation = await seriousViolations(page);
    await button(page, "Cancel run").click();

    await workbook(page, "select", "Survey", "H1:H3");
    await useSelection(page, "Target table", "Survey!H1:H3");
    await button(page, "Check scheme").click();
    await poll(
      () => paneMessages(page),
      (m) => m.includes("Survey!"),
      "an error in the pane",
    );
    found.error = await seriousViolations(page);

    for (const [state, violations] of Object.entries(found))
      assert.deepEqual(violations, [], `${state}: ${violations}`);
  } catch (e) {
    throw withDetail(e, `\nall states: ${JSON.stringify(found, null, 1)}` + (await describeFailure(context)));
  } finally {
    await context.close();
  }
});

// The playground (dist/playground.html) driven once as a user would: select ranges in the grid with the mouse,
// hand them to the real task pane, run, and watch the weight column and the diagnostics sheet appear in the
// grid. Saves screenshots of pane + grid under tests/artifacts/.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import {
  assertDistBuilt,
  launchBrowser,
  newContext,
  screenshot,
  startServer,
  TIMEOUT,
  withDetail,
} from "./harness.mjs";
import {
  baseFromSelection,
  checkScheme,
  describeFailure,
  poll,
  runWeighting,
  useSelection,
  waitForPane,
} from "./pane.mjs";

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

async function drag(page, from, to) {
  const a = await from.boundingBox();
  const b = await to.boundingBox();
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 6 });
  await page.mouse.up();
}

function hostSelection(page) {
  return page.evaluate(() => window.rimPlayground.host.workbook.selection);
}

test("playground: select in the grid, run in the pane, see the weights and the diagnostics sheet", async () => {
  const context = await newContext(browser, { viewport: { width: 1500, height: 950 } });
  try {
    const page = await context.newPage();
    await page.goto(`${server.url}playground.html`);
    await page.waitForFunction(() => window.rimPlayground !== undefined, null, { timeout: TIMEOUT });
    await page.evaluate(() => window.rimPlayground.paneLoaded);
    await waitForPane(page);
    const respondents = await page.evaluate(() => window.rimPlayground.sample.respondents);
    assert.equal(respondents, 10_000);
    const last = respondents + 1;
    assert.equal(await page.locator("td[data-cell='B1']").innerText(), "age");
    assert.equal(await page.locator("#pg-sheet td[data-cell='A201']").count(), 1, "the grid draws 200 respondent rows");
    await poll(
      () => page.locator("#pg-status").innerText(),
      (t) => /^engine: wasm-threads/.test(t),
      "the engine status line",
    );

    // Data: drag over the column letters A…F (whole columns; the pane cuts them to the used range).
    await drag(page, page.locator("th[data-col='A']"), page.locator("th[data-col='F']"));
    assert.equal(await hostSelection(page), "Survey!A:F");
    await useSelection(page, "Respondent data", `Survey!A1:F${last}`);

    // Targets: on the Targets tab, drag over the table's cells.
    await page.getByRole("tab", { name: "Targets" }).click();
    await page.locator(".wb-grid[data-sheet='Targets']").waitFor();
    await drag(page, page.locator("td[data-cell='A1']"), page.locator("td[data-cell='C13']"));
    assert.equal(await hostSelection(page), "Targets!A1:C13");
    await useSelection(page, "Target table", "Targets!A1:C13");

    // Base weight: click a cell of the base_weight column.
    await page.getByRole("tab", { name: "Survey" }).click();
    await page.locator(".wb-grid[data-sheet='Survey']").waitFor();
    await drag(page, page.locator("td[data-cell='F3']"), page.locator("td[data-cell='F3']"));
    assert.equal(await hostSelection(page), "Survey!F3");
    await baseFromSelection(page, "base_weight");
    await screenshot(page, "playground-1-selected");

    await checkScheme(page, "age");
    const summary = await runWeighting(page);
    assert.match(summary, new RegExp(`Weights in Survey!G1:G${last}`), summary);

    // The grid refreshes by itself: the weight column and the diagnostics tab appear.
    await poll(
      () => page.locator("td[data-cell='G1']").innerText(),
      (t) => t === "weight",
      "the weight header in the grid",
    );
    const g2 = Number(await page.locator("td[data-cell='G2']").innerText());
    assert.ok(g2 > 0 && g2 < 20, `G2 shows a weight: ${g2}`);
    const diagnosticsTab = page.getByRole("tab", { name: /^RIM Diagnostics/ });
    await diagnosticsTab.waitFor({ timeout: TIMEOUT });
    const shot = await screenshot(page, "playground-2-weighted");
    await diagnosticsTab.click();
    await page.locator(".wb-grid[data-sheet^='RIM Diagnostics']").waitFor();
    await screenshot(page, "playground-3-diagnostics");
    console.log(`# playground screenshots: ${shot} and siblings`);
  } catch (e) {
    throw withDetail(e, await describeFailure(context));
  } finally {
    await context.close();
  }
});

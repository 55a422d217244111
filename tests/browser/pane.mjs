// Driving the real task pane by its visible labels (taskpane/components/*), shared by the task pane and the
// playground tests. Selectors name what a user sees: field labels, button texts.
import assert from "node:assert/strict";
import { TIMEOUT } from "./harness.mjs";

function exact(text) {
  return new RegExp(`^\\s*${text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\s*$`);
}

/** A Fluent UI Field by its label text (e.g. "Respondent data", "Base weight column (optional)"). */
export function field(page, label) {
  return page.locator(".fui-Field").filter({ has: page.locator("label").filter({ hasText: exact(label) }) });
}

export function button(scope, name) {
  return scope.getByRole("button", { name: exact(name) });
}

/** Polls `read` until `accept(value)`; fails with the last value. */
export async function poll(read, accept, what, timeout = TIMEOUT) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    last = await read();
    if (accept(last)) return last;
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}; last: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The pane's error/warning bar text, if any (for failure messages). */
export async function paneMessages(page) {
  const bars = page.locator(".fui-MessageBar");
  return (await bars.allInnerTexts()).join(" | ");
}

/** Waits until the pane has mounted (its engine badge is there). */
export async function waitForPane(page) {
  await page
    .getByText(/^(Engine: |Starting engine|Engine unavailable)/)
    .first()
    .waitFor({ timeout: TIMEOUT });
}

/** Reads the address input of a range field. */
export function rangeValue(page, label) {
  return field(page, label).locator("input").first().inputValue();
}

/** Clicks "Use selection" of a field and waits until its input shows `expected` (string or RegExp). */
export async function useSelection(page, label, expected) {
  await button(field(page, label), "Use selection").click();
  const ok = (v) => (expected instanceof RegExp ? expected.test(v) : v === expected);
  return poll(() => rangeValue(page, label), ok, `${label} = ${expected} (pane says: ${await paneMessages(page)})`);
}

/** Chooses the base weight column by its "Use selection" button (the selection must sit in that column). */
export async function baseFromSelection(page, expected) {
  const f = field(page, "Base weight column (optional)");
  await button(f, "Use selection").click();
  return poll(
    async () => (await f.getByRole("combobox").innerText()).trim(),
    (v) => v === expected,
    `base weight column = ${expected}`,
  );
}

/** "Check scheme": waits for the preview's category tables. */
export async function checkScheme(page, firstVariable) {
  await button(page, "Check scheme").click();
  const table = page.getByRole("table", { name: `Categories of ${firstVariable}` });
  try {
    await table.waitFor({ timeout: TIMEOUT });
  } catch (e) {
    e.message += `\npane messages: ${await paneMessages(page)}`;
    throw e;
  }
  return table;
}

/** "Run weighting": waits for the run summary ("… Weights in Sheet!G1:G…") and returns its text. */
export async function runWeighting(page) {
  await button(page, "Run weighting").click();
  const summary = page.getByText(/Weights in /);
  try {
    await summary.first().waitFor({ timeout: TIMEOUT * 2 });
  } catch (e) {
    e.message += `\npane messages: ${await paneMessages(page)}`;
    throw e;
  }
  return summary.first().innerText();
}

/**
 * Advise (`press` clicks or presses the Advise button) and wait for the advisor's report ("… runs in x s.
 * Without a cap …"). A new problem in the pane fails at once, naming it and the Excel requests the host
 * refused: a Playwright timeout would name neither (appending to its message does not reach the report).
 */
export async function advise(page, press, timeout = TIMEOUT) {
  const before = await paneMessages(page);
  await press();
  const report = page.getByText(/runs in [\d.]+ s\. Without a cap/).first();
  // null: the report is there; otherwise the pane's messages so far
  const seen = await poll(
    async () => ((await report.isVisible()) ? null : paneMessages(page)),
    (messages) => messages === null || (messages !== before && messages.includes("Problem")),
    "the advisor's report",
    timeout,
  );
  if (seen === null) return;
  const refused = await page.evaluate(() =>
    (window.__rimHost?.wire ?? []).filter((w) => w.outcome !== "ok").map((w) => w.error ?? w.outcome),
  );
  assert.fail(`the advice failed: ${seen}; requests the host refused: ${JSON.stringify(refused)}`);
}

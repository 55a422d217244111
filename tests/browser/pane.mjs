// Driving the real task pane by its visible labels (taskpane/components/*), shared by the task pane and the
// playground tests. Selectors name what a user sees: field labels, button texts.
import assert from "node:assert/strict";
import { describeLog, TIMEOUT, withTimeout } from "./harness.mjs";

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

/**
 * Polls `read` until `accept(value)`; fails with the last value. `what` names the wait: a string, or an async
 * function asked only on failure (so the message tells the state at the timeout, not at the start).
 */
export async function poll(read, accept, what, timeout = TIMEOUT) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    last = await read();
    if (accept(last)) return last;
    if (Date.now() > deadline) {
      const named = typeof what === "function" ? await what() : what;
      assert.fail(`timed out waiting for ${named}; last: ${JSON.stringify(last)}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The pane's error/warning bar text, if any (for failure messages). */
export async function paneMessages(page) {
  const bars = page.locator(".fui-MessageBar");
  return (await bars.allInnerTexts()).join(" | ");
}

/** The Excel requests the host emulator refused so far in this page (code and member), oldest first. */
export function refusedRequests(page) {
  return page.evaluate(() =>
    (window.__rimHost?.wire ?? []).filter((w) => w.outcome !== "ok").map((w) => w.error ?? w.outcome),
  );
}

/** What a failing pane action must name: the pane's messages and the requests the host refused. */
export async function paneState(page) {
  const messages = (await paneMessages(page)) || "(no message)";
  return `the pane says: ${messages}; requests the host refused: ${JSON.stringify(await refusedRequests(page))}`;
}

/** How long a failure report waits for a page to answer (a crashed or hung page must not hang the report). */
const REPORT_WAIT_MS = 10_000;

/**
 * The detail a failed test adds to its error (with harness.mjs's withDetail): the state of every task pane
 * (or playground) open in the context, top level or framed, then the browser log.
 */
export async function describeFailure(context) {
  const panes = context
    .pages()
    .flatMap((page) => page.frames())
    .filter((frame) => /\/(taskpane|playground)\.html/.test(frame.url()));
  const states = [];
  for (const pane of panes) {
    const state = await withTimeout(paneState(pane), REPORT_WAIT_MS, "the pane's state").catch(
      (e) => `(no answer: ${e.message.split("\n")[0]})`,
    );
    states.push(`\n${pane.url()}: ${state}`);
  }
  return states.join("") + describeLog(context);
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
  return poll(
    () => rangeValue(page, label),
    ok,
    async () => `${label} = ${expected} (${await paneState(page)})`,
  );
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

/**
 * Does `press` and waits for `result` (a locator) to show. A new problem in the pane fails at once, and a
 * timeout fails too, each naming what the pane says and the Excel requests the host refused: a Playwright
 * timeout names neither.
 */
async function pressAndAwait(page, press, result, what, timeout) {
  const before = await paneMessages(page);
  await press();
  // null: the result is there; otherwise the pane's messages so far
  const seen = await poll(
    async () => ((await result.isVisible()) ? null : paneMessages(page)),
    (messages) => messages === null || (messages !== before && messages.includes("Problem")),
    async () => `${what} (${await paneState(page)})`,
    timeout,
  );
  if (seen !== null) assert.fail(`${what} did not come: ${await paneState(page)}`);
}

/** "Check scheme": waits for the preview's category tables. */
export async function checkScheme(page, firstVariable) {
  const table = page.getByRole("table", { name: `Categories of ${firstVariable}` });
  await pressAndAwait(page, () => button(page, "Check scheme").click(), table, "the scheme's preview", TIMEOUT);
  return table;
}

/** "Run weighting": waits for the run summary ("… Weights in Sheet!G1:G…") and returns its text. */
export async function runWeighting(page) {
  const summary = page.getByText(/Weights in /).first();
  await pressAndAwait(page, () => button(page, "Run weighting").click(), summary, "the run summary", TIMEOUT * 2);
  return summary.innerText();
}

/**
 * Advise (`press` clicks or presses the Advise button) and wait for the advisor's report ("… runs in x s.
 * Without a cap …").
 */
export async function advise(page, press, timeout = TIMEOUT) {
  const report = page.getByText(/runs in [\d.]+ s\. Without a cap/).first();
  await pressAndAwait(page, press, report, "the advisor's report", timeout);
}

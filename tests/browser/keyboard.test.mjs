// The whole flow from the keyboard alone in the real task pane (dist/taskpane.html): Tab to each control,
// type into the fields, Space on the check boxes, Enter on the buttons — set the data, draft the target
// table, run, answer the replace dialog, advise. Only the targets are typed into the workbook (by the test,
// as the user would type them in Excel, which is not the pane).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { assertDistBuilt, launchBrowser, newContext, startServer, TIMEOUT, withDetail } from "./harness.mjs";
import { advise, describeFailure, paneMessages } from "./pane.mjs";

const N = 400;
const LAST = N + 1;
const TARGETS = {
  age: { "18 to 34": 30, "35 to 54": 35, "55 plus": 35 },
  gender: { Female: 51, Male: 49 },
};
/** Tab presses allowed to reach a control: the pane has fewer than this many stops. */
const MAX_TABS = 150;

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

/** What the focused element is, as a user would name it: its field's label, its box's label, or its text. */
function focused(page) {
  return page.evaluate(() => {
    const e = document.activeElement;
    const fieldLabel = e?.closest(".fui-Field")?.querySelector(".fui-Field__label")?.textContent ?? "";
    return {
      role: e?.getAttribute("role") ?? e?.tagName.toLowerCase() ?? "",
      type: e?.getAttribute("type") ?? "",
      text: (e?.textContent ?? "").trim(),
      field: fieldLabel.trim(),
      box: (e?.closest(".fui-Checkbox, .fui-Radio")?.textContent ?? "").trim(),
    };
  });
}

/** Presses Tab until `accept(focused)`; fails if the control is never reached. */
async function tabTo(page, what, accept) {
  for (let i = 0; i < MAX_TABS; i++) {
    await page.keyboard.press("Tab");
    const here = await focused(page);
    if (accept(here)) return here;
  }
  assert.fail(`Tab never reached ${what}`);
}

const textField = (label) => (f) => f.type === "text" && f.field === label;
const buttonNamed = (text) => (f) => f.role === "button" && f.text === text;
const checkBox = (label) => (f) => f.type === "checkbox" && f.box === label;

async function typeInto(page, label, text) {
  await tabTo(page, `the field '${label}'`, textField(label));
  await page.keyboard.press("Control+A");
  await page.keyboard.type(text);
}

test("keyboard only: data range, draft, run, replace dialog, advise", async () => {
  const context = await newContext(browser, {
    excelHost: { flavour: "web", seed: { n: N } },
    viewport: { width: 320, height: 900 },
  });
  try {
    const page = await context.newPage();
    await page.goto(`${server.url}taskpane.html`);
    await page
      .getByText(/^Engine: /)
      .first()
      .waitFor({ timeout: TIMEOUT });

    await typeInto(page, "Respondent data", `Survey!A1:F${LAST}`);
    for (const name of Object.keys(TARGETS)) {
      await tabTo(page, `the box '${name}'`, checkBox(name));
      await page.keyboard.press("Space");
    }
    await tabTo(page, "Draft target table", buttonNamed("Draft target table"));
    await page.keyboard.press("Enter");
    await page.getByText(/^Drafted 5 categories/).waitFor({ timeout: TIMEOUT });
    const drafted = await workbook(page, "getValues", "RIM Targets", "A2:B6");
    await workbook(
      page,
      "setValues",
      "RIM Targets",
      "E2",
      drafted.map((r) => [TARGETS[r[0]][r[1]]]),
    );

    await tabTo(page, "Run weighting", buttonNamed("Run weighting"));
    await page.keyboard.press("Enter");
    await page
      .getByText(/Weights in Survey!G1:G/)
      .first()
      .waitFor({ timeout: TIMEOUT });

    // Again: the replace dialog takes the focus; Tab reaches its buttons, Enter answers.
    await tabTo(page, "Run weighting", buttonNamed("Run weighting"));
    await page.keyboard.press("Enter");
    await page.getByRole("alertdialog").waitFor({ timeout: TIMEOUT });
    await tabTo(page, "the dialog's Replace", buttonNamed("Replace"));
    await page.keyboard.press("Enter");
    await page
      .getByText(/\(replaced\)/)
      .first()
      .waitFor({ timeout: TIMEOUT });

    await typeInto(page, "Caps to try", "2, 4");
    await tabTo(page, "Advise", buttonNamed("Advise"));
    await advise(page, () => page.keyboard.press("Enter"));
    const sheets = await workbook(page, "sheetNames");
    const diagnostics = sheets.find((s) => /^RIM Diagnostics/.test(s));
    const column = (await workbook(page, "getValues", diagnostics, "A1:A200")).map((r) => r[0]);
    const top = column.indexOf("RIM weighting advisor");
    assert.ok(top > 0, "the advisor's section");
    const sweep = column.indexOf("Cap (× mean weight)", top);
    assert.deepEqual(column.slice(sweep + 1, sweep + 4), ["no cap", 2, 4]);
    assert.equal(await paneMessages(page), "", "no error in the pane");
    // 320 px wide: the draft and advisor controls and their reports fit without horizontal scrolling
    const widths = await page.evaluate(() => [
      document.documentElement.scrollWidth,
      document.documentElement.clientWidth,
    ]);
    assert.ok(widths[0] <= widths[1], `scroll width ${widths[0]} > ${widths[1]}`);
  } catch (e) {
    const focus = await focused(context.pages()[0]).catch(() => null);
    throw withDetail(e, `\nfocused: ${JSON.stringify(focus)}` + (await describeFailure(context)));
  } finally {
    await context.close();
  }
});

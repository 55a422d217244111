// The real task pane (dist/taskpane.html) at the narrow widths Excel gives it: opening it writes nothing to the
// workbook; at 350 px the options keep their rows level and their placeholders whole; at 320 px long column
// names and category labels stay inside their cells; in a 350 × 800 pane an error shows where the user looks.
// Layout, not Excel behaviour: one flavour (Microsoft's excel-web-16.00.js on the host emulator) is enough.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { assertDistBuilt, launchBrowser, newContext, screenshot, startServer, withDetail } from "./harness.mjs";
import {
  button,
  checkScheme,
  describeFailure,
  field,
  paneMessages,
  poll,
  refusedRequests,
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

/** Opens taskpane.html on the seeded sample workbook in a pane of this size; runs `check` on the page. */
async function inPane(viewport, check) {
  const context = await newContext(browser, { excelHost: { flavour: "web", seed: { n: 200 } }, viewport });
  try {
    const page = await context.newPage();
    await page.goto(`${server.url}taskpane.html`);
    await waitForPane(page);
    await check(page);
    assert.deepEqual(await refusedRequests(page), [], "the host refused none of the pane's requests");
  } catch (e) {
    throw withDetail(e, await describeFailure(context));
  } finally {
    await context.close();
  }
}

const settingsSaves = (page) => page.evaluate(() => window.__rimHost.workbook.settings.saveCount);

async function setRange(page, label, address) {
  await field(page, label).locator("input").first().fill(address);
}

test("opening the pane writes nothing to the workbook; the first change is saved", async () => {
  await inPane({ width: 350, height: 800 }, async (page) => {
    await page.waitForTimeout(2000); // well past the pane's 600 ms save debounce
    assert.equal(await settingsSaves(page), 0, "the pane saved settings although nothing was changed");
    await setRange(page, "Respondent data", "Survey!A1:F201");
    await poll(
      () => settingsSaves(page),
      (n) => n >= 1,
      "the changed scheme to be saved",
    );
    const saved = await page.evaluate(() => window.__rimHost.workbook.settings.saved()["rim.scheme"]);
    assert.equal(saved.dataAddress, "Survey!A1:F201");
  });
});

for (const width of [320, 350])
  test(`at ${width} px the options' placeholders are whole and the fields of each row stay level`, async () => {
    await inPane({ width, height: 800 }, async (page) => {
      const grid = page.locator(".fui-Field", { has: page.getByText("Min cap", { exact: true }) }).locator("..");
      await screenshot(page, `pane-${width}-options`);
      const fields = await grid.evaluate((el) => {
        const canvas = document.createElement("canvas").getContext("2d");
        return [...el.children].map((f) => {
          const input = f.querySelector("input");
          const hint = f.querySelector(".fui-Field__hint");
          const label = f.querySelector("label")?.textContent ?? "";
          let placeholderFits = true;
          if (input?.placeholder) {
            const style = getComputedStyle(input);
            canvas.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
            const room = input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
            placeholderFits = canvas.measureText(input.placeholder).width <= room;
          }
          const hintLines = hint
            ? Math.round(hint.getBoundingClientRect().height / parseFloat(getComputedStyle(hint).lineHeight))
            : 0;
          return {
            label,
            top: input ? Math.round(input.getBoundingClientRect().top) : null,
            placeholderFits,
            hintLines,
          };
        });
      });
      const withInputs = fields.filter((f) => f.top !== null);
      assert.ok(withInputs.length >= 6, JSON.stringify(fields));
      for (const f of withInputs) {
        assert.ok(f.placeholderFits, `the placeholder of '${f.label}' is cut`);
        assert.ok(f.hintLines <= 1, `the hint of '${f.label}' takes ${f.hintLines} lines`);
      }
      for (let i = 0; i + 1 < withInputs.length; i += 2)
        assert.equal(
          withInputs[i].top,
          withInputs[i + 1].top,
          `'${withInputs[i].label}' and '${withInputs[i + 1].label}' are not level`,
        );
    });
  });

const LONG_REGION = "region_of_residence_at_the_time_of_the_interview";
const LONG_LABELS = [
  "Northern and north-western administrative districts",
  "Supercalifragilisticexpialidocious_label_with_no_space_at_all",
];

/** A sheet with a long column name and long category labels, and its target table. */
async function seedLongLabels(page) {
  await page.evaluate(
    ({ column, labels }) => {
      const rows = [["id", column]];
      for (let i = 0; i < 40; i++) rows.push([i + 1, labels[i % 2]]);
      window.__rimHost.workbook.addSheet("Long", rows);
      window.__rimHost.workbook.addSheet("LongTargets", [
        ["variable", "category", "target"],
        [column, labels[0], 45],
        [column, labels[1], 55],
      ]);
    },
    { column: LONG_REGION, labels: LONG_LABELS },
  );
}

/** Cells and labels inside `root` that run past it, whose content runs past their own box, or whose text sticks out. */
function overflowing(root) {
  return root.evaluate((el, selector) => {
    const out = [];
    const outer = el.getBoundingClientRect();
    for (const box of el.querySelectorAll(selector)) {
      const r = box.getBoundingClientRect();
      if (r.right > outer.right + 1) out.push(`${box.textContent}: box ends at ${r.right}, past ${outer.right}`);
      if (box.scrollWidth > box.clientWidth + 1)
        out.push(`${box.textContent}: scrollWidth ${box.scrollWidth} > ${box.clientWidth}`);
      const range = document.createRange();
      range.selectNodeContents(box);
      const t = range.getBoundingClientRect();
      if (t.right > r.right + 1 || t.left < r.left - 1)
        out.push(`${box.textContent}: text ${t.left}…${t.right} outside ${r.left}…${r.right}`);
    }
    return out;
  }, "td, th, label");
}

test("at 320 px long column names and category labels stay inside their cells", async () => {
  await inPane({ width: 320, height: 900 }, async (page) => {
    await seedLongLabels(page);
    await setRange(page, "Respondent data", "Long!A1:B41");
    await setRange(page, "Target table", "LongTargets!A1:C3");
    const variables = field(page, "Raking variables");
    await variables.getByText(LONG_REGION).waitFor();
    assert.deepEqual(await overflowing(variables), []);
    const table = await checkScheme(page, LONG_REGION);
    await screenshot(page, "pane-320-long-labels");
    for (const label of LONG_LABELS) assert.ok(await table.getByText(label).isVisible(), `${label} is shown whole`);
    assert.deepEqual(await overflowing(table), []);
  });
});

test("in a 350 × 800 pane a failed check shows its error in view, with the focus on it", async () => {
  await inPane({ width: 350, height: 800 }, async (page) => {
    await page.evaluate(() =>
      window.__rimHost.workbook.addSheet("BadTargets", [
        ["variable", "category", "target"],
        ["Age", "young", 100],
      ]),
    );
    await setRange(page, "Respondent data", "Survey!A1:F201");
    await setRange(page, "Target table", "BadTargets!A1:C2");
    const check = button(page, "Check scheme");
    await check.scrollIntoViewIfNeeded();
    await check.click();
    // the scheme's own error, naming the cell: not a request the host refused
    await poll(
      () => paneMessages(page),
      (m) => /Problem.*BadTargets!A2/.test(m),
      "an error naming BadTargets!A2 after the failed check",
    );
    await screenshot(page, "pane-350x800-error");
    const bar = page.locator(".fui-MessageBar");
    const box = await bar.boundingBox();
    assert.ok(box && box.y >= 0 && box.y + box.height <= 800, `the error is out of view: ${JSON.stringify(box)}`);
    assert.ok(
      await page.evaluate(() => !!document.activeElement?.closest("[data-testid=pane-message]")),
      "the focus is not on the error",
    );
    assert.equal(await page.getByText(/^Check the scheme to see/).count(), 0, "the old hint is still shown");
  });
});

// A user drafts a target table from the sample survey in the real task pane (dist/taskpane.html, Chromium,
// cross-origin isolated: threaded wasm) on Microsoft's Excel client library and the host emulator (tests/host),
// in both flavours (excel-web-16.00.js, excel-win32-16.01.js), fills in the targets, runs, and asks the
// advisor; then the workbook is checked: the drafted table, the advisor's section and its line chart on the
// diagnostics sheet, and the advisor's numbers against `rim advise` run on the same data and targets (1e-12).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import {
  assertDistBuilt,
  launchBrowser,
  newContext,
  screenshot,
  startServer,
  tmpDir,
  TIMEOUT,
  withDetail,
} from "./harness.mjs";
import {
  advise,
  baseFromSelection,
  button,
  checkScheme,
  describeFailure,
  field,
  paneMessages,
  poll,
  runWeighting,
  useSelection,
  waitForPane,
} from "./pane.mjs";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const N = 1500;
const LAST = N + 1;
const TARGETS = {
  age: { "18 to 34": 30, "35 to 54": 35, "55 plus": 35 },
  gender: { Female: 51, Male: 49 },
  region: { North: 25, South: 30, East: 20, West: 25 },
  education: { Primary: 25, Secondary: 45, Tertiary: 30 },
};
const CATEGORIES = Object.values(TARGETS).reduce((s, t) => s + Object.keys(t).length, 0);
const ADVISOR_TITLE = "RIM weighting advisor";

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

function csv(rows) {
  return rows.map((r) => r.map((x) => String(x)).join(",")).join("\n") + "\n";
}

function close(a, b, what) {
  assert.ok(Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(b)), `${what}: pane ${a} vs rim advise ${b}`);
}

/** Rows of a sheet table below the header cell `title` in column A, up to the first blank row. */
function tableBelow(cells, title, from) {
  const top = cells.findIndex((r, i) => i >= from && r[0] === title);
  assert.ok(top >= 0, `no '${title}' on the diagnostics sheet`);
  const rows = [];
  for (let r = top + 1; r < cells.length && cells[r][0] !== ""; r++) rows.push(cells[r]);
  return { top, rows };
}

for (const flavour of ["web", "desktop"])
  test(`${flavour} flavour: draft targets from the survey, fill them, run, advise: the advisor's section and chart, equal to rim advise`, async () => {
    const context = await newContext(browser, {
      excelHost: { flavour, seed: { n: N } },
      viewport: { width: 420, height: 1400 },
    });
    const dir = tmpDir("rim-pane-advise-");
    try {
      const page = await context.newPage();
      await page.goto(`${server.url}taskpane.html`);
      await waitForPane(page);
      await workbook(page, "select", "Survey", `A1:F${LAST}`);
      await useSelection(page, "Respondent data", `Survey!A1:F${LAST}`);
      // by the box's visible label: the boxes share one id (ColumnsForm's Field), so their accessible names do not hold
      for (const name of Object.keys(TARGETS))
        await page
          .locator(".fui-Checkbox")
          .filter({ hasText: new RegExp(`^${name}$`) })
          .locator("input")
          .check();
      const draftInput = field(page, "Variables to draft").locator("input");
      assert.equal(await draftInput.inputValue(), "age, gender, region, education");

      // Draft: a new sheet with the table, set as the target table.
      await button(page, "Draft target table").click();
      await page.getByText(/^Drafted \d+ categories/).waitFor({ timeout: TIMEOUT });
      const table = `'RIM Targets'!A1:E${CATEGORIES + 1}`;
      assert.equal(await field(page, "Target table").locator("input").first().inputValue(), table);
      const drafted = await workbook(page, "getValues", "RIM Targets", `A1:E${CATEGORIES + 1}`);
      assert.deepEqual(drafted[0], ["variable", "category", "sample n", "sample %", "target"]);
      assert.equal(
        drafted.slice(1).reduce((s, r) => s + (r[0] === "age" ? r[2] : 0), 0),
        N,
      );
      assert.ok(
        drafted.slice(1).every((r) => r[4] === ""),
        "targets start empty",
      );
      const tables = await workbook(page, "tables");
      assert.deepEqual(
        tables.map((t) => [t.sheet, t.address]),
        [["RIM Targets", table]],
      );
      await screenshot(page, `draft-${flavour}-1-drafted`);

      // Check scheme names the first empty target cell.
      await button(page, "Check scheme").click();
      await poll(
        () => paneMessages(page),
        (m) => m.includes("'RIM Targets'!E2"),
        "the empty target cell named",
      );

      // The user fills in the targets, picks the base weight, checks and runs.
      const filled = drafted.slice(1).map((r) => [TARGETS[r[0]][r[1]]]);
      await workbook(page, "setValues", "RIM Targets", "E2", filled);
      await workbook(page, "select", "Survey", "F2");
      await baseFromSelection(page, "base_weight");
      await checkScheme(page, "age");
      const summary = await runWeighting(page);
      assert.match(summary, /^Converged/, summary);

      // Advise with a design-effect budget.
      await page.getByRole("radio", { name: "Max design effect" }).check();
      await field(page, "Maximum design effect").locator("input").fill("1.05");
      await advise(page, () => button(page, "Advise").click(), TIMEOUT * 2);
      await screenshot(page, `draft-${flavour}-2-advised`);

      const sheets = await workbook(page, "sheetNames");
      const diagnostics = sheets.find((s) => /^RIM Diagnostics/.test(s));
      assert.ok(diagnostics, `no diagnostics sheet in ${sheets.join(", ")}`);
      const cells = await workbook(page, "getValues", diagnostics, "A1:H200");
      assert.equal(cells[0][0], "RIM weighting diagnostics", "the run's diagnostics stay on top");
      const top = cells.findIndex((r) => r[0] === ADVISOR_TITLE);
      assert.ok(top > 0, "the advisor's section");
      const sweep = tableBelow(cells, "Cap (× mean weight)", top).rows;
      assert.deepEqual(
        sweep.map((r) => r[0]),
        ["no cap", 1.5, 2, 3, 4, 5, 8],
      );
      const costs = tableBelow(cells, "Variable left out", top).rows;
      assert.deepEqual(
        costs.map((r) => r[0]),
        Object.keys(TARGETS),
      );
      const budgetAt = cells.findIndex((r, i) => i > top && r[0] === "Design-effect budget");
      const words = [cells[budgetAt + 1][0], cells[budgetAt + 2][0]];
      const chart = (await workbook(page, "charts")).find((c) => c.type === "Line");
      assert.ok(chart, "the advisor's line chart");
      assert.equal(chart.title, "Weighting efficiency % by cap");
      assert.equal(chart.sheet, diagnostics);

      // The same advice from the CLI on the same data and targets.
      const data = await workbook(page, "getValues", "Survey", `A1:F${LAST}`);
      const targets = await workbook(page, "getValues", "RIM Targets", `A1:E${CATEGORIES + 1}`);
      fs.writeFileSync(path.join(dir, "data.csv"), csv(data));
      fs.writeFileSync(path.join(dir, "targets.csv"), csv(targets));
      const report = path.join(dir, "advice.json");
      const cli = spawnSync(
        process.execPath,
        [
          path.join(ROOT, "bin", "rim.js"),
          "advise",
          ...["--data", path.join(dir, "data.csv"), "--targets", path.join(dir, "targets.csv")],
          ...["--base", "base_weight", "--max-deff", "1.05", "--report", report],
        ],
        { cwd: ROOT, encoding: "utf8" },
      );
      assert.equal(cli.status, 0, cli.stderr);
      const advice = JSON.parse(fs.readFileSync(report, "utf8"));
      assert.equal(sweep.length, advice.sweep.length);
      advice.sweep.forEach((run, i) => {
        const [, eff, effN, max, min, status, residual, iterations] = sweep[i];
        close(eff, run.efficiencyPct, `sweep ${i} efficiency`);
        close(effN, run.effectiveN, `sweep ${i} effective n`);
        close(max, run.maxWeight, `sweep ${i} max weight`);
        close(min, run.minWeight, `sweep ${i} min weight`);
        close(residual, run.maxResidual, `sweep ${i} max residual`);
        assert.equal(status, run.status);
        assert.equal(iterations, run.iterations);
      });
      advice.leaveOneOut.forEach((run, i) => {
        assert.equal(costs[i][0], run.dropped);
        close(costs[i][1], run.efficiencyPct, `without ${run.dropped}: efficiency`);
        close(costs[i][2], run.efficiencyGainPct, `without ${run.dropped}: efficiency gained`);
        close(costs[i][4], run.effectiveNGain, `without ${run.dropped}: effective n gained`);
      });
      // the budget's answer in the CLI's words (its first letter capitalised on the sheet)
      const budgetLines = cli.stdout.split("\n");
      const b = budgetLines.findIndex((l) => l.startsWith("budget:"));
      assert.ok(b >= 0, cli.stdout);
      assert.deepEqual(
        words.map((w) => w.charAt(0).toLowerCase() + w.slice(1)),
        [budgetLines[b], budgetLines[b + 1].trim()],
      );
    } catch (e) {
      throw withDetail(e, await describeFailure(context));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
      await context.close();
    }
  });

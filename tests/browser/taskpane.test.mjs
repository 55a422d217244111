// The real task pane (dist/taskpane.html, production build and headers) clicked through in Chromium on
// Microsoft's own Excel client library (excel-web-16.00.js from @microsoft/office-js, served from the CDN URL)
// answered by the host emulator (tests/host) in web flavour (5 MB payloads measured on the wire), and once
// on excel-win32-16.01.js in desktop flavour, on a seeded
// workbook: a generated survey (Survey!A1:F…, a user's "note" column in H) and a long target table
// (Targets!A1:C13). Then the emulated workbook is checked directly. Screenshots go to tests/artifacts/.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import {
  assertDistBuilt,
  cspViolations,
  launchBrowser,
  newContext,
  screenshot,
  startServer,
  withDetail,
} from "./harness.mjs";
import { baseFromSelection, checkScheme, describeFailure, runWeighting, useSelection, waitForPane } from "./pane.mjs";

const N = 2000;
const LAST = N + 1; // the data's last sheet row (header in row 1)
/** The sample's population targets in percent (playground/sample.ts). */
const TARGETS = {
  age: { "18 to 34": 30, "35 to 54": 35, "55 plus": 35 },
  gender: { Female: 51, Male: 49 },
  region: { North: 25, South: 30, East: 20, West: 25 },
  education: { Primary: 25, Secondary: 45, Tertiary: 30 },
};

let browser;
let noWasmBrowser;
let isolated;
let plain;

before(async () => {
  assertDistBuilt();
  isolated = await startServer();
  plain = await startServer({ isolation: "none" });
  browser = await launchBrowser();
});

after(async () => {
  await Promise.all([browser?.close(), noWasmBrowser?.close()]);
  await Promise.all([isolated?.close(), plain?.close()]);
});

/** The three ways the pane meets a host (DESIGN.md §6): isolated (threads), not isolated (single), no WebAssembly. */
const HOSTS = [
  {
    name: "cross-origin isolated",
    server: () => isolated,
    browser: () => browser,
    engine: /^WebAssembly, multi-threaded/,
    shots: "taskpane",
  },
  {
    name: "not isolated",
    server: () => plain,
    browser: () => browser,
    engine: /^WebAssembly, single thread/,
    shots: "taskpane-single",
  },
  {
    name: "desktop flavour (excel-win32-16.01.js), cross-origin isolated",
    server: () => isolated,
    browser: () => browser,
    engine: /^WebAssembly, multi-threaded/,
    shots: "taskpane-desktop",
    flavour: "desktop",
  },
  {
    name: "without WebAssembly",
    server: () => isolated,
    browser: async () => (noWasmBrowser ??= await launchBrowser({ extraArgs: ["--js-flags=--jitless"] })),
    engine: /^JavaScript/,
    shots: "taskpane-ts",
  },
];

function workbook(page, method, ...args) {
  return page.evaluate(({ method, args }) => window.__rimHost.workbook[method](...args), { method, args });
}

for (const host of HOSTS) {
  test(`${host.name}: set ranges from the selection, check the scheme, run: weights next to the data and a diagnostics sheet`, async () => {
    const context = await newContext(await host.browser(), {
      excelHost: { flavour: host.flavour ?? "web", seed: { n: N, userColumn: true } },
      viewport: { width: 420, height: 1100 },
    });
    try {
      const page = await context.newPage();
      await page.goto(`${host.server().url}taskpane.html`);
      await waitForPane(page);
      assert.deepEqual(await workbook(page, "sheetNames"), ["Survey", "Targets"]);
      const before = {
        data: await workbook(page, "getValues", "Survey", `A1:F${LAST}`),
        note: await workbook(page, "getValues", "Survey", `H1:H${LAST}`),
      };
      assert.equal(before.note[0][0], "note");
      await screenshot(page, `${host.shots}-1-loaded`);

      await workbook(page, "select", "Survey", `A1:F${LAST}`);
      await useSelection(page, "Respondent data", `Survey!A1:F${LAST}`);
      await workbook(page, "select", "Targets", "A1:C13");
      await useSelection(page, "Target table", "Targets!A1:C13");
      await workbook(page, "select", "Survey", "F2");
      await baseFromSelection(page, "base_weight");

      await checkScheme(page, "age");
      await screenshot(page, `${host.shots}-2-checked`);

      const summary = await runWeighting(page);
      await screenshot(page, `${host.shots}-3-done`);
      assert.match(summary, /^Converged after \d+ iterations/, summary);
      assert.match(summary, new RegExp(`Weights in Survey!G1:G${LAST}`), summary);

      // The weight column: G, the first empty column right of the data, header + N weights, nothing below.
      const weights = (await workbook(page, "getValues", "Survey", `G1:G${LAST + 1}`)).map((r) => r[0]);
      assert.equal(weights[0], "weight");
      const w = weights.slice(1, LAST);
      assert.equal(w.length, N);
      assert.ok(
        w.every((x) => typeof x === "number" && Number.isFinite(x) && x > 0),
        "every weight is a positive number",
      );
      assert.equal(weights[LAST] ?? "", "", "nothing is written below the data");
      assert.ok(Math.min(...w) > 0.05 && Math.max(...w) < 20, `plausible range: ${Math.min(...w)}…${Math.max(...w)}`);

      // Correct, not only plausible: total = Σ base weights, and the weighted shares hit the targets.
      const rows = before.data.slice(1);
      const baseSum = rows.reduce((s, r) => s + r[5], 0);
      const weightSum = w.reduce((s, x) => s + x, 0);
      assert.ok(Math.abs(weightSum - baseSum) <= 1e-6 * baseSum, `Σw ${weightSum} vs Σ base ${baseSum}`);
      before.data[0].slice(1, 5).forEach((name, k) => {
        const shares = {};
        rows.forEach((r, i) => (shares[r[k + 1]] = (shares[r[k + 1]] ?? 0) + w[i] / weightSum));
        for (const [category, pct] of Object.entries(TARGETS[name])) {
          assert.ok(
            Math.abs(shares[category] * 100 - pct) < 1e-3,
            `${name}=${category}: weighted ${shares[category] * 100}% vs target ${pct}%`,
          );
        }
      });

      // Nothing else touched: the data and the user's column right of it.
      assert.deepEqual(await workbook(page, "getValues", "Survey", `A1:F${LAST}`), before.data);
      assert.deepEqual(await workbook(page, "getValues", "Survey", `H1:H${LAST}`), before.note);

      // The diagnostics sheet exists and names the variables, the status and the backend.
      const sheets = await workbook(page, "sheetNames");
      const diagnostics = sheets.find((s) => /^RIM Diagnostics/.test(s));
      assert.ok(diagnostics, `no diagnostics sheet in ${sheets.join(", ")}`);
      const used = await workbook(page, "usedRange", diagnostics, true);
      assert.ok(used, "the diagnostics sheet is empty");
      const cells = (await workbook(page, "getValues", diagnostics, used.split("!")[1])).flat();
      for (const word of ["age", "gender", "region", "education", "18 to 34", "Tertiary"])
        assert.ok(cells.includes(word), `diagnostics lack '${word}'`);
      const valueAfter = (label) => String(cells[cells.indexOf(label) + 1] ?? "");
      assert.match(valueAfter("Status"), /^Converged/, `diagnostics status: ${valueAfter("Status")}`);
      // the backend this host allows did the work (threads only where the page is cross-origin isolated)
      assert.match(valueAfter("Engine"), host.engine, `diagnostics engine: ${valueAfter("Engine")}`);
      assert.equal(Number(valueAfter("Respondents (n)")), N);

      // The chart of target vs achieved sits on the diagnostics sheet, titled and positioned.
      const charts = await workbook(page, "charts");
      assert.equal(charts.length, 1, JSON.stringify(charts));
      assert.equal(charts[0].sheet, diagnostics);
      assert.ok(charts[0].title, "the chart has a title");

      // Every sync went through Microsoft's library over the wire and none failed; no CSP violation.
      const wire = await page.evaluate(() => window.__rimHost.wire);
      assert.ok(wire.length > 3, `syncs on the wire: ${wire.length}`);
      assert.deepEqual(
        wire.filter((w) => w.outcome !== "ok"),
        [],
        "every sync succeeded",
      );
      assert.deepEqual(cspViolations(context), []);
      assert.ok(
        context.rimOfficeRequests.some((u) =>
          u.endsWith(host.flavour === "desktop" ? "/excel-win32-16.01.js" : "/excel-web-16.00.js"),
        ),
        "Microsoft's Excel library came from the CDN URL",
      );
      assert.deepEqual(context.rimRefused, [], "no request left the machine");
    } catch (e) {
      throw withDetail(e, await describeFailure(context));
    } finally {
      await context.close();
    }
  });
}

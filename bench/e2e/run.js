"use strict";
/**
 * End-to-end bench driver (bench/e2e/README.md): the production build's task pane (dist/taskpane.html, served by
 * tests/browser/harness.mjs with the production headers: cross-origin isolated, so the engine picks threaded
 * wasm) in Debian's Chromium on the Excel host emulator (tests/host) behind Microsoft's own excel-web-16.00.js.
 * Per size it seeds the emulator's workbook directly with problem A's first `rows` respondents (8 raking
 * variables as numeric codes 1…k, no base weight), runs the pane by its Run button (bench/e2e/pane.js), and
 * calls =RIM.WEIGHT() through the emulator's custom-functions shim.
 *
 *   node bench/e2e/run.js [--rows 100000,1000000] [--fn-rows 10000] [--repeat 3] [--data bench/data/s1/A]
 *
 * Used by bench/run.js (items E2E and FN). RIM_BENCH_DIST (else RIM_BROWSER_DIST, else dist/) names the build.
 */
const fs = require("fs");
const path = require("path");
const { pathToFileURL } = require("url");
const pane = require("./pane");

const ROOT = path.resolve(__dirname, "..", "..");
/** A round trip to Excel on the web's servers, per sync (issue 15: "tens to hundreds of ms each"). */
const SYNC_LATENCY_MS = 150;
const CHROMIUM = process.env.RIM_CHROMIUM || "/usr/bin/chromium";
if (process.env.RIM_BENCH_DIST && !process.env.RIM_BROWSER_DIST)
  process.env.RIM_BROWSER_DIST = process.env.RIM_BENCH_DIST;
const DIST = process.env.RIM_BROWSER_DIST ? path.resolve(process.env.RIM_BROWSER_DIST) : path.join(ROOT, "dist");

const log = (...m) => console.error("[bench:e2e]", ...m);

function unavailableReason() {
  if (!fs.existsSync(CHROMIUM)) return `${CHROMIUM} is missing`;
  try {
    require.resolve("playwright-core");
  } catch {
    return "playwright-core is not installed";
  }
  if (!fs.existsSync(path.join(DIST, "taskpane.html")))
    return `${path.relative(ROOT, DIST) || DIST}/taskpane.html is missing: build first (npx webpack --mode production)`;
  return null;
}

/** The first `rows` codes of each variable of a bench/gen.js problem directory, base64, plus the variables. */
function problemSlice(dir, rows) {
  const meta = JSON.parse(fs.readFileSync(path.join(dir, "meta.json"), "utf8"));
  if (!meta.targets) throw new Error(`${dir}: a problem with whole-sample targets is needed (A)`);
  const buf = fs.readFileSync(path.join(dir, "codes.u8"));
  const n = meta.n;
  const r = Math.min(rows, n);
  const parts = meta.categories.map((_, v) => buf.subarray(v * n, v * n + r));
  return {
    rows: r,
    rowsInCodes: r,
    codesBase64: Buffer.concat(parts).toString("base64"),
    variables: meta.categories.map((k, v) => ({ name: `v${v + 1}`, categories: k, targets: meta.targets[v] })),
  };
}

/** A fresh task pane page on the emulator (web flavour) with problem A's first `rows` seeded; its engine started. */
async function panePage(harness, browser, server, dataDir, rows, timeoutMs) {
  const { waitForPane } = await import(pathToFileURL(path.join(ROOT, "tests", "browser", "pane.mjs")).href);
  const context = await harness.newContext(browser, { excelHost: { flavour: "web" } });
  const page = await context.newPage();
  await page.goto(`${server.url}taskpane.html`);
  await waitForPane(page);
  await page
    .getByText(/^Engine: /)
    .first()
    .waitFor({ timeout: timeoutMs });
  const slice = problemSlice(dataDir, rows);
  const seeded = await page.evaluate(pane.seedInPage, slice);
  return { context, page, slice, seeded };
}

/** =RIM.WEIGHT() on `rows` rows through the emulator's custom-functions shim: a warm-up, then `repeat` calls. */
async function paneFunction(harness, browser, server, dataDir, rows, repeat) {
  const { context, page, slice, seeded } = await panePage(harness, browser, server, dataDir, rows, 60_000);
  try {
    await page.waitForFunction(() => window.__rimHost.functions.ids().includes("WEIGHT"));
    const calls = [];
    for (let k = 0; k < repeat + 1; k++) calls.push(await page.evaluate(pane.weightFunctionInPage, seeded));
    const bad = calls.find((c) => c.error || c.weights !== slice.rows || Math.abs(c.weightSum / slice.rows - 1) > 1e-6);
    if (bad) return { rows, error: bad.error ?? `${bad.weights} weights summing to ${bad.weightSum}` };
    log(
      `=RIM.WEIGHT() on ${rows} rows: ${calls.map((c) => c.wholeCallMs.toFixed(0)).join(", ")} ms (first is the warm-up)`,
    );
    return {
      rows,
      columns: slice.variables.length,
      first: calls[0],
      best: { wholeCallMs: Math.min(...calls.slice(1).map((c) => c.wholeCallMs)) },
      calls,
    };
  } finally {
    await context.close().catch(() => undefined);
  }
}

/**
 * One size on the task pane (bench/e2e/pane.js): a fresh page of dist/taskpane.html on the emulator, the sheets
 * seeded in the emulator's store (not through requests), ranges set from the selection, `repeat` runs by the Run
 * button, then one with SYNC_LATENCY_MS added to every sync.
 */
async function paneRows(harness, browser, server, dataDir, rows, repeat, timeoutMs) {
  const { useSelection } = await import(pathToFileURL(path.join(ROOT, "tests", "browser", "pane.mjs")).href);
  const { context, page, slice, seeded } = await panePage(harness, browser, server, dataDir, rows, timeoutMs);
  try {
    log(
      `e2e ${rows} rows seeded in the emulator in ${(seeded.seedMs / 1000).toFixed(1)} s (${seeded.dataAddress}); ${repeat} runs…`,
    );
    const select = (address) => page.evaluate((a) => window.__rimHost.workbook.select(...a.split("!")), address);
    await select(seeded.dataAddress);
    await useSelection(page, "Respondent data", seeded.dataAddress);
    await select(seeded.targetsAddress);
    await useSelection(page, "Target table", seeded.targetsAddress);
    log("  ranges set from the selection");
    await page.evaluate(pane.instrumentInPage);
    const run = (latencyMs) =>
      harness.withTimeout(
        page.evaluate(pane.runInPage, { latencyMs, weightColumn: seeded.weightColumn, rows: slice.rows }),
        timeoutMs,
        `the Run button on ${rows} rows`,
      );
    const runs = [];
    for (let k = 0; k < repeat; k++) {
      const one = await run(0);
      log(
        `  run ${k + 1}: total ${one.stages.total.toFixed(0)} ms (host ${one.stages.hostTotal.toFixed(0)} ms), ${one.stages.syncs} syncs; ${one.summary}`,
      );
      runs.push(one);
    }
    const best = [...runs].sort(byTotal)[0];
    const latency = await run(SYNC_LATENCY_MS);
    log(
      `  run with ${SYNC_LATENCY_MS} ms per sync: total ${latency.stages.total.toFixed(0)} ms, ${latency.stages.syncs} syncs`,
    );
    return {
      rows: slice.rows,
      columns: slice.variables.length,
      layout: `${slice.variables.length} raking variables (numeric codes), no base weight`,
      dataAddress: seeded.dataAddress,
      seedMs: seeded.seedMs,
      first: runs[0],
      best,
      totals: runs.map((x) => x.stages.total),
      weightsOk:
        best.weightsWritten === slice.rows && Math.abs(best.weightSum / slice.rows - 1) < 1e-6 && best.belowData === "",
      latency,
    };
  } finally {
    await context.close().catch(() => undefined);
  }
}

const byTotal = (a, b) => a.stages.total - b.stages.total;

/**
 * Runs the whole e2e bench in one page. Returns { page, host, engineStart, runs: [...], fn } (errors as
 * { error } entries, never thrown for a single size).
 */
async function runE2E({
  dataDir,
  rows = [100_000, 1_000_000],
  fnRows = 10_000,
  repeat = 3,
  fn = true,
  e2e = true,
  timeoutMs = 15 * 60_000,
}) {
  const harness = await import(pathToFileURL(path.join(ROOT, "tests", "browser", "harness.mjs")).href);
  const server = await harness.startServer();
  const browser = await harness.launchBrowser();
  const out = {
    page: "taskpane.html of the production build, production headers, on the Excel host emulator (tests/host) behind Microsoft's excel-web-16.00.js",
    dist: path.relative(ROOT, DIST) || DIST,
    dataDir: path.relative(ROOT, dataDir),
    repeat,
    runs: [],
    fn: null,
  };
  try {
    // the emulator's web flavour (tests/host/limits.ts): what Excel on the web allows per request and read
    out.host = { mode: "web", payloadLimitBytes: 5 * 2 ** 20, maxCellsPerRead: 5_000_000 };
    if (fn) {
      try {
        out.fn = await paneFunction(harness, browser, server, dataDir, fnRows, repeat);
      } catch (e) {
        out.fn = { rows: fnRows, error: String(e && e.message ? e.message : e) };
      }
    }

    if (e2e) {
      for (const r of rows) {
        try {
          out.runs.push(await paneRows(harness, browser, server, dataDir, r, repeat, timeoutMs));
        } catch (e) {
          out.runs.push({ rows: r, error: String(e && e.message ? e.message : e) });
        }
      }
    }
    return out;
  } finally {
    await browser.close().catch(() => undefined);
    await server.close();
  }
}

module.exports = { runE2E, unavailableReason, problemSlice };

if (require.main === module) {
  const args = process.argv.slice(2);
  const get = (k, d) => {
    const i = args.indexOf(k);
    return i >= 0 ? args[i + 1] : d;
  };
  const rows = get("--rows", "100000,1000000").split(",").map(Number);
  const why = unavailableReason();
  if (why) {
    console.error(why);
    process.exit(1);
  }
  runE2E({
    dataDir: path.resolve(get("--data", path.join(ROOT, "bench", "data", "s1", "A"))),
    rows,
    fnRows: Number(get("--fn-rows", "10000")),
    repeat: Number(get("--repeat", "3")),
    fn: !args.includes("--no-fn"),
    e2e: !args.includes("--no-e2e"),
  })
    .then((r) => console.log(JSON.stringify(r, null, 1)))
    .catch((e) => {
      console.error(e && e.stack ? e.stack : String(e));
      process.exit(1);
    });
}

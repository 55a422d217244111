"use strict";
/**
 * Threaded wasm in headless Chromium (Debian's /usr/bin/chromium through playwright-core): one fresh page (and so
 * one fresh rayon pool) per thread count. Used by bench/run.js; prints JSON lines when run on its own:
 *   node bench/browser/run.js <dir under bench/data, e.g. s0.1/B> [threads,...] [repeat]
 */
const fs = require("fs");
const path = require("path");
const { createBenchServer } = require("./server");

const CHROMIUM = process.env.RIM_CHROMIUM || "/usr/bin/chromium";
const PKG = path.resolve(__dirname, "..", "..", "engine", "runtime", "wasm", "pkg-threads", "rim_engine_bg.wasm");

/** Why the browser rows cannot be measured here, or null when they can. */
function unavailableReason() {
  if (!fs.existsSync(CHROMIUM)) return `${CHROMIUM} is missing`;
  if (!fs.existsSync(PKG)) return "engine/runtime/wasm/pkg-threads is not built (npm run build:wasm)";
  try {
    require.resolve("playwright-core");
  } catch {
    return "playwright-core is not installed";
  }
  return null;
}

/** `advise`: time the advisor call (bench/run.js, ADV) instead of a rake. */
async function runBrowser(dirs, threadCounts, repeat, log = () => {}, advise = false) {
  const { chromium } = require("playwright-core");
  const server = createBenchServer();
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  const port = server.address().port;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ["--no-sandbox", "--enable-features=SharedArrayBuffer"],
  });
  const results = [];
  try {
    for (const dir of dirs) {
      for (const threads of threadCounts) {
        const page = await browser.newPage();
        page.setDefaultTimeout(0);
        await page.goto(
          `http://127.0.0.1:${port}/bench/index.html?dir=${encodeURIComponent(dir)}&threads=${threads}&repeat=${repeat}${advise ? "&advise=1" : ""}`,
        );
        const r = await page.evaluate(() => window.__rimBenchResult);
        await page.close();
        r.dir = dir;
        r.chromium = browser.version();
        log(r);
        results.push(r);
      }
    }
  } finally {
    await browser.close();
    server.close();
  }
  return results;
}

module.exports = { runBrowser, unavailableReason };

if (require.main === module) {
  const [dir, threads = "1,2", repeat = "3"] = process.argv.slice(2);
  const why = unavailableReason();
  if (why) {
    console.error(`not measured: ${why}`);
    process.exit(1);
  }
  runBrowser([dir], threads.split(",").map(Number), Number(repeat), (r) => console.log(JSON.stringify(r))).catch(
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}

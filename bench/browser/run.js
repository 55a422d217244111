"use strict";
/**
 * Threaded wasm in headless Chromium (Debian's /usr/bin/chromium through playwright-core): one fresh page (and so
 * one fresh rayon pool) per thread count. Used by bench/run.js; prints JSON lines when run on its own:
 *   node bench/browser/run.js <dir under bench/data, e.g. s0.1/B> [threads,...] [repeat]
 */
const fs = require("fs");
const path = require("path");
const { createStaticHandler, listen } = require("../../scripts/static-server");

const CHROMIUM = process.env.RIM_CHROMIUM || "/usr/bin/chromium";
const ROOT = path.resolve(__dirname, "..", "..");
const PKG_DIR = path.join(ROOT, "engine", "runtime", "wasm", "pkg-threads");
const PKG = path.join(PKG_DIR, "rim_engine_bg.wasm");
/**
 * The page, the threaded package and the data, with the add-in's production headers (cross-origin isolated, so
 * SharedArrayBuffer and the rayon pool work). "/pkg-threads/" itself is the glue: wasm-bindgen-rayon's worker
 * helper imports the package folder as '../../..'.
 */
const MOUNTS = [
  { prefix: "/bench/", dir: __dirname },
  { prefix: "/pkg-threads/", dir: PKG_DIR, index: "rim_engine.js" },
  { prefix: "/data/", dir: path.join(ROOT, "bench", "data") },
];

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
  const server = await listen(createStaticHandler({ mounts: MOUNTS }), { port: 0, host: "127.0.0.1" });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // The crash reporter gives wasm the guard-page bounds checks of Chrome and Edge (tests/browser/harness.mjs).
    args: ["--no-sandbox", "--enable-features=SharedArrayBuffer", "--enable-crash-reporter-for-testing"],
  });
  const results = [];
  try {
    for (const dir of dirs) {
      for (const threads of threadCounts) {
        const page = await browser.newPage();
        page.setDefaultTimeout(0);
        await page.goto(
          `${server.url}bench/index.html?dir=${encodeURIComponent(dir)}&threads=${threads}&repeat=${repeat}${advise ? "&advise=1" : ""}`,
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
    await server.close();
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

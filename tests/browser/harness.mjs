// The browser test bed: static servers for dist/ with the production headers (and variants without them),
// Debian's Chromium driven by playwright-core, office.js blocked, and the fake Excel host injected before
// any page script runs. Imports nothing from the add-in's sources at run time except the fake host bundle
// built here from tests/fake-excel (see buildFakeHost).
import { createRequire } from "node:module";
import fs from "node:fs";
import fsp from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const { chromium } = require("playwright-core");
const { createStaticHandler, listen } = require("../../scripts/static-server.js");
const { headersFor } = require("../../scripts/headers.js");

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
/** dist/ (RIM_BROWSER_DIST points elsewhere, e.g. a scratch build while debugging) */
export const DIST = process.env.RIM_BROWSER_DIST ? path.resolve(process.env.RIM_BROWSER_DIST) : path.join(ROOT, "dist");
export const ARTIFACTS = path.join(ROOT, "tests", "artifacts");
export const CACHE = path.join(ROOT, "tests", "browser", ".cache");
export const FAKE_HOST_BUNDLE = path.join(CACHE, "fake-host.js");
export const CHROMIUM = process.env.RIM_CHROMIUM || "/usr/bin/chromium";

/** The machine is small and busy: every wait is generous. */
export const TIMEOUT = Number(process.env.RIM_BROWSER_TIMEOUT_MS || 120_000);

const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

/** The headers that make a document (or worker) cross-origin isolated. */
const ISOLATION_HEADERS = ["document-isolation-policy", "cross-origin-opener-policy", "cross-origin-embedder-policy"];

// ---------------------------------------------------------------------------------------------------------
// Servers

/**
 * A server for dist/ on a free 127.0.0.1 port (scripts/static-server.js, the server `npm run serve` uses).
 *  - isolation "production" (default): the production headers of scripts/headers.js;
 *  - "none": the same files with Document-Isolation-Policy, COOP and COEP removed (a non-isolated page);
 *  - "coop-coep": DIP removed, COOP + COEP kept (the classic pair, to compare with DIP inside a frame).
 * frameAncestors: origins added to the CSP's frame-ancestors (an Office-on-the-web shell stand-in).
 * pages: extra in-memory HTML documents, by path (e.g. "/__harness/outer.html"), served with the same
 * header policy as the variant.
 */
export async function startServer({ root = DIST, isolation = "production", frameAncestors = [], pages = {} } = {}) {
  const headers = (urlPath) => variantHeaders(headersFor(urlPath), { isolation, frameAncestors });
  const files = createStaticHandler({ mounts: [{ prefix: "/", dir: root }], headers });
  const handler = (req, res) => {
    const urlPath = (req.url || "/").split(/[?#]/)[0];
    if (!Object.hasOwn(pages, urlPath)) return files(req, res);
    // A stand-in for Office's own page: it frames the pane from another origin, so the add-in's CSP (ours,
    // for our pages) is left off; the isolation headers follow the variant like any document's.
    const pageHeaders = headers(urlPath);
    delete pageHeaders["Content-Security-Policy"];
    res.writeHead(200, { ...pageHeaders, "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" });
    res.end(pages[urlPath]);
  };
  return { ...(await listen(handler, { port: 0, host: "127.0.0.1" })), root };
}

/** The variant's headers: isolation headers dropped as asked, extra frame ancestors added to the CSP. */
function variantHeaders(headers, { isolation, frameAncestors }) {
  const out = {};
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    const drop =
      (isolation === "none" && ISOLATION_HEADERS.includes(lower)) ||
      (isolation === "coop-coep" && lower === "document-isolation-policy");
    if (drop) continue;
    out[name] =
      lower === "content-security-policy" && frameAncestors.length
        ? value.replace(/frame-ancestors ([^;]*)/, (_, list) => `frame-ancestors ${list} ${frameAncestors.join(" ")}`)
        : value;
  }
  return out;
}

/** The same server addressed as http://localhost:PORT/: a different site from 127.0.0.1 for the browser. */
export function viaLocalhost(url) {
  return url.replace("//127.0.0.1:", "//localhost:");
}

export function assertDistBuilt() {
  for (const f of ["taskpane.html", "playground.html"]) {
    if (!fs.existsSync(path.join(DIST, f)))
      throw new Error(`dist/${f} is missing: build first (npx webpack --mode production)`);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Chromium

/**
 * Launches Debian's Chromium with a fresh profile (playwright-core makes a temporary user-data-dir per
 * launch). extraArgs e.g. ["--js-flags=--noexpose_wasm"] (no WebAssembly).
 */
export async function launchBrowser({ extraArgs = [] } = {}) {
  if (!fs.existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} is missing (tests/browser/run.js installs Debian's chromium)`);
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [...CHROMIUM_ARGS, ...extraArgs],
    timeout: TIMEOUT,
  });
}

/** The office.js stand-in: the fake host is already installed by the init script; this must not touch it. */
const OFFICE_JS_STUB = "/* office.js blocked by tests/browser/harness.mjs: the fake Excel host is installed */\n";

/**
 * A browser context with office.js answered by a stub and (optionally) the fake Excel host installed in
 * every frame before the page's own scripts. fakeHost: { mode: "web" | "desktop", seed?: object } or null.
 * Collects console errors and page errors on context.rimLog.
 */
export async function newContext(browser, { fakeHost = null, viewport = { width: 1400, height: 900 } } = {}) {
  const context = await browser.newContext({ viewport });
  context.setDefaultTimeout(TIMEOUT);
  context.setDefaultNavigationTimeout(TIMEOUT);
  const officeRequests = [];
  await context.route("https://appsforoffice.microsoft.com/**", (route) => {
    officeRequests.push(route.request().url());
    return route.fulfill({ status: 200, contentType: "text/javascript; charset=utf-8", body: OFFICE_JS_STUB });
  });
  // Nothing else leaves the machine: any other non-local request is refused (and recorded).
  const refused = [];
  await context.route(/^https?:\/\/(?!127\.0\.0\.1[:/]|localhost[:/]|appsforoffice\.microsoft\.com\/)/, (route) => {
    refused.push(route.request().url());
    return route.abort();
  });
  if (fakeHost) {
    await context.addInitScript({ content: `globalThis.__rimFakeHostOptions = ${JSON.stringify(fakeHost)};` });
    await context.addInitScript({ path: await buildFakeHost() });
  }
  const log = [];
  context.on("page", (page) => watchPage(page, log));
  context.rimLog = log;
  context.rimOfficeRequests = officeRequests;
  context.rimRefused = refused;
  return context;
}

function watchPage(page, log) {
  page.on("console", (m) => {
    if (m.type() === "error" || m.type() === "warning") log.push(`[console.${m.type()}] ${m.text()}`);
  });
  page.on("pageerror", (e) => log.push(`[pageerror] ${e.message}`));
  page.on("crash", () => log.push("[crash] the page crashed"));
}

/** Messages worth printing when a test fails. */
export function describeLog(context) {
  return context.rimLog.length ? `\nbrowser log:\n  ${context.rimLog.slice(-40).join("\n  ")}` : "";
}

export async function screenshot(page, name) {
  await fsp.mkdir(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, name.endsWith(".png") ? name : `${name}.png`);
  await page.screenshot({ path: file, fullPage: false });
  return file;
}

// ---------------------------------------------------------------------------------------------------------
// The fake Excel host bundle (tests/browser/fake-host-entry.ts → .cache/fake-host.js)

const FAKE_HOST_SOURCES = [
  path.join(ROOT, "tests", "fake-excel"),
  path.join(ROOT, "tests", "playground", "sample.ts"),
  path.join(ROOT, "tests", "browser", "fake-host-entry.ts"),
];

function newestMtime(p) {
  let st;
  try {
    st = fs.statSync(p);
  } catch {
    return 0;
  }
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const entry of fs.readdirSync(p)) newest = Math.max(newest, newestMtime(path.join(p, entry)));
  return newest;
}

let building = null;

/**
 * Bundles the fake Excel host (with the sample survey generator) into one classic script that
 * page.addInitScript can run before any page script, with webpack's Node API (the same webpack and
 * ts-loader as the add-in). Rebuilt when a source is newer than the bundle.
 */
export function buildFakeHost() {
  building ??= (async () => {
    const sourcesTime = Math.max(...FAKE_HOST_SOURCES.map(newestMtime));
    if (fs.existsSync(FAKE_HOST_BUNDLE) && fs.statSync(FAKE_HOST_BUNDLE).mtimeMs >= sourcesTime)
      return FAKE_HOST_BUNDLE;
    const webpack = require("webpack");
    const compiler = webpack({
      mode: "development",
      devtool: false,
      target: "web",
      context: ROOT,
      entry: { "fake-host": "./tests/browser/fake-host-entry.ts" },
      output: { path: CACHE, filename: "[name].js", iife: true, clean: false },
      resolve: { extensions: [".ts", ".tsx", ".js"] },
      module: {
        rules: [
          { test: /\.tsx?$/, exclude: /node_modules/, use: { loader: "ts-loader", options: { transpileOnly: true } } },
        ],
      },
      performance: { hints: false },
      optimization: { splitChunks: false, runtimeChunk: false },
    });
    const stats = await new Promise((resolve, reject) =>
      compiler.run((err, s) => {
        compiler.close(() => undefined);
        return err ? reject(err) : resolve(s);
      }),
    );
    if (stats.hasErrors())
      throw new Error(`building the fake host failed:\n${stats.toString({ all: false, errors: true })}`);
    return FAKE_HOST_BUNDLE;
  })();
  building.catch(() => (building = null));
  return building;
}

// ---------------------------------------------------------------------------------------------------------
// Small helpers

export async function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export function tmpDir(prefix) {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

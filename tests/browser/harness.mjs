// The browser test bed: static servers for dist/ with the production headers (and variants without them),
// Debian's Chromium driven by playwright-core, Microsoft's CDN answered by request routing, and one of two
// Excel host: Microsoft's own client library (@microsoft/office-js) in front of the emulator in tests/host
// (newContext's excelHost; tests/host/README.md says whose code runs where). Imports nothing from the add-in's
// sources at run time except the host bundle built here (buildExcelHost).
import crypto from "node:crypto";
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
export const CHROMIUM = process.env.RIM_CHROMIUM || "/usr/bin/chromium";

/** The machine is small and busy: every wait is generous. */
export const TIMEOUT = Number(process.env.RIM_BROWSER_TIMEOUT_MS || 120_000);

/**
 * `--enable-crash-reporter-for-testing`: Chrome and Edge (WebView2) on x64 catch wasm's out-of-bounds memory
 * accesses with guard pages and a signal handler their crash reporter sets up; Debian's Chromium starts its
 * crash reporter only when asked, and without it V8 compiles a bounds check into every wasm memory access
 * (problem A on one thread: 106 → 70 ms with the switch). With it the engine runs as in Office's browsers.
 * bench/browser/run.js passes the same switch.
 */
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--enable-crash-reporter-for-testing",
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

/** office.js in a context without an Excel host (engine pages only): an empty script, nothing leaves the machine. */
const OFFICE_JS_STUB = "/* office.js blocked by tests/browser/harness.mjs: no Excel host in this context */\n";

/** Microsoft's CDN folder the shipped taskpane.html loads office.js from (and office.js its host scripts). */
export const OFFICE_CDN = "https://appsforoffice.microsoft.com/lib/1/hosted/";
const OFFICE_DIST = path.join(ROOT, "node_modules", "@microsoft", "office-js", "dist");
/** Microsoft's Excel client library per flavour, as office.js would pick it for that host. */
const EXCEL_LIBRARY = { web: "excel-web-16.00.js", desktop: "excel-win32-16.01.js" };
const HOST_SHELL = "rim-test-host.js";

/**
 * The office.js stand-in for the emulator: office.js's bootstrap needs a real Office host around it, so this
 * loader only does what it would do next, in the same way (parser-inserted scripts from the same CDN folder):
 * load Microsoft's Excel library for the host, then our host shell (tests/host/page-entry.ts).
 */
function officeLoader(flavour) {
  const tags = [EXCEL_LIBRARY[flavour], HOST_SHELL]
    .map((f) => `<script src="${OFFICE_CDN}${f}"></` + `script>`)
    .join("");
  return `/* office.js stand-in (tests/browser/harness.mjs) */\ndocument.write(${JSON.stringify(tags)});\n`;
}

/** Records CSP violations of every frame (a report-only listener: the page's policy itself is unchanged). */
const CSP_WATCH = `document.addEventListener("securitypolicyviolation", (e) => {
  console.error("[csp] " + e.violatedDirective + " blocked " + (e.blockedURI || "inline") + " at " + e.sourceFile + ":" + e.lineNumber);
});`;

/**
 * A browser context with office.js answered by a stand-in, and an Excel host or none:
 * excelHost: { flavour: "web" | "desktop", seed?: object, reopen?: object }: Microsoft's own Excel client
 * library (@microsoft/office-js) served from the CDN URL, answered by the emulator in tests/host.
 * Collects console errors, page errors and CSP violations on context.rimLog.
 */
export async function newContext(browser, { excelHost = null, viewport = { width: 1400, height: 900 } } = {}) {
  const context = await browser.newContext({ viewport });
  context.setDefaultTimeout(TIMEOUT);
  context.setDefaultNavigationTimeout(TIMEOUT);
  const officeRequests = [];
  const shell = excelHost ? await fsp.readFile(await buildExcelHost(), "utf8") : null;
  await context.route("https://appsforoffice.microsoft.com/**", async (route) => {
    const url = route.request().url();
    officeRequests.push(url);
    const js = (body) => route.fulfill({ status: 200, contentType: "text/javascript; charset=utf-8", body });
    if (!excelHost) return js(OFFICE_JS_STUB);
    const file = url.startsWith(OFFICE_CDN) ? url.slice(OFFICE_CDN.length).split(/[?#]/)[0] : "";
    if (file === "office.js") return js(officeLoader(excelHost.flavour));
    if (file === HOST_SHELL) return js(shell);
    if (file === EXCEL_LIBRARY[excelHost.flavour]) return js(await fsp.readFile(path.join(OFFICE_DIST, file), "utf8"));
    return route.fulfill({ status: 404, body: "" });
  });
  // Nothing else leaves the machine: any other non-local request is refused (and recorded).
  const refused = [];
  await context.route(/^https?:\/\/(?!127\.0\.0\.1[:/]|localhost[:/]|appsforoffice\.microsoft\.com\/)/, (route) => {
    refused.push(route.request().url());
    return route.abort();
  });
  await context.addInitScript({ content: CSP_WATCH });
  if (excelHost)
    await context.addInitScript({ content: `globalThis.__rimHostOptions = ${JSON.stringify(excelHost)};` });
  const log = [];
  context.on("page", (page) => watchPage(page, log));
  context.rimLog = log;
  context.rimOfficeRequests = officeRequests;
  context.rimRefused = refused;
  return context;
}

/** CSP violations seen so far in this context (each also in rimLog). */
export function cspViolations(context) {
  return context.rimLog.filter((line) => line.includes("[csp] "));
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

/**
 * `error` with `detail` added where the test report shows it. Node's reporter prints the error's stack, and
 * that stack was fixed when the error was made (an AssertionError) or rewritten by Playwright: a detail added
 * to `message` alone never reaches the report. So it goes into both, after the message and before the frames.
 */
export function withDetail(error, detail) {
  if (!detail || !(error instanceof Error)) return error;
  const stack = typeof error.stack === "string" && error.stack ? error.stack : `${error.name}: ${error.message}`;
  const frames = stack.search(/\n\s+at /);
  error.message += detail;
  error.stack = frames < 0 ? `${stack}${detail}` : `${stack.slice(0, frames)}${detail}${stack.slice(frames)}`;
  return error;
}

export async function screenshot(page, name) {
  await fsp.mkdir(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, name.endsWith(".png") ? name : `${name}.png`);
  await page.screenshot({ path: file, fullPage: false });
  return file;
}

// ---------------------------------------------------------------------------------------------------------
// The bundle behind the CDN stand-in: the Excel host emulator (tests/host, behind Microsoft's own client
// library).

const SAMPLE_SOURCE = path.join(ROOT, "playground", "sample.ts");
const BUNDLES = {
  "excel-host": {
    entry: "./tests/host/page-entry.ts",
    sources: [path.join(ROOT, "tests", "fake-excel"), path.join(ROOT, "tests", "host"), SAMPLE_SOURCE],
  },
};

/** Every file under the given paths, sorted (directories walked). */
function listFiles(p) {
  let st;
  try {
    st = fs.statSync(p);
  } catch {
    return [];
  }
  if (!st.isDirectory()) return [p];
  return fs
    .readdirSync(p)
    .sort()
    .flatMap((entry) => listFiles(path.join(p, entry)));
}

/** A digest of the sources' paths and contents: a bundle is current when it was built from the same digest. */
function sourcesDigest(sources) {
  const hash = crypto.createHash("sha256");
  for (const file of sources.flatMap(listFiles)) hash.update(file).update("\0").update(fs.readFileSync(file));
  return hash.digest("hex");
}

const building = new Map();

/**
 * Bundles one of BUNDLES into a classic script (.cache/NAME.js) with webpack's Node API (the same webpack and
 * ts-loader as the add-in). Rebuilt when the sources' contents changed.
 */
function buildBundle(name) {
  if (!building.has(name)) {
    const job = (async () => {
      const file = path.join(CACHE, `${name}.js`);
      const { entry, sources } = BUNDLES[name];
      // By content, not mtime: an edit within the same second as an earlier build must still rebuild.
      const digest = sourcesDigest(sources);
      const digestFile = `${file}.sources`;
      if (fs.existsSync(file) && fs.existsSync(digestFile) && fs.readFileSync(digestFile, "utf8") === digest)
        return file;
      const webpack = require("webpack");
      const compiler = webpack({
        mode: "development",
        devtool: false,
        target: "web",
        context: ROOT,
        entry: { [name]: entry },
        output: { path: CACHE, filename: "[name].js", iife: true, clean: false },
        resolve: { extensions: [".ts", ".tsx", ".js"] },
        module: {
          rules: [
            {
              test: /\.tsx?$/,
              exclude: /node_modules/,
              use: { loader: "ts-loader", options: { transpileOnly: true } },
            },
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
        throw new Error(`building ${name} failed:\n${stats.toString({ all: false, errors: true })}`);
      fs.writeFileSync(digestFile, digest);
      return file;
    })();
    job.catch(() => building.delete(name));
    building.set(name, job);
  }
  return building.get(name);
}

/** The Excel host emulator's page side (tests/host/page-entry.ts). */
export function buildExcelHost() {
  return buildBundle("excel-host");
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

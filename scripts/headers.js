"use strict";
/**
 * HTTP response headers for the add-in, per request path. One source of truth for:
 *   - the webpack dev server (`devServer.headers: devServerHeaders`),
 *   - the production static server (scripts/serve.js),
 *   - tests (tests/server.test.ts), and the README's list for any other host (REQUIRED_HEADER_NAMES).
 *
 * Why these headers (see docs DESIGN.md §3 "Threads in a browser host"):
 * the threaded wasm engine (rayon on wasm-bindgen threads) needs SharedArrayBuffer, i.e. `crossOriginIsolated`.
 *   - Excel on the web runs the add-in in a cross-origin iframe of a page that is NOT isolated. COOP/COEP cannot
 *     isolate such a frame; only `Document-Isolation-Policy` (Chromium >= 137) isolates the document by itself.
 *   - Excel desktop on Windows (WebView2) loads the task pane as a top-level document: classic COOP + COEP work.
 *   - Safari / WKWebView (Excel on Mac) has no `credentialless`, ignores DIP: no threads there; the engine shim
 *     detects that and falls back (single-thread wasm, then TS). Nothing here may break that fallback.
 * So isolation headers go on every document and every script/wasm the engine Worker can load; the CORP/CORS
 * headers go on everything so that Office (another origin) can fetch icons and functions.json, and so that our
 * own resources stay loadable inside an isolated (COEP/DIP) context.
 */

const path = require("path");

/** Where office.js is loaded from (the only third-party script origin). */
const OFFICE_JS_ORIGIN = "https://appsforoffice.microsoft.com";

/**
 * Pages that may frame the task pane in Office on the web. frame-ancestors checks EVERY ancestor (the Excel
 * web-app frame and the top page), so the top-level Microsoft 365 shells are listed too:
 * excel.officeapps.live.com (the Excel frame), *.sharepoint.com (work files), www.office.com / *.office365.com /
 * *.microsoft365.com / *.cloud.microsoft (the Microsoft 365 app shells), onedrive.live.com (consumer files).
 * Desktop hosts load the pane top-level, where frame-ancestors does not apply.
 */
const FRAME_ANCESTORS = [
  "'self'",
  "https://*.officeapps.live.com",
  "https://*.office.com",
  "https://*.office365.com",
  "https://*.sharepoint.com",
  "https://*.microsoft365.com",
  "https://*.cloud.microsoft",
  "https://onedrive.live.com",
];

/** MIME types for what dist/ holds. `.wasm` must be application/wasm or WebAssembly.instantiateStreaming fails. */
const MIME_TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".cjs": "text/javascript; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".wasm": "application/wasm",
  ".css": "text/css; charset=utf-8",
  ".xml": "application/xml; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".md": "text/markdown; charset=utf-8",
  ".png": "image/png",
  ".svg": "image/svg+xml",
  ".ico": "image/x-icon",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".webp": "image/webp",
  ".woff": "font/woff",
  ".woff2": "font/woff2",
  ".ttf": "font/ttf",
};

/** Header names any host serving dist/ must send (listed in the README). Content-Type for .wasm matters too. */
const REQUIRED_HEADER_NAMES = [
  "Document-Isolation-Policy",
  "Cross-Origin-Opener-Policy",
  "Cross-Origin-Embedder-Policy",
  "Cross-Origin-Resource-Policy",
  "Access-Control-Allow-Origin",
  "Content-Security-Policy",
];

/**
 * The Content-Security-Policy. Sent on documents AND on scripts: a dedicated Worker's CSP comes from the
 * worker script's own response, so the engine Worker needs 'wasm-unsafe-eval' in its own header.
 * @param {{dev?: boolean, frameAncestors?: string[]}} [opts]
 */
function contentSecurityPolicy(opts = {}) {
  const scriptSrc = [
    "'self'",
    OFFICE_JS_ORIGIN, // office.js and the host-specific scripts it loads (excel-web-16.00.js, …)
    // Some hosts' office.js loads MicrosoftAjax from this CDN (office-js issue #1005 lists it as required).
    "https://ajax.aspnetcdn.com",
    "'wasm-unsafe-eval'", // compile WebAssembly (the engine) without allowing JS eval
  ];
  // No 'unsafe-eval', not even in dev: webpack.config.js uses devtool "source-map" (an "eval…" devtool or hot
  // module replacement would need it; add it here under opts.dev if that ever changes).
  const directives = [
    ["default-src", ["'self'"]],
    ["script-src", scriptSrc],
    // The engine Worker (self), and rayon's thread workers, which wasm-bindgen may start from blob: URLs.
    ["worker-src", ["'self'", "blob:"]],
    // The engine fetches its .wasm from our origin; nothing else is fetched (no data leaves). office.js's own
    // telemetry (browser.pipe.aria.microsoft.com) is refused on purpose: it fails quietly, Office keeps working.
    ["connect-src", opts.dev ? ["'self'", "wss:", "ws:"] : ["'self'"]], // dev: webpack-dev-server's live-reload socket
    ["img-src", ["'self'", "data:"]],
    // Fluent UI v9 (Griffel) and office.js inject <style> elements at runtime.
    ["style-src", ["'self'", "'unsafe-inline'"]],
    ["font-src", ["'self'", "data:"]],
    ["object-src", ["'none'"]],
    ["base-uri", ["'self'"]],
    ["form-action", ["'self'"]],
    // Only Office web hosts (and ourselves) may frame the pane: clickjacking guard.
    ["frame-ancestors", opts.frameAncestors || FRAME_ANCESTORS],
  ];
  return directives.map(([name, values]) => `${name} ${values.join(" ")}`).join("; ");
}

/** Content type for a path (by extension), application/octet-stream when unknown. */
function contentTypeFor(urlPath) {
  return MIME_TYPES[path.posix.extname(stripQuery(urlPath)).toLowerCase()] || "application/octet-stream";
}

function stripQuery(urlPath) {
  const s = String(urlPath || "/");
  const i = s.search(/[?#]/);
  return i === -1 ? s : s.slice(0, i);
}

/**
 * What kind of resource a request path names.
 *  - "document": the task pane page (taskpane.html, any .html, or a directory → index.html)
 *  - "script":   any .js/.mjs — the engine Worker and rayon's thread workers are webpack chunks with hashed
 *                names, so every script is treated as a possible worker script
 *  - "wasm":     the engine modules
 *  - "static":   everything else (icons, functions.json, manifest.xml, source maps)
 */
function resourceKind(urlPath) {
  const p = stripQuery(urlPath);
  const ext = path.posix.extname(p).toLowerCase();
  if (p.endsWith("/") || ext === ".html" || ext === ".htm") return "document";
  if (ext === ".js" || ext === ".mjs" || ext === ".cjs") return "script";
  if (ext === ".wasm") return "wasm";
  return "static";
}

/** A webpack content hash in the file name (e.g. engine.3f9a1c2b.js, 1a2b3c4d5e6f.wasm) makes it immutable. */
function isContentHashed(urlPath) {
  const base = path.posix.basename(stripQuery(urlPath));
  return /(^|[.-])[0-9a-f]{8,}\.[a-z0-9]+$/i.test(base);
}

/**
 * Cache-Control: entry points Office knows by fixed URL (taskpane.html, functions.js, functions.json, icons,
 * manifest) and unhashed engine files must be revalidated every time, or Excel keeps running a stale mix of old
 * and new files after an update (the servers answer 304 quickly via ETag). Content-hashed files never change.
 */
function cacheControlFor(urlPath, opts = {}) {
  if (opts.dev) return "no-store"; // dev server: always fresh
  if (isContentHashed(urlPath) && resourceKind(urlPath) !== "document") return "public, max-age=31536000, immutable";
  return "no-cache";
}

/**
 * Headers for one request path.
 * @param {string} urlPath request path (query string allowed, ignored)
 * @param {{dev?: boolean, frameAncestors?: string[]}} [opts] dev: webpack dev server (live-reload socket, no cache)
 * @returns {Record<string, string>}
 */
function headersFor(urlPath, opts = {}) {
  const kind = resourceKind(urlPath);
  /** @type {Record<string, string>} */
  const h = {};

  // Everything: Office (on another origin) fetches functions.json and the icons, and our own files must stay
  // loadable from isolated contexts. CORP cross-origin satisfies COEP/DIP's resource check; ACAO * lets
  // Office's cross-origin fetch/XHR read them (public static files, no cookies, so "*" is safe).
  h["Cross-Origin-Resource-Policy"] = "cross-origin";
  h["Access-Control-Allow-Origin"] = "*";
  // Never let a browser guess a type: a sniffed .wasm or .json as script would be a hole.
  h["X-Content-Type-Options"] = "nosniff";

  if (kind === "document" || kind === "script" || kind === "wasm") {
    // Excel on the web (Chromium >= 137): isolates this document although its Office parent page is not
    // isolated; credentialless = cross-origin no-cors loads (office.js) go without cookies instead of needing CORP.
    h["Document-Isolation-Policy"] = "isolate-and-credentialless";
    // Excel desktop on Windows (WebView2, top-level document): classic cross-origin isolation.
    // COOP only acts on top-level documents; COEP credentialless lets office.js load without CORP headers.
    // Sent on scripts too: a dedicated Worker takes its policies from its own script response. Seen in
    // Chromium 156: from a DIP-isolated pane, a worker script served without these headers fails to start;
    // with them the worker (and a blob: worker it spawns, as rayon's threads are) is crossOriginIsolated.
    h["Cross-Origin-Opener-Policy"] = "same-origin";
    h["Cross-Origin-Embedder-Policy"] = "credentialless";
  }
  if (kind === "document" || kind === "script") {
    // Documents and worker scripts each carry their own CSP (a Worker does not inherit the page's).
    h["Content-Security-Policy"] = contentSecurityPolicy(opts);
  }
  h["Content-Type"] =
    kind === "document" && stripQuery(urlPath).endsWith("/") ? MIME_TYPES[".html"] : contentTypeFor(urlPath);
  h["Cache-Control"] = cacheControlFor(urlPath, opts);
  return h;
}

/**
 * For webpack.config.js: `devServer: { headers: devServerHeaders }`. webpack-dev-server (v5) calls a function
 * `headers(req, res, context)` per request. Content-Type is left to the dev server (it knows .wasm too).
 */
function devServerHeaders(req) {
  const h = headersFor((req && (req.originalUrl || req.url)) || "/", { dev: true });
  delete h["Content-Type"];
  return h;
}

module.exports = {
  headersFor,
  devServerHeaders,
  contentSecurityPolicy,
  contentTypeFor,
  resourceKind,
  cacheControlFor,
  isContentHashed,
  REQUIRED_HEADER_NAMES,
  FRAME_ANCESTORS,
  OFFICE_JS_ORIGIN,
  MIME_TYPES,
};

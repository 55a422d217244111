#!/usr/bin/env node
"use strict";
/**
 * Dependency-free static server for the built add-in (dist/), with the isolation/CSP headers of
 * scripts/headers.js. HTTPS by default (Office only loads https add-ins), plain HTTP with --http.
 *
 *   node scripts/serve.js [--port 3000] [--root dist] [--http] [--host localhost]
 *
 * Port: --port, else $PORT, else 3000. Certificates: office-addin-dev-certs' files in ~/.office-addin-dev-certs
 * (localhost.crt, localhost.key, ca.crt); when they are missing, office-addin-dev-certs' getHttpsServerOptions()
 * creates and installs them (as the webpack dev server does); override with RIM_TLS_CERT / RIM_TLS_KEY.
 */

const fs = require("fs");
const fsp = require("fs/promises");
const http = require("http");
const https = require("https");
const os = require("os");
const path = require("path");
const { X509Certificate } = require("crypto");
const { headersFor } = require("./headers");

const DEFAULT_PORT = 3000;
const CERT_DIR = path.join(os.homedir(), ".office-addin-dev-certs");

/** Resolve a URL path inside root; null when it escapes root or is malformed (traversal, NUL, bad escapes). */
function resolveInside(root, urlPath) {
  let decoded;
  try {
    decoded = decodeURIComponent(String(urlPath).split(/[?#]/)[0]);
  } catch {
    return null;
  }
  if (decoded.includes("\0") || decoded.includes("\\")) return null;
  // Refuse any ".." segment outright rather than normalising it away.
  if (decoded.split("/").some((seg) => seg === "..")) return null;
  const rootAbs = path.resolve(root);
  const file = path.resolve(rootAbs, "." + path.posix.normalize("/" + decoded));
  if (file !== rootAbs && !file.startsWith(rootAbs + path.sep)) return null;
  return file;
}

/** Find a regular file for the request (directory → index.html), refusing symlinks that lead out of root. */
async function findFile(root, urlPath) {
  const file = resolveInside(root, urlPath);
  if (!file) return { status: 400 };
  let target = file;
  let st;
  try {
    st = await fsp.stat(target);
    if (st.isDirectory()) {
      target = path.join(target, "index.html");
      st = await fsp.stat(target);
    }
  } catch {
    return { status: 404 };
  }
  if (!st.isFile()) return { status: 404 };
  const [realRoot, realFile] = await Promise.all([fsp.realpath(root), fsp.realpath(target)]);
  if (!realFile.startsWith(realRoot + path.sep)) return { status: 404 };
  return { status: 200, file: target, stat: st };
}

function sendText(res, status, text, extra = {}) {
  const body = Buffer.from(text + "\n", "utf8");
  res.writeHead(status, {
    "Content-Type": "text/plain; charset=utf-8",
    "Content-Length": body.length,
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    ...extra,
  });
  res.end(res.req && res.req.method === "HEAD" ? undefined : body);
}

/** The request handler (exported for tests). */
function makeHandler(root) {
  return async function handle(req, res) {
    try {
      if (req.method === "OPTIONS") {
        // CORS preflight (Office fetching functions.json with custom headers would need it).
        res.writeHead(204, {
          "Access-Control-Allow-Origin": "*",
          "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
          "Access-Control-Allow-Headers": req.headers["access-control-request-headers"] || "*",
          "Access-Control-Max-Age": "600",
        });
        return res.end();
      }
      if (req.method !== "GET" && req.method !== "HEAD") {
        return sendText(res, 405, "Method Not Allowed", { Allow: "GET, HEAD, OPTIONS" });
      }
      const rawPath = (req.url || "/").split(/[?#]/)[0];
      const found = await findFile(root, rawPath);
      if (found.status === 400) return sendText(res, 400, "Bad Request");
      if (found.status !== 200) return sendText(res, 404, "Not Found");

      // Headers are chosen by the served file's name (so "/" gets the document headers of index.html).
      const servedPath = "/" + path.relative(path.resolve(root), found.file).split(path.sep).join("/");
      const headers = headersFor(servedPath);
      const etag = `W/"${found.stat.size.toString(16)}-${Math.floor(found.stat.mtimeMs).toString(16)}"`;
      headers["ETag"] = etag;
      headers["Last-Modified"] = found.stat.mtime.toUTCString();
      if (req.headers["if-none-match"] === etag) {
        delete headers["Content-Type"];
        res.writeHead(304, headers);
        return res.end();
      }
      headers["Content-Length"] = String(found.stat.size);
      res.writeHead(200, headers);
      if (req.method === "HEAD") return res.end();
      const stream = fs.createReadStream(found.file);
      stream.on("error", () => res.destroy());
      stream.pipe(res);
    } catch (err) {
      if (!res.headersSent) sendText(res, 500, "Internal Server Error");
      else res.destroy();
      console.error("[serve]", err && err.message ? err.message : err);
    }
  };
}

/** True when a PEM certificate is past its notAfter date (or unreadable). */
function isExpired(pem) {
  try {
    return Date.parse(new X509Certificate(pem).validTo) <= Date.now();
  } catch {
    return true;
  }
}

/**
 * TLS options: explicit env files; else office-addin-dev-certs' files when present and not expired (read
 * directly: no side effects); else its getHttpsServerOptions(), which (re)creates the certificates and installs
 * the CA in the OS trust store, exactly as the webpack dev server does (it may prompt for a password).
 */
async function loadTlsOptions() {
  const certFile = process.env.RIM_TLS_CERT;
  const keyFile = process.env.RIM_TLS_KEY;
  if (certFile && keyFile) return { cert: fs.readFileSync(certFile), key: fs.readFileSync(keyFile) };
  const files = {
    cert: path.join(CERT_DIR, "localhost.crt"),
    key: path.join(CERT_DIR, "localhost.key"),
    ca: path.join(CERT_DIR, "ca.crt"),
  };
  let devCerts = null;
  try {
    devCerts = require("office-addin-dev-certs");
  } catch {
    devCerts = null;
  }
  const haveFiles = fs.existsSync(files.cert) && fs.existsSync(files.key);
  const cert = haveFiles ? fs.readFileSync(files.cert) : null;
  if (haveFiles && (!isExpired(cert) || !devCerts)) {
    if (isExpired(cert))
      console.warn(`[serve] warning: ${files.cert} has expired; run "npx office-addin-dev-certs install"`);
    return {
      cert,
      key: fs.readFileSync(files.key),
      ...(fs.existsSync(files.ca) ? { ca: fs.readFileSync(files.ca) } : {}),
    };
  }
  if (devCerts && typeof devCerts.getHttpsServerOptions === "function") {
    console.log("[serve] creating/installing localhost dev certificates with office-addin-dev-certs…");
    return devCerts.getHttpsServerOptions();
  }
  throw new Error(
    `no TLS certificate in ${CERT_DIR}: run "npx office-addin-dev-certs install", or set RIM_TLS_CERT/RIM_TLS_KEY, or use --http`,
  );
}

/**
 * Create (and start listening) the static server.
 * @param {{root?: string, https?: boolean, port?: number, host?: string, tls?: object}} [opts]
 *   port 0 picks a free port; tls: explicit {cert, key} (skips certificate lookup).
 * @returns {Promise<{server: import("http").Server, url: string, port: number, close: () => Promise<void>}>}
 */
async function createServer(opts = {}) {
  const root = path.resolve(opts.root || path.join(__dirname, "..", "dist"));
  const useHttps = opts.https !== false;
  const port = opts.port === undefined ? DEFAULT_PORT : Number(opts.port);
  const host = opts.host || "localhost";
  const handler = makeHandler(root);
  const server = useHttps
    ? https.createServer(opts.tls || (await loadTlsOptions()), handler)
    : http.createServer(handler);
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address();
  const actualPort = typeof address === "object" && address ? address.port : port;
  const urlHost = host === "0.0.0.0" || host === "::" ? "localhost" : host.includes(":") ? `[${host}]` : host;
  const url = `${useHttps ? "https" : "http"}://${urlHost}:${actualPort}/`;
  const close = () =>
    new Promise((resolve) => {
      if (typeof server.closeAllConnections === "function") server.closeAllConnections();
      server.close(() => resolve());
    });
  return { server, url, port: actualPort, root, close };
}

function parseArgs(argv) {
  const out = { https: true, port: undefined, root: undefined, host: undefined, help: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [flag, inline] = a.includes("=") ? [a.slice(0, a.indexOf("=")), a.slice(a.indexOf("=") + 1)] : [a, undefined];
    const value = () => (inline !== undefined ? inline : argv[++i]);
    if (flag === "--http") out.https = false;
    else if (flag === "--https") out.https = true;
    else if (flag === "--port" || flag === "-p") out.port = value();
    else if (flag === "--root") out.root = value();
    else if (flag === "--host") out.host = value();
    else if (flag === "--help" || flag === "-h") out.help = true;
    else throw new Error(`unknown argument: ${a}`);
  }
  return out;
}

async function main() {
  let args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error(`serve: ${e.message}`);
    process.exit(2);
  }
  if (args.help) {
    console.log("usage: node scripts/serve.js [--port N] [--root DIR] [--host H] [--http]");
    return;
  }
  const port = Number(args.port !== undefined ? args.port : process.env.PORT || DEFAULT_PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`serve: bad port ${args.port !== undefined ? args.port : process.env.PORT}`);
    process.exit(2);
  }
  const root = path.resolve(args.root || path.join(__dirname, "..", "dist"));
  if (!fs.existsSync(root)) {
    console.error(`serve: ${root} does not exist (run "npm run build" first)`);
    process.exit(1);
  }
  try {
    const { url, close } = await createServer({ root, https: args.https, port, host: args.host });
    console.log(`Serving ${root} at ${url} (taskpane: ${url}taskpane.html)`);
    const stop = () => close().then(() => process.exit(0));
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  } catch (e) {
    console.error(`serve: ${e.message}`);
    process.exit(1);
  }
}

module.exports = { createServer, makeHandler, resolveInside, loadTlsOptions, parseArgs, DEFAULT_PORT, CERT_DIR };

if (require.main === module) main();

#!/usr/bin/env node
"use strict";
/**
 * `npm run serve`: the built add-in (dist/) through scripts/static-server.js, with the headers of
 * scripts/headers.js. HTTPS by default (Office only loads https add-ins), plain HTTP with --http.
 *
 *   node scripts/serve.js [--port 3000] [--root dist] [--http] [--host localhost]
 *
 * Port: --port, else $PORT, else 3000. Certificates: office-addin-dev-certs' files in ~/.office-addin-dev-certs
 * (localhost.crt, localhost.key, ca.crt); when they are missing, office-addin-dev-certs' getHttpsServerOptions()
 * creates and installs them (as the webpack dev server does); override with RIM_TLS_CERT / RIM_TLS_KEY.
 */

const fs = require("fs");
const os = require("os");
const path = require("path");
const { X509Certificate } = require("crypto");
const { createStaticHandler, listen } = require("./static-server");

const DEFAULT_PORT = 3000;
const CERT_DIR = path.join(os.homedir(), ".office-addin-dev-certs");

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
 * Serves root (dist/ by default) with the add-in's headers, over HTTPS unless `https: false`.
 * @param {{root?: string, https?: boolean, port?: number, host?: string, tls?: import("https").ServerOptions}} [opts]
 *   port 0 picks a free port; tls: explicit {cert, key} (skips the certificate lookup).
 */
async function createServer(opts = {}) {
  const root = path.resolve(opts.root || path.join(__dirname, "..", "dist"));
  const tls = opts.https === false ? undefined : opts.tls || (await loadTlsOptions());
  const handler = createStaticHandler({ mounts: [{ prefix: "/", dir: root }] });
  const started = await listen(handler, {
    port: opts.port === undefined ? DEFAULT_PORT : Number(opts.port),
    host: opts.host || "localhost",
    tls,
  });
  return { ...started, root };
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

module.exports = { createServer, loadTlsOptions, parseArgs, DEFAULT_PORT, CERT_DIR };

if (require.main === module) main();

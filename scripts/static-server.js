"use strict";
/**
 * The repository's one static file server: `npm run serve` (scripts/serve.js adds the CLI and TLS), the browser
 * tests (tests/browser/harness.mjs) and the browser bench (bench/browser). serve-static serves the files (path
 * traversal, HEAD, ETag and 304, ranges, MIME types such as application/wasm), finalhandler answers 404/405/500,
 * and every header we add comes from scripts/headers.js (or a variant of it passed in by a test).
 */

const http = require("http");
const https = require("https");
const path = require("path");
const finalhandler = require("finalhandler");
const serveStatic = require("serve-static");
const { headersFor } = require("./headers");

/**
 * @typedef {{ prefix: string, dir: string, index?: string }} Mount
 *   URLs under `prefix` (starting and ending with "/") are files of `dir`; a directory URL serves `index`.
 * @typedef {(urlPath: string) => Record<string, string>} HeaderPolicy  headers for a public URL path
 */

/** The public URL path of a served file, so "/" is judged by the index.html it serves. */
function publicPath(mount, file) {
  return mount.prefix + path.relative(mount.dir, file).split(path.sep).join("/");
}

/** Sets the policy's headers except Content-Type, which the library derives from the file name. */
function applyHeaders(res, headers) {
  for (const [name, value] of Object.entries(headers)) {
    if (name.toLowerCase() !== "content-type") res.setHeader(name, value);
  }
}

/**
 * A request handler serving the mounts (longest prefix first) with the policy's headers.
 * @param {{ mounts: Mount[], headers?: HeaderPolicy }} opts
 * @returns {(req: import("http").IncomingMessage, res: import("http").ServerResponse) => void}
 */
function createStaticHandler({ mounts, headers = headersFor }) {
  const routes = [...mounts]
    .sort((a, b) => b.prefix.length - a.prefix.length)
    .map((mount) => ({
      prefix: mount.prefix,
      // fallthrough false: a missing file is a 404 and a POST a 405, answered by finalhandler below.
      serve: serveStatic(mount.dir, {
        index: mount.index ?? "index.html",
        fallthrough: false,
        setHeaders: (res, file) => applyHeaders(res, headers(publicPath(mount, file))),
      }),
    }));
  return function handle(req, res) {
    const done = finalhandler(req, res);
    const url = req.url || "/";
    const route = routes.find((r) => url.startsWith(r.prefix));
    if (!route) return done();
    // serve-static resolves req.url inside its own root, so the mount's prefix is cut off first; it builds
    // directory redirects from req.originalUrl (the Express convention), which keeps the full path.
    req.originalUrl = url;
    req.url = "/" + url.slice(route.prefix.length);
    route.serve(req, res, (err) => {
      req.url = url;
      done(err);
    });
  };
}

/**
 * Listens with a handler over HTTP, or HTTPS when `tls` ({ cert, key[, ca] }) is given. Port 0 picks a free port.
 * @param {(req: import("http").IncomingMessage, res: import("http").ServerResponse) => void} handler
 * @param {{ port: number, host: string, tls?: import("https").ServerOptions }} opts
 * @returns {Promise<{ server: import("http").Server, url: string, port: number, close: () => Promise<void> }>}
 */
async function listen(handler, { port, host, tls }) {
  const server = tls ? https.createServer(tls, handler) : http.createServer(handler);
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const actualPort = /** @type {import("net").AddressInfo} */ (server.address()).port;
  const urlHost = host === "0.0.0.0" || host === "::" ? "localhost" : host.includes(":") ? `[${host}]` : host;
  const url = `${tls ? "https" : "http"}://${urlHost}:${actualPort}/`;
  const close = () =>
    new Promise((resolve) => {
      // Browsers keep connections alive; without this, close() would wait for them to time out.
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return { server, url, port: actualPort, close };
}

module.exports = { createStaticHandler, listen };

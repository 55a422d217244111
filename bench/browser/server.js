"use strict";
/**
 * A tiny static server for the threaded-wasm browser bench, cross-origin isolated (COOP same-origin + COEP
 * require-corp, as scripts/headers.js sets for the add-in) so that SharedArrayBuffer and the rayon pool work.
 *   /bench/…        bench/browser/…
 *   /pkg-threads/…  engine/runtime/wasm/pkg-threads/… ("/pkg-threads/" itself is the glue: wasm-bindgen-rayon's worker
 *                   helper imports the package folder as '../../..')
 *   /data/…         bench/data/…
 */
const fs = require("fs");
const http = require("http");
const path = require("path");

const ROOT = path.resolve(__dirname, "..", "..");
const MOUNTS = [
  ["/bench/", path.join(ROOT, "bench", "browser")],
  ["/pkg-threads/", path.join(ROOT, "engine", "runtime", "wasm", "pkg-threads")],
  ["/data/", path.join(ROOT, "bench", "data")],
];
const TYPES = {
  ".js": "text/javascript",
  ".mjs": "text/javascript",
  ".html": "text/html",
  ".wasm": "application/wasm",
  ".json": "application/json",
};

function resolve(urlPath) {
  if (urlPath === "/pkg-threads/") urlPath = "/pkg-threads/rim_engine.js";
  for (const [prefix, dir] of MOUNTS) {
    if (!urlPath.startsWith(prefix)) continue;
    const rel = decodeURIComponent(urlPath.slice(prefix.length));
    if (rel.split("/").some((s) => s === "..")) return null;
    const file = path.join(dir, rel);
    return file.startsWith(dir) ? file : null;
  }
  return null;
}

function createBenchServer() {
  return http.createServer((req, res) => {
    const file = resolve((req.url || "/").split("?")[0]);
    if (!file || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404, { "Content-Type": "text/plain" });
      return res.end("not found");
    }
    res.writeHead(200, {
      "Content-Type": TYPES[path.extname(file)] || "application/octet-stream",
      "Cross-Origin-Opener-Policy": "same-origin",
      "Cross-Origin-Embedder-Policy": "require-corp",
      "Cross-Origin-Resource-Policy": "same-origin",
      "Cache-Control": "no-store",
    });
    fs.createReadStream(file).pipe(res);
  });
}

module.exports = { createBenchServer };

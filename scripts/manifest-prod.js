#!/usr/bin/env node
"use strict";
/**
 * Production manifest: rewrites every https://localhost:3000 URL in manifest.xml to $RIM_BASE_URL.
 *
 *   RIM_BASE_URL=https://addin.example.com/rim node scripts/manifest-prod.js [manifest.xml] dist/manifest.xml
 *
 * Without RIM_BASE_URL the manifest is copied unchanged, with a warning (a localhost manifest is only good for
 * sideloading on the developer's own machine). For webpack (CopyWebpackPlugin `transform`):
 *   transform: (content) => require("./scripts/manifest-prod").transformManifest(content)
 */

const fs = require("fs");
const path = require("path");

const DEV_ORIGIN = "https://localhost:3000";

/**
 * Validate and normalise a base URL: https only, no query/fragment/credentials, no trailing slash
 * (a path prefix such as https://host/rim is allowed).
 * @param {string} raw
 * @returns {string}
 */
function normalizeBaseUrl(raw) {
  const text = String(raw || "").trim();
  let url;
  try {
    url = new URL(text);
  } catch {
    throw new Error(`RIM_BASE_URL is not a URL: "${text}"`);
  }
  if (url.protocol !== "https:")
    throw new Error(`RIM_BASE_URL must be https (Office loads only https add-ins): "${text}"`);
  if (url.username || url.password) throw new Error(`RIM_BASE_URL must not contain credentials: "${text}"`);
  if (url.search || url.hash || /[?#]/.test(text))
    throw new Error(`RIM_BASE_URL must not have a query or fragment: "${text}"`);
  const pathname = url.pathname.replace(/\/+$/, "");
  return `${url.origin}${pathname}`;
}

/**
 * Rewrite the dev origin to baseUrl. Only whole-origin matches are replaced (https://localhost:3000 followed by
 * "/", a quote, "<" or whitespace), so e.g. https://localhost:30001 is left alone.
 * @param {string} xml
 * @param {string} baseUrl already-normalised base URL (no trailing slash)
 */
function rewriteManifest(xml, baseUrl) {
  const base = normalizeBaseUrl(baseUrl);
  const re = /https:\/\/localhost:3000(?=[/"'<\s]|$)/g;
  const out = xml.replace(re, base);
  const left = out.match(/https?:\/\/localhost(?::\d+)?/g);
  if (left) throw new Error(`manifest still names ${left[0]} after rewriting to ${base}`);
  return out;
}

/**
 * Transform used by the build: returns the rewritten manifest, or the unchanged one (with a warning) when
 * env.RIM_BASE_URL is unset.
 * @param {string|Buffer} content
 * @param {NodeJS.ProcessEnv} [env]
 * @param {(msg: string) => void} [warn]
 */
function transformManifest(content, env = process.env, warn = (m) => console.warn(m)) {
  const xml = Buffer.isBuffer(content) ? content.toString("utf8") : String(content);
  const base = env.RIM_BASE_URL;
  if (!base || !base.trim()) {
    warn(
      `warning: RIM_BASE_URL is not set; the manifest keeps its ${DEV_ORIGIN} URLs (fine for local sideloading only)`,
    );
    return xml;
  }
  return rewriteManifest(xml, base);
}

/**
 * Read input, transform, write output (creating its folder).
 * @returns {{output: string, rewritten: boolean}}
 */
function writeProdManifest(input, output, env = process.env, warn) {
  const xml = fs.readFileSync(input, "utf8");
  const result = transformManifest(xml, env, warn);
  fs.mkdirSync(path.dirname(path.resolve(output)), { recursive: true });
  fs.writeFileSync(output, result);
  return { output, rewritten: result !== xml };
}

function main(argv) {
  const args = argv.filter((a) => a !== "--");
  if (args.length < 1 || args.length > 2 || args.includes("--help") || args.includes("-h")) {
    console.error("usage: [RIM_BASE_URL=https://host/path] node scripts/manifest-prod.js [input.xml] output.xml");
    return 2;
  }
  const input = args.length === 2 ? args[0] : path.join(__dirname, "..", "manifest.xml");
  const output = args[args.length - 1];
  try {
    const { rewritten } = writeProdManifest(input, output);
    console.log(
      `${output}: ${rewritten ? `URLs rewritten to ${normalizeBaseUrl(process.env.RIM_BASE_URL)}` : "copied unchanged"}`,
    );
    return 0;
  } catch (e) {
    console.error(`manifest-prod: ${e.message}`);
    return 1;
  }
}

module.exports = { normalizeBaseUrl, rewriteManifest, transformManifest, writeProdManifest, DEV_ORIGIN };

if (require.main === module) process.exitCode = main(process.argv.slice(2));

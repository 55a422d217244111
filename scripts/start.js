#!/usr/bin/env node
"use strict";
/**
 * `npm start` (after the build): sideload the add-in into Excel desktop where Excel can run (Windows, macOS):
 *   office-addin-debugging start manifest.xml [args…]      (args are passed through, e.g. `npm start -- web`)
 * Elsewhere (Linux, CI) Excel cannot be launched: say so in one line and run `npm run playground` instead.
 * `--playground` forces the playground on any OS.
 */

const { spawn } = require("child_process");
const fs = require("fs");
const path = require("path");

const ROOT = path.join(__dirname, "..");

/** "desktop" when Excel can be launched on this platform, else "playground". */
function chooseMode(platform = process.platform, args = []) {
  if (args.includes("--playground")) return "playground";
  return platform === "win32" || platform === "darwin" ? "desktop" : "playground";
}

/** Command to run for a mode: [executable, argv]. The local office-addin-debugging bin runs under this node. */
function commandFor(mode, args = [], platform = process.platform) {
  const rest = args.filter((a) => a !== "--playground");
  if (mode === "desktop") {
    const bin = resolveBin("office-addin-debugging");
    const argv = ["start", "manifest.xml", ...rest];
    return bin
      ? [process.execPath, [bin, ...argv]]
      : [platform === "win32" ? "npx.cmd" : "npx", ["--no-install", "office-addin-debugging", ...argv]];
  }
  const npm = platform === "win32" ? "npm.cmd" : "npm";
  return [npm, ["run", "playground", ...(rest.length ? ["--", ...rest] : [])]];
}

/** Path of a package's (first) bin script in node_modules, or null. */
function resolveBin(pkg) {
  try {
    const pkgJson = require.resolve(`${pkg}/package.json`, { paths: [ROOT] });
    const { bin } = JSON.parse(fs.readFileSync(pkgJson, "utf8"));
    const rel = typeof bin === "string" ? bin : bin && (bin[pkg] || Object.values(bin)[0]);
    return rel ? path.join(path.dirname(pkgJson), rel) : null;
  } catch {
    return null;
  }
}

function run(cmd, argv) {
  const child = spawn(cmd, argv, {
    cwd: ROOT,
    stdio: "inherit",
    shell: process.platform === "win32" && !cmd.endsWith(".exe") && cmd !== process.execPath,
  });
  const forward = (sig) => () => child.kill(sig);
  process.on("SIGINT", forward("SIGINT"));
  process.on("SIGTERM", forward("SIGTERM"));
  child.on("error", (e) => {
    console.error(`start: could not run ${cmd}: ${e.message}`);
    process.exit(1);
  });
  child.on("exit", (code, signal) => process.exit(code === null ? (signal ? 1 : 0) : code));
}

function main(args) {
  const mode = chooseMode(process.platform, args);
  if (mode === "playground") {
    const why = args.includes("--playground")
      ? "--playground given"
      : `Excel cannot be launched on ${process.platform}`;
    console.log(`${why}: serving the playground instead (npm run playground) at http://localhost:3000/playground.html`);
  }
  const [cmd, argv] = commandFor(mode, args);
  run(cmd, argv);
}

module.exports = { chooseMode, commandFor, resolveBin };

if (require.main === module) main(process.argv.slice(2));

#!/usr/bin/env node
"use strict";
/**
 * The browser tests' runner (`npm run test:browser`, scripts/test.sh), after the production build: makes sure
 * Debian's Chromium is there (installs it with apt-get when /usr/bin/chromium is missing; never
 * `npx playwright install`), builds the Excel host emulator's bundle, then runs tests/browser/*.test.mjs with Node's
 * built-in test runner, one file at a time. Exits with the test runner's status.
 *
 *   node tests/browser/run.js [file.test.mjs ...]     (default: every tests/browser/*.test.mjs)
 */

const { spawnSync } = require("child_process");
const fs = require("fs");
const path = require("path");

const ROOT = path.resolve(__dirname, "..", "..");
const CHROMIUM = process.env.RIM_CHROMIUM || "/usr/bin/chromium";

function ensureChromium() {
  if (fs.existsSync(CHROMIUM)) return;
  if (CHROMIUM !== "/usr/bin/chromium") throw new Error(`RIM_CHROMIUM=${CHROMIUM} does not exist`);
  console.log("test:browser: /usr/bin/chromium is missing; installing Debian's chromium: apt-get install -y chromium");
  const sudo = process.getuid && process.getuid() !== 0 ? ["sudo"] : [];
  const run = (args) => {
    console.log(`test:browser: ${[...sudo, ...args].join(" ")}`);
    const r = spawnSync(sudo.length ? "sudo" : args[0], sudo.length ? args : args.slice(1), {
      stdio: "inherit",
      env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
    });
    return r.status === 0;
  };
  if (!run(["apt-get", "install", "-y", "chromium"])) {
    if (!run(["apt-get", "update"]) || !run(["apt-get", "install", "-y", "chromium"])) {
      throw new Error("apt-get install -y chromium failed");
    }
  }
  if (!fs.existsSync(CHROMIUM)) throw new Error("chromium was installed but /usr/bin/chromium is still missing");
  const version = spawnSync(CHROMIUM, ["--version"], { encoding: "utf8" });
  console.log(`test:browser: installed ${(version.stdout || "").trim() || "chromium"}`);
}

function testFiles(argv) {
  if (argv.length) return argv.map((f) => path.resolve(f));
  const dir = __dirname;
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".test.mjs"))
    .sort()
    .map((f) => path.join(dir, f));
}

async function main() {
  for (const f of ["taskpane.html", "playground.html"]) {
    if (!fs.existsSync(path.join(ROOT, "dist", f))) {
      console.error(`test:browser: dist/${f} is missing; build first: npx webpack --mode production`);
      process.exit(1);
    }
  }
  ensureChromium();
  console.log("test:browser: building the Excel host emulator's bundle (tests/browser/.cache/excel-host.js)");
  const { buildExcelHost } = await import("./harness.mjs");
  await buildExcelHost();

  const files = testFiles(process.argv.slice(2));
  console.log(`test:browser: ${files.map((f) => path.relative(ROOT, f)).join(", ")}`);
  // Node 20 expands no globs in `--test`: the files are listed. Concurrency 1: one Chromium at a time on a
  // small machine. The spec reporter ends with the totals (tests, pass, fail, duration).
  // A test that hangs (a page promise that never settles) fails after this instead of blocking the run.
  const testTimeout = Number(process.env.RIM_BROWSER_TEST_TIMEOUT_MS || 600_000);
  const args = ["--test", "--test-concurrency=1", "--test-reporter=spec", `--test-timeout=${testTimeout}`, ...files];
  const r = spawnSync(process.execPath, args, {
    cwd: ROOT,
    stdio: "inherit",
    env: process.env,
  });
  if (r.error) throw r.error;
  const code = r.status === null ? 1 : r.status;
  console.log(`test:browser: ${code === 0 ? "passed" : `FAILED (exit ${r.status ?? r.signal})`}`);
  process.exit(code);
}

main().catch((e) => {
  console.error(`test:browser: ${e && e.stack ? e.stack : e}`);
  process.exit(1);
});

"use strict";
/**
 * One backend in its own Node process (so that peak memory is its own): `wasm` (engine/runtime/wasm/pkg-node, the
 * single-threaded build) or `ts` (engine/rim.ts), both loaded through engine/node.ts's loadNodeBackend.
 * Prints one JSON object on stdout. Used by bench/run.js.
 *
 *   node bench/node-backend.js --backend wasm|ts --dir bench/data/s1/A [--repeat 3] [--weights out.f64]
 */
require("tsx/cjs");
const fs = require("fs");
const { loadProblem } = require("./gen.js");

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

/** The floor in JS: one sequential pass summing the weights per category of every variable. */
function floorPass(problem, w, sums) {
  let checksum = 0;
  for (let v = 0; v < problem.variables.length; v++) {
    const codes = problem.variables[v].codes;
    const s = sums[v];
    s.fill(0);
    for (let i = 0; i < codes.length; i++) s[codes[i]] += w[i];
    for (let c = 0; c < s.length; c++) checksum += s[c];
  }
  return checksum;
}

/** Runs before the timed ones (their times reported as warmupMs), as in bench/browser/worker.js. */
const WARMUP_RUNS = 2;

async function main() {
  const backendName = arg("backend", "wasm");
  const repeat = Number(arg("repeat", "3"));
  const { problem, options } = loadProblem(arg("dir"));
  const { loadNodeBackend } = require("../engine/runtime/node.ts");
  const t0 = performance.now();
  const backend = await loadNodeBackend(backendName);
  const loadBackendMs = performance.now() - t0;
  if (backend.name !== backendName) throw new Error(`asked for ${backendName}, got ${backend.name}`);
  const rssLoaded = process.memoryUsage().rss;

  const w = problem.baseWeights ? problem.baseWeights.slice() : new Float64Array(problem.n).fill(1);
  const sums = problem.variables.map((v) => new Float64Array(v.categories.length));
  const floorTimes = [];
  let checksum = 0;
  for (let k = 0; k < Math.max(5, repeat * 3); k++) {
    const t = performance.now();
    checksum += floorPass(problem, w, sums);
    floorTimes.push(performance.now() - t);
  }

  const times = [];
  let result = null;
  let peakSampled = 0;
  const warmupMs = [];
  for (let k = -WARMUP_RUNS; k < repeat; k++) {
    result = null;
    const t = performance.now();
    result = backend.rake(problem, options);
    (k < 0 ? warmupMs : times).push(performance.now() - t);
    peakSampled = Math.max(peakSampled, process.memoryUsage().rss);
  }
  const out = arg("weights");
  if (out)
    fs.writeFileSync(out, Buffer.from(result.weights.buffer, result.weights.byteOffset, result.weights.byteLength));
  const sorted = (a) => [...a].sort((x, y) => x - y);
  const ts = sorted(times);
  const fs_ = sorted(floorTimes);
  const mem = process.memoryUsage();
  console.log(
    JSON.stringify({
      backend: backend.name,
      threads: backend.threads,
      n: problem.n,
      repeat,
      bestMs: ts[0],
      medianMs: ts[Math.floor(ts.length / 2)],
      timesMs: times,
      warmupMs,
      floorMs: fs_[0],
      floorMedianMs: fs_[Math.floor(fs_.length / 2)],
      loadBackendMs,
      status: result.status,
      iterations: result.iterations,
      maxResidual: result.maxResidual,
      cellPath: result.cellPath,
      cells: result.cells,
      atCapMin: result.summary.atCapMin,
      atCapMax: result.summary.atCapMax,
      peakRssKiB: process.resourceUsage().maxRSS,
      loadedRssKiB: Math.round(rssLoaded / 1024),
      heapUsedKiB: Math.round(mem.heapUsed / 1024),
      externalKiB: Math.round(mem.external / 1024),
      checksum,
    }),
  );
}

main().catch((e) => {
  console.error(e && e.stack ? e.stack : String(e));
  process.exit(1);
});

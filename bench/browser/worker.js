// The threaded wasm build, driven as engine/runtime/wasm-adapter.ts does (copy in, rake, copy the weights out, parse
// the JSON report), timed around that whole call; with `advise`, the advisor call instead. Loaded by index.html.
import init, { initThreadPool, WasmProblem, thread_count } from "/pkg-threads/rim_engine.js";

async function fetchBytes(url) {
  const r = await fetch(url);
  if (!r.ok) throw new Error(`${url}: ${r.status}`);
  return new Uint8Array(await r.arrayBuffer());
}

/**
 * Unmeasured runs first (reported as warmupMs): V8 runs each wasm function in its baseline tier until the optimising
 * compile, started in the background once the function is hot, is done; a function called once per rake (a long
 * loop) gets the optimised code from its next call on. Native code has no such start, so the rows compare runs after it.
 */
const WARMUP_RUNS = 2;

/** The advisor row's caps: 8 of them, with the 8 leave-one-out runs of problem A (bench/run.js, ADV). */
const ADVISOR_CAPS = [1.25, 1.5, 2, 2.5, 3, 4, 5, 8];

async function run({ dir, threads, repeat, advise }) {
  const t0 = performance.now();
  const wasm = await init();
  await initThreadPool(threads);
  const initMs = performance.now() - t0;
  const meta = await (await fetch(`/data/${dir}/meta.json`)).json();
  const codes = await fetchBytes(`/data/${dir}/codes.u8`);
  const n = meta.n;
  const base = meta.hasBase ? new Float64Array((await fetchBytes(`/data/${dir}/base.f64`)).buffer) : null;
  const times = [];
  const warmupMs = [];
  let report = null;
  let weights = null;
  let advice = null;
  for (let k = -WARMUP_RUNS; k < repeat; k++) {
    const t = performance.now();
    const p = new WasmProblem(n);
    meta.categories.forEach((kc, v) => {
      p.add_variable_u8(
        codes.subarray(v * n, (v + 1) * n),
        kc,
        Float64Array.from(meta.targets ? meta.targets[v] : meta.targetsByGroup[v][0]),
      );
    });
    if (meta.targetsByGroup)
      meta.targetsByGroup.forEach((byGroup, v) =>
        byGroup.forEach((t_, g) => p.set_variable_group_targets(v, g, Float64Array.from(t_))),
      );
    if (base) p.set_base_weights(base);
    if (meta.nGroups > 1)
      p.set_group_u8(
        codes.subarray(meta.categories.length * n, (meta.categories.length + 1) * n),
        meta.nGroups,
        Float64Array.from(meta.shares),
      );
    if (advise) {
      // The advisor (engine-rs/src/advise.rs) in one call with one argument object, as wasm-adapter.ts does.
      advice = p.advise(
        {
          tolerance: meta.tolerance,
          maxIterations: meta.maxIterations,
          excludeMissing: false,
          capMin: meta.caps ? meta.caps.min : undefined,
          capMax: meta.caps ? meta.caps.max : undefined,
          caps: Array.from(ADVISOR_CAPS),
        },
        () => {},
      );
      p.free();
      (k < 0 ? warmupMs : times).push(performance.now() - t);
      continue;
    }
    const r = p.rake(
      meta.tolerance,
      meta.maxIterations,
      false,
      meta.caps ? meta.caps.min : undefined,
      meta.caps ? meta.caps.max : undefined,
      undefined,
    );
    p.free();
    report = r.report();
    weights = r.into_weights(); // consumes r
    (k < 0 ? warmupMs : times).push(performance.now() - t);
  }
  const sorted = [...times].sort((a, b) => a - b);
  if (advise) {
    return {
      backend: "wasm-threads",
      mode: "advise",
      threads: thread_count(),
      requestedThreads: threads,
      crossOriginIsolated: self.crossOriginIsolated,
      n,
      repeat,
      bestMs: sorted[0],
      medianMs: sorted[Math.floor(sorted.length / 2)],
      timesMs: times,
      warmupMs,
      runs: advice.runs,
      caps: ADVISOR_CAPS,
      leaveOneOut: advice.leaveOneOut.length,
      uncappedEfficiencyPct: advice.sweep[0].efficiencyPct,
      statuses: advice.sweep.map((r) => r.status),
    };
  }
  let sum = 0;
  for (let i = 0; i < weights.length; i++) sum += weights[i];
  return {
    backend: "wasm-threads",
    threads: thread_count(),
    requestedThreads: threads,
    hardwareConcurrency: navigator.hardwareConcurrency,
    crossOriginIsolated: self.crossOriginIsolated,
    n,
    repeat,
    bestMs: sorted[0],
    medianMs: sorted[Math.floor(sorted.length / 2)],
    timesMs: times,
    warmupMs,
    initMs,
    status: report.status,
    iterations: report.iterations,
    maxResidual: report.maxResidual,
    cellPath: report.cellPath,
    cells: report.cells,
    weightSum: sum,
    wasmMemoryBytes: wasm.memory ? wasm.memory.buffer.byteLength : null,
  };
}

self.onmessage = (e) => {
  run(e.data).then(
    (r) => self.postMessage(r),
    (err) => self.postMessage({ error: String(err && err.stack ? err.stack : err) }),
  );
};

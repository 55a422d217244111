#!/usr/bin/env node
"use strict";
/**
 * `npm run bench`: the engine benchmarks. Prints a table, writes bench/results/bench-s<scale>.json and
 * bench/results/README-performance.md.
 *
 *   node bench/run.js [--scale 1] [--repeat 3] [--only A,B,C] [--no-peers] [--no-browser] [--no-native]
 *                     [--peer-timeout 1200] [--peers survey,weightipy,ipfn]
 *   node bench/run.js --report bench/results/bench-s1.json    (re-render a saved run's table and README text)
 *
 * Problems (bench/gen.js, seeded, written once under bench/data/s<scale>/): A 1M × 8 variables, no caps;
 * B = A's sample with caps 0.3–3 and varying base weights (respondent path); C 20 groups × 50k with per-group
 * targets and shares. Backends: native Rust (engine-rs/examples/bench.rs, release, 1 thread and all cores),
 * single wasm in Node, TS in Node, threaded wasm in headless Chromium (1, 2, all threads). The floor: one
 * sequential pass reading every code and the weights, in Rust and in JS. Peers (A only, installed by
 * bench/setup.sh): R survey::rake, weightipy, ipfn.
 */
const { spawnSync, spawn } = require("child_process");
const fs = require("fs");
const os = require("os");
const path = require("path");
const { ensureProblem, loadProblem } = require("./gen");

const ROOT = path.resolve(__dirname, "..");
const DATA = path.join(__dirname, "data");
const RESULTS = path.join(__dirname, "results");
const TARGET_DIR = path.join(__dirname, ".target");
const NATIVE_BIN = path.join(TARGET_DIR, "release", "examples", "bench");
const VENV_PY = path.join(__dirname, ".venv", "bin", "python");

function parseArgs(argv) {
  const a = { scale: 1, repeat: 3, only: ["A", "B", "C"], peers: ["survey", "weightipy", "ipfn"], browser: true, native: true, peerTimeout: 1200 };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    const next = () => argv[++i];
    if (k === "--scale") a.scale = Number(next());
    else if (k === "--repeat") a.repeat = Number(next());
    else if (k === "--only") a.only = next().split(",");
    else if (k === "--peers") a.peers = next().split(",").filter(Boolean);
    else if (k === "--no-peers") a.peers = [];
    else if (k === "--no-browser") a.browser = false;
    else if (k === "--no-native") a.native = false;
    else if (k === "--peer-timeout") a.peerTimeout = Number(next());
    else if (k === "--report") a.report = next();
    else throw new Error(`unknown argument ${k}`);
  }
  if (!(a.scale > 0)) throw new Error("--scale must be > 0");
  return a;
}

const log = (...m) => console.error("[bench]", ...m);

/** Runs a command; resolves with { code, stdout, stderr, ms, timedOut }. */
function run(cmd, args, { env = {}, timeoutS = 0, cwd = ROOT } = {}) {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const child = spawn(cmd, args, { cwd, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = timeoutS > 0 ? setTimeout(() => ((timedOut = true), child.kill("SIGKILL")), timeoutS * 1000) : null;
    child.on("error", (e) => {
      if (timer) clearTimeout(timer);
      resolve({ code: -1, stdout, stderr: stderr + String(e), ms: Date.now() - t0, timedOut });
    });
    child.on("close", (code) => {
      if (timer) clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: Date.now() - t0, timedOut });
    });
  });
}

/** The last line of stdout that parses as a JSON object (peers may print chatter before it). */
function lastJson(stdout) {
  const lines = stdout.trim().split("\n").reverse();
  for (const l of lines) {
    if (!l.trim().startsWith("{")) continue;
    try {
      return JSON.parse(l);
    } catch {
      /* keep looking */
    }
  }
  return null;
}

function tail(s, n = 600) {
  s = String(s || "").trim();
  return s.length > n ? "…" + s.slice(-n) : s;
}

function version(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: "utf8" });
  return r.status === 0 ? (r.stdout || r.stderr).trim().split("\n")[0] : null;
}

function machine() {
  const cpus = os.cpus();
  let memTotal = os.totalmem();
  return {
    cpu: cpus[0] ? cpus[0].model.replace(/\s+/g, " ").trim() : "unknown",
    cores: cpus.length,
    memoryGiB: Math.round((memTotal / 2 ** 30) * 10) / 10,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    rustc: version("rustc", ["--version"]),
    chromium: version(process.env.RIM_CHROMIUM || "/usr/bin/chromium", ["--version"]),
    r: version("Rscript", ["--version"]),
    python: fs.existsSync(VENV_PY) ? version(VENV_PY, ["--version"]) : null,
    loadAverage: os.loadavg().map((x) => Math.round(x * 100) / 100),
  };
}

// ---------------------------------------------------------------------------------------------------------
// Weights: residual on the margins and differences between backends/peers.

function readF64(file) {
  const b = fs.readFileSync(file);
  return new Float64Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
}

/** Max |achieved − target| over all categories (per group when grouped), in proportions. */
function marginResidual(problem, weights) {
  const G = problem.group ? problem.group.labels.length : 1;
  const gc = problem.group ? problem.group.codes : null;
  let worst = 0;
  problem.variables.forEach((v) => {
    const k = v.categories.length;
    const sums = new Float64Array(G * k);
    const tot = new Float64Array(G);
    for (let i = 0; i < weights.length; i++) {
      const g = gc ? gc[i] : 0;
      sums[g * k + v.codes[i]] += weights[i];
      tot[g] += weights[i];
    }
    for (let g = 0; g < G; g++) {
      const t = (v.targetsByGroup && v.targetsByGroup[g]) || v.targets;
      for (let c = 0; c < k; c++) worst = Math.max(worst, Math.abs(sums[g * k + c] / tot[g] - t[c]));
    }
  });
  return worst;
}

/** Max |a_i − b_i| after scaling b to a's total. */
function maxWeightDiff(a, b) {
  if (a.length !== b.length) return NaN;
  let sa = 0;
  let sb = 0;
  for (let i = 0; i < a.length; i++) {
    sa += a[i];
    sb += b[i];
  }
  const s = sa / sb;
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i] * s));
  return d;
}

// ---------------------------------------------------------------------------------------------------------
// Backends

async function buildNative() {
  log("building engine-rs/examples/bench.rs (release)…");
  const r = await run("cargo", ["build", "--release", "--example", "bench", "--manifest-path", "engine-rs/Cargo.toml"], {
    env: { CARGO_TARGET_DIR: TARGET_DIR },
  });
  if (r.code !== 0) return `cargo build failed: ${tail(r.stderr)}`;
  return null;
}

async function native(dir, threads, repeat, weightsOut) {
  const args = [dir, "--repeat", String(repeat)];
  if (weightsOut) args.push("--weights", weightsOut);
  const r = await run(NATIVE_BIN, args, { env: { RAYON_NUM_THREADS: String(threads) } });
  const j = lastJson(r.stdout);
  if (r.code !== 0 || !j) return { error: `native bench failed (${r.code}): ${tail(r.stderr)}` };
  return j;
}

async function nodeBackend(backend, dir, repeat, weightsOut) {
  const args = [path.join(__dirname, "node-backend.js"), "--backend", backend, "--dir", dir, "--repeat", String(repeat)];
  if (weightsOut) args.push("--weights", weightsOut);
  const r = await run(process.execPath, ["--max-old-space-size=8192", ...args]);
  const j = lastJson(r.stdout);
  if (r.code !== 0 || !j) return { error: `${backend} in Node failed (${r.code}): ${tail(r.stderr)}` };
  return j;
}

// ---------------------------------------------------------------------------------------------------------
// Peers

const PEERS = {
  survey: { label: "R survey::rake", check: () => (spawnSync("Rscript", ["-e", "suppressMessages(library(survey))"]).status === 0 ? null : "Rscript with the survey package is not installed (bash bench/setup.sh)"), cmd: (dir, out) => ["Rscript", [path.join(__dirname, "peers", "survey.R"), dir, out]] },
  weightipy: { label: "weightipy", check: () => pyCheck("weightipy"), cmd: (dir, out) => [VENV_PY, [path.join(__dirname, "peers", "weightipy_peer.py"), dir, out]] },
  ipfn: { label: "ipfn", check: () => pyCheck("ipfn"), cmd: (dir, out) => [VENV_PY, [path.join(__dirname, "peers", "ipfn_peer.py"), dir, out]] },
};

function pyCheck(mod) {
  if (!fs.existsSync(VENV_PY)) return "bench/.venv is missing (bash bench/setup.sh)";
  return spawnSync(VENV_PY, ["-c", `import ${mod}`]).status === 0 ? null : `python package ${mod} is not installed in bench/.venv (bash bench/setup.sh)`;
}

async function peer(name, dir, problem, ours, timeoutS) {
  const p = PEERS[name];
  const why = p.check();
  if (why) return { peer: p.label, unavailable: why };
  const out = path.join(dir, `peer-${name}.f64`);
  const [cmd, args] = p.cmd(dir, out);
  log(`peer ${p.label} on ${path.relative(ROOT, dir)} (timeout ${timeoutS} s)…`);
  const r = await run(cmd, args, { timeoutS });
  if (r.timedOut) return { peer: p.label, timedOut: true, timeoutS, note: `did not finish within ${timeoutS} s` };
  const j = lastJson(r.stdout);
  if (r.code !== 0 || !j) return { peer: p.label, failed: `exit ${r.code}: ${tail(r.stderr)}` };
  const w = readF64(out);
  fs.unlinkSync(out);
  j.peer = p.label;
  j.maxResidual = marginResidual(problem, w);
  if (ours) j.maxWeightDiff = maxWeightDiff(ours, w);
  return j;
}

// ---------------------------------------------------------------------------------------------------------
// Report

const fmtMs = (ms) => (ms == null || !Number.isFinite(ms) ? "—" : ms >= 10000 ? `${(ms / 1000).toFixed(1)} s` : ms >= 100 ? `${ms.toFixed(0)} ms` : `${ms.toFixed(2)} ms`);
const fmtX = (x) => (x == null || !Number.isFinite(x) ? "—" : x >= 100 ? `${x.toFixed(0)}×` : `${x.toFixed(1)}×`);
const fmtE = (x) => (x == null || !Number.isFinite(x) ? "—" : x.toExponential(1));
const fmtMiB = (kib) => (kib == null ? "—" : `${(kib / 1024).toFixed(0)} MiB`);

function table(headers, rows) {
  const w = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => "| " + cells.map((c, i) => String(c).padEnd(w[i])).join(" | ") + " |";
  return [line(headers), "|" + w.map((x) => "-".repeat(x + 2)).join("|") + "|", ...rows.map(line)].join("\n");
}

function backendRows(res) {
  const rows = [];
  for (const [id, p] of Object.entries(res.problems)) {
    const floorN = p.floor.nativeMs;
    const floorJ = p.floor.jsMs;
    for (const b of p.backends) {
      if (b.error || b.notMeasured) {
        rows.push([id, b.label, "—", "—", "—", "—", "—", "—", b.error ? `error: ${b.error.slice(0, 80)}` : `not measured: ${b.notMeasured}`]);
        continue;
      }
      const mem = b.peakRssKiB != null ? fmtMiB(b.peakRssKiB) : b.wasmMemoryBytes != null ? `${(b.wasmMemoryBytes / 2 ** 20).toFixed(0)} MiB (wasm mem)` : "—";
      rows.push([id, b.label, fmtMs(b.bestMs), fmtX(b.bestMs / floorN), fmtX(b.bestMs / floorJ), String(b.iterations), fmtE(b.maxResidual), mem, `${b.status}${b.cellPath ? `, ${b.cells} cells` : ", respondent path"}`]);
    }
  }
  return rows;
}

function report(res) {
  const out = [];
  const m = res.machine;
  out.push(`Scale ${res.scale} (A/B: ${res.problems.A ? res.problems.A.n : "—"} respondents × 8 variables; C: 20 groups × ${res.problems.C ? res.problems.C.n / 20 : "—"}), best of ${res.repeat}, tolerance 1e-6.`);
  out.push(`Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB; ${m.os}; Node ${m.node}; ${m.rustc}; ${m.chromium || "no chromium"}. Load average at start: ${m.loadAverage.join(", ")}.`);
  out.push("");
  out.push("Floor = one sequential pass reading every code column and the weights (summing weights per category), native Rust / JS.");
  const floorRows = Object.entries(res.problems).map(([id, p]) => [id, String(p.n), fmtMs(p.floor.nativeMs), fmtMs(p.floor.jsMs)]);
  out.push(table(["problem", "n", "floor native", "floor JS"], floorRows));
  out.push("");
  out.push(table(["problem", "backend", "time", "× floor (native)", "× floor (JS)", "iters", "max residual", "peak memory", "status"], backendRows(res)));
  if (res.peers && res.peers.length) {
    out.push("");
    out.push("Peers on problem A (same CSV, same targets); ratio = peer time / ours (native 1 thread; wasm in Node); residual measured on the peer's weights; Δw = max |w_peer − w_ours| with both scaled to the same total.");
    const a = res.problems.A;
    const nat = a && a.backends.find((b) => b.label === "native, 1 thread");
    const wasm = a && a.backends.find((b) => b.label === "wasm (Node)");
    const rows = res.peers.map((p) => {
      if (p.unavailable) return [p.peer, "unavailable", "—", "—", "—", "—", "—", "—", p.unavailable];
      if (p.failed) return [p.peer, "failed", "—", "—", "—", "—", "—", "—", p.failed.slice(0, 100)];
      if (p.timedOut) return [p.peer, `> ${p.timeoutS} s`, nat ? `> ${fmtX((p.timeoutS * 1000) / nat.bestMs)}` : "—", wasm ? `> ${fmtX((p.timeoutS * 1000) / wasm.bestMs)}` : "—", "—", "—", "—", "—", p.note];
      const perPass = p.iterations && nat ? fmtX(p.timeMs / p.iterations / (nat.bestMs / nat.iterations)) : "—";
      return [p.peer + (p.version ? ` ${p.version}` : ""), fmtMs(p.timeMs), nat ? fmtX(p.timeMs / nat.bestMs) : "—", wasm ? fmtX(p.timeMs / wasm.bestMs) : "—", p.iterations == null ? "?" : String(p.iterations), perPass, fmtE(p.maxResidual), fmtE(p.maxWeightDiff), p.note || ""];
    });
    out.push(table(["peer", "time", "vs native", "vs wasm", "iters", "per pass vs native", "max residual", "Δw", "note"], rows));
  }
  out.push("");
  out.push("Goals:");
  for (const g of res.goals) out.push(`- ${g.met === true ? "MET" : g.met === false ? "MISSED" : "n/a"}: ${g.goal} — ${g.detail}`);
  if (res.pending.length) {
    out.push("");
    out.push("Not measured / pending:");
    for (const p of res.pending) out.push(`- ${p}`);
  }
  return out.join("\n");
}

function evaluateGoals(res) {
  const goals = [];
  const A = res.problems.A;
  const find = (p, label) => p && p.backends.find((b) => b.label === label && !b.error && !b.notMeasured);
  if (A) {
    const nat = find(A, "native, 1 thread");
    if (nat) {
      const x = nat.bestMs / A.floor.nativeMs;
      const ph = nat.phasesMs || {};
      goals.push({
        goal: "A ≤ 3× the floor (native)",
        met: x <= 3,
        detail: `${fmtX(x)} (${fmtMs(nat.bestMs)} vs floor ${fmtMs(A.floor.nativeMs)})${x > 3 ? `; missed by ${fmtX(x / 3)}. Where the time goes: validate ${fmtMs(ph.validate)}, set-up ${fmtMs(ph.setUp)}, building ${nat.cells} cells ${fmtMs(ph.buildCells)}, diagnostics ${fmtMs(ph.diagnostics)}, unit table + ${nat.iterations} passes + expansion ${fmtMs(ph.loopAndRest)}; ${nat.cells} cells for ${A.n} respondents (${((100 * nat.cells) / A.n).toFixed(0)}%): each pass is a gather + scatter per variable plus a residual gather over the cells, and building the cells, validation and diagnostics are each several floors on their own` : ""}`,
      });
      for (const [peerName, want] of [["R survey::rake", 20], ["weightipy", 10]]) {
        const p = (res.peers || []).find((q) => q.peer === peerName);
        if (!p || p.unavailable || p.failed) {
          goals.push({ goal: `A ≥ ${want}× faster than ${peerName}`, met: null, detail: p ? p.unavailable || p.failed : "peer not run" });
        } else if (p.timedOut) {
          const lb = (p.timeoutS * 1000) / nat.bestMs;
          goals.push({ goal: `A ≥ ${want}× faster than ${peerName}`, met: lb >= want ? true : null, detail: `peer did not finish in ${p.timeoutS} s: ratio > ${fmtX(lb)}` });
        } else {
          const x = p.timeMs / nat.bestMs;
          const wasm = find(A, "wasm (Node)");
          goals.push({ goal: `A ≥ ${want}× faster than ${peerName}`, met: x >= want, detail: `${fmtX(x)} vs native${wasm ? `, ${fmtX(p.timeMs / wasm.bestMs)} vs single wasm in Node` : ""}${x < want ? ` (missed by ${fmtX(want / x)})` : ""}` });
        }
      }
    }
  }
  const B = res.problems.B;
  if (B) {
    const one = find(B, "native, 1 thread");
    const all = B.backends.find((b) => /^native, \d+ threads$/.test(b.label) && !b.error);
    const cores = res.machine.cores;
    if (one && all) {
      const s = one.bestMs / all.bestMs;
      goals.push({ goal: `B with threads ≥ 0.7 × cores speed-up (native, ${all.threads} threads)`, met: s >= 0.7 * all.threads, detail: `${s.toFixed(2)}× on ${all.threads} threads (goal ${(0.7 * all.threads).toFixed(1)}×)${s < 0.7 * all.threads ? `; missed by ${((0.7 * all.threads) / s).toFixed(2)}×` : ""}; machine shared, load average ${res.machine.loadAverage[0]}` });
    } else if (cores < 2) goals.push({ goal: "B threads speed-up", met: null, detail: "single-core machine" });
    const b1 = B.backends.find((b) => b.label === "wasm-threads (Chromium), 1 thread" && !b.error && !b.notMeasured);
    const bAll = B.backends.filter((b) => /^wasm-threads \(Chromium\), \d+ threads$/.test(b.label) && !b.error && !b.notMeasured).pop();
    if (b1 && bAll) {
      const s = b1.bestMs / bAll.bestMs;
      goals.push({ goal: `B with threads ≥ 0.7 × cores speed-up (threaded wasm, ${bAll.threads} threads)`, met: s >= 0.7 * bAll.threads, detail: `${s.toFixed(2)}× (goal ${(0.7 * bAll.threads).toFixed(1)}×)` });
    }
  }
  return goals;
}

function performanceMarkdown(res, text) {
  const m = res.machine;
  return [
    "## Performance",
    "",
    `Measured with \`npm run bench${res.scale !== 1 ? ` -- --scale ${res.scale}` : ""}\` (bench/run.js; peers installed by \`bash bench/setup.sh\`) on ${res.date.slice(0, 10)}:`,
    `${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB RAM, ${m.os}; Node ${m.node}; ${m.rustc}; ${m.chromium || "no Chromium"}${m.r ? `; ${m.r}` : ""}${m.python ? `; ${m.python}` : ""}.`,
    `The machine was shared with other work while measuring (load average ${m.loadAverage.join(", ")} at the start), so treat single figures as ±20%.`,
    "",
    "Problems (generated deterministically by bench/gen.js, written as CSV under bench/data/ for the peers):",
    "A: 1,000,000 respondents × 8 raking variables (2–12 categories), a skewed sample with correlated variables, no caps;",
    "B: the same sample with caps (min 0.3, max 3 × mean) and varying base weights (respondent-level path);",
    "C: 20 groups × 50,000 respondents, per-group targets and shares. Tolerance 1e-6 (max |achieved − target| in proportions).",
    "Times are the whole `rake` call (validation, cells, iterations, expansion, diagnostics; for wasm also copying the",
    "problem in and the weights out), best of " + res.repeat + ". The floor is one sequential pass that reads every code and the weights,",
    "the least any exact raking must do.",
    "",
    "```",
    text,
    "```",
    "",
  ].join("\n");
}

// ---------------------------------------------------------------------------------------------------------

async function main() {
  const args = parseArgs(process.argv.slice(2));
  fs.mkdirSync(RESULTS, { recursive: true });
  if (args.report) {
    // Re-render the table, goals and README text of a saved run (no measuring).
    const saved = JSON.parse(fs.readFileSync(args.report, "utf8"));
    saved.goals = evaluateGoals(saved);
    const text = report(saved);
    console.log(text);
    fs.writeFileSync(path.join(RESULTS, "README-performance.md"), performanceMarkdown(saved, text));
    return;
  }
  const res = { date: new Date().toISOString(), scale: args.scale, repeat: args.repeat, machine: machine(), problems: {}, peers: [], goals: [], pending: [] };
  const cores = res.machine.cores;
  const dirs = {};
  for (const id of args.only) dirs[id] = ensureProblem(DATA, id, args.scale, log);

  let nativeWhy = args.native ? await buildNative() : "skipped (--no-native)";
  if (nativeWhy) res.pending.push(`native Rust: ${nativeWhy}`);
  const browserMod = require("./browser/run");
  const browserWhy = args.browser ? browserMod.unavailableReason() : "skipped (--no-browser)";
  const threadCounts = [...new Set([1, 2, cores])];

  for (const id of args.only) {
    const dir = dirs[id];
    const { problem } = loadProblem(dir);
    const entry = { n: problem.n, dir: path.relative(ROOT, dir), floor: {}, backends: [] };
    res.problems[id] = entry;
    const oursFile = path.join(dir, "ours-native.f64");
    if (!nativeWhy) {
      for (const t of [...new Set([1, cores])]) {
        log(`${id}: native, ${t} thread(s)…`);
        const r = await native(dir, t, args.repeat, t === 1 ? oursFile : null);
        r.label = t === 1 ? "native, 1 thread" : `native, ${t} threads`;
        entry.backends.push(r);
        if (t === 1 && r.floorMs) entry.floor.nativeMs = r.floorMs;
      }
    } else entry.backends.push({ label: "native", notMeasured: nativeWhy });
    const ours = fs.existsSync(oursFile) ? readF64(oursFile) : null;
    for (const b of ["wasm", "ts"]) {
      log(`${id}: ${b} in Node…`);
      const wOut = path.join(dir, `ours-${b}.f64`);
      const r = await nodeBackend(b, dir, args.repeat, wOut);
      r.label = b === "wasm" ? "wasm (Node)" : "TS (Node)";
      if (!r.error && ours) r.maxWeightDiffVsNative = maxWeightDiff(ours, readF64(wOut));
      if (fs.existsSync(wOut)) fs.unlinkSync(wOut);
      entry.backends.push(r);
      if (r.floorMs && (entry.floor.jsMs == null || r.floorMs < entry.floor.jsMs)) entry.floor.jsMs = r.floorMs;
    }
    if (!browserWhy) {
      log(`${id}: threaded wasm in Chromium, threads ${threadCounts.join(", ")}…`);
      try {
        const rs = await browserMod.runBrowser([path.relative(DATA, dir)], threadCounts, args.repeat);
        for (const r of rs) {
          r.label = r.error ? `wasm-threads (Chromium), ${r.requestedThreads ?? "?"} threads` : `wasm-threads (Chromium), ${r.threads} thread${r.threads === 1 ? "" : "s"}`;
          entry.backends.push(r);
        }
      } catch (e) {
        entry.backends.push({ label: "wasm-threads (Chromium)", error: String(e && e.message ? e.message : e) });
      }
    } else entry.backends.push({ label: "wasm-threads (Chromium)", notMeasured: browserWhy });
    if (id === "A" && args.peers.length) {
      for (const name of args.peers) res.peers.push(await peer(name, dir, problem, ours, args.peerTimeout));
    }
  }
  if (browserWhy) res.pending.push(`threaded wasm in Chromium: ${browserWhy}`);
  res.pending.push(
    "end to end (task pane on the fake Excel host in Chromium, 100k and 1M rows × 8 columns, time per stage): pending — needs the task pane and the browser harness (tests/browser) to expose the window.__rimBench hook described in bench/e2e/README.md",
  );
  res.goals = evaluateGoals(res);
  const text = report(res);
  console.log(text);
  const tag = `s${args.scale}`;
  fs.writeFileSync(path.join(RESULTS, `bench-${tag}.json`), JSON.stringify(res, null, 1) + "\n");
  fs.writeFileSync(path.join(RESULTS, "README-performance.md"), performanceMarkdown(res, text));
  log(`wrote bench/results/bench-${tag}.json and bench/results/README-performance.md`);
}

main().catch((e) => {
  console.error(e && e.stack ? e.stack : String(e));
  process.exit(1);
});

#!/usr/bin/env node
"use strict";
/**
 * `npm run bench`: the engine benchmarks. Prints a table, writes bench/results/bench-s<scale>.json and
 * bench/results/README-performance.md.
 *
 *   node bench/run.js [--scale 1] [--repeat 3] [--only A,B,C,E2E,FN,ADV] [--no-peers] [--no-browser] [--no-native]
 *                     [--peer-timeout 1200] [--peers survey,weightipy,ipfn] [--e2e-dist DIR]
 *   node bench/run.js --report bench/results/bench-s1.json    (re-render a saved run's table and README text)
 *
 * Problems (bench/gen.js, seeded, written once under bench/data/s<scale>/): A 1M × 8 variables, no caps;
 * B = A's sample with caps 0.3–3 and varying base weights (respondent path); C 20 groups × 50k with per-group
 * targets and shares. Backends: native Rust (engine-rs/examples/bench.rs, release, 1 thread and all cores),
 * single wasm in Node, TS in Node, threaded wasm in headless Chromium (1, 2, all threads). The floor: one
 * sequential pass reading every code and the weights, in Rust and in JS. Peers (A only, installed by
 * bench/setup.sh): R survey::rake, weightipy, ipfn. End to end (bench/e2e/, in Chromium, skipped by --no-browser):
 * E2E = the task pane's Run button on the Excel host emulator (tests/host, Microsoft's web client library) over
 * 100k and 1M rows (× scale) of problem A, timed per stage, once more with 150 ms added to every sync (web round
 * trips), with syncs and wire bytes per run, and the write-back's block building alone (bench/write-back.js);
 * FN = =RIM.WEIGHT() on 10k rows through the emulator's custom-functions shim; ADV = the weighting advisor (8 caps + 8 leave-one-out runs) on A at
 * 100k × 8 in Chromium's threaded wasm, 1 thread and more.
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
  const a = {
    scale: 1,
    repeat: 3,
    only: ["A", "B", "C", "E2E", "FN", "ADV"],
    peers: ["survey", "weightipy", "ipfn"],
    browser: true,
    native: true,
    peerTimeout: 1200,
    e2eDist: null,
  };
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
    else if (k === "--e2e-dist") a.e2eDist = next();
    else throw new Error(`unknown argument ${k}`);
  }
  if (!(a.scale > 0)) throw new Error("--scale must be > 0");
  const unknown = a.only.filter((x) => !["A", "B", "C", "E2E", "FN", "ADV"].includes(x));
  if (unknown.length) throw new Error(`--only: unknown item(s) ${unknown.join(", ")} (A, B, C, E2E, FN, ADV)`);
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
  const r = await run(
    "cargo",
    ["build", "--release", "--example", "bench", "--manifest-path", "engine-rs/Cargo.toml"],
    {
      env: { CARGO_TARGET_DIR: TARGET_DIR },
    },
  );
  if (r.code !== 0) return `cargo build failed: ${tail(r.stderr)}`;
  return null;
}

/**
 * glibc hands large freed blocks back to the kernel (mmap'd blocks at once, the heap's top past a threshold that
 * moves with the block sizes it has seen), so a repeated native run can start on fresh pages and pay a page fault
 * per 4 KiB (~5 µs on this VM: up to a third of A's time, and which runs pay it shifts with unrelated allocation
 * sizes). Wasm memory never shrinks, so its repeated runs reuse their pages. Native runs keep theirs too (no
 * trimming; blocks up to glibc's largest mmap threshold, 32 MiB, from the heap), so that both sides measure the
 * engine, not the kernel's page zeroing.
 */
const NATIVE_MALLOC = "glibc.malloc.trim_threshold=4294967295:glibc.malloc.mmap_threshold=33554432";

async function native(dir, threads, repeat, weightsOut) {
  const args = [dir, "--repeat", String(repeat)];
  if (weightsOut) args.push("--weights", weightsOut);
  const env = { RAYON_NUM_THREADS: String(threads), GLIBC_TUNABLES: NATIVE_MALLOC };
  const r = await run(NATIVE_BIN, args, { env });
  const j = lastJson(r.stdout);
  if (r.code !== 0 || !j) return { error: `native bench failed (${r.code}): ${tail(r.stderr)}` };
  return j;
}

async function nodeBackend(backend, dir, repeat, weightsOut) {
  const args = [
    path.join(__dirname, "node-backend.js"),
    "--backend",
    backend,
    "--dir",
    dir,
    "--repeat",
    String(repeat),
  ];
  if (weightsOut) args.push("--weights", weightsOut);
  const r = await run(process.execPath, ["--max-old-space-size=8192", ...args]);
  const j = lastJson(r.stdout);
  if (r.code !== 0 || !j) return { error: `${backend} in Node failed (${r.code}): ${tail(r.stderr)}` };
  return j;
}

// ---------------------------------------------------------------------------------------------------------
// Peers

const PEERS = {
  survey: {
    label: "R survey::rake",
    check: () =>
      spawnSync("Rscript", ["-e", "suppressMessages(library(survey))"]).status === 0
        ? null
        : "Rscript with the survey package is not installed (bash bench/setup.sh)",
    cmd: (dir, out) => ["Rscript", [path.join(__dirname, "peers", "survey.R"), dir, out]],
  },
  weightipy: {
    label: "weightipy",
    check: () => pyCheck("weightipy"),
    cmd: (dir, out) => [VENV_PY, [path.join(__dirname, "peers", "weightipy_peer.py"), dir, out]],
  },
  ipfn: {
    label: "ipfn",
    check: () => pyCheck("ipfn"),
    cmd: (dir, out) => [VENV_PY, [path.join(__dirname, "peers", "ipfn_peer.py"), dir, out]],
  },
};

function pyCheck(mod) {
  if (!fs.existsSync(VENV_PY)) return "bench/.venv is missing (bash bench/setup.sh)";
  return spawnSync(VENV_PY, ["-c", `import ${mod}`]).status === 0
    ? null
    : `python package ${mod} is not installed in bench/.venv (bash bench/setup.sh)`;
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

const fmtMs = (ms) =>
  ms == null || !Number.isFinite(ms)
    ? "—"
    : ms >= 10000
      ? `${(ms / 1000).toFixed(1)} s`
      : ms >= 100
        ? `${ms.toFixed(0)} ms`
        : `${ms.toFixed(2)} ms`;
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
        rows.push([
          id,
          b.label,
          "—",
          "—",
          "—",
          "—",
          "—",
          "—",
          b.error ? `error: ${b.error.slice(0, 80)}` : `not measured: ${b.notMeasured}`,
        ]);
        continue;
      }
      const mem =
        b.peakRssKiB != null
          ? fmtMiB(b.peakRssKiB)
          : b.wasmMemoryBytes != null
            ? `${(b.wasmMemoryBytes / 2 ** 20).toFixed(0)} MiB (wasm mem)`
            : "—";
      rows.push([
        id,
        b.label,
        fmtMs(b.bestMs),
        fmtX(b.bestMs / floorN),
        fmtX(b.bestMs / floorJ),
        String(b.iterations),
        fmtE(b.maxResidual),
        mem,
        `${b.status}${b.cellPath ? `, ${b.cells} cells` : ", respondent path"}`,
      ]);
    }
  }
  return rows;
}

function report(res) {
  const out = [];
  const m = res.machine;
  out.push(
    `Scale ${res.scale} (A/B: ${res.problems.A ? res.problems.A.n : "—"} respondents × 8 variables; C: 20 groups × ${res.problems.C ? res.problems.C.n / 20 : "—"}), best of ${res.repeat}, tolerance 1e-6.`,
  );
  out.push(
    `Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB; ${m.os}; Node ${m.node}; ${m.rustc}; ${m.chromium || "no chromium"}. Load average at start: ${m.loadAverage.join(", ")}.`,
  );
  if (res.carried)
    out.push(
      `Not measured in this run, carried over from the run of ${res.carried.from}: ${res.carried.items.join(", ")}.`,
    );
  out.push("");
  if (Object.keys(res.problems).length) out.push(...problemsReport(res));
  if (res.e2e) {
    out.push("");
    out.push(e2eReport(res.e2e));
  }
  if (res.advisor) {
    out.push("");
    out.push(advisorReport(res.advisor));
  }
  out.push("");
  out.push("Goals:");
  for (const g of res.goals)
    out.push(`- ${g.met === true ? "MET" : g.met === false ? "MISSED" : "n/a"}: ${g.goal} — ${g.detail}`);
  if (res.pending.length) {
    out.push("");
    out.push("Not measured / pending:");
    for (const p of res.pending) out.push(`- ${p}`);
  }
  return out.join("\n");
}

function problemsReport(res) {
  const out = [];
  out.push(
    "Floor = one sequential pass reading every code column and the weights (summing weights per category), native Rust / JS.",
  );
  const floorRows = Object.entries(res.problems).map(([id, p]) => [
    id,
    String(p.n),
    fmtMs(p.floor.nativeMs),
    fmtMs(p.floor.jsMs),
  ]);
  out.push(table(["problem", "n", "floor native", "floor JS"], floorRows));
  out.push("");
  out.push(
    table(
      [
        "problem",
        "backend",
        "time",
        "× floor (native)",
        "× floor (JS)",
        "iters",
        "max residual",
        "peak memory",
        "status",
      ],
      backendRows(res),
    ),
  );
  if (res.peers && res.peers.length) {
    out.push("");
    out.push(
      "Peers on problem A (same CSV, same targets); ratio = peer time / ours (native 1 thread; wasm in Node); residual measured on the peer's weights; Δw = max |w_peer − w_ours| with both scaled to the same total.",
    );
    const a = res.problems.A;
    const nat = a && a.backends.find((b) => b.label === "native, 1 thread");
    const wasm = a && a.backends.find((b) => b.label === "wasm (Node)");
    const rows = res.peers.map((p) => {
      if (p.unavailable) return [p.peer, "unavailable", "—", "—", "—", "—", "—", "—", p.unavailable];
      if (p.failed) return [p.peer, "failed", "—", "—", "—", "—", "—", "—", p.failed.slice(0, 100)];
      if (p.timedOut)
        return [
          p.peer,
          `> ${p.timeoutS} s`,
          nat ? `> ${fmtX((p.timeoutS * 1000) / nat.bestMs)}` : "—",
          wasm ? `> ${fmtX((p.timeoutS * 1000) / wasm.bestMs)}` : "—",
          "—",
          "—",
          "—",
          "—",
          p.note,
        ];
      const perPass = p.iterations && nat ? fmtX(p.timeMs / p.iterations / (nat.bestMs / nat.iterations)) : "—";
      return [
        p.peer + (p.version ? ` ${p.version}` : ""),
        fmtMs(p.timeMs),
        nat ? fmtX(p.timeMs / nat.bestMs) : "—",
        wasm ? fmtX(p.timeMs / wasm.bestMs) : "—",
        p.iterations == null ? "?" : String(p.iterations),
        perPass,
        fmtE(p.maxResidual),
        fmtE(p.maxWeightDiff),
        p.note || "",
      ];
    });
    out.push(
      table(
        ["peer", "time", "vs native", "vs wasm", "iters", "per pass vs native", "max residual", "Δw", "note"],
        rows,
      ),
    );
  }
  return out;
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
      for (const [peerName, want] of [
        ["R survey::rake", 20],
        ["weightipy", 10],
      ]) {
        const p = (res.peers || []).find((q) => q.peer === peerName);
        if (!p || p.unavailable || p.failed) {
          goals.push({
            goal: `A ≥ ${want}× faster than ${peerName}`,
            met: null,
            detail: p ? p.unavailable || p.failed : "peer not run",
          });
        } else if (p.timedOut) {
          const lb = (p.timeoutS * 1000) / nat.bestMs;
          goals.push({
            goal: `A ≥ ${want}× faster than ${peerName}`,
            met: lb >= want ? true : null,
            detail: `peer did not finish in ${p.timeoutS} s: ratio > ${fmtX(lb)}`,
          });
        } else {
          const x = p.timeMs / nat.bestMs;
          const wasm = find(A, "wasm (Node)");
          goals.push({
            goal: `A ≥ ${want}× faster than ${peerName}`,
            met: x >= want,
            detail: `${fmtX(x)} vs native${wasm ? `, ${fmtX(p.timeMs / wasm.bestMs)} vs single wasm in Node` : ""}${x < want ? ` (missed by ${fmtX(want / x)})` : ""}`,
          });
        }
      }
    }
  }
  goals.push(...engineGoals(res, find));
  const B = res.problems.B;
  if (B) {
    const one = find(B, "native, 1 thread");
    const all = B.backends.find((b) => /^native, \d+ threads$/.test(b.label) && !b.error);
    const cores = res.machine.cores;
    if (one && all) {
      const s = one.bestMs / all.bestMs;
      goals.push({
        goal: `B with threads ≥ 0.7 × cores speed-up (native, ${all.threads} threads)`,
        met: s >= 0.7 * all.threads,
        detail: `${s.toFixed(2)}× on ${all.threads} threads (goal ${(0.7 * all.threads).toFixed(1)}×)${s < 0.7 * all.threads ? `; missed by ${((0.7 * all.threads) / s).toFixed(2)}×` : ""}; machine shared, load average ${res.machine.loadAverage[0]}`,
      });
    } else if (cores < 2) goals.push({ goal: "B threads speed-up", met: null, detail: "single-core machine" });
    const b1 = B.backends.find((b) => b.label === "wasm-threads (Chromium), 1 thread" && !b.error && !b.notMeasured);
    const bAll = B.backends
      .filter((b) => /^wasm-threads \(Chromium\), \d+ threads$/.test(b.label) && !b.error && !b.notMeasured)
      .pop();
    if (b1 && bAll) {
      const s = b1.bestMs / bAll.bestMs;
      goals.push({
        goal: `B with threads ≥ 0.7 × cores speed-up (threaded wasm, ${bAll.threads} threads)`,
        met: s >= 0.7 * bAll.threads,
        detail: `${s.toFixed(2)}× (goal ${(0.7 * bAll.threads).toFixed(1)}×)`,
      });
    }
  }
  goals.push(...e2eGoals(res.e2e));
  goals.push(...advisorGoal(res.advisor));
  return goals;
}

/** Issue 15's engine goals: A near the floor, wasm near native, threads on the cell path, the peers. */
function engineGoals(res, find) {
  const goals = [];
  const A = res.problems.A;
  const nat = A && find(A, "native, 1 thread");
  if (nat) {
    const x = nat.bestMs / A.floor.nativeMs;
    goals.push({ goal: "A ≤ 5× the floor (native, 1 thread)", met: x <= 5, detail: fmtX(x) });
    for (const label of ["wasm (Node)", "wasm-threads (Chromium), 1 thread"]) {
      const w = find(A, label);
      if (!w) continue;
      const r = w.bestMs / nat.bestMs;
      goals.push({
        goal: `A: ${label} within 1.3× of native`,
        met: r <= 1.3,
        detail: `${r.toFixed(2)}× of native (${fmtMs(w.bestMs)} vs ${fmtMs(nat.bestMs)})`,
      });
    }
    const wasm = find(A, "wasm (Node)");
    for (const [peerName, want, ours, oursLabel] of [
      ["weightipy", 30, wasm, "wasm in Node"],
      ["ipfn", 5, nat, "native"],
    ]) {
      const p = (res.peers || []).find((q) => q.peer === peerName);
      const goal = `A ≥ ${want}× faster than ${peerName} (${oursLabel})`;
      if (!ours || !p || p.unavailable || p.failed || p.timedOut)
        goals.push({ goal, met: null, detail: !p ? "peer not run" : p.unavailable || p.failed || "timed out" });
      else {
        const x = p.timeMs / ours.bestMs;
        goals.push({ goal, met: x >= want, detail: fmtX(x) });
      }
    }
  }
  for (const id of ["A", "C"]) {
    const P = res.problems[id];
    const one = P && find(P, "wasm-threads (Chromium), 1 thread");
    const two = P && find(P, "wasm-threads (Chromium), 2 threads");
    if (one && two) {
      const s = one.bestMs / two.bestMs;
      goals.push({
        goal: `${id}: threaded wasm in Chromium ≥ 1.6× on 2 threads`,
        met: s >= 1.6,
        detail: `${s.toFixed(2)}× (${fmtMs(one.bestMs)} → ${fmtMs(two.bestMs)})`,
      });
    }
  }
  return goals;
}

function performanceMarkdown(res, text) {
  const m = res.machine;
  // As many as the rows report (a run saved before the warm-up runs reports none).
  const warmups = Math.max(
    0,
    ...Object.values(res.problems).flatMap((p) => p.backends.map((b) => (b.warmupMs ? b.warmupMs.length : 0))),
  );
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
    "problem in and the weights out), best of " +
      res.repeat +
      (warmups > 0
        ? ` after ${warmups} unmeasured runs in the same process or page (V8 optimises a wasm or JS function in the background once\n` +
          "it is hot, and a function called once per rake gets that code from its next call on; native rows do the same)."
        : "."),
    "The floor is one sequential pass that reads every code and the weights,",
    "the least any exact raking must do; the native floor alternates with the native 1-thread rake, as many times.",
    "Native runs keep the memory they free for the next run, as wasm does (glibc",
    "tunables; else glibc returns it and each run pays a page fault per 4 KiB); Chromium runs with its crash reporter,",
    "which sets up the guard-page bounds checks for wasm that Chrome and Edge use (without it: a check per access).",
    ...(res.e2e
      ? [
          "End to end (bench/e2e/): the production build's task pane (dist/taskpane.html) in headless Chromium, served",
          "with the production headers (cross-origin isolated: threaded wasm), on the Excel host emulator (tests/host):",
          "Microsoft's own excel-web-16.00.js builds every request, the emulator answers it within Excel on the web's",
          "limits (5 MB request/response payloads, 5M cells per read). A sheet seeded in the emulator holds problem A's",
          "first 100,000 / 1,000,000 respondents as 8 raking variables (numeric codes, no base weight); the pane's Run",
          "button is clicked and each stage timed from the pane's progress label. =RIM.WEIGHT() is the registered",
          "function called through the emulator's custom-functions shim on 10,000 rows. \"host\" is the emulator's time",
          "answering requests (Excel's side); real Excel on the web adds its network round trips on top.",
        ]
      : []),
    "",
    "```",
    text,
    "```",
    "",
  ].join("\n");
}

// ---------------------------------------------------------------------------------------------------------
// End to end (bench/e2e/): the task pane and =RIM.WEIGHT() in Chromium on the Excel host emulator (tests/host)

/** The advisor row's problem: A at 100,000 respondents × 8 variables, whatever --scale says (the goal's size). */
const ADV_SCALE = 0.1;
const ADV_GOAL_MS = 1000;

/** ADV: the advisor (8 caps + 8 leave-one-out runs) in Chromium's threaded wasm, on 1 thread and more. */
async function advisor(args, browserMod, browserWhy, cores) {
  if (browserWhy) return { notMeasured: browserWhy };
  const dir = ensureProblem(DATA, "A", ADV_SCALE, log);
  const threadCounts = [...new Set([1, 2, cores])];
  log(`ADV: advisor in Chromium, threads ${threadCounts.join(", ")}…`);
  try {
    const rows = await browserMod.runBrowser([path.relative(DATA, dir)], threadCounts, args.repeat, () => {}, true);
    return { n: loadProblem(dir).problem.n, rows };
  } catch (e) {
    return { error: String(e && e.message ? e.message : e) };
  }
}

function advisorReport(a) {
  if (a.notMeasured || a.error)
    return `Advisor (ADV): ${a.notMeasured ? `not measured: ${a.notMeasured}` : `error: ${a.error}`}`;
  const one = a.rows.find((r) => r.threads === 1 && !r.error);
  const parts = a.rows.map((r) =>
    r.error
      ? `${r.requestedThreads} threads: error ${r.error.slice(0, 120)}`
      : `${r.threads} thread${r.threads === 1 ? "" : "s"} ${fmtMs(r.bestMs)}${one && r !== one ? ` (${fmtX(one.bestMs / r.bestMs)} over 1 thread)` : ""}`,
  );
  const first = a.rows.find((r) => !r.error);
  const what = first ? `${first.caps.length} caps + ${first.leaveOneOut} leave-one-out runs, ${first.runs} rakes` : "";
  return `Advisor (ADV), ${what} on A at ${a.n.toLocaleString("en-US")} × 8, threaded wasm in Chromium: ${parts.join("; ")}.`;
}

function advisorGoal(a) {
  const goal = `advisor (8 caps + 8 leave-one-out runs) on 100,000 × 8 < ${fmtMs(ADV_GOAL_MS)} in Chromium with threads`;
  if (!a) return [];
  if (a.notMeasured || a.error) return [{ goal, met: null, detail: a.notMeasured || a.error }];
  const threaded = a.rows.filter((r) => !r.error && r.threads > 1).sort((x, y) => x.bestMs - y.bestMs)[0];
  const one = a.rows.find((r) => !r.error && r.threads === 1);
  if (!threaded) return [{ goal, met: null, detail: "no threaded run (a single core, or every run failed)" }];
  const speedUp = one ? `; ${fmtX(one.bestMs / threaded.bestMs)} over 1 thread (${fmtMs(one.bestMs)})` : "";
  return [
    {
      goal,
      met: threaded.bestMs < ADV_GOAL_MS,
      detail: `${fmtMs(threaded.bestMs)} on ${threaded.threads} threads${speedUp}`,
    },
  ];
}

/** A production build of the task pane: --e2e-dist / RIM_BENCH_DIST, dist/, else a scratch build. */
async function e2eDist(args) {
  const given = args.e2eDist || process.env.RIM_BENCH_DIST;
  if (given) return { dir: path.resolve(given), how: "given (--e2e-dist / RIM_BENCH_DIST)" };
  const dist = path.join(ROOT, "dist");
  // a production build (minified: a development build's React alone is several times slower)
  const f = path.join(dist, "taskpane.js");
  const production = fs.existsSync(f) && !fs.readFileSync(f, "utf8").includes("react-dom.development");
  if (production) return { dir: dist, how: "dist/ (npx webpack --mode production)" };
  log(
    "dist/ has no production build of the task pane: a production build into bench/data/e2e-dist (bench/e2e/build.js)…",
  );
  const built = await require("./e2e/build").build();
  return { dir: built.dir, how: "bench/data/e2e-dist (bench/e2e/build.js: webpack.config.js, production)" };
}

async function endToEnd(args, which) {
  const out = { scale: args.scale };
  try {
    const dist = await e2eDist(args);
    process.env.RIM_BROWSER_DIST = dist.dir;
    out.build = dist.how;
    const e2eMod = require("./e2e/run");
    const why = e2eMod.unavailableReason();
    if (why) return { ...out, unavailable: why };
    const dir = ensureProblem(DATA, "A", args.scale, log);
    const n = JSON.parse(fs.readFileSync(path.join(dir, "meta.json"), "utf8")).n;
    const rows = [...new Set([100_000, 1_000_000].map((r) => Math.min(n, Math.max(100, Math.round(r * args.scale)))))];
    const fnRows = Math.min(n, 10_000);
    log(
      `end to end in Chromium: ${which.e2e ? `task pane flow on ${rows.join(", ")} rows` : ""}${which.e2e && which.fn ? "; " : ""}${which.fn ? `=RIM.WEIGHT() on ${fnRows} rows` : ""} (${dist.how})…`,
    );
    Object.assign(
      out,
      await e2eMod.runE2E({ dataDir: dir, rows, fnRows, repeat: args.repeat, e2e: which.e2e, fn: which.fn }),
    );
  } catch (e) {
    out.error = String(e && e.stack ? e.stack : e).slice(0, 2000);
  }
  if (which.e2e) out.writeBack = await writeBack(Math.round(1_000_000 * args.scale), args.repeat);
  return out;
}

/** bench/write-back.js in its own process: the weight blocks built add-in side, Excel stubbed. */
async function writeBack(rows, repeat) {
  log(`write-back: ${rows} weights into Excel row blocks (add-in side)…`);
  const script = path.join(__dirname, "write-back.js");
  const r = await run(process.execPath, [script, "--rows", String(rows), "--repeat", String(Math.max(3, repeat))]);
  const j = lastJson(r.stdout);
  if (r.code !== 0 || !j) return { rows, error: `write-back failed (${r.code}): ${tail(r.stderr)}` };
  return j;
}

const E2E_GOALS = { 100000: 500, 1000000: 3000 };
const FN_GOAL_MS = 200;
/** Excel on the web's request/response limit (learn.microsoft.com, "Resource limits and performance optimization"). */
const PAYLOAD_LIMIT_BYTES = 5 * 1024 * 1024;
/** Issue 15: 1M × 8 in web mode under 10 s with 150 ms per sync. */
const LATENCY_GOALS = { 1000000: 10000 };
/** Issue 15: the weight blocks for 1M rows built in < 150 ms add-in side. */
const WRITE_BACK_GOAL_MS = 150;

/** Stages of one run, largest first, as "name 1.2 s (40%)". */
function whereTimeGoes(st) {
  const parts = [
    ["reading: Excel side (the emulator's answers)", st.readingHost],
    ["reading: add-in side (requests, blocks into columns)", st.reading - st.readingHost],
    ["parsing (columns → scheme → problem)", st.parsing],
    ["weighting (engine call, weights per row)", st.weighting],
    ["writing: Excel side", st.writingHost],
    ["writing: add-in side (weight blocks, requests)", st.writing - st.writingHost],
    ["diagnostics: Excel side", st.diagnosticsHost],
    ["diagnostics: add-in side", st.diagnostics - st.diagnosticsHost],
  ];
  return parts
    .filter(([, ms]) => ms > 0)
    .sort((a, b) => b[1] - a[1])
    .map(([name, ms]) => `${name} ${fmtMs(ms)} (${((100 * ms) / st.total).toFixed(0)}%)`)
    .join(", ");
}

function e2eReport(e) {
  const out = [];
  out.push(
    `End to end in Chromium (${e.page || "dist/taskpane.html"}; build: ${e.build || "?"}). Excel host emulator, web flavour (payload limit ${((e.host ? e.host.payloadLimitBytes : 5 * 2 ** 20) / 2 ** 20).toFixed(0)} MiB per request and response, measured on the real request/response JSON).`,
  );
  if (e.error) return [...out, `error: ${e.error.split("\n")[0]}`].join("\n");
  if (e.unavailable) return [...out, `not measured: ${e.unavailable}`].join("\n");
  if (e.runs && e.runs.length) {
    out.push("");
    out.push(
      `The task pane's Run button (diagnostics sheet included; later runs answer "Replace") on problem A's first rows: ${e.runs[0].layout || "8 raking variables"}. Stages from the pane's progress label. Best of ${e.repeat || "N"} by total; first = first run in a fresh page. "host" = time the emulator spent answering requests (Excel's side); "add-in" = total − host.`,
    );
    const rows = e.runs.map((r) => {
      if (r.error) return [String(r.rows), "error", "—", "—", "—", "—", "—", "—", "—", "—", r.error.slice(0, 80)];
      const st = r.best.stages;
      const b = r.best;
      return [
        `${r.rows} × ${r.columns}`,
        `${fmtMs(st.reading)} (host ${fmtMs(st.readingHost)})`,
        Number.isFinite(st.parsing) ? fmtMs(st.parsing) : "in reading",
        fmtMs(st.weighting),
        `${fmtMs(st.writing)} (host ${fmtMs(st.writingHost)})`,
        `${fmtMs(st.diagnostics)} (host ${fmtMs(st.diagnosticsHost)})`,
        fmtMs(st.total),
        fmtMs(st.addinTotal),
        fmtMs(r.first.stages.total),
        `${b.engine}, ${b.status} after ${b.iterations}; ${st.syncs} syncs (${b.readSyncs} reading, ${b.writeSyncs} writing), ${(b.wireBytes / 2 ** 20).toFixed(1)} MiB on the wire, largest request ${(b.maxRequestBytes / 2 ** 20).toFixed(2)} MiB, response ${(b.maxResponseBytes / 2 ** 20).toFixed(2)} MiB${b.payloadErrors ? `, ${b.payloadErrors} failed syncs` : ""}${r.weightsOk ? "" : ", WEIGHTS CHECK FAILED"}`,
      ];
    });
    out.push(
      table(
        [
          "rows × cols",
          "reading",
          "parsing",
          "weighting",
          "writing",
          "diagnostics",
          "total",
          "add-in (excl. host)",
          "first run",
          "notes",
        ],
        rows,
      ),
    );
  }
  for (const r of e.runs || []) {
    if (!r.latency) continue;
    const st = r.latency.stages;
    out.push(
      `${r.rows.toLocaleString("en-US")} rows with ${r.latency.syncLatencyMs} ms added to every sync (Excel on the web's round trips): total ${fmtMs(st.total)} over ${st.syncs} syncs.`,
    );
  }
  if (e.writeBack && !e.writeBack.error) {
    const w = e.writeBack;
    out.push(
      `Write-back, add-in side (bench/write-back.js, Excel.run stubbed): ${w.rows.toLocaleString("en-US")} weights into ${w.blocks} row blocks in ${fmtMs(w.ms)}; the per-row build it replaced ${fmtMs(w.naiveMs)} (same run).`,
    );
  }
  if (e.fn) {
    out.push("");
    const f = e.fn;
    if (f.error) out.push(`=RIM.WEIGHT() on ${f.rows} rows: error: ${f.error.slice(0, 200)}`);
    else {
      out.push(
        `=RIM.WEIGHT() (the registered function on the task pane page, called through the emulator's custom-functions shim with the ranges' values as Excel on the web passes them), ${f.rows} rows × ${f.columns} columns: best of ${f.calls.length - 1} whole calls ${fmtMs(f.best.wholeCallMs)} after a warm-up call of ${fmtMs(f.first.wholeCallMs)}.`,
      );
    }
  }
  if (e.browserErrors) out.push(`browser errors: ${e.browserErrors.join(" | ").slice(0, 300)}`);
  return out.join("\n");
}

function e2eGoals(e) {
  const goals = [];
  if (!e) return goals;
  for (const r of e.runs || []) {
    const goal = E2E_GOALS[r.rows];
    if (!goal) continue;
    const what = `end to end ${r.rows.toLocaleString("en-US")} rows × 8 columns < ${fmtMs(goal)} add-in side`;
    if (r.error) {
      goals.push({ goal: what, met: null, detail: r.error.slice(0, 200) });
      continue;
    }
    const st = r.best.stages;
    const met = st.addinTotal < goal;
    goals.push({
      goal: what,
      met,
      detail: `add-in ${fmtMs(st.addinTotal)} (total ${fmtMs(st.total)} with the emulator's ${fmtMs(st.hostTotal)})${met ? "" : `; missed by ${fmtX(st.addinTotal / goal)}`}. Where the time goes: ${whereTimeGoes(st)}`,
    });
  }
  // The sync goal is about large runs, where the data dominates; a 100k run's fixed requests (header, targets,
  // settings, diagnostics sheet) outnumber its data blocks whatever their size.
  for (const r of e.runs || []) {
    if (r.error || !r.best || r.best.wireBytes === undefined || !LATENCY_GOALS[r.rows]) continue;
    const b = r.best;
    const fewest = Math.ceil(b.wireBytes / PAYLOAD_LIMIT_BYTES);
    const syncs = b.stages.syncs;
    goals.push({
      goal: `syncs per run ≤ 2× the fewest the 5 MB limit allows, ${r.rows.toLocaleString("en-US")} rows`,
      met: syncs <= 2 * fewest,
      detail: `${syncs} syncs for ${(b.wireBytes / 2 ** 20).toFixed(1)} MiB on the wire (fewest ${fewest}: ${fmtX(syncs / fewest)}); data ${b.readSyncs} reads, weights ${b.writeSyncs} writes; largest request ${(b.maxRequestBytes / 2 ** 20).toFixed(2)} MiB, response ${(b.maxResponseBytes / 2 ** 20).toFixed(2)} MiB`,
    });
    const goal = LATENCY_GOALS[r.rows];
    if (goal && r.latency) {
      const st = r.latency.stages;
      goals.push({
        goal: `end to end ${r.rows.toLocaleString("en-US")} rows × 8 < ${fmtMs(goal)} with ${r.latency.syncLatencyMs} ms per sync (web round trips)`,
        met: st.total < goal,
        detail: `total ${fmtMs(st.total)} over ${st.syncs} syncs`,
      });
    }
  }
  if (e.writeBack) {
    const w = e.writeBack;
    const what = `write-back: the weight blocks for ${w.rows.toLocaleString("en-US")} rows built in < ${WRITE_BACK_GOAL_MS} ms add-in side (per 1M rows)`;
    if (w.error) goals.push({ goal: what, met: null, detail: w.error.slice(0, 200) });
    else {
      const goalMs = (WRITE_BACK_GOAL_MS * w.rows) / 1_000_000;
      goals.push({
        goal: what,
        met: w.ms < goalMs,
        detail: `${fmtMs(w.ms)} in ${w.blocks} blocks (${(w.bytes / 2 ** 20).toFixed(1)} MiB of requests); the per-row build it replaced ${fmtMs(w.naiveMs)} in the same run (${fmtX(w.naiveMs / w.ms)} faster)`,
      });
    }
  }
  if (e.fn) {
    // the shim's whole call (argument grids, parsing, engine, result) bounds the engine side from above
    const what = `=RIM.WEIGHT() on ${e.fn.rows.toLocaleString("en-US")} rows < ${FN_GOAL_MS} ms engine side`;
    if (e.fn.error) goals.push({ goal: what, met: null, detail: e.fn.error.slice(0, 200) });
    else {
      const b = e.fn.best;
      goals.push({
        goal: what,
        met: b.wholeCallMs < FN_GOAL_MS ? true : null,
        detail: `whole call ${fmtMs(b.wholeCallMs)} (an upper bound of the engine side: the page has no hook into the engine call)`,
      });
    }
  }
  return goals;
}

// ---------------------------------------------------------------------------------------------------------

/**
 * A run of a subset (--only) keeps the README complete: what it did not measure is taken from the saved run
 * of the same scale (bench/results/bench-s<scale>.json), and the report says so.
 */
function carryOver(res, args) {
  const file = path.join(RESULTS, `bench-s${args.scale}.json`);
  if (!fs.existsSync(file)) return;
  let saved;
  try {
    saved = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch {
    return;
  }
  const carried = [];
  for (const [id, p] of Object.entries(saved.problems || {})) {
    if (res.problems[id]) continue;
    res.problems[id] = p;
    carried.push(id);
  }
  if (!args.only.includes("A") && saved.peers && saved.peers.length && !res.peers.length) {
    res.peers = saved.peers;
    carried.push("peers");
  }
  const se = saved.e2e;
  if (se && !se.error) {
    if (!res.e2e) {
      res.e2e = se;
      carried.push("E2E/FN");
    } else {
      if (!args.only.includes("E2E") && se.runs && se.runs.length && !(res.e2e.runs || []).length) {
        res.e2e.runs = se.runs;
        carried.push("E2E");
      }
      if (!args.only.includes("FN") && se.fn && !res.e2e.fn) {
        res.e2e.fn = se.fn;
        carried.push("FN");
      }
    }
  }
  const sa = saved.advisor;
  if (!args.only.includes("ADV") && sa && !sa.error && !sa.notMeasured) {
    res.advisor = sa;
    carried.push("ADV");
  }
  if (carried.length) res.carried = { from: saved.date, items: carried };
}

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
  const res = {
    date: new Date().toISOString(),
    scale: args.scale,
    repeat: args.repeat,
    machine: machine(),
    problems: {},
    peers: [],
    goals: [],
    pending: [],
  };
  const cores = res.machine.cores;
  const dirs = {};
  const problemIds = args.only.filter((id) => ["A", "B", "C"].includes(id));
  for (const id of problemIds) dirs[id] = ensureProblem(DATA, id, args.scale, log);

  let nativeWhy = !problemIds.length
    ? "no problem selected"
    : args.native
      ? await buildNative()
      : "skipped (--no-native)";
  if (nativeWhy && problemIds.length) res.pending.push(`native Rust: ${nativeWhy}`);
  const browserMod = require("./browser/run");
  const browserWhy = args.browser ? browserMod.unavailableReason() : "skipped (--no-browser)";
  const threadCounts = [...new Set([1, 2, cores])];

  for (const id of problemIds) {
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
          r.label = r.error
            ? `wasm-threads (Chromium), ${r.requestedThreads ?? "?"} threads`
            : `wasm-threads (Chromium), ${r.threads} thread${r.threads === 1 ? "" : "s"}`;
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
  if (browserWhy && problemIds.length) res.pending.push(`threaded wasm in Chromium: ${browserWhy}`);
  if (args.only.includes("ADV")) res.advisor = await advisor(args, browserMod, browserWhy, cores);
  const wantE2E = args.only.includes("E2E");
  const wantFn = args.only.includes("FN");
  if (wantE2E || wantFn) {
    if (!args.browser) res.pending.push("end to end (E2E, FN): skipped (--no-browser)");
    else res.e2e = await endToEnd(args, { e2e: wantE2E, fn: wantFn });
  }
  carryOver(res, args);
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

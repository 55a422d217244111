"use strict";
/**
 * Deterministic benchmark problems (seeded PRNG), written once under bench/data/s<scale>/<A|B|C>/:
 *   meta.txt     line format read by engine-rs/examples/bench.rs (see writeMeta)
 *   meta.json    the same for the JS side
 *   codes.u8     the variables' codes, column after column (n bytes each), then the group codes (n bytes, C only)
 *   base.f64     base weights, little-endian f64 (B only)
 *   data.csv     one row per respondent for the peers: v1..v8[,grp][,base]
 *   targets.csv  variable,category,group,target   (group empty = all groups)
 *   shares.csv   group,share (C only)
 *
 *   A: 1,000,000 respondents × 8 variables (2–12 categories), skewed sample, no caps
 *   B: A's sample with caps (min 0.3, max 3) and varying base weights (respondent-level path)
 *   C: 20 groups × 50,000 respondents, per-group targets and shares
 * `scale` multiplies the respondent counts (0.1 → 100k, 20 × 5k).
 */
const fs = require("fs");
const path = require("path");
// The tests' mulberry32, so the bench, the tests and the playground draw from one PRNG.
require("tsx/cjs");
const { prng } = require("../tests/engine/generate");

const CATEGORIES = [2, 3, 4, 5, 6, 8, 10, 12];
const SEED = 20240611;
const FORMAT = 3; // bump when the generator changes: data dirs with another format are rewritten

function normalGen(rand) {
  let spare = null;
  return () => {
    if (spare !== null) {
      const s = spare;
      spare = null;
      return s;
    }
    let u = 0;
    while (u === 0) u = rand();
    const v = rand();
    const r = Math.sqrt(-2 * Math.log(u));
    spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  };
}

/** Standard normal CDF (Abramowitz–Stegun 7.1.26 via erf), accurate to ~1e-7: plenty for sampling. */
function phi(x) {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const y =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-z * z);
  return x >= 0 ? 0.5 * (1 + y) : 0.5 * (1 - y);
}

/** Random proportions over k categories, each ≥ floor, summing to exactly 1 (last one absorbs rounding). */
function proportions(rand, k, floor = 0.03) {
  const raw = Array.from({ length: k }, () => 0.2 + rand());
  const s = raw.reduce((a, b) => a + b, 0);
  const p = raw.map((x) => floor + ((1 - floor * k) * x) / s);
  const head = p.slice(0, -1).reduce((a, b) => a + b, 0);
  p[k - 1] = 1 - head;
  return p;
}

/** The sample's distribution: the targets tilted towards the low categories (a skewed sample). */
function skewed(targets, strength) {
  const k = targets.length;
  const w = targets.map((t, c) => t * Math.exp(strength * (0.5 - c / Math.max(1, k - 1))));
  const s = w.reduce((a, b) => a + b, 0);
  return w.map((x) => x / s);
}

function cumulative(p) {
  const c = [];
  let s = 0;
  for (const x of p) c.push((s += x));
  c[c.length - 1] = 1;
  return c;
}

/**
 * Codes with a Gaussian copula: each respondent has a latent z; variable v's uniform is Φ(ρ z + √(1−ρ²) e),
 * so the variables are correlated (as age, education, income are), which makes raking take several passes.
 */
function sampleCodes(rand, normal, n, dists, rho, groupOf) {
  const V = CATEGORIES.length;
  const cols = CATEGORIES.map(() => new Uint8Array(n));
  const cums = dists.map((byGroup) => byGroup.map(cumulative));
  const s = Math.sqrt(1 - rho * rho);
  for (let i = 0; i < n; i++) {
    const z = normal();
    const g = groupOf ? groupOf(i) : 0;
    for (let v = 0; v < V; v++) {
      const u = phi(rho * z + s * normal());
      const cum = cums[v][g];
      let c = 0;
      while (c < cum.length - 1 && u > cum[c]) c++;
      cols[v][i] = c;
    }
  }
  return cols;
}

function makeProblem(id, scale) {
  const rand = prng(SEED + id.charCodeAt(0));
  const normal = normalGen(rand);
  const grouped = id === "C";
  const nGroups = grouped ? 20 : 1;
  const perGroup = Math.max(100, Math.round((grouped ? 50000 : 1000000) * scale));
  const n = perGroup * nGroups;
  // Targets: whole-sample targets, and for C one perturbed set per group.
  const base = CATEGORIES.map((k) => proportions(rand, k));
  const targetsByGroup = CATEGORIES.map((k, v) =>
    Array.from({ length: nGroups }, () => {
      if (!grouped) return base[v];
      const p = base[v].map((t) => t * (0.7 + 0.6 * rand()));
      const s = p.reduce((a, b) => a + b, 0);
      const q = p.map((x) => x / s);
      q[k - 1] = 1 - q.slice(0, -1).reduce((a, b) => a + b, 0);
      return q;
    }),
  );
  const dists = CATEGORIES.map((k, v) => targetsByGroup[v].map((t) => skewed(t, 0.9 + 0.4 * rand())));
  const groupOf = grouped ? (i) => i % nGroups : null;
  const cols = sampleCodes(rand, normal, n, dists, 0.5, groupOf);
  let groupCodes = null;
  let shares = null;
  if (grouped) {
    groupCodes = new Uint8Array(n);
    for (let i = 0; i < n; i++) groupCodes[i] = i % nGroups;
    shares = proportions(rand, nGroups, 0.02);
  }
  let baseWeights = null;
  if (id === "B") {
    baseWeights = new Float64Array(n);
    for (let i = 0; i < n; i++) baseWeights[i] = Math.exp(0.35 * normal());
  }
  return {
    id,
    n,
    categories: CATEGORIES,
    targets: grouped ? null : base,
    targetsByGroup: grouped ? targetsByGroup : null,
    nGroups,
    shares,
    caps: id === "B" ? { min: 0.3, max: 3 } : null,
    tolerance: 1e-6,
    maxIterations: 1000,
    cols,
    groupCodes,
    baseWeights,
  };
}

function fmt(x) {
  return x.toPrecision(17);
}

function writeMeta(dir, p) {
  const lines = [`format ${FORMAT}`, `n ${p.n}`, `tolerance ${p.tolerance}`, `max_iterations ${p.maxIterations}`];
  if (p.caps) lines.push(`caps ${p.caps.min} ${p.caps.max}`);
  if (p.baseWeights) lines.push("base base.f64");
  p.categories.forEach((k, v) => {
    lines.push(`variable v${v + 1} ${k} ${(p.targets ? p.targets[v] : p.targetsByGroup[v][0]).map(fmt).join(" ")}`);
  });
  if (p.nGroups > 1) {
    lines.push(`group grp ${p.nGroups} ${p.shares.map(fmt).join(" ")}`);
    p.categories.forEach((k, v) =>
      p.targetsByGroup[v].forEach((t, g) => lines.push(`group_targets ${v} ${g} ${t.map(fmt).join(" ")}`)),
    );
  }
  fs.writeFileSync(path.join(dir, "meta.txt"), lines.join("\n") + "\n");
  const json = {
    ...p,
    cols: undefined,
    groupCodes: undefined,
    baseWeights: undefined,
    hasBase: !!p.baseWeights,
    format: FORMAT,
  };
  fs.writeFileSync(path.join(dir, "meta.json"), JSON.stringify(json, null, 1));
}

function writeBinary(dir, p) {
  const parts = [...p.cols];
  if (p.groupCodes) parts.push(p.groupCodes);
  fs.writeFileSync(
    path.join(dir, "codes.u8"),
    Buffer.concat(parts.map((c) => Buffer.from(c.buffer, c.byteOffset, c.byteLength))),
  );
  if (p.baseWeights) fs.writeFileSync(path.join(dir, "base.f64"), Buffer.from(p.baseWeights.buffer));
}

function writeCsv(dir, p) {
  const header = p.categories.map((_, v) => `v${v + 1}`);
  if (p.groupCodes) header.push("grp");
  if (p.baseWeights) header.push("base");
  const fd = fs.openSync(path.join(dir, "data.csv"), "w");
  fs.writeSync(fd, header.join(",") + "\n");
  const CHUNK = 50000;
  for (let start = 0; start < p.n; start += CHUNK) {
    const rows = [];
    for (let i = start; i < Math.min(p.n, start + CHUNK); i++) {
      let row = "";
      for (let v = 0; v < p.cols.length; v++) row += (v ? "," : "") + p.cols[v][i];
      if (p.groupCodes) row += "," + p.groupCodes[i];
      if (p.baseWeights) row += "," + fmt(p.baseWeights[i]);
      rows.push(row);
    }
    fs.writeSync(fd, rows.join("\n") + "\n");
  }
  fs.closeSync(fd);
  const t = ["variable,category,group,target"];
  p.categories.forEach((k, v) => {
    if (p.targets) p.targets[v].forEach((x, c) => t.push(`v${v + 1},${c},,${fmt(x)}`));
    else p.targetsByGroup[v].forEach((tg, g) => tg.forEach((x, c) => t.push(`v${v + 1},${c},${g},${fmt(x)}`)));
  });
  fs.writeFileSync(path.join(dir, "targets.csv"), t.join("\n") + "\n");
  if (p.shares)
    fs.writeFileSync(
      path.join(dir, "shares.csv"),
      ["group,share", ...p.shares.map((s, g) => `${g},${fmt(s)}`)].join("\n") + "\n",
    );
}

/** Writes problem `id` at `scale` unless already there; returns its directory. */
function ensureProblem(root, id, scale, log = () => {}) {
  const dir = path.join(root, `s${scale}`, id);
  const metaFile = path.join(dir, "meta.json");
  if (fs.existsSync(metaFile) && fs.existsSync(path.join(dir, "data.csv"))) {
    try {
      if (JSON.parse(fs.readFileSync(metaFile, "utf8")).format === FORMAT) return dir;
    } catch {
      /* rewrite */
    }
  }
  fs.mkdirSync(dir, { recursive: true });
  const t0 = Date.now();
  const p = makeProblem(id, scale);
  writeBinary(dir, p);
  writeCsv(dir, p);
  writeMeta(dir, p); // last: its presence marks a complete directory
  log(`generated ${id} (n=${p.n}) in ${Date.now() - t0} ms → ${path.relative(process.cwd(), dir)}`);
  return dir;
}

/** Reads a generated problem back as an engine Problem (contract.ts shapes) plus its Options. */
function loadProblem(dir) {
  const meta = JSON.parse(fs.readFileSync(path.join(dir, "meta.json"), "utf8"));
  const buf = fs.readFileSync(path.join(dir, "codes.u8"));
  const n = meta.n;
  const variables = meta.categories.map((k, v) => {
    const codes = new Uint8Array(buf.buffer, buf.byteOffset + v * n, n);
    const variable = {
      name: `v${v + 1}`,
      categories: Array.from({ length: k }, (_, c) => String(c)),
      codes,
      targets: Float64Array.from(meta.targets ? meta.targets[v] : meta.targetsByGroup[v][0]),
    };
    if (meta.targetsByGroup) variable.targetsByGroup = meta.targetsByGroup[v].map((t) => Float64Array.from(t));
    return variable;
  });
  const problem = { n, variables };
  if (meta.nGroups > 1) {
    problem.group = {
      name: "grp",
      labels: Array.from({ length: meta.nGroups }, (_, g) => String(g)),
      codes: new Uint8Array(buf.buffer, buf.byteOffset + meta.categories.length * n, n),
      shares: Float64Array.from(meta.shares),
    };
  }
  if (fs.existsSync(path.join(dir, "base.f64"))) {
    const b = fs.readFileSync(path.join(dir, "base.f64"));
    problem.baseWeights = new Float64Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
  }
  const options = { tolerance: meta.tolerance, maxIterations: meta.maxIterations, missing: "error" };
  if (meta.caps) options.caps = { ...meta.caps };
  return { meta, problem, options };
}

module.exports = { ensureProblem, loadProblem, makeProblem, CATEGORIES };

if (require.main === module) {
  const scale = Number(process.argv[2] || 1);
  const root = path.join(__dirname, "data");
  for (const id of ["A", "B", "C"]) ensureProblem(root, id, scale, console.log);
}

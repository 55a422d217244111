// The end-to-end bench's page side (bench/e2e/README.md): bundled into dist/ through the playground's engine
// hooks chunk (playground/engine-hooks.ts re-exports `rimBench`), so what it times is the production
// build of the task pane's orchestration (taskpane/run.ts runWeighting, the call the Run button makes through
// taskpane/actions.ts), the shared engine client (the same Worker and backend as the pane and =RIM.WEIGHT()),
// and the registered RIM.WEIGHT function. It adds no code path to what it measures: stages are taken from
// runWeighting's own onProgress reports, the engine is the shared client behind a timing wrapper, and the fake
// host's context.sync is timed from outside (its prototype method wrapped for the duration of a run).
import { prng } from "../../tests/engine/generate"; // mulberry32, the same as bench/gen.js
import type { BackendInfo, Options, Problem, RakeResult } from "../../engine/contract";
import { sharedEngineClient } from "../../engine/runtime/shared-client";
import { emptyScheme, type SavedScheme } from "../../taskpane/saved-scheme";
import { runWeighting, type Progress, type RunEngine, type Stage } from "../../taskpane/run";

/** What the page needs of the fake host (tests/fake-excel FakeHost; the playground's window.rimPlayground.host). */
interface BenchHost {
  workbook: {
    sheetNames(): string[];
    addSheet(name: string): void;
    deleteSheet(name: string): void;
    setValues(sheet: string, address: string, values: unknown[][], opts?: { raw?: boolean }): void;
    getValues(sheet: string, address: string): unknown[][];
    activate(name: string): void;
    counters: Record<string, number>;
    resetCounters(): void;
    mode: "web" | "desktop";
    limits: { payloadLimitBytes: number; maxCellsPerRead: number };
  };
  functions: {
    invoke(
      id: string,
      args: unknown[],
      opts?: { address?: string; parameterAddresses?: string[]; parameterCount?: number },
    ): { outcome(): Promise<{ value?: unknown; error?: string; message?: string }> };
  };
}

export interface BenchVariable {
  name: string;
  /** categories are the codes 1…k in the cells (numbers, as an SPSS export has them) */
  categories: number;
  /** target proportions, one per category */
  targets: number[];
}

export interface BenchSeedOptions {
  /** respondents (rows below the header) */
  rows: number;
  variables: BenchVariable[];
  /** the codes 0…k−1, column after column, `rowsInCodes` bytes per variable (bench/gen.js codes.u8), base64 */
  codesBase64: string;
  rowsInCodes: number;
  /** also a base weight column (exp(0.35 z), seeded) after the variables; default false */
  baseWeight?: boolean;
}

export interface BenchSeeded {
  dataAddress: string;
  targetsAddress: string;
  columns: number;
  seedMs: number;
}

export const DATA_SHEET = "Data";
export const SCHEME_SHEET = "Scheme";

let seeded: (BenchSeeded & { rows: number; variables: BenchVariable[]; baseWeight: boolean }) | null = null;

function host(): BenchHost {
  const h =
    (window as unknown as { rimPlayground?: { host: BenchHost }; __rimFake?: BenchHost }).rimPlayground?.host ??
    (window as unknown as { __rimFake?: BenchHost }).__rimFake;
  if (!h) throw new Error("rimBench: no fake Excel host on this page");
  return h;
}

function columnLetter(c: number): string {
  let s = "";
  for (let x = c + 1; x > 0; x = Math.floor((x - 1) / 26)) s = String.fromCharCode(65 + ((x - 1) % 26)) + s;
  return s;
}

function decodeBase64(b64: string): Uint8Array {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/**
 * Fills sheet "Data" (header v1…vK [base], then `rows` rows of numeric codes 1…k) and sheet "Scheme" (the long
 * target table variable | category | target, proportions). Replaces what an earlier seed wrote. Not timed as
 * part of a run.
 */
export function seed(options: BenchSeedOptions): BenchSeeded {
  const t0 = performance.now();
  const wb = host().workbook;
  const { rows, variables } = options;
  const codes = decodeBase64(options.codesBase64);
  if (rows > options.rowsInCodes || codes.length < variables.length * options.rowsInCodes)
    throw new Error("rimBench.seed: not enough codes for the rows asked");
  for (const name of [DATA_SHEET, SCHEME_SHEET]) {
    if (wb.sheetNames().includes(name)) wb.deleteSheet(name);
    wb.addSheet(name);
  }
  const baseWeight = !!options.baseWeight;
  const columns = variables.length + (baseWeight ? 1 : 0);
  const grid: (string | number)[][] = new Array(rows + 1);
  grid[0] = [...variables.map((v) => v.name), ...(baseWeight ? ["base"] : [])];
  const rand = prng(20240611);
  for (let i = 0; i < rows; i++) {
    const row = new Array<number>(columns);
    for (let v = 0; v < variables.length; v++) row[v] = codes[v * options.rowsInCodes + i] + 1;
    if (baseWeight) {
      // exp(0.35 z) with z from Box–Muller, rounded like a survey file's design weight
      const z = Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
      row[variables.length] = Math.round(Math.exp(0.35 * z) * 10000) / 10000;
    }
    grid[i + 1] = row;
  }
  // written in slices so that no single call holds two copies of a million rows
  const SLICE = 100_000;
  for (let r = 0; r < grid.length; r += SLICE)
    wb.setValues(DATA_SHEET, `A${r + 1}`, grid.slice(r, r + SLICE), { raw: true });
  const targets: (string | number)[][] = [["variable", "category", "target"]];
  for (const v of variables) v.targets.forEach((t, c) => targets.push([v.name, c + 1, t]));
  wb.setValues(SCHEME_SHEET, "A1", targets, { raw: true });
  wb.activate(DATA_SHEET);
  const out = {
    dataAddress: `${DATA_SHEET}!A1:${columnLetter(columns - 1)}${rows + 1}`,
    targetsAddress: `${SCHEME_SHEET}!A1:C${targets.length}`,
    columns,
    seedMs: performance.now() - t0,
  };
  seeded = { ...out, rows, variables, baseWeight };
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Timing the fake host's context.sync (the stand-in for Excel's side of each request)

interface SyncTiming {
  ms: number;
  count: number;
}

type SyncFn = (this: unknown, ...args: unknown[]) => Promise<unknown>;

/** Wraps Excel.RequestContext's sync for the duration of `task`; `bucket()` names where each sync's time goes. */
/** Request and response bytes of every sync, as the host measured them. */
interface WireBytes {
  request: number;
  response: number;
  maxRequest: number;
  maxResponse: number;
}

async function timingSyncs<T>(
  bucket: () => string,
  sink: Map<string, SyncTiming>,
  wire: WireBytes,
  latencyMs: number,
  task: () => Promise<T>,
): Promise<T> {
  const counters = host().workbook.counters;
  const excel = (window as unknown as { Excel?: { RequestContext?: { prototype: object } } }).Excel;
  let proto: { sync?: SyncFn } | null = excel?.RequestContext?.prototype ?? null;
  while (proto && !Object.prototype.hasOwnProperty.call(proto, "sync")) proto = Object.getPrototypeOf(proto);
  if (!proto || typeof proto.sync !== "function") return task();
  const original = proto.sync;
  const owner = proto;
  owner.sync = async function (this: unknown, ...args: unknown[]) {
    const key = bucket();
    const t0 = performance.now();
    // A simulated round trip to Excel's servers: Excel on the web answers every sync over the network.
    if (latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, latencyMs));
    try {
      return await original.apply(this, args);
    } finally {
      wire.request += counters.lastRequestBytes;
      wire.response += counters.lastResponseBytes;
      wire.maxRequest = Math.max(wire.maxRequest, counters.lastRequestBytes);
      wire.maxResponse = Math.max(wire.maxResponse, counters.lastResponseBytes);
      const t = sink.get(key) ?? { ms: 0, count: 0 };
      t.ms += performance.now() - t0;
      t.count++;
      sink.set(key, t);
    }
  };
  try {
    return await task();
  } finally {
    owner.sync = original;
  }
}

// ---------------------------------------------------------------------------------------------------------
// The engine behind a timing wrapper

interface EngineTiming {
  /** page-side: the whole rake call (transfer in, worker, transfer out, result decoding) */
  callMs: number;
  /** worker-side: RakeResult.elapsedMs (the rake inside the worker, as the engine measures it) */
  rakeMs: number;
  result: RakeResult | null;
}

function timedEngine(timing: EngineTiming): RunEngine {
  const client = sharedEngineClient();
  return {
    async rake(problem: Problem, options: Options, call?: { signal?: AbortSignal }) {
      const t0 = performance.now();
      const result = await client.rake(problem, options, call);
      timing.callMs += performance.now() - t0;
      timing.rakeMs += result.elapsedMs;
      timing.result = result;
      return result;
    },
  };
}

/** Starts the shared engine (worker, backend selection, thread pool) and says how long that took. */
export async function engineStart(): Promise<{ ms: number; info: BackendInfo }> {
  const t0 = performance.now();
  const info = await sharedEngineClient().backend();
  return { ms: performance.now() - t0, info };
}

// ---------------------------------------------------------------------------------------------------------
// One run of the task pane's flow

export interface BenchStages {
  /** first progress report of each stage to the next, from runWeighting's onProgress (milliseconds) */
  reading: number;
  /** reading's context.sync time in the fake host (Excel's side) … */
  readingHost: number;
  /** … and the rest: requests, and each block's cells packed into compact columns as it arrives */
  readingEncode: number;
  /** from the last row read to the engine call: columns → scheme (scheme/scheme.ts parseScheme) → problem */
  parsing: number;
  /** the engine call seen from the page (postMessage in, rake, weights back) */
  weighting: number;
  /** RakeResult.elapsedMs inside the worker */
  rakeInWorker: number;
  /** weighting − rakeInWorker: transfer and decoding */
  engineOverhead: number;
  /** after the engine: placement check + weights per row (before the first weight is written) */
  afterEngine: number;
  writing: number;
  writingHost: number;
  diagnostics: number;
  diagnosticsHost: number;
  total: number;
  /** every context.sync of the run, in the fake host */
  hostTotal: number;
  /** total − hostTotal: the add-in's own time (page + engine) */
  addinTotal: number;
  syncs: number;
}

export interface BenchRun {
  stages: BenchStages;
  backend: string;
  threads: number;
  status: string;
  iterations: number;
  maxResidual: number;
  weightAddress: string;
  readBlocks: number;
  readHalvings: number;
  readBlockRows: number;
  writeBlocks: number;
  writeHalvings: number;
  writeBlockRows: number;
  payloadErrors: number;
  maxRequestBytes: number;
  maxResponseBytes: number;
  /** the add-in's own count of its reads and writes of the data and the weights (refused ones included) */
  readSyncs: number;
  writeSyncs: number;
  /** the add-in's estimate of the response bytes it read and the request bytes it wrote */
  readBytes: number;
  writeBytes: number;
  /** Σ request + response bytes of every sync of the run, as the host measured them */
  wireBytes: number;
  /** syncs per stage of the run (reading, weighting, writing, diagnostics) */
  syncsByStage: Record<string, number>;
  /** the simulated round trip added to every sync (0: none) */
  syncLatencyMs: number;
  /** Σ weights read back from the sheet after the run (not timed) */
  weightSum: number;
  weightsWritten: number;
}

export interface BenchRunOptions {
  /** skip the diagnostics sheet (default false: the pane writes it) */
  skipDiagnostics?: boolean;
  /** read the weight column back afterwards to check it (default true; not timed) */
  check?: boolean;
  /** wait this long before every sync, as a round trip to Excel on the web's servers would (default 0) */
  syncLatencyMs?: number;
}

/** runWeighting as the Run button calls it (taskpane/actions.ts), on the seeded sheets, timed per stage. */
export async function run(options: BenchRunOptions = {}): Promise<BenchRun> {
  if (!seeded) throw new Error("rimBench.run: seed first");
  const h = host();
  const saved: SavedScheme = {
    ...emptyScheme(),
    dataAddress: seeded.dataAddress,
    targetsAddress: seeded.targetsAddress,
    baseColumn: seeded.baseWeight ? "base" : "",
  };
  const engine: EngineTiming = { callMs: 0, rakeMs: 0, result: null };
  const first = new Map<Stage, number>();
  let stage: Stage | "start" = "start";
  let lastReading = 0;
  const syncs = new Map<string, SyncTiming>();
  const onProgress = (p: Progress) => {
    const now = performance.now();
    if (!first.has(p.stage)) first.set(p.stage, now);
    if (p.stage === "reading") lastReading = now;
    stage = p.stage;
  };
  h.workbook.resetCounters();
  const wire: WireBytes = { request: 0, response: 0, maxRequest: 0, maxResponse: 0 };
  const syncLatencyMs = options.syncLatencyMs ?? 0;
  const t0 = performance.now();
  const outcome = await timingSyncs(
    () => (stage === "start" ? "reading" : stage),
    syncs,
    wire,
    syncLatencyMs,
    () =>
      runWeighting(saved, {
        engine: timedEngine(engine),
        confirmReplace: async () => "replace",
        onProgress,
        skipDiagnostics: options.skipDiagnostics,
      }),
  );
  const t1 = performance.now();
  const counters = { ...h.workbook.counters };
  const at = (s: Stage, fallback: number) => first.get(s) ?? fallback;
  const tWeighting = at("weighting", t1);
  const tWriting = at("writing", t1);
  const tDiagnostics = at("diagnostics", t1);
  const sync = (k: string) => syncs.get(k)?.ms ?? 0;
  const hostTotal = [...syncs.values()].reduce((s, x) => s + x.ms, 0);
  const readingEnd = lastReading || tWeighting;
  const stages: BenchStages = {
    reading: readingEnd - t0,
    readingHost: sync("reading"),
    readingEncode: readingEnd - t0 - sync("reading"),
    parsing: tWeighting - readingEnd,
    weighting: engine.callMs,
    rakeInWorker: engine.rakeMs,
    engineOverhead: engine.callMs - engine.rakeMs,
    afterEngine: tWriting - tWeighting - engine.callMs,
    writing: tDiagnostics - tWriting,
    writingHost: sync("writing"),
    diagnostics: t1 - tDiagnostics,
    diagnosticsHost: sync("diagnostics"),
    total: t1 - t0,
    hostTotal,
    addinTotal: t1 - t0 - hostTotal,
    syncs: [...syncs.values()].reduce((s, x) => s + x.count, 0),
  };
  const syncsByStage = Object.fromEntries([...syncs].map(([k, t]) => [k, t.count]));
  const result = outcome.result;
  let weightSum = Number.NaN;
  let weightsWritten = 0;
  if (options.check !== false) {
    const [sheet, range] = outcome.weightAddress.split("!");
    const column = h.workbook.getValues(sheet, range);
    weightSum = 0;
    for (let i = 1; i < column.length; i++) {
      const w = column[i][0];
      if (typeof w === "number") {
        weightSum += w;
        weightsWritten++;
      }
    }
  }
  return {
    stages,
    backend: result.backend,
    threads: result.threads,
    status: result.status,
    iterations: result.iterations,
    maxResidual: result.maxResidual,
    weightAddress: outcome.weightAddress,
    readBlocks: outcome.readStats.blocks,
    readHalvings: outcome.readStats.halvings,
    readBlockRows: outcome.readStats.blockRows,
    writeBlocks: outcome.writeStats.blocks,
    writeHalvings: outcome.writeStats.halvings,
    writeBlockRows: outcome.writeStats.blockRows,
    payloadErrors: counters.payloadErrors,
    maxRequestBytes: counters.maxRequestBytes,
    maxResponseBytes: counters.maxResponseBytes,
    readSyncs: outcome.readStats.syncs,
    writeSyncs: outcome.writeStats.syncs,
    readBytes: outcome.readStats.bytes,
    writeBytes: outcome.writeStats.bytes,
    wireBytes: wire.request + wire.response,
    syncsByStage,
    syncLatencyMs,
    weightSum,
    weightsWritten,
  };
}

// ---------------------------------------------------------------------------------------------------------
// =RIM.WEIGHT() through the fake host's CustomFunctions invoke helper

export interface BenchFunctionRun {
  /** invoke → the cell's outcome (parsing the arguments, the engine, the weight column) */
  wholeCallMs: number;
  /** the engine call seen from the page */
  engineCallMs: number;
  /** RakeResult.elapsedMs inside the worker */
  rakeInWorkerMs: number;
  rows: number;
  backend: string;
  threads: number;
  status: string;
  iterations: number;
  error?: string;
}

/**
 * Calls the registered WEIGHT function (functions/functions.ts, associated with the fake host on import) on
 * the first `rows` rows of the seeded data, as Excel would pass the ranges (values grids + parameter
 * addresses). The shared client's rake is wrapped for the call to time the engine side.
 */
export async function weightFunction(options: { rows: number }): Promise<BenchFunctionRun> {
  if (!seeded) throw new Error("rimBench.weightFunction: seed first");
  await import(/* webpackChunkName: "playground-functions" */ "../../functions/functions");
  const h = host();
  const rows = Math.min(options.rows, seeded.rows);
  const last = columnLetter(seeded.columns - 1);
  const dataAddress = `${DATA_SHEET}!A1:${last}${rows + 1}`;
  const data = h.workbook.getValues(DATA_SHEET, `A1:${last}${rows + 1}`);
  const targets = h.workbook.getValues(SCHEME_SHEET, seeded.targetsAddress.split("!")[1]);
  const options3 = seeded.baseWeight ? [["base", "base"]] : null;
  const client = sharedEngineClient() as { rake: RunEngine["rake"] };
  const original = client.rake;
  const timing: EngineTiming = { callMs: 0, rakeMs: 0, result: null };
  client.rake = async (problem, opts, call) => {
    const t0 = performance.now();
    const result = await original.call(client, problem, opts, call);
    timing.callMs += performance.now() - t0;
    timing.rakeMs += result.elapsedMs;
    timing.result = result;
    return result;
  };
  try {
    const t0 = performance.now();
    const outcome = await h.functions
      .invoke("WEIGHT", [data, targets, options3], {
        address: `${DATA_SHEET}!${columnLetter(seeded.columns + 1)}2`,
        parameterAddresses: [dataAddress, seeded.targetsAddress, ""],
        parameterCount: 3,
      })
      .outcome();
    const wholeCallMs = performance.now() - t0;
    const r = timing.result;
    const value = outcome.value;
    const error = outcome.error
      ? `${outcome.error}${outcome.message ? `: ${outcome.message}` : ""}`
      : !Array.isArray(value) || value.length !== rows
        ? `expected ${rows} weights, got ${Array.isArray(value) ? value.length : typeof value}`
        : undefined;
    return {
      wholeCallMs,
      engineCallMs: timing.callMs,
      rakeInWorkerMs: timing.rakeMs,
      rows,
      backend: r?.backend ?? "?",
      threads: r?.threads ?? 0,
      status: r?.status ?? "?",
      iterations: r?.iterations ?? 0,
      ...(error ? { error } : {}),
    };
  } finally {
    client.rake = original;
  }
}

export interface HostInfo {
  mode: string;
  payloadLimitBytes: number;
  maxCellsPerRead: number;
  crossOriginIsolated: boolean;
  hardwareConcurrency: number;
  userAgent: string;
}

export function hostInfo(): HostInfo {
  const wb = host().workbook;
  return {
    mode: wb.mode,
    payloadLimitBytes: wb.limits.payloadLimitBytes,
    maxCellsPerRead: wb.limits.maxCellsPerRead,
    crossOriginIsolated: globalThis.crossOriginIsolated === true,
    hardwareConcurrency: navigator.hardwareConcurrency,
    userAgent: navigator.userAgent,
  };
}

/** The hook object (also window.__rimBench on a page opened with ?bench=1). */
export const rimBench = { seed, run, weightFunction, engineStart, hostInfo };

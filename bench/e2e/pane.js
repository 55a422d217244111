"use strict";
/**
 * The task pane end to end on the Excel host emulator (tests/host): dist/taskpane.html with Microsoft's own
 * Excel client library (web flavour: 5 MB request/response payloads), driven by its visible controls as a user
 * would: ranges from the selection, "Run weighting", "Replace" on later runs. Stage times come from the pane's
 * own progress label (taskpane/components/RunPanel.tsx), watched by a MutationObserver in the page; every
 * request passes through a wrapper around the emulator's RichApi channel that stamps it with the stage it was
 * sent in and, for the latency row, holds its answer back `syncLatencyMs`. "host" = the emulator's time
 * answering (tests/host/channel.ts WireRecord.hostMs); "add-in" = total − host.
 */

/** Page side: fills sheets "Data" (v1…vK, numeric codes 1…k) and "Scheme" (variable | category | target). */
function seedInPage({ codesBase64, rowsInCodes, rows, variables }) {
  const t0 = performance.now();
  const wb = window.__rimHost.workbook;
  const bin = atob(codesBase64);
  const grid = new Array(rows + 1);
  grid[0] = variables.map((v) => v.name);
  for (let i = 0; i < rows; i++) {
    const row = new Array(variables.length);
    for (let v = 0; v < variables.length; v++) row[v] = bin.charCodeAt(v * rowsInCodes + i) + 1;
    grid[i + 1] = row;
  }
  wb.addSheet("Data");
  // in slices, so no single call holds a second copy of a million rows
  for (let r = 0; r < grid.length; r += 100_000) wb.setValues("Data", `A${r + 1}`, grid.slice(r, r + 100_000));
  const targets = [["variable", "category", "target"]];
  for (const v of variables) v.targets.forEach((t, c) => targets.push([v.name, c + 1, t]));
  wb.addSheet("Scheme");
  wb.setValues("Scheme", "A1", targets);
  const last = String.fromCharCode(64 + variables.length);
  return {
    dataAddress: `Data!A1:${last}${rows + 1}`,
    targetsAddress: `Scheme!A1:C${targets.length}`,
    weightColumn: String.fromCharCode(65 + variables.length),
    seedMs: performance.now() - t0,
  };
}

/** Page side: instruments the channel and the progress label once; returns nothing. */
function instrumentInPage() {
  const rich = window.OSF.DDA.RichApi;
  const answer = rich.executeRichApiRequestAsync;
  const bench = (window.__rimPaneBench = { latencyMs: 0, stage: "idle", sends: [], marks: [] });
  rich.executeRichApiRequestAsync = (message, callback) => {
    const send = { stage: bench.stage, wireIndex: window.__rimHost.wire.length, at: performance.now() };
    bench.sends.push(send);
    answer(message, (result) => {
      if (bench.latencyMs > 0) setTimeout(() => callback(result), bench.latencyMs);
      else callback(result);
    });
  };
  const STAGE = {
    "1/3 Reading": "reading",
    "2/3 Weighting": "weighting",
    "3/3 Writing": "writing",
    "3/3 Diagnostics": "diagnostics",
  };
  let lastLabel = "";
  new MutationObserver(() => {
    if (!bench.running) return;
    // "Replace the previous weights?" answered at once, as the playground hooks' confirmReplace did; once per
    // run, since the dialog stays in the DOM while it animates out
    const replace = bench.replaced
      ? undefined
      : [...document.querySelectorAll("[role=dialog] button, [role=alertdialog] button")].find(
          (b) => b.textContent.trim() === "Replace",
        );
    if (replace) {
      bench.replaced = true;
      replace.click();
    }
    const label = [...document.querySelectorAll("label")].map((l) => l.textContent).find((t) => /^\d\/3 \w+: /.test(t));
    if (label && label !== lastLabel) {
      lastLabel = label;
      const stage = STAGE[label.slice(0, label.indexOf(":"))];
      // Reading rows… ends reading; what follows until the weighting label is parsing (columns → problem)
      bench.stage = stage;
      bench.marks.push({ stage, label, at: performance.now() });
    }
    const summary = [...document.querySelectorAll(".fui-Text")].find((t) => /Weights in /.test(t.textContent));
    // the last run's summary stays up until this run reports its first stage
    if (!label && summary && bench.marks.length) {
      bench.running = false;
      bench.done({ at: performance.now(), summary: summary.textContent });
    }
  }).observe(document.body, { childList: true, subtree: true, characterData: true });
}

/** Page side: clicks Run and times the run from the marks and the wire. */
async function runInPage({ latencyMs, weightColumn, rows }) {
  const bench = window.__rimPaneBench;
  bench.latencyMs = latencyMs;
  bench.sends = [];
  bench.marks = [];
  bench.replaced = false;
  bench.stage = "reading";
  const runButton = () =>
    [...document.querySelectorAll("button")].find((b) => b.textContent.trim() === "Run weighting");
  // the pane settles after the last run's summary (busy cleared) before Run takes a click again
  while (!runButton() || runButton().disabled || runButton().getAttribute("aria-disabled") === "true")
    await new Promise((r) => setTimeout(r, 20));
  const run = runButton();
  const finished = new Promise((resolve) => (bench.done = resolve));
  bench.running = true;
  const t0 = performance.now();
  run.click();
  const end = await finished;
  const wire = window.__rimHost.wire;
  const at = (stage) => bench.marks.find((m) => m.stage === stage)?.at;
  const tw = at("weighting");
  const tWr = at("writing");
  const tD = at("diagnostics") ?? end.at;
  // the last "Reading rows" report ends reading; until the weighting report the pane parses (columns →
  // problem). React may batch a short read's reports into one render: then reading includes parsing.
  const readEnd = [...bench.marks].reverse().find((m) => /Reading rows/.test(m.label))?.at;
  const span = (a, b) => (a === undefined || b === undefined ? NaN : b - a);
  const records = bench.sends.map((s) => ({ ...s, ...wire[s.wireIndex] }));
  const hostOf = (stage) => records.filter((r) => r.stage === stage).reduce((s, r) => s + r.hostMs, 0);
  const hostTotal = records.reduce((s, r) => s + r.hostMs, 0);
  const total = end.at - t0;
  const stages = {
    reading: (readEnd ?? tw) - t0,
    readingHost: hostOf("reading"),
    parsing: span(readEnd, tw),
    weighting: span(tw, tWr),
    writing: span(tWr, tD),
    writingHost: hostOf("writing"),
    diagnostics: end.at - tD,
    diagnosticsHost: hostOf("diagnostics"),
    total,
    hostTotal,
    addinTotal: total - hostTotal,
    syncs: records.length,
  };
  const col = window.__rimHost.workbook
    .getValues("Data", `${weightColumn}1:${weightColumn}${rows + 2}`)
    .map((r) => r[0]);
  const w = col.slice(1, rows + 1).filter((x) => typeof x === "number" && x > 0);
  const summary = end.summary;
  const badge = [...document.querySelectorAll("*")].map((e) => e.textContent).find((t) => /^Engine: /.test(t)) ?? "";
  return {
    stages,
    summary,
    engine: badge,
    status: (summary.match(/^(\w+)/) || [])[1],
    iterations: Number((summary.match(/after (\d+) iterations/) || [])[1]),
    weightsWritten: w.length,
    weightSum: w.reduce((s, x) => s + x, 0),
    belowData: col[rows + 1] ?? "",
    payloadErrors: records.filter((r) => r.outcome !== "ok").length,
    readSyncs: records.filter((r) => r.stage === "reading").length,
    writeSyncs: records.filter((r) => r.stage === "writing").length,
    wireBytes: records.reduce((s, r) => s + r.requestBytes + r.responseBytes, 0),
    maxRequestBytes: Math.max(...records.map((r) => r.requestBytes)),
    maxResponseBytes: Math.max(...records.map((r) => r.responseBytes)),
    perSync: records.map((r) => [r.stage, r.requestBytes, r.responseBytes, Math.round(r.hostMs)]),
    syncLatencyMs: latencyMs,
  };
}

/** Page side: =RIM.WEIGHT(data, targets) through the emulator's custom-functions shim, timed whole. */
async function weightFunctionInPage({ dataAddress, targetsAddress }) {
  const t0 = performance.now();
  const outcome = await window.__rimHost.functions.invoke("WEIGHT", [
    { range: dataAddress },
    { range: targetsAddress },
  ]);
  const wholeCallMs = performance.now() - t0;
  if (outcome.error) return { error: `${outcome.error} ${outcome.message ?? ""}` };
  const w = outcome.value.map((r) => r[0]).filter((x) => typeof x === "number");
  return { wholeCallMs, weights: w.length, weightSum: w.reduce((s, x) => s + x, 0) };
}

module.exports = { seedInPage, instrumentInPage, runInPage, weightFunctionInPage };

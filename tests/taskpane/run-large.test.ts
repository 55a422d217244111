// A 100k-row run of the task pane's orchestration against the strict fake host in web mode (5 MB payload
// limit, 5M-cell reads), with the wasm engine as the pane uses it: the weights written into the sheet equal
// the rim CLI's on the same data, the payload limit forces the blocks to shrink and the run still finishes,
// and a user column right of the data is untouched.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { createFakeHost } from "../fake-excel";
import { prng } from "../engine/generate";
import { loadNodeBackend } from "../../engine/runtime/node";
import { formatCsv } from "../../cli/csv";
import { runWeighting, type RunEngine } from "../../taskpane/run";
import { emptyScheme } from "../../taskpane/saved-scheme";

const N = 100_000;
const VARIABLES: { name: string; categories: string[]; targets: number[] }[] = [
  { name: "region", categories: ["North", "South", "East", "West", "Islands"], targets: [28, 22, 25, 20, 5] },
  { name: "gender", categories: ["Female", "Male"], targets: [51, 49] },
  { name: "age", categories: ["18-24", "25-34", "35-44", "45-54", "55-64", "65+"], targets: [11, 17, 17, 18, 16, 21] },
  { name: "education", categories: ["Low", "Middle", "High"], targets: [30, 40, 30] },
];

function survey(): unknown[][] {
  const rand = prng(2024);
  const rows: unknown[][] = [["id", ...VARIABLES.map((v) => v.name), "wt0"]];
  for (let i = 0; i < N; i++) {
    // Skewed: the first categories are over-represented, so the weights really move.
    const codes = VARIABLES.map(
      (v) => v.categories[Math.min(v.categories.length - 1, Math.floor(rand() * rand() * v.categories.length * 1.6))],
    );
    rows.push([i + 1, ...codes, Math.round((0.4 + rand() * 1.2) * 1000) / 1000]);
  }
  return rows;
}

const TARGETS = [
  ["variable", "category", "target"],
  ...VARIABLES.flatMap((v) => v.categories.map((c, k) => [v.name, c, v.targets[k]])),
];

test("100k rows in web mode: same weights as the CLI, every request within 5 MB, user column untouched", async () => {
  const rows = survey();
  const host = createFakeHost({ mode: "web", sheets: { Data: rows, Targets: TARGETS } });
  host.workbook.setValues("Data", "H1", [["notes"], ["keep me"]]);
  const uninstall = host.install(globalThis);
  try {
    const wasm = await loadNodeBackend("wasm");
    const engine: RunEngine = { rake: async (problem, options) => wasm.rake(problem, options) };
    const outcome = await runWeighting(
      {
        ...emptyScheme(),
        dataAddress: `Data!A1:F${N + 1}`,
        targetsAddress: `Targets!A1:C${TARGETS.length}`,
        baseColumn: "wt0",
      },
      { engine, confirmReplace: async () => "replace" },
    );
    expect(outcome.result.status).toBe("converged");
    expect(outcome.result.backend).toBe("wasm");
    expect(outcome.weightAddress).toBe(`Data!G1:G${N + 1}`);
    // The fake host throws above 5 MB; these say no request or answer even came close to being refused.
    expect(host.workbook.counters.maxResponseBytes).toBeLessThanOrEqual(5 * 1024 * 1024);
    expect(host.workbook.counters.maxRequestBytes).toBeLessThanOrEqual(5 * 1024 * 1024);
    const written = host.workbook.getValues("Data", `G1:G${N + 1}`).map((r) => r[0]);
    expect(written[0]).toBe("weight");
    expect(host.workbook.getValues("Data", "H1:H2").map((r) => r[0])).toEqual(["notes", "keep me"]);
    expect(host.workbook.hasSheet("RIM Diagnostics")).toBe(true);

    // The CLI on the same data, as CSV.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rim-large-"));
    fs.writeFileSync(path.join(dir, "data.csv"), formatCsv(rows.map((r) => r.map(String))));
    fs.writeFileSync(path.join(dir, "targets.csv"), formatCsv(TARGETS.map((r) => r.map(String))));
    execFileSync(
      process.execPath,
      [
        path.join(__dirname, "..", "..", "bin", "rim.js"),
        "rake",
        "--data",
        path.join(dir, "data.csv"),
        "--targets",
        path.join(dir, "targets.csv"),
        "--out",
        path.join(dir, "weights.csv"),
        "--base",
        "wt0",
        "--variables",
        VARIABLES.map((v) => v.name).join(","),
      ],
      { stdio: "pipe" },
    );
    const cli = fs.readFileSync(path.join(dir, "weights.csv"), "utf8").trim().split("\n");
    fs.rmSync(dir, { recursive: true, force: true });
    expect(cli[0]).toBe("weight");
    expect(cli.length).toBe(N + 1);
    let worst = 0;
    for (let i = 1; i <= N; i++)
      worst = Math.max(worst, Math.abs(Number(cli[i]) - (written[i] as number)) / Number(cli[i]));
    expect(worst).toBeLessThanOrEqual(1e-12);
  } finally {
    uninstall();
  }
}, 180_000);

test("100k rows with a tight payload limit: reads and writes halve their blocks and still finish", async () => {
  const rows = survey();
  const host = createFakeHost({
    mode: "web",
    sheets: { Data: rows, Targets: TARGETS },
    limits: { payloadLimitBytes: 600_000 },
  });
  const uninstall = host.install(globalThis);
  try {
    const wasm = await loadNodeBackend("wasm");
    const outcome = await runWeighting(
      {
        ...emptyScheme(),
        dataAddress: `Data!A1:F${N + 1}`,
        targetsAddress: `Targets!A1:C${TARGETS.length}`,
        baseColumn: "wt0",
      },
      { engine: { rake: async (p, o) => wasm.rake(p, o) }, confirmReplace: async () => "replace" },
    );
    expect(outcome.readStats.halvings).toBeGreaterThan(0);
    expect(outcome.writeStats.halvings).toBeGreaterThan(0);
    expect(host.workbook.counters.payloadErrors).toBeGreaterThan(0);
    const written = host.workbook.getValues("Data", `G2:G${N + 1}`).map((r) => r[0] as number);
    expect(written.every((w) => typeof w === "number" && w > 0 && Number.isFinite(w))).toBe(true);
    const sum = written.reduce((a, b) => a + b, 0);
    const base = rows.slice(1).reduce((a, r) => a + (r[5] as number), 0);
    expect(Math.abs(sum - base) / base).toBeLessThan(1e-9);
  } finally {
    uninstall();
  }
}, 180_000);

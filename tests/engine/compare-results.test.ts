// The comparator every parity test relies on must see a difference anywhere in a result.
import { RESULT_TOLERANCE, resultDifferences } from "./compare-results";

const result = () => ({
  weights: Float64Array.from([1, 2, 3]),
  status: "converged",
  residualTrace: [0.5, 1e-9],
  summary: { group: null, n: 3, min: 1 },
  groupRuns: [] as unknown[],
  backend: "ts",
  threads: 1,
  elapsedMs: 3,
});

describe("resultDifferences", () => {
  test("equal results, typed array against plain array, run fields ignored", () => {
    const b = { ...result(), weights: [1, 2, 3 * (1 + RESULT_TOLERANCE / 2)], backend: "wasm", threads: 4 };
    const { elapsedMs: _dropped, ...noElapsed } = b;
    expect(resultDifferences(result(), noElapsed)).toEqual([]);
  });

  test("residuals are compared on the proportion scale, weights relative to themselves", () => {
    const b = result();
    b.residualTrace[1] += 1e-16; // 1e-7 relative to a residual of 1e-9, 1e-16 of a proportion
    expect(resultDifferences(result(), b)).toEqual([]);
    b.weights[0] += 1e-11; // 1e-11 relative
    expect(resultDifferences(result(), b)).toEqual([".weights[0]: 1 vs 1.00000000001"]);
  });

  test.each([
    ["a weight", (r: ReturnType<typeof result>) => (r.weights[2] *= 1 + 1e-10), ".weights[2]"],
    ["a nested number", (r: ReturnType<typeof result>) => (r.summary.min = Number.NaN), ".summary.min"],
    ["a null", (r: ReturnType<typeof result>) => ((r.summary as { group: unknown }).group = 0), ".summary.group"],
    ["a length", (r: ReturnType<typeof result>) => r.groupRuns.push({ group: 0 }), ".groupRuns: length"],
    ["a string", (r: ReturnType<typeof result>) => (r.status = "stalled"), ".status"],
    ["a field", (r: ReturnType<typeof result>) => delete (r as Partial<typeof r>).residualTrace, "result: fields"],
  ])("finds %s", (_what, edit, path) => {
    const b = result();
    edit(b);
    const differences = resultDifferences(result(), b);
    expect(differences).toHaveLength(1);
    expect(differences[0]).toContain(path);
  });
});

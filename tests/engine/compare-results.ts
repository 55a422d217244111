// Whole-result comparison for the parity tests (jest: TS, single wasm, native; browser: threaded too):
// every field of two RakeResults, structurally, numbers equal to RESULT_TOLERANCE relative. Only the fields
// that say how a result was made (backend, threads, elapsedMs) are left out.
//
// Residuals and diffPct are differences of nearly equal numbers (achieved − target): weights that agree to
// 1e-16 give residuals that agree to 1e-16 in proportion points, which can be 1e-11 of a residual of 1e-6.
// Those fields are compared relative to the scale of their operands instead: 1 for proportions, 100 for
// percentage points.

/** Numbers may differ by this much, relative to the larger magnitude (or the field's scale). */
export const RESULT_TOLERANCE = 1e-12;

/** Fields holding a difference of two numbers, with the magnitude of those numbers. */
const DIFFERENCE_SCALES: Record<string, number> = { maxResidual: 1, residualTrace: 1, diffPct: 100 };

/** Top-level fields that describe the run, not the result. */
const RUN_FIELDS = new Set(["backend", "threads", "elapsedMs"]);

/** Differences reported at most, so that a broken field does not flood the test output. */
const MAX_REPORTED = 10;

function sameNumber(x: number, y: number, scale: number): boolean {
  if (Object.is(x, y) || x === y) return true;
  if (Number.isNaN(x) || Number.isNaN(y)) return false;
  return Math.abs(x - y) <= RESULT_TOLERANCE * Math.max(Math.abs(x), Math.abs(y), scale);
}

function isSequence(x: unknown): x is ArrayLike<unknown> {
  return Array.isArray(x) || (ArrayBuffer.isView(x) && !(x instanceof DataView));
}

/** `scale`: the field's operand magnitude (0 for plain relative comparison). */
function walk(a: unknown, b: unknown, path: string, scale: number, out: string[]): void {
  if (out.length >= MAX_REPORTED) return;
  if (typeof a === "number" && typeof b === "number") {
    if (!sameNumber(a, b, scale)) out.push(`${path}: ${a} vs ${b}`);
    return;
  }
  if (isSequence(a) && isSequence(b)) {
    if (a.length !== b.length) {
      out.push(`${path}: length ${a.length} vs ${b.length}`);
      return;
    }
    for (let i = 0; i < a.length; i++) walk(a[i], b[i], `${path}[${i}]`, scale, out);
    return;
  }
  if (typeof a === "object" && typeof b === "object" && a !== null && b !== null && !isSequence(a) && !isSequence(b)) {
    const top = path === "";
    const keys = (o: object) => Object.keys(o).filter((k) => !(top && RUN_FIELDS.has(k)));
    const ka = keys(a).sort();
    const kb = keys(b).sort();
    if (ka.join() !== kb.join()) {
      out.push(`${path || "result"}: fields [${ka.join(", ")}] vs [${kb.join(", ")}]`);
      return;
    }
    for (const k of ka) {
      const fieldScale = DIFFERENCE_SCALES[k] ?? 0;
      walk((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`, fieldScale, out);
    }
    return;
  }
  if (a !== b) out.push(`${path || "result"}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
}

/** Where two results differ (empty when they agree), as "path: a vs b" lines; at most MAX_REPORTED. */
export function resultDifferences(a: unknown, b: unknown): string[] {
  const out: string[] = [];
  walk(a, b, "", 0, out);
  return out;
}

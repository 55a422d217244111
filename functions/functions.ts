// The worksheet functions =RIM.WEIGHT() and =RIM.BACKEND(): their doc comments are their Excel metadata
// (functions.json is generated from them by custom-functions-metadata-plugin), their bodies bind the logic in
// weight.ts to the shared engine client (the task pane's Worker) and turn errors into CustomFunctions.Error.
// Helpers without a @customfunction tag stay out of Excel. Imports the engine client and this folder only.

import { sharedEngineClient } from "../engine/runtime/shared-client";
import { describeBackend } from "./backend-info";
import { excelErrorOf } from "./excel-errors";
import { hostSupports } from "./requirements";
import { readArgumentTypes } from "./value-types";
import { computeWeights, type RakeEngine, type WeightCell } from "./weight";

/** The shared runtime's engine: the same Worker (and backend) as the task pane. */
const sharedEngine: RakeEngine = (problem, options, signal) =>
  // Copied, not transferred: a copied request survives another call's cancellation (engine/runtime/client.ts).
  sharedEngineClient().rake(problem, options, { signal, transfer: false });

/** True for the invocation object rather than a range (a host that passed no value for an omitted argument). */
function isInvocation(value: unknown): value is CustomFunctions.CancelableInvocation {
  return (
    typeof value === "object" &&
    value !== null &&
    !Array.isArray(value) &&
    ("functionName" in value || "isInValuePreview" in value)
  );
}

/**
 * isInValuePreview (CustomFunctionsRuntime 1.5) is a boolean at run time; the typings declare a string. A host
 * without the set has no value preview: the call is a real one.
 */
function inPreview(invocation: CustomFunctions.Invocation | undefined): boolean {
  if (!hostSupports("CustomFunctionsRuntime", "1.5")) return false;
  const flag: unknown = invocation?.isInValuePreview;
  return flag === true || flag === "true";
}

// What =RIM.WEIGHT(data, targets, [options]) returns (the doc comment below is the short form Excel shows):
// - a column of weights, one per data row below data's header row, with no header cell: entered beside the
//   first respondent row, it spills down in line with the data, to the last non-blank data row (blank rows
//   at the end of a generous range are not weighted); a blank row inside the data gets an empty cell; empty
//   cells read the same on Excel desktop (which passes them as 0) as on the web (null): the ranges' value
//   types, read at the parameter addresses, tell an empty cell from a 0 (value-types.ts); where Excel gives no
//   address (CustomFunctionsRuntime below 1.3, an array constant), zeros stay zeros and an input error says so;
// - the weights only when the raking converged; a stalled or max_iterations run is #N/A naming the status,
//   passes and largest residual, unless the option allow_unconverged is TRUE;
// - #VALUE! with the shared parser's words for a problem in the inputs (empty data, header only, a bad or
//   unknown option, a scheme error, an engine validation error), naming the cells where it can;
// - #N/A with a message for: formula value preview (skipped), data over 200,000 rows or about 4 MB of cells
//   (use the task pane), cancellation, an engine failure. (#NUM! cannot carry a message, so it is not used.)
/**
 * RIM weighting (raking): a column of weights, one per data row below the header (no header cell); enter it beside the first respondent row.
 * Weights come back only when the raking converged (else #N/A says why; allow_unconverged TRUE returns them). #VALUE! names an input problem.
 * @customfunction WEIGHT
 * @param data Respondent range with a header row: one column per variable (and a base weight or group column if used).
 * @param targets Target table: variable | category | target [| group], header row optional; targets in %, proportions or counts.
 * @param [options] Name | value pairs: cap_max, cap_min, total, tolerance, max_iterations, missing (error or exclude), base (column), group (column), variables, allow_unconverged (TRUE/FALSE).
 * @param invocation Invocation: addresses, value preview, cancellation.
 * @returns A column of weights, one per data row below the header.
 * @cancelable
 * @requiresParameterAddresses
 */
export async function weight(
  data: unknown[][],
  targets: unknown[][],
  options: unknown[][] = [],
  invocation?: CustomFunctions.CancelableInvocation,
): Promise<unknown[][]> {
  if (invocation === undefined && isInvocation(options)) {
    invocation = options;
    options = [];
  }
  const controller = new AbortController();
  if (invocation) invocation.onCanceled = () => controller.abort();
  try {
    const preview = inPreview(invocation);
    // parameterAddresses is CustomFunctionsRuntime 1.3; without it messages count cells from each range's
    // top-left and zeros stay zeros (value-types.ts)
    const addresses = hostSupports("CustomFunctionsRuntime", "1.3") ? invocation?.parameterAddresses : undefined;
    // Excel desktop passes empty cells as 0: the ranges' value types tell them from real zeros (value-types.ts).
    const types = preview ? undefined : await readArgumentTypes([data, targets, options], addresses);
    const column: WeightCell[][] = await computeWeights(
      { data, targets, options, addresses, types, preview, signal: controller.signal },
      sharedEngine,
    );
    return column;
  } catch (thrown) {
    throw excelErrorOf(thrown, "RIM.WEIGHT");
  }
}

/**
 * The engine backend in use, for support: wasm-threads (with its thread count), wasm or ts, and why each
 * faster backend was skipped (for example: the page is not cross-origin isolated).
 * @customfunction BACKEND
 * @returns The backend's name, thread count and skipped backends.
 */
export async function backend(): Promise<string> {
  try {
    return describeBackend(await sharedEngineClient().backend());
  } catch (thrown) {
    throw excelErrorOf(thrown, "RIM.BACKEND");
  }
}

// ---------------------------------------------------------------- registration

const registered = new Set<string>();

/**
 * Associates a function with its metadata id when a CustomFunctions host is present (Excel's shared
 * runtime, the fake host in tests); does nothing in a page without one (the task pane opened in a plain
 * browser, jest without a fake host), and only once per id.
 */
function associateIfHosted(id: string, fn: (...args: never[]) => unknown): void {
  const host = (globalThis as { CustomFunctions?: { associate?: (id: string, fn: unknown) => void } }).CustomFunctions;
  if (typeof host?.associate !== "function" || registered.has(id)) return;
  host.associate(id, fn);
  registered.add(id);
}

/**
 * custom-functions-metadata-plugin's loader appends `CustomFunctions.associate("<id>", <function>);` for each
 * @customfunction to this file's source at build time, unguarded. This module-level name catches those calls
 * (they resolve to it, not to the global) so they go through the same guard and are not made twice.
 */
const CustomFunctions = { associate: associateIfHosted };

CustomFunctions.associate("WEIGHT", weight);
CustomFunctions.associate("BACKEND", backend);

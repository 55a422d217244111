// =RIM.WEIGHT()'s logic, with the engine injected: arguments as Excel passes them → the shared scheme parser
// → the engine → one weight per data row. Errors are FunctionError values (excel-errors.ts); functions.ts
// declares the worksheet function and binds the shared engine client. Imports the engine's contract and
// the scheme parser only: no Excel API, no engine client, no task pane.

import { RimEngineError, type EngineError, type Options, type Problem, type RakeResult } from "../engine/contract";
import { describeEngineError } from "../engine/errors";
import {
  BLANK,
  cellLabel,
  cellText,
  describeSchemeError,
  locateEngineError,
  parseScheme,
  parseSchemeOptions,
  weightColumn,
  type Grid,
  type Scheme,
  type SchemeError,
  type SchemeSettings,
} from "../scheme/scheme";
import { gridAddressOf } from "./addresses";
import { FunctionError } from "./excel-errors";
import { MAX_DATA_ROWS, MAX_PAYLOAD_BYTES, asGrid, checkSize, trimTrailingBlankRows } from "./inputs";

/** The engine as the function needs it: rake, or reject with a RimEngineError; abort on the signal. */
export type RakeEngine = (problem: Problem, options: Options, signal: AbortSignal) => Promise<RakeResult>;

export interface WeightArguments {
  /** header row + one row per respondent, as Excel passes a range (numbers, strings, "", null, errors) */
  data: unknown;
  /** the long target table `variable | category | target [| group]` */
  targets: unknown;
  /** name/value pairs; null, undefined or blank when omitted */
  options?: unknown;
  /** invocation.parameterAddresses: data, targets, options */
  addresses?: readonly (string | null | undefined)[];
  /** invocation.isInValuePreview */
  preview?: boolean;
  /** aborted when Excel cancels the call */
  signal?: AbortSignal;
}

/** One cell of the result: a weight, or "" for a blank row inside the data (it has no respondent). */
export type WeightCell = number | "";

export const PREVIEW_MESSAGE = "Preview skipped: RIM.WEIGHT weights the data when the formula is entered.";
export const CANCELLED_MESSAGE = describeEngineError({ code: "cancelled" }, { variables: [] });

/** The option only this function has: return weights that did not converge instead of an error. */
const ALLOW_UNCONVERGED = "allowunconverged";
/** The option names parseSchemeOptions knows, plus this function's own, for the unknown-option message. */
const FUNCTION_OPTION = "allowUnconverged";
/** A first options row with one of these names (squeezed) is a header, not an option. */
const OPTION_HEADERS = new Set(["option", "options", "name", "setting", "settings"]);

function squeeze(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, "");
}

/**
 * Weights for the data rows below the header, one per row, down to the last non-blank row: a column that
 * lines up with the data when entered beside its first respondent row. Throws FunctionError.
 */
export async function computeWeights(args: WeightArguments, engine: RakeEngine): Promise<WeightCell[][]> {
  if (args.preview) throw new FunctionError("#N/A", PREVIEW_MESSAGE);
  const signal = args.signal ?? new AbortController().signal;
  if (signal.aborted) throw new FunctionError("#N/A", CANCELLED_MESSAGE);
  const data = trimTrailingBlankRows(asGrid(args.data));
  const targets = asGrid(args.targets);
  const optionGrid = asGrid(args.options);
  checkLimits(data, [targets, optionGrid]);
  const { settings, allowUnconverged } = readOptions(optionGrid);
  const addresses = args.addresses ?? [];
  const scheme = parseScheme({
    data,
    dataAt: gridAddressOf(addresses[0]),
    targets,
    targetsAt: gridAddressOf(addresses[1]),
    settings,
  });
  if (!scheme.ok) throw new FunctionError("#VALUE!", describeSchemeError(scheme.error));
  const result = await runEngine(engine, scheme, signal);
  if (result.status !== "converged" && !allowUnconverged)
    throw new FunctionError("#N/A", notConvergedMessage(result, scheme.options));
  return weightColumn(scheme, result.weights).map((w) => [w]);
}

// ---------------------------------------------------------------- limits

function thousands(n: number): string {
  return n.toLocaleString("en-US");
}

function checkLimits(data: Grid, others: Grid[]): void {
  const size = checkSize(data, others);
  if (size.ok) return;
  const what =
    size.limit === "rows"
      ? `${thousands(size.rows)} data rows (RIM.WEIGHT takes at most ${thousands(MAX_DATA_ROWS)})`
      : `more than ${MAX_PAYLOAD_BYTES / 1e6} MB of cell values (RIM.WEIGHT takes at most ${MAX_PAYLOAD_BYTES / 1e6} MB)`;
  throw new FunctionError(
    "#N/A",
    `data: too large for a worksheet function: ${what}. Weight it from the RIM weighting task pane, which reads the sheet in blocks.`,
  );
}

// ---------------------------------------------------------------- options

/** TRUE/FALSE as a cell gives it: a boolean, 1/0, or the words true/false/yes/no. */
function flagValue(value: unknown): boolean | null {
  if (typeof value === "boolean") return value;
  if (typeof value === "number") return value === 1 ? true : value === 0 ? false : null;
  const text = cellText(value).toLowerCase();
  if (text === "true" || text === "yes" || text === "1") return true;
  if (text === "false" || text === "no" || text === "0") return false;
  return null;
}

function optionFailure(error: SchemeError): never {
  throw new FunctionError("#VALUE!", describeSchemeError(error));
}

/** True for a cell naming an option this function takes (allow_unconverged included). */
function isOptionName(value: unknown): boolean {
  const label = cellLabel(value);
  if (typeof label !== "string") return false;
  return squeeze(label) === ALLOW_UNCONVERGED || parseSchemeOptions([[label, ""]]).ok;
}

/**
 * The options range as one name | value pair per row. Two other layouts are read as pairs too, rather than
 * misread (names taken as values) or silently cut to their first pair: names across the first of two rows
 * with the values below them, and a row holding several pairs side by side (name, value, name, value …).
 */
function optionPairs(grid: Grid): (readonly unknown[])[] {
  const filled = (row: readonly unknown[]) => row.filter((v) => cellLabel(v) !== BLANK);
  if (
    grid.length === 2 &&
    filled(grid[0]).length >= 2 &&
    filled(grid[0]).every(isOptionName) &&
    isOptionName(grid[0][1])
  ) {
    return grid[0].map((name, c) => [name, grid[1][c]]);
  }
  const pairs: (readonly unknown[])[] = [];
  for (const row of grid) {
    if (row.length > 3 && isOptionName(row[2])) {
      for (let c = 0; c < row.length; c += 2) pairs.push([row[c], row[c + 1]]);
    } else {
      pairs.push(row);
    }
  }
  return pairs;
}

/**
 * The options range: name/value pairs read by the shared parseSchemeOptions (the CLI's reading too),
 * except allow_unconverged, which only this function has. A header row (option | value) is skipped.
 */
function readOptions(grid: Grid): { settings: SchemeSettings; allowUnconverged: boolean } {
  let allowUnconverged = false;
  const pairs: (readonly unknown[])[] = [];
  optionPairs(grid).forEach((row, r) => {
    const name = cellLabel(row[0]);
    const key = typeof name === "string" ? squeeze(name) : "";
    if (r === 0 && OPTION_HEADERS.has(key)) return;
    if (key !== ALLOW_UNCONVERGED) {
      pairs.push(row);
      return;
    }
    if (cellLabel(row[1]) === BLANK) return;
    const flag = flagValue(row[1]);
    if (flag === null)
      optionFailure({
        code: "bad_option",
        option: "allow_unconverged setting",
        value: cellText(row[1]),
        rule: "must be TRUE or FALSE",
      });
    allowUnconverged = flag;
  });
  const parsed = parseSchemeOptions(pairs);
  if (!parsed.ok) {
    const error = parsed.error;
    optionFailure(error.code === "unknown_option" ? { ...error, known: [...error.known, FUNCTION_OPTION] } : error);
  }
  return { settings: parsed.settings, allowUnconverged };
}

// ---------------------------------------------------------------- the engine

/** The engine's answer, or its rejection as a FunctionError; rejects at once when the signal aborts. */
async function runEngine(engine: RakeEngine, scheme: Scheme, signal: AbortSignal): Promise<RakeResult> {
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(new FunctionError("#N/A", CANCELLED_MESSAGE));
    signal.addEventListener("abort", onAbort, { once: true });
  });
  try {
    return await Promise.race([engine(scheme.problem, scheme.options, signal), aborted]);
  } catch (thrown) {
    throw engineFailure(thrown, scheme, signal);
  } finally {
    signal.removeEventListener("abort", onAbort!);
  }
}

function engineErrorOf(thrown: unknown): EngineError | undefined {
  if (thrown instanceof RimEngineError) return thrown.error;
  // A RimEngineError from another copy of the contract module (a separate bundle chunk) has the same shape.
  const value = (thrown as { error?: { code?: unknown } } | null)?.error;
  return thrown instanceof Error && thrown.name === "RimEngineError" && typeof value?.code === "string"
    ? (value as EngineError)
    : undefined;
}

function engineFailure(thrown: unknown, scheme: Scheme, signal: AbortSignal): FunctionError {
  if (thrown instanceof FunctionError) return thrown;
  const error = engineErrorOf(thrown);
  if (error?.code === "cancelled" || (signal.aborted && !error)) return new FunctionError("#N/A", CANCELLED_MESSAGE);
  if (error) return new FunctionError("#VALUE!", locateEngineError(error, scheme));
  const message = thrown instanceof Error ? thrown.message : String(thrown);
  return new FunctionError("#N/A", `The weighting engine failed: ${message}`);
}

/** A proportion as percentage points, 4 significant digits: 0.0123456 → "1.235". */
function points(proportion: number): string {
  return String(Number((proportion * 100).toPrecision(4)));
}

/**
 * Why there are no weights: the status (its true name), the passes and the residual first, since Excel
 * for Mac cuts error messages near 255 characters (OfficeDev/office-js#4133); then what to do.
 */
export function notConvergedMessage(result: RakeResult, options: Options): string {
  const how = result.status === "stalled" ? "stalled" : "stopped at max_iterations";
  return (
    `Not converged: the raking ${how} after ${result.iterations} passes with a largest gap of ` +
    `${points(result.maxResidual)} percentage points (tolerance ${points(options.tolerance)}). ` +
    "Loosen the caps or the tolerance, raise max_iterations, or set allow_unconverged to TRUE to return these weights."
  );
}

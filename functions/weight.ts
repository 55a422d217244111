// =RIM.WEIGHT()'s logic, with the engine injected: arguments as Excel passes them (and their value types, where
// functions.ts could read them) → Cells → the shared scheme parser → the engine → one weight per data row.
// Errors are FunctionError values (excel-errors.ts); functions.ts declares the worksheet function and binds the
// shared engine client. Imports the engine's contract and the scheme parser only: no Excel API, no engine
// client, no task pane.

import { RimEngineError, type EngineError, type Options, type Problem, type RakeResult } from "../engine/contract";
import { describeEngineError } from "../engine/errors";
import {
  describeSchemeError,
  isBlank,
  labelOf,
  locateEngineError,
  parseScheme,
  parseSchemeOptions,
  textOf,
  weightColumn,
  type Cell,
  type CellGrid,
  type CellRow,
  type Scheme,
  type SchemeError,
  type SchemeSettings,
} from "../scheme/scheme";
import { gridAddressOf } from "./addresses";
import { FunctionError } from "./excel-errors";
import { MAX_DATA_ROWS, MAX_PAYLOAD_BYTES, argumentCells, asGrid, checkSize, trimTrailingBlankRows } from "./inputs";
import type { ArgumentTypes, TypesMissing } from "./value-types";

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
  /**
   * data, targets, options: the ranges' value types (readArgumentTypes), which tell an empty cell that Excel
   * desktop passed as 0 from a real 0; undefined for an argument that holds no 0
   */
  types?: readonly (ArgumentTypes | undefined)[];
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
  const values = [args.data, args.targets, args.options].map(asGrid);
  const [data, targets, optionGrid] = values.map((grid, k) => {
    const known = args.types?.[k];
    return argumentCells(grid, known?.ok ? known.types : undefined);
  });
  const rows = trimTrailingBlankRows(data);
  checkLimits(Math.max(0, rows.length - 1), [values[0].slice(0, rows.length), values[1], values[2]]);
  const note = zerosNote(args.types);
  const { settings, allowUnconverged } = readOptions(optionGrid, note);
  const addresses = args.addresses ?? [];
  const scheme = parseScheme({
    data: rows,
    dataAt: gridAddressOf(addresses[0]),
    targets,
    targetsAt: gridAddressOf(addresses[1]),
    settings,
  });
  if (!scheme.ok) throw new FunctionError("#VALUE!", describeSchemeError(scheme.error) + note);
  const result = await runEngine(engine, scheme, signal);
  if (result.status !== "converged" && !allowUnconverged)
    throw new FunctionError("#N/A", notConvergedMessage(result, scheme.options));
  return weightColumn(scheme, result.weights).map((w) => [w]);
}

// ---------------------------------------------------------------- limits

function thousands(n: number): string {
  return n.toLocaleString("en-US");
}

function checkLimits(rows: number, values: (readonly (readonly unknown[])[])[]): void {
  const size = checkSize(rows, values);
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

// ---------------------------------------------------------------- zeros that may have been empty cells

const ARGUMENT_NAMES = ["data", "targets", "options"];

/**
 * The fallback said out loud: where an argument held a 0 whose cell could not be checked (no parameter
 * address: an array constant, another function's result, or an Excel without CustomFunctionsRuntime 1.3; or
 * the workbook did not answer), its zeros were read as zeros. Excel desktop passes empty cells as 0
 * (office-js #1951, #4702, #5262), so an input error may come from an empty cell read as 0: say which range.
 */
function zerosNote(types: WeightArguments["types"]): string {
  const unchecked = ARGUMENT_NAMES.flatMap((name, k) => {
    const known = types?.[k];
    return known?.ok === false ? [{ name, why: known.why }] : [];
  });
  if (unchecked.length === 0) return "";
  const names = unchecked.map((u) => u.name);
  const list = names.length === 1 ? names[0] : `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
  return ` (Empty cells in ${list} may have arrived as 0: ${ZEROS_WHY[unchecked[0].why]}, so zeros were read as zeros; end each range at its last filled row.)`;
}

/** Why zeros could not be checked, as the note says it. */
const ZEROS_WHY: Record<TypesMissing, string> = {
  no_address: "Excel gave no range address to check them (it needs CustomFunctionsRuntime 1.3 and a cell range)",
  unreadable: "the ranges could not be read back to check them",
};

/** TRUE/FALSE as a cell gives it: TRUE/FALSE, 1/0, or the words true/false/yes/no. */
function flagValue(cell: Cell): boolean | null {
  if (cell.kind === "number") return cell.value === 1 ? true : cell.value === 0 ? false : null;
  const text = textOf(cell).toLowerCase();
  if (text === "true" || text === "yes" || text === "1") return true;
  if (text === "false" || text === "no" || text === "0") return false;
  return null;
}

function optionFailure(error: SchemeError, note: string): never {
  throw new FunctionError("#VALUE!", describeSchemeError(error) + note);
}

/** True for a cell naming an option this function takes (allow_unconverged included). */
function isOptionName(cell: Cell | undefined): boolean {
  const label = labelOf(cell);
  if (label === null) return false;
  return squeeze(label) === ALLOW_UNCONVERGED || parseSchemeOptions({ [label]: "" }).ok;
}

/**
 * The options range as one name | value pair per row. Two other layouts are read as pairs too, rather than
 * misread (names taken as values) or silently cut to their first pair: names across the first of two rows
 * with the values below them, and a row holding several pairs side by side (name, value, name, value …).
 */
function optionPairs(grid: CellGrid): CellRow[] {
  const filled = (row: CellRow) => row.filter((cell) => !isBlank(cell));
  if (
    grid.length === 2 &&
    filled(grid[0]).length >= 2 &&
    filled(grid[0]).every(isOptionName) &&
    isOptionName(grid[0][1])
  ) {
    return grid[0].map((name, c) => [name, grid[1][c]]);
  }
  const pairs: CellRow[] = [];
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
function readOptions(grid: CellGrid, note: string): { settings: SchemeSettings; allowUnconverged: boolean } {
  let allowUnconverged = false;
  const pairs: CellRow[] = [];
  optionPairs(grid).forEach((row, r) => {
    const name = labelOf(row[0]);
    const key = name === null ? "" : squeeze(name);
    if (r === 0 && OPTION_HEADERS.has(key)) return;
    if (key !== ALLOW_UNCONVERGED) {
      pairs.push(row);
      return;
    }
    if (isBlank(row[1])) return;
    const flag = flagValue(row[1]);
    if (flag === null)
      optionFailure(
        {
          code: "bad_option",
          option: "allow_unconverged setting",
          value: textOf(row[1]),
          rule: "must be TRUE or FALSE",
        },
        note,
      );
    allowUnconverged = flag;
  });
  const parsed = parseSchemeOptions(pairs);
  if (!parsed.ok) {
    const error = parsed.error;
    optionFailure(
      error.code === "unknown_option" ? { ...error, known: [...error.known, FUNCTION_OPTION] } : error,
      note,
    );
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

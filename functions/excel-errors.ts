// The custom functions' errors: a FunctionError value (an Excel error code and a message) raised by the
// logic in weight.ts, and its conversion to CustomFunctions.Error, the one place where that happens
// (docs STYLE "Errors"). Imports nothing: the CustomFunctions host object is looked up when needed, so
// this module also loads in the task pane page outside Office and in jest.

/**
 * The codes =RIM.WEIGHT() returns. Excel shows a custom message only with #VALUE! and #N/A
 * (CustomFunctions.ErrorCode docs: "A custom error message can't be used" for #NUM!, #DIV/0!, #NULL!), so
 * every error that needs words is one of those two:
 * - "#VALUE!": the inputs are wrong (empty data, a bad option, a scheme or engine validation error);
 * - "#N/A": no weights are available for a reason other than the inputs' content: formula value preview,
 *   inputs too large for a worksheet function, a raking that did not converge, cancellation, an engine fault.
 */
export type ExcelErrorCode = "#VALUE!" | "#N/A";

export class FunctionError extends Error {
  constructor(
    readonly code: ExcelErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "FunctionError";
  }
}

/** The parts of the CustomFunctions host this module uses. */
interface ErrorHost {
  Error: new (code: never, message?: string) => unknown;
  ErrorCode?: { invalidValue?: string; notAvailable?: string };
}

function errorHost(): ErrorHost | undefined {
  const host = (globalThis as { CustomFunctions?: Partial<ErrorHost> }).CustomFunctions;
  return host && typeof host.Error === "function" ? (host as ErrorHost) : undefined;
}

/** A stand-in with the same fields when no CustomFunctions host is present (never seen by Excel). */
class DetachedCustomFunctionsError {
  constructor(
    readonly code: string,
    readonly message?: string,
  ) {}
}

/** A FunctionError as the host's CustomFunctions.Error (the same code and message). */
export function toCustomFunctionsError(error: FunctionError): CustomFunctions.Error {
  const host = errorHost();
  if (!host) return new DetachedCustomFunctionsError(error.code, error.message) as unknown as CustomFunctions.Error;
  const code =
    error.code === "#VALUE!" ? (host.ErrorCode?.invalidValue ?? "#VALUE!") : (host.ErrorCode?.notAvailable ?? "#N/A");
  return new host.Error(code as never, error.message) as CustomFunctions.Error;
}

/**
 * Anything thrown below a custom function, as what the function should throw to Excel. A FunctionError
 * keeps its code; an error already converted passes through; anything else is an unexpected fault (#N/A
 * with its message, never a silent #VALUE! without words).
 */
export function excelErrorOf(thrown: unknown, functionName: string): CustomFunctions.Error {
  if (thrown instanceof FunctionError) return toCustomFunctionsError(thrown);
  const host = errorHost();
  if (host && thrown instanceof (host.Error as unknown as new () => object)) return thrown as CustomFunctions.Error;
  const message = thrown instanceof Error ? thrown.message : String(thrown);
  return toCustomFunctionsError(new FunctionError("#N/A", `${functionName} failed unexpectedly: ${message}`));
}

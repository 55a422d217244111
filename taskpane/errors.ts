// User-facing failures of the task pane: a plain sentence plus the cell, range or field it concerns.
// Pure; imports only the engine contract. No Excel API, no React.
import { RimEngineError } from "../engine/contract";

/** A failure the pane shows as a MessageBar: `message` is a sentence, `where` a cell address or a field name. */
export class PaneError extends Error {
  constructor(
    message: string,
    readonly where?: string,
  ) {
    super(message);
    this.name = "PaneError";
  }
}

/** Thrown when the user cancelled; the workbook was left as it was. */
export class CancelledError extends Error {
  constructor(message = "The run was cancelled; nothing was written to the workbook.") {
    super(message);
    this.name = "CancelledError";
  }
}

export function isCancelled(error: unknown): boolean {
  return (
    error instanceof CancelledError ||
    (error instanceof RimEngineError && error.error.code === "cancelled") ||
    (error instanceof Error && error.name === "AbortError")
  );
}

/** Throws CancelledError when the signal has fired. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new CancelledError();
}

/** What the pane shows for any thrown value. */
export interface ShownError {
  message: string;
  where?: string;
  intent: "error" | "warning" | "info";
}

export function shownError(error: unknown): ShownError {
  if (isCancelled(error)) return { message: new CancelledError().message, intent: "info" };
  if (error instanceof PaneError) return { message: error.message, where: error.where, intent: "error" };
  if (error instanceof RimEngineError) return { message: error.message, intent: "error" };
  if (error instanceof Error) return { message: officeMessage(error), intent: "error" };
  return { message: String(error), intent: "error" };
}

/** Office.js errors carry a code and a long message; say what happened in one sentence. */
function officeMessage(error: Error): string {
  const code = (error as { code?: unknown }).code;
  if (code === "ItemNotFound") return "A sheet or range the scheme refers to no longer exists; set the ranges again.";
  if (code === "InvalidArgument") return `Excel did not accept a range or value: ${error.message}`;
  if (code === "AccessDenied") return "Excel refused the change: the sheet may be protected or the workbook read-only.";
  return error.message;
}

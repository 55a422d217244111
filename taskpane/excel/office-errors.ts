// Recognising Office.js errors the I/O modules react to. Pure: no Excel.run here.

const PAYLOAD_CODES = new Set(["RequestPayloadSizeLimitExceeded", "ResponsePayloadSizeLimitExceeded"]);

/** True for Excel on the web's "payload too large" answers (either direction): retry with a smaller block. */
export function isPayloadError(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string" && PAYLOAD_CODES.has(code)) return true;
  const message = (error as { message?: unknown }).message;
  return typeof message === "string" && /payload size has exceeded the limit/i.test(message);
}

/** Lets the UI thread paint and handle clicks between blocks. */
export function yieldToUi(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

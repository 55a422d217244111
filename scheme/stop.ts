// How the parser's steps stop at the first problem: fail() throws a SchemeStop carrying the error value, and
// schemeStep (for parseScheme and draft.ts) turns it back into `{ ok: false, error }`; no caller ever sees the throw.

import type { SchemeError, SchemeFailure } from "./errors";

export class SchemeStop {
  constructor(readonly error: SchemeError) {}
}

export function fail(error: SchemeError): never {
  throw new SchemeStop(error);
}

/** Runs parser steps (parseScheme, draft.ts), turning the first failure into `{ ok: false, error }`. */
export function schemeStep<T>(step: () => T): T | SchemeFailure {
  try {
    return step();
  } catch (caught) {
    if (caught instanceof SchemeStop) return { ok: false, error: caught.error };
    throw caught;
  }
}

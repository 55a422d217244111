// How the parser's steps stop at the first problem: fail() throws a SchemeStop carrying the error value, and
// parseScheme (scheme.ts) turns it back into `{ ok: false, error }`; no caller ever sees the throw.

import type { SchemeError } from "./errors";

export class SchemeStop {
  constructor(readonly error: SchemeError) {}
}

export function fail(error: SchemeError): never {
  throw new SchemeStop(error);
}

// The two host flavours and the limits each enforces. Every number here is a documented Excel fact; see
// FACTS.md for the sources.

export type Flavour = "web" | "desktop";

export interface FlavourLimits {
  /** bytes of one ProcessQuery request or response (UTF-8 of the JSON on the wire); null: no limit */
  payloadBytes: number | null;
  /** cells one range read may return; above it the values come back null (Excel on the web) */
  maxCellsPerRead: number | null;
  /** what an empty cell of a custom-function range argument arrives as */
  emptyArgumentCell: 0 | null;
}

/** Excel on the web: 5 MB request/response payloads, 5,000,000 cells per read, empty cells as null. */
const WEB: FlavourLimits = { payloadBytes: 5 * 1024 * 1024, maxCellsPerRead: 5_000_000, emptyArgumentCell: null };

/** Excel desktop (Windows): no payload limit on the wire, empty function-argument cells arrive as 0. */
const DESKTOP: FlavourLimits = { payloadBytes: null, maxCellsPerRead: null, emptyArgumentCell: 0 };

export function flavourLimits(flavour: Flavour): FlavourLimits {
  return flavour === "web" ? WEB : DESKTOP;
}

/** Office's error numbers for payload limits (excel-web-16.00.debug.js OSF.DDA.ErrorCodeManager). */
export const OOE_REQUEST_PAYLOAD_TOO_LARGE = 5103;
export const OOE_RESPONSE_PAYLOAD_TOO_LARGE = 5104;

export function utf8Bytes(text: string): number {
  return new TextEncoder().encode(text).length;
}

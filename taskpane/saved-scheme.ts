// The scheme as the pane holds and saves it: ranges, chosen columns, options as typed. A plain model: no
// Excel, no Office, no React, so components take their values from here and never from excel/.

export type MissingChoice = "error" | "exclude";

/** The options as the form holds them: text as typed ("" = not set), validated by the scheme's own rules. */
export interface OptionsText {
  capMin: string;
  capMax: string;
  total: string;
  tolerance: string;
  maxIterations: string;
  missing: MissingChoice;
}

/** Everything a re-run needs, saved in the workbook. */
export interface SavedScheme {
  version: 1;
  dataAddress: string;
  targetsAddress: string;
  /** chosen raking variables (data header names); empty: every variable named in the targets */
  variables: string[];
  /** header name of the base-weight column, "" for none */
  baseColumn: string;
  /** header name of the group column, "" for none */
  groupColumn: string;
  /** `label | share` range, "" for none */
  sharesAddress: string;
  /** header of the weight column to write */
  weightHeader: string;
  options: OptionsText;
}

export const DEFAULT_OPTIONS_TEXT: OptionsText = {
  capMin: "",
  capMax: "",
  total: "",
  tolerance: "0.000001",
  maxIterations: "1000",
  missing: "error",
};

export function emptyScheme(): SavedScheme {
  return {
    version: 1,
    dataAddress: "",
    targetsAddress: "",
    variables: [],
    baseColumn: "",
    groupColumn: "",
    sharesAddress: "",
    weightHeader: "weight",
    options: { ...DEFAULT_OPTIONS_TEXT },
  };
}

/** A plain object (the settings store JSON); shared with the other settings readers. */
export function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

function text(x: unknown, fallback: string): string {
  return typeof x === "string" ? x : typeof x === "number" ? String(x) : fallback;
}

/** A saved value read defensively: unknown fields are dropped, missing ones take defaults. */
export function schemeFromSetting(raw: unknown): SavedScheme | null {
  if (!isRecord(raw) || raw.version !== 1) return null;
  const base = emptyScheme();
  const options = isRecord(raw.options) ? raw.options : {};
  const o = base.options;
  return {
    version: 1,
    dataAddress: text(raw.dataAddress, ""),
    targetsAddress: text(raw.targetsAddress, ""),
    variables: Array.isArray(raw.variables) ? raw.variables.filter((v): v is string => typeof v === "string") : [],
    baseColumn: text(raw.baseColumn, ""),
    groupColumn: text(raw.groupColumn, ""),
    sharesAddress: text(raw.sharesAddress, ""),
    weightHeader: text(raw.weightHeader, base.weightHeader) || base.weightHeader,
    options: {
      capMin: text(options.capMin, o.capMin),
      capMax: text(options.capMax, o.capMax),
      total: text(options.total, o.total),
      tolerance: text(options.tolerance, o.tolerance),
      maxIterations: text(options.maxIterations, o.maxIterations),
      missing: options.missing === "exclude" ? "exclude" : "error",
    },
  };
}

// Scheme settings from name/value pairs, as the =RIM.WEIGHT() options argument and the CLI flags give them:
// one reading of option names and one set of rules, so every door rejects a bad option with the same words.
// Imports only the scheme's own siblings and the contract's types: no Excel, no Node.

import type { Caps, MissingPolicy } from "../engine/contract";
import {
  BLANK_CELL,
  isBlank,
  labelOf,
  numberCell,
  numberOf,
  readCell,
  textOf,
  type Cell,
  type CellGrid,
  type GridAddress,
} from "./cells";
import type { SchemeError, SchemeFailure } from "./errors";

/** What to weight and how; every field optional. */
export interface SchemeSettings {
  /** the variables to rake on (default: every variable named in the targets) */
  variables?: string[];
  /** the base-weight column's header */
  base?: string;
  /** the group column's header */
  group?: string;
  /** share of the total per group: a `label | share` grid (header row optional) or a label → share map */
  groupShares?: CellGrid | Record<string, number>;
  /** top-left of the groupShares grid, for cell addresses in messages */
  groupSharesAt?: GridAddress;
  caps?: Caps;
  total?: number;
  tolerance?: number;
  maxIterations?: number;
  missing?: MissingPolicy;
}

type OptionName =
  "tolerance" | "maxIterations" | "capMax" | "capMin" | "total" | "missing" | "base" | "group" | "variables";

/** Option names as written, squeezed (lower case, letters and digits only), to the setting they set. */
const OPTION_KEYS: Record<string, OptionName> = {
  tolerance: "tolerance",
  tol: "tolerance",
  maxiterations: "maxIterations",
  maxiter: "maxIterations",
  iterations: "maxIterations",
  capmax: "capMax",
  maxcap: "capMax",
  capmin: "capMin",
  mincap: "capMin",
  total: "total",
  missing: "missing",
  base: "base",
  baseweight: "base",
  group: "group",
  variables: "variables",
};

const KNOWN = ["tolerance", "maxIterations", "capMax", "capMin", "total", "missing", "base", "group", "variables"];

/** The rules, worded as engine/errors.ts words the engine's own option checks. */
const RULES = {
  tolerance: "must be a number of at least 0",
  maxIterations: "must be a whole number of at least 1",
  total: "must be a number greater than 0",
  capMin: "must be a number between 0 and 1 (a share of the mean weight)",
  capMax: "must be a number of at least 1 (a multiple of the mean weight)",
  missing: "must be 'error' or 'exclude'",
};

const WORDS: Record<OptionName, string> = {
  tolerance: "tolerance",
  maxIterations: "maximum iterations",
  capMax: "maximum weight cap",
  capMin: "minimum weight cap",
  total: "total",
  missing: "missing-answer policy",
  base: "base weight column",
  group: "group column",
  variables: "variable list",
};

function squeeze(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, "");
}

function badOption(option: OptionName, value: Cell, rule: string): SchemeError {
  return { code: "bad_option", option: WORDS[option], value: textOf(value), rule };
}

/** A number option, checked against its rule; an error value when it breaks it. */
function numberOption(
  option: "tolerance" | "maxIterations" | "total" | "capMin" | "capMax",
  value: Cell,
): number | SchemeError {
  const x = numberOf(value);
  const ok =
    Number.isFinite(x) &&
    (option === "tolerance"
      ? x >= 0
      : option === "maxIterations"
        ? Number.isInteger(x) && x >= 1
        : option === "total"
          ? x > 0
          : option === "capMin"
            ? x >= 0 && x <= 1
            : x >= 1);
  return ok ? x : badOption(option, value, RULES[option]);
}

/** Checks the numeric settings a caller built itself (the task pane's form): same rules, same words. */
export function checkSettings(settings: SchemeSettings): SchemeError | null {
  const checks: ["tolerance" | "maxIterations" | "total" | "capMin" | "capMax", number | undefined][] = [
    ["tolerance", settings.tolerance],
    ["maxIterations", settings.maxIterations],
    ["total", settings.total],
    ["capMin", settings.caps?.min],
    ["capMax", settings.caps?.max],
  ];
  for (const [option, value] of checks) {
    if (value === undefined) continue;
    const checked = numberOption(option, numberCell(value));
    if (typeof checked !== "number") return checked;
  }
  if (settings.missing !== undefined && settings.missing !== "error" && settings.missing !== "exclude") {
    return badOption("missing", readCell(settings.missing), RULES.missing);
  }
  return null;
}

/** Option values as a caller's form or command line gives them: text or numbers, read as a cell would be. */
export type OptionValues = Record<string, string | number | undefined>;

/** Pairs from a two-column grid (name | value) or a map; blank names and blank values are skipped. */
function pairsOf(input: CellGrid | OptionValues): [string, Cell][] {
  if (Array.isArray(input)) {
    const pairs: [string, Cell][] = [];
    for (const row of input as CellGrid) {
      const name = labelOf(row[0]);
      if (name !== null) pairs.push([name, row[1] ?? BLANK_CELL]);
    }
    return pairs;
  }
  return Object.entries(input as OptionValues).map(([name, value]) => [name, readCell(value)]);
}

/** One name/value pair into the settings; an error value when the name or value is wrong. */
function applyOption(settings: SchemeSettings, option: OptionName, value: Cell): SchemeError | null {
  switch (option) {
    case "tolerance":
    case "maxIterations":
    case "total": {
      const x = numberOption(option, value);
      if (typeof x !== "number") return x;
      settings[option] = x;
      return null;
    }
    case "capMin":
    case "capMax": {
      const x = numberOption(option, value);
      if (typeof x !== "number") return x;
      settings.caps = { ...settings.caps, [option === "capMin" ? "min" : "max"]: x };
      return null;
    }
    case "missing": {
      const text = textOf(value).toLowerCase();
      if (text !== "error" && text !== "exclude") return badOption(option, value, RULES.missing);
      settings.missing = text;
      return null;
    }
    case "base":
    case "group":
      settings[option] = textOf(value);
      return null;
    case "variables":
      settings.variables = textOf(value)
        .split(",")
        .map((name) => name.trim())
        .filter((name) => name !== "");
      return null;
  }
}

/**
 * Settings from name/value pairs (`tolerance`, `maxIterations`, `capMax`, `capMin`, `total`, `missing`,
 * `base`, `group`, `variables`; names read without case, spaces or punctuation, so "Max iterations" and
 * "max_iterations" both work). Values may be numbers or text, as cells give them.
 */
export function parseSchemeOptions(
  input: CellGrid | OptionValues,
): { ok: true; settings: SchemeSettings } | SchemeFailure {
  const settings: SchemeSettings = {};
  for (const [name, value] of pairsOf(input)) {
    const option = OPTION_KEYS[squeeze(name)];
    if (!option) return { ok: false, error: { code: "unknown_option", option: name, known: KNOWN } };
    if (isBlank(value)) continue;
    const error = applyOption(settings, option, value);
    if (error) return { ok: false, error };
  }
  return { ok: true, settings };
}

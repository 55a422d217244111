// From what the pane holds (saved scheme: addresses, column names, option text) to the scheme parser's
// settings, and which data columns must be read for it. Pure: no Excel API, no React.
import { CROSS_SPLIT } from "../scheme/scheme";
import { labelOf, type CellGrid, type GridAddress } from "../scheme/cells";
import { describeSchemeError, type SchemeError } from "../scheme/errors";
import { parseSchemeOptions, type SchemeSettings } from "../scheme/options";
import type { SheetRect } from "./address";
import { PaneError } from "./errors";
import type { SavedScheme } from "./saved-scheme";

export function gridAddress(rect: SheetRect): GridAddress {
  return { sheet: rect.sheet, row: rect.r0, col: rect.c0 };
}

/** The first cell a scheme error names, for the MessageBar's "where". */
export function schemeErrorWhere(error: SchemeError): string | undefined {
  if ("cell" in error && typeof error.cell === "string") return error.cell;
  if ("cells" in error && Array.isArray(error.cells) && error.cells.length > 0) return error.cells[0];
  return undefined;
}

export function schemePaneError(error: SchemeError): PaneError {
  return new PaneError(describeSchemeError(error), schemeErrorWhere(error));
}

/** The parser's settings from the saved scheme (option text checked by the parser's own rules). */
export function schemeSettings(saved: SavedScheme, shares?: { grid: CellGrid; at: GridAddress }): SchemeSettings {
  const o = saved.options;
  const parsed = parseSchemeOptions({
    tolerance: o.tolerance,
    maxIterations: o.maxIterations,
    capMin: o.capMin,
    capMax: o.capMax,
    total: o.total,
    missing: o.missing,
  });
  if (!parsed.ok) throw schemePaneError(parsed.error);
  const settings: SchemeSettings = { ...parsed.settings };
  if (saved.variables.length > 0) settings.variables = [...saved.variables];
  if (saved.baseColumn) settings.base = saved.baseColumn;
  if (saved.groupColumn) {
    settings.group = saved.groupColumn;
    if (shares) {
      settings.groupShares = shares.grid;
      settings.groupSharesAt = shares.at;
    }
  }
  return settings;
}

/** Every label in the targets grid (any column), with the parts of crossed names. */
function targetNames(targets: CellGrid): Set<string> {
  const names = new Set<string>();
  for (const row of targets) {
    for (const cell of row) {
      const label = labelOf(cell);
      if (label === null) continue;
      names.add(label);
      for (const part of label.split(CROSS_SPLIT)) names.add(part.trim());
    }
  }
  return names;
}

/**
 * The data columns (indices within the data range) the parser will look at: raking variables (chosen, or
 * any header named in the targets), the group column as labels; the base-weight column as numbers.
 * Reading a header that turns out unused costs time, never correctness.
 */
export function neededColumns(
  headers: readonly string[],
  targets: CellGrid,
  settings: SchemeSettings,
): { labels: number[]; numbers: number[] } {
  const wanted = settings.variables
    ? new Set(settings.variables.flatMap((v) => [v, ...v.split(CROSS_SPLIT).map((p) => p.trim())]))
    : targetNames(targets);
  if (settings.group) wanted.add(settings.group);
  const labels: number[] = [];
  const numbers: number[] = [];
  headers.forEach((name, c) => {
    if (name === "") return;
    if (name === settings.base) numbers.push(c);
    else if (wanted.has(name)) labels.push(c);
  });
  return { labels, numbers };
}

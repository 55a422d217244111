// Tests write sheets as plain value grids, as Excel's `values` gives them; parseGrids() reads them through
// the door every caller uses (readCell) before parsing, so the tests exercise what the pane, the function
// and the CLI hand the parser.
import { parseScheme, readGrid, type GridAddress, type SchemeOutcome, type SchemeSettings } from "../../scheme/scheme";

/** A grid of host values: numbers, strings, booleans, "" or null for empty, error objects. */
export type Grid = readonly (readonly unknown[])[];

/** Settings whose shares grid is still host values. */
export type GridSettings = Omit<SchemeSettings, "groupShares"> & { groupShares?: Grid | Record<string, number> };

export function cellSettings(settings: GridSettings | undefined): SchemeSettings | undefined {
  if (!settings?.groupShares || !Array.isArray(settings.groupShares)) return settings as SchemeSettings | undefined;
  return { ...settings, groupShares: readGrid(settings.groupShares as Grid) };
}

/** parseScheme on value grids. */
export function parseGrids(input: {
  data: Grid;
  targets: Grid;
  dataAt?: GridAddress;
  targetsAt?: GridAddress;
  settings?: GridSettings;
}): SchemeOutcome {
  return parseScheme({
    ...input,
    data: readGrid(input.data),
    targets: readGrid(input.targets),
    settings: cellSettings(input.settings),
  });
}

// Orchestration of "Draft target table": read the data's header and the drafted variables' columns (the
// adaptive block reader, as a run reads), draft the rows (scheme/draft.ts, shared with `rim draft`), write
// them to a new sheet as a table. The caller puts the table's range into *Target table*. Imports Excel I/O
// and the scheme's pure modules; no React.
import { describeDraftMissing, draftGrid, draftTargets } from "../scheme/draft";
import { describeSchemeWarning } from "../scheme/scheme";
import { parseSchemeOptions } from "../scheme/options";
import { compactSource } from "./compact-grid";
import { PaneError, throwIfAborted } from "./errors";
import { writeDraftSheet, type DraftSheet } from "./excel/draft-sheet";
import { readHeader, readRespondents, rectOf, trimToUsedRows } from "./excel/read-data";
import type { MissingChoice } from "./saved-scheme";
import { gridAddress, neededColumns, schemePaneError } from "./scheme-input";

export interface DraftRequest {
  dataAddress: string;
  /** the variables as the user gave them: names separated by commas, `a x b` crossing columns */
  variables: string;
  missing: MissingChoice;
  signal?: AbortSignal;
}

export interface DraftOutcome extends DraftSheet {
  categories: number;
  respondents: number;
  /** notes for the user: unanswered cells, skipped blank rows */
  notes: string[];
}

/** The variable list by the parser's own rules (the `variables` option), or a PaneError naming the field. */
export function draftVariables(text: string): string[] {
  const parsed = parseSchemeOptions({ variables: text });
  if (!parsed.ok) throw schemePaneError(parsed.error);
  const variables = parsed.settings.variables ?? [];
  if (variables.length === 0)
    throw new PaneError(
      "Name the variables to draft (tick them, or type names such as age, region or age x sex).",
      "variables to draft",
    );
  return variables;
}

export async function draftTargetTable(request: DraftRequest): Promise<DraftOutcome> {
  if (!request.dataAddress)
    throw new PaneError("Set the respondent data range first (header row and respondents).", "data range");
  const variables = draftVariables(request.variables);
  const rect = await trimToUsedRows(rectOf(request.dataAddress, "data range"));
  const header = await readHeader(rect);
  const needed = neededColumns(header.names, [], { variables });
  const { data } = await readRespondents({
    rect,
    header: header.cells,
    labelColumns: needed.labels,
    numberColumns: [],
    signal: request.signal,
  });
  throwIfAborted(request.signal);
  const draft = draftTargets({
    data: compactSource(data),
    dataAt: gridAddress(rect),
    variables,
    missing: request.missing,
  });
  if (!draft.ok) throw schemePaneError(draft.error);
  const sheet = await writeDraftSheet(draftGrid(draft));
  return {
    ...sheet,
    categories: draft.rows.length,
    respondents: draft.respondents,
    notes: [...draft.warnings.map(describeSchemeWarning), ...draft.missing.map(describeDraftMissing)],
  };
}

// Draft target table: from the data and the chosen raking variables, the rows `variable | category | sample n |
// sample % | target` with the target left empty, one row per category present in the data, for the user to
// fill in. Shared by the task pane and `rim draft`. Reads the data through the scheme parser's own reading
// (header, blank rows, column names, cell labels), so a drafted table matches the data's labels exactly and
// `rim rake` / the pane read it back without edits. Pure: no Excel API, no DOM, no Node.

import type { MissingPolicy } from "../engine/contract";
import { PLAIN_NUMBER, type CellGrid, type GridAddress } from "./cells";
import type { SchemeFailure } from "./errors";
import {
  CROSS_SPLIT,
  dataCell,
  MAX_CATEGORIES,
  readHeader,
  readRows,
  settingColumn,
  type DataTable,
  type SchemeWarning,
} from "./scheme";
import { CODE_ERROR, gridSource, isDataSource, type DataSource, type LabelCodes } from "./source";
import { fail, schemeStep } from "./stop";

export interface DraftInput {
  data: CellGrid | DataSource;
  dataAt?: GridAddress;
  /** data column names; `a x b` (or `a × b`) crosses columns */
  variables: string[];
  /** how a blank or error cell will be treated by the run (default "error"); decides the note only */
  missing?: MissingPolicy;
}

export interface DraftRow {
  variable: string;
  /** the label as the parser reads the data cell (crossed: the parts joined by the name's separator) */
  category: string;
  /** respondents in this category */
  sampleN: number;
  /** 100 · sampleN / respondents with an answer on this variable */
  samplePct: number;
}

/** Respondents with no answer (blank or error cell) on a drafted variable: left out of its sample %. */
export interface DraftMissing {
  variable: string;
  count: number;
  /** first few cells, A1 addresses */
  cells: string[];
  policy: MissingPolicy;
}

export interface Draft {
  ok: true;
  rows: DraftRow[];
  missing: DraftMissing[];
  /** the data reader's own warnings (blank rows skipped) */
  warnings: SchemeWarning[];
  respondents: number;
}

/** The header of a drafted table; the scheme parser finds its variable, category and target columns by name. */
export const DRAFT_HEADER = ["variable", "category", "sample n", "sample %", "target"] as const;

const FIRST_CELLS = 3;

/** Drafts the target rows for `input.variables`, or the first problem with the data or the names. */
export function draftTargets(input: DraftInput): Draft | SchemeFailure {
  return schemeStep(() => {
    const warnings: SchemeWarning[] = [];
    const source = isDataSource(input.data) ? input.data : gridSource(input.data);
    const data = readRows(readHeader(source, input.dataAt), warnings);
    const rows: DraftRow[] = [];
    const missing: DraftMissing[] = [];
    for (const name of [...new Set(input.variables)]) {
      const tally = tallyVariable(name, data);
      rows.push(...tally.rows);
      if (tally.missing > 0)
        missing.push({ variable: name, count: tally.missing, cells: tally.cells, policy: input.missing ?? "error" });
    }
    return { ok: true as const, rows, missing, warnings, respondents: data.rowMap.length };
  });
}

/** A drafted table as a grid: the header, then one row per category; numeric labels as numbers, targets "". */
export function draftGrid(draft: Draft): (string | number)[][] {
  return [
    [...DRAFT_HEADER],
    ...draft.rows.map((row) => [row.variable, categoryCell(row.category), row.sampleN, row.samplePct, ""]),
  ];
}

/** The note on a variable with unanswered cells, in the words of the run that will follow. */
export function describeDraftMissing(m: DraftMissing): string {
  const where = `${m.cells.join(", ")}${m.count > m.cells.length ? ", …" : ""}`;
  const counted = `${m.count} respondent${m.count === 1 ? " has" : "s have"} no answer on "${m.variable}" (${where}); sample % is over the others`;
  return m.policy === "exclude"
    ? `${counted}, and the run will leave them out of this variable's adjustment.`
    : `${counted}. The run will stop at these cells unless missing answers are excluded or the cells are filled.`;
}

function categoryCell(label: string): string | number {
  return PLAIN_NUMBER.test(label) ? Number(label) : label;
}

/** The data columns of a variable: its own column, or the columns of a crossed name like `age x gender`. */
function columnsOf(name: string, data: DataTable): { columns: number[]; separator: string } {
  const own = data.columns.get(name);
  if (own !== undefined) return { columns: [own], separator: "" };
  const parts = name.split(CROSS_SPLIT).map((p) => p.trim());
  if (parts.length < 2 || parts.some((p) => p === ""))
    return { columns: [settingColumn(data, "variables", name)], separator: "" };
  return {
    columns: parts.map((part) => settingColumn(data, "variables", part)),
    separator: name.includes("×") ? " × " : " x ",
  };
}

/**
 * A column's labels in draft order, as a rank per dictionary code: numbers first in numeric order, then text
 * in order of first appearance (the dictionary's own order).
 */
function labelRanks(labels: readonly string[]): Int32Array {
  const order = labels.map((label, d) => ({ d, value: PLAIN_NUMBER.test(label) ? Number(label) : Number.NaN }));
  order.sort((a, b) => {
    const aNum = !Number.isNaN(a.value);
    const bNum = !Number.isNaN(b.value);
    if (aNum && bNum) return a.value - b.value || a.d - b.d;
    if (aNum !== bNum) return aNum ? -1 : 1;
    return a.d - b.d;
  });
  const rank = new Int32Array(labels.length);
  order.forEach((o, k) => (rank[o.d] = k));
  return rank;
}

/** Counts per category (a tuple of part ranks for a crossed variable) over the respondents, and the missing. */
function tallyVariable(name: string, data: DataTable): { rows: DraftRow[]; missing: number; cells: string[] } {
  const { columns, separator } = columnsOf(name, data);
  const sources: LabelCodes[] = columns.map((c) => data.source.column(c).labels());
  const ranks = sources.map((s) => labelRanks(s.labels));
  // Mixed-radix id over the parts' ranks, the first column the most significant: sorting ids sorts the
  // crossed categories by the first part, then the second, and so on.
  const radix = sources.map((s) => s.labels.length);
  // More distinct labels than a variable can have categories (an id column, say): the run would refuse it,
  // and the ids below must stay exact integers.
  const widest = Math.max(...radix);
  if (widest > MAX_CATEGORIES) fail({ code: "too_many_categories", variable: name, count: widest });
  const space = radix.reduce((a, b) => a * b, 1);
  if (space > Number.MAX_SAFE_INTEGER) fail({ code: "too_many_categories", variable: name, count: space });
  const counts = new Map<number, number>();
  const cells: string[] = [];
  let missing = 0;
  rows: for (let i = 0; i < data.rowMap.length; i++) {
    const r = data.rowMap[i] - 1;
    let id = 0;
    for (let j = 0; j < sources.length; j++) {
      const d = sources[j].codes[r];
      if (d >= CODE_ERROR) {
        if (missing++ < FIRST_CELLS) cells.push(dataCell(data, i, columns[j]));
        continue rows;
      }
      id = id * radix[j] + ranks[j][d];
    }
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  const byRank = sources.map((s, j) => {
    const labels: string[] = new Array(s.labels.length);
    s.labels.forEach((label, d) => (labels[ranks[j][d]] = label));
    return labels;
  });
  if (counts.size > MAX_CATEGORIES) fail({ code: "too_many_categories", variable: name, count: counts.size });
  const answered = data.rowMap.length - missing;
  const rows = [...counts.keys()]
    .sort((a, b) => a - b)
    .map((id) => {
      const parts: string[] = new Array(sources.length);
      let rest = id;
      for (let j = sources.length - 1; j >= 0; j--) {
        parts[j] = byRank[j][rest % radix[j]];
        rest = Math.floor(rest / radix[j]);
      }
      const sampleN = counts.get(id)!;
      return { variable: name, category: parts.join(separator), sampleN, samplePct: (100 * sampleN) / answered };
    });
  return { rows, missing, cells };
}

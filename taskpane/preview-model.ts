// What the preview shows before a run: per variable its data column, categories with respondents and target
// %, the group and total, and the parser's warnings. Built from a parsed Scheme. Pure: no Excel, no React.
import { missingCode } from "../engine/contract";
import { describeSchemeWarning, type Scheme } from "../scheme/scheme";
import { cellAddress } from "../scheme/cells";

export interface PreviewCategory {
  label: string;
  respondents: number;
  /** % of respondents with a valid answer */
  samplePct: number;
  targetPct: number;
}

export interface PreviewVariable {
  name: string;
  /** header cell(s) of the data column(s) */
  columns: string[];
  categories: PreviewCategory[];
  missing: number;
  /** some groups have their own targets */
  perGroupTargets: boolean;
}

export interface PreviewModel {
  respondents: number;
  skippedRows: number;
  variables: PreviewVariable[];
  group: { name: string; labels: string[]; shares: number[] | null } | null;
  baseWeights: boolean;
  total: string;
  warnings: string[];
}

function previewVariable(scheme: Scheme, v: number): PreviewVariable {
  const variable = scheme.problem.variables[v];
  const k = variable.categories.length;
  const counts = new Float64Array(k);
  const missing = missingCode(variable.codes);
  let missingCount = 0;
  for (let i = 0; i < variable.codes.length; i++) {
    const c = variable.codes[i];
    if (c === missing) missingCount++;
    else counts[c]++;
  }
  const valid = scheme.problem.n - missingCount;
  const at = scheme.locations.dataAt;
  return {
    name: variable.name,
    columns: (scheme.locations.variableColumns[v] ?? []).map((c) => cellAddress(at, 0, c)),
    categories: variable.categories.map((label, c) => ({
      label,
      respondents: counts[c],
      samplePct: valid > 0 ? (100 * counts[c]) / valid : 0,
      targetPct: 100 * variable.targets[c],
    })),
    missing: missingCount,
    perGroupTargets: (variable.targetsByGroup ?? []).some((t) => t !== undefined),
  };
}

function totalText(scheme: Scheme): string {
  if (scheme.total.source === "option") return `${scheme.total.value} (set in the options)`;
  if (scheme.total.source === "counts") return `${scheme.total.value} (from the count targets)`;
  return scheme.problem.baseWeights ? "the sum of the base weights" : `${scheme.problem.n} (one per respondent)`;
}

export function previewModel(scheme: Scheme): PreviewModel {
  const group = scheme.problem.group;
  return {
    respondents: scheme.problem.n,
    // blank rows between respondents; those below the last one (a whole-column range) are not data
    skippedRows: (scheme.rowMap.length > 0 ? scheme.rowMap[scheme.rowMap.length - 1] : 0) - scheme.problem.n,
    variables: scheme.problem.variables.map((_, v) => previewVariable(scheme, v)),
    group: group
      ? {
          name: group.name,
          labels: group.labels,
          shares: group.shares ? Array.from(group.shares, (s) => 100 * s) : null,
        }
      : null,
    baseWeights: scheme.problem.baseWeights !== undefined,
    total: totalText(scheme),
    warnings: scheme.warnings.map(describeSchemeWarning),
  };
}

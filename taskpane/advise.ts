// Orchestration of "Advise": the advisor's form (caps, budget) checked into a request, the scheme read and
// parsed as a run reads it, the advisor run in the engine (the shared Worker client in the pane: in parallel
// in the threaded build) with progress and cancel, then its section written on the diagnostics sheet. Nothing
// is written before the advice is complete. Imports Excel I/O and the engine's pure modules; no React.
import { checkBudget } from "../engine/advise";
import {
  RimEngineError,
  type AdviseProgress,
  type AdviseRequest,
  type Advice,
  type Budget,
  type Options,
  type Problem,
} from "../engine/contract";
import { describeEngineError } from "../engine/errors";
import { describeCapsError, parseCaps } from "../scheme/advice-words";
import { PLAIN_NUMBER } from "../scheme/cells";
import { locateEngineError } from "../scheme/scheme";
import { PaneError, throwIfAborted } from "./errors";
import { layoutAdvisor } from "./excel/advisor-layout";
import { writeAdvisorSection } from "./excel/advisor-section";
import { loadDiagnosticsSheet, saveDiagnosticsSheet } from "./excel/scheme-settings";
import type { SavedScheme } from "./saved-scheme";
import { prepareScheme, type ReadOptions } from "./run";

/** The advisor's fields as the pane holds them: text as typed. */
export interface AdviseForm {
  caps: string;
  budgetKind: "none" | "maxDeff" | "minEfficiency";
  /** the budget's number, "" when none */
  budget: string;
}

/** What advise.ts needs of an engine: the shared client's advise, or the TS engine wrapped in a promise. */
export interface AdviseEngine {
  advise(
    problem: Problem,
    options: Options,
    request: AdviseRequest,
    call?: { signal?: AbortSignal; onProgress?: (progress: AdviseProgress) => void },
  ): Promise<Advice>;
}

export interface AdviseDeps extends ReadOptions {
  engine: AdviseEngine;
  /** the time stamp on the section */
  now?: () => Date;
}

export interface AdviseOutcome {
  advice: Advice;
  /** variable names in the problem's order (the leave-one-out runs index them) */
  variables: string[];
  sheet: string;
  address: string;
}

const BUDGET_FIELDS = { maxDeff: "maximum design effect", minEfficiency: "minimum efficiency %" } as const;

function budgetOf(form: AdviseForm): Budget | undefined {
  if (form.budgetKind === "none") return undefined;
  const field = BUDGET_FIELDS[form.budgetKind];
  const text = form.budget.trim();
  if (!PLAIN_NUMBER.test(text))
    throw new PaneError(`The ${field} must be a number${text === "" ? "" : ` (not '${text}')`}.`, field);
  const value = Number(text);
  const budget: Budget = form.budgetKind === "maxDeff" ? { maxDeff: value } : { minEfficiency: value };
  const error = checkBudget(budget);
  if (error) throw new PaneError(`The ${field}: ${describeEngineError(error, { variables: [] })}`, field);
  return budget;
}

/** The form as the engine's request, or a PaneError naming the field. */
export function adviseRequest(form: AdviseForm): AdviseRequest {
  const caps = parseCaps(form.caps);
  if (!caps.ok) throw new PaneError(`Caps to try: ${describeCapsError(caps.part)}.`, "caps to try");
  const budget = budgetOf(form);
  return budget ? { caps: caps.caps, budget } : { caps: caps.caps };
}

/** The whole advice. Throws CancelledError (workbook untouched), PaneError (message + cell), or an Office error. */
export async function adviseWeighting(saved: SavedScheme, form: AdviseForm, deps: AdviseDeps): Promise<AdviseOutcome> {
  const request = adviseRequest(form);
  const prepared = await prepareScheme(saved, deps);
  const { scheme } = prepared;
  const report = (p: AdviseProgress | null) =>
    deps.onProgress?.({
      stage: "weighting",
      fraction: p && p.total ? p.done / p.total : null,
      message: p ? `Advisor: ${p.done} of up to ${p.total} runs` : "Advisor: starting the runs",
    });
  report(null);
  let advice: Advice;
  try {
    advice = await deps.engine.advise(scheme.problem, scheme.options, request, {
      signal: deps.signal,
      onProgress: report,
    });
  } catch (error) {
    if (error instanceof RimEngineError && error.error.code !== "cancelled")
      throw new PaneError(locateEngineError(error.error, scheme));
    throw error;
  }
  throwIfAborted(deps.signal);
  deps.onProgress?.({ stage: "diagnostics", fraction: null, message: "Writing the advice on the diagnostics sheet" });
  const variables = scheme.problem.variables.map((v) => v.name);
  const layout = layoutAdvisor({
    advice,
    variables,
    tolerance: scheme.options.tolerance,
    runAt: (deps.now ?? (() => new Date()))().toLocaleString(),
  });
  const section = await writeAdvisorSection(layout, loadDiagnosticsSheet());
  await saveDiagnosticsSheet(section.sheet);
  return { advice, variables, sheet: section.sheet.name, address: section.address };
}

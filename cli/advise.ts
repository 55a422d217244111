// `rim advise`: the weighting advisor (engine/advise.ts, engine-rs/src/advise.rs) on a data and a targets CSV
// read as `rim rake` reads them, with the same options: a cap sweep, what each variable costs, and the loosest
// cap within a design-effect budget. Prints a table; --report writes the advice as JSON with names.

import * as path from "node:path";
import { RimEngineError, type Advice, type AdvisorRun, type Budget } from "../engine/contract";
import { checkBudget, variableCosts } from "../engine/advise";
import { describeEngineError } from "../engine/errors";
import { loadNodeBackend } from "../engine/runtime/node";
import { getBackend } from "../engine/runtime/backend";
import { DEFAULT_CAPS, describeBudget, describeCapsError, parseCaps } from "../scheme/advice-words";
import { describeSchemeWarning, locateEngineError, PLAIN_NUMBER, type Scheme } from "../scheme/scheme";
import {
  backendPreference,
  CliFailure,
  onlyFlags,
  schemeOf,
  SCHEME_FLAGS,
  writeAtomically,
  type Args,
  type CliIo,
} from "./common";

export async function adviseCommand(args: Args, io: CliIo): Promise<number> {
  onlyFlags("advise", args, [...SCHEME_FLAGS, "report", "caps", "max-deff", "min-efficiency"]);
  const { flags } = args;
  for (const required of ["data", "targets"] as const) {
    if (flags[required] === undefined) throw new CliFailure(`advise needs --${required} (see rim --help)`);
  }
  checkReport(flags);
  const caps = flags.caps === undefined ? DEFAULT_CAPS : capsFlag(flags.caps);
  const budget = parseBudget(flags);
  const preference = backendPreference(flags.backend);
  const scheme = schemeOf(flags);
  for (const warning of scheme.warnings) io.stderr(`rim: warning: ${describeSchemeWarning(warning)}\n`);
  let backend;
  try {
    backend = await loadNodeBackend(preference);
  } catch (error) {
    throw new CliFailure((error as Error).message);
  }
  let advice: Advice;
  try {
    advice = backend.advise(scheme.problem, scheme.options, budget ? { caps, budget } : { caps });
  } catch (error) {
    if (error instanceof RimEngineError) throw new CliFailure(locateEngineError(error.error, scheme));
    throw error;
  }
  if (flags.report !== undefined) {
    const report = adviceReport(scheme, advice, getBackend()?.skipped ?? []);
    writeAtomically([{ file: flags.report, text: `${JSON.stringify(report, null, 2)}\n` }]);
  }
  io.stdout(adviceText(scheme, advice));
  return 0;
}

function checkReport(flags: Args["flags"]): void {
  if (flags.report === undefined) return;
  const inputs = [flags.data, flags.targets, flags.shares].filter((f): f is string => f !== undefined);
  if (inputs.some((f) => path.resolve(f) === path.resolve(flags.report!)))
    throw new CliFailure(`the output '${flags.report}' would overwrite an input file`);
}

/** `--caps 1.5,2,3`: the caps list by the rules the pane uses too. */
function capsFlag(text: string): number[] {
  const parsed = parseCaps(text);
  if (!parsed.ok) throw new CliFailure(`--caps: ${describeCapsError(parsed.part)}`);
  return parsed.caps;
}

function parseBudget(flags: Args["flags"]): Budget | undefined {
  if (flags["max-deff"] !== undefined && flags["min-efficiency"] !== undefined)
    throw new CliFailure("give --max-deff or --min-efficiency, not both");
  const text = flags["max-deff"] ?? flags["min-efficiency"];
  if (text === undefined) return undefined;
  const flag = flags["max-deff"] !== undefined ? "--max-deff" : "--min-efficiency";
  if (!PLAIN_NUMBER.test(text.trim())) throw new CliFailure(`${flag} must be a number (not '${text}')`);
  const value = Number(text);
  const budget: Budget = flag === "--max-deff" ? { maxDeff: value } : { minEfficiency: value };
  const error = checkBudget(budget);
  if (error) throw new CliFailure(`${flag}: ${describeEngineError(error, { variables: [] })}`);
  return budget;
}

// ---------------------------------------------------------------- output

const COLUMNS = ["status", "iterations", "max residual", "efficiency", "effective n", "min weight", "max weight"];

function runCells(run: AdvisorRun): string[] {
  return [
    run.status,
    String(run.iterations),
    run.maxResidual.toExponential(2),
    `${run.efficiencyPct.toFixed(2)}%`,
    run.effectiveN.toFixed(1),
    run.minWeight.toPrecision(4),
    run.maxWeight.toPrecision(4),
  ];
}

function capText(cap: number | null): string {
  return cap === null ? "none" : String(cap);
}

function signed(x: number, digits: number): string {
  return `${x >= 0 ? "+" : ""}${x.toFixed(digits)}`;
}

/** Left-aligned columns, two spaces apart. */
function table(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)));
  return rows
    .map((row) =>
      row
        .map((cell, c) => cell.padEnd(widths[c]))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

export function adviceText(scheme: Scheme, advice: Advice): string {
  const names = scheme.problem.variables.map((v) => v.name);
  const out: string[] = [];
  out.push("cap sweep (upper cap on weight / mean weight)");
  out.push(table([["cap", ...COLUMNS], ...advice.sweep.map((run) => [capText(run.capMax), ...runCells(run)])]));
  out.push("");
  const given = advice.reference.capMax;
  out.push(`variable cost (the run without each variable${given === null ? "" : `, cap ${given}`})`);
  const costs = variableCosts(advice);
  if (costs.length === 0) out.push("  one variable only: nothing to leave out");
  else
    out.push(
      table([
        ["without", "status", "efficiency", "gain (points)", "effective n", "gain"],
        ...costs.map((c) => [
          names[c.variable],
          c.run.status,
          `${c.run.efficiencyPct.toFixed(2)}%`,
          signed(c.efficiencyGainPct, 2),
          c.run.effectiveN.toFixed(1),
          signed(c.effectiveNGain, 1),
        ]),
      ]),
    );
  if (advice.budget) {
    out.push("");
    out.push(budgetText(advice.budget, scheme.options.tolerance));
  }
  out.push("");
  out.push(`${advice.runs} runs, backend ${advice.backend}, ${advice.elapsedMs.toFixed(0)} ms`);
  return `${out.join("\n")}\n`;
}

function budgetText(budget: NonNullable<Advice["budget"]>, tolerance: number): string {
  const words = describeBudget(budget, tolerance);
  return `${words.question}\n  ${words.answer}`;
}

/** The advice with variable names, the options and where the run happened. */
function adviceReport(scheme: Scheme, advice: Advice, skipped: { backend: string; reason: string }[]): unknown {
  const names = scheme.problem.variables.map((v) => v.name);
  const named = (run: AdvisorRun) => ({ ...run, dropped: run.dropped === null ? null : names[run.dropped] });
  return {
    ...advice,
    reference: named(advice.reference),
    sweep: advice.sweep.map(named),
    leaveOneOut: variableCosts(advice).map((c) => ({
      ...named(c.run),
      efficiencyGainPct: c.efficiencyGainPct,
      effectiveNGain: c.effectiveNGain,
    })),
    budget: advice.budget && {
      ...advice.budget,
      run: advice.budget.run && named(advice.budget.run),
      tried: advice.budget.tried.map(named),
    },
    skipped,
    respondents: scheme.problem.n,
    options: scheme.options,
    warnings: scheme.warnings.map(describeSchemeWarning),
  };
}

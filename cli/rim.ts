// The command-line tool: `rim rake` reads a data CSV and a long targets CSV, parses them with the same scheme
// parser as the task pane and =RIM.WEIGHT() (scheme/scheme.ts), rakes with the Node backend (wasm when
// built, else TS) and writes the weights (and a JSON report) atomically; `rim draft` (draft.ts) and
// `rim advise` (advise.ts) are its siblings. The only room that touches files.

import * as path from "node:path";
import { RimEngineError, type RakeResult } from "../engine/contract";
import { formatCsv } from "./csv";
import { loadNodeBackend } from "../engine/runtime/node";
import { getBackend } from "../engine/runtime/backend";
import { describeSchemeWarning, locateEngineError, weightColumn, type Scheme } from "../scheme/scheme";
import {
  backendPreference,
  CliFailure,
  onlyFlags,
  parseArgs,
  SCHEME_FLAGS,
  processIo,
  schemeOf,
  writeAtomically,
  type Args,
  type CliIo,
} from "./common";
import { draftCommand } from "./draft";
import { adviseCommand } from "./advise";

export const HELP = `rim: RIM weighting (raking) of survey data

Usage:
  rim rake --data DATA.csv --targets TARGETS.csv --out WEIGHTS.csv [options]
  rim draft --data DATA.csv --variables A,B --out TARGETS.csv [--missing error|exclude] [--force]
  rim advise --data DATA.csv --targets TARGETS.csv [--caps 1.5,2,3,4,5,8]
             [--max-deff D | --min-efficiency E] [--report ADVICE.json] [options]
  rim --help

Files:
  --data FILE            respondents: a header row, then one row per respondent. Cells that are plain
                         numbers are read as numbers, as Excel opens a CSV ("1.0", "01" and "1" are all 1).
  --targets FILE         long target table: variable,category,target[,group] (header row optional;
                         header names in any case). A crossed variable is named "age x gender" and its
                         categories "18-34 x Male". Targets may be percentages (sum 100), proportions
                         (sum 1) or counts, per variable (and group); a percent or proportion sum that is
                         a little off is scaled, with a warning.
  --out FILE             weights: one column "weight", one row per data row, in input order (a blank
                         data row gets an empty weight). Written only when raking succeeds.
  --report FILE          diagnostics as JSON, with variable, category and group names
  --shares FILE          group shares: group,share (needs --group)

Options:
  --base COL             base (design) weight column
  --group COL            rake each group of this column on its own; target rows with a group apply to
                         that group only, rows without one to every group
  --variables A,B        rake on these variables only (default: every variable in the targets)
  --cap-max X            cap weights at X times the group's mean weight (X >= 1)
  --cap-min Y            floor weights at Y times the group's mean weight (0 <= Y <= 1)
  --total T              the weights sum to T
  --tolerance E          stop when every category is within E of its target, in proportions (1e-6)
  --max-iterations K     at most K passes (1000)
  --missing error|exclude  a blank or error cell in a raking column is an error (default), or the
                         respondent is left out of that variable's adjustment
  --backend auto|wasm|ts  engine (default auto: wasm when built, else ts)

Draft:
  Writes variable,category,sample n,sample %,target with one row per category present in the data
  (numbers in numeric order, text in data order; "a x b" crosses columns) and the target column empty,
  for you to fill in. sample % is over the respondents with an answer, rounded to 2 decimals; blank or
  error cells are noted on stderr. An existing --out file is replaced only with --force.

Advise (each line a full rake with the options above):
  --caps X,Y,...         upper caps to sweep (default 1.5,2,3,4,5,8); with no cap first
  --max-deff D           find the loosest cap whose design effect is at most D (D >= 1)
  --min-efficiency E     or whose efficiency is at least E percent (0 < E <= 100)
  --report FILE          the advice as JSON, variables by name
  It prints the sweep (status, iterations, max residual, efficiency, effective n, min and max weight),
  the efficiency and effective n gained by leaving out each variable, and the budget's cap with the
  residual it leaves (a cap that cannot hold the targets shows as stalled).

The total:
  --total wins. Without it, count targets imply the total when every count-target variable adds up to
  the same number (with --group and per-group count targets: each group's counts give its share of the
  total). When they disagree, a warning, and the weights sum to the base weights (n without --base).
  Percent and proportion targets imply no total.

Exit status:
  rake: 0 converged; 3 weights written but not converged (stalled or max_iterations);
  draft, advise: 0 done (advice on runs that did not converge included: their status says so);
  2 bad input or usage (one line on stderr, no file written); 1 internal error.
`;

/** The diagnostics with names instead of indices. */
export function reportOf(scheme: Scheme, result: RakeResult, extra: Record<string, unknown>): unknown {
  const { problem } = scheme;
  const labels = problem.group?.labels;
  const groupName = (g: number | null) => (g === null || !labels ? null : labels[g]);
  return {
    status: result.status,
    iterations: result.iterations,
    maxResidual: result.maxResidual,
    residualTrace: result.residualTrace,
    backend: result.backend,
    threads: result.threads,
    elapsedMs: result.elapsedMs,
    cellPath: result.cellPath,
    cells: result.cells,
    respondents: problem.n,
    total: { ...scheme.total, sum: result.summary.sumWeights },
    options: scheme.options,
    warnings: scheme.warnings.map(describeSchemeWarning),
    ...extra,
    summary: { ...result.summary, group: groupName(result.summary.group) },
    groups: result.groups.map((s) => ({ ...s, group: groupName(s.group) })),
    groupRuns: result.groupRuns.map((r) => ({ ...r, group: groupName(r.group) })),
    categories: result.categories.map((row) => ({
      ...row,
      variable: problem.variables[row.variable].name,
      category: problem.variables[row.variable].categories[row.category],
      group: groupName(row.group),
    })),
  };
}

function checkFiles(flags: Args["flags"]): void {
  for (const required of ["data", "targets", "out"] as const) {
    if (flags[required] === undefined) throw new CliFailure(`rake needs --${required} (see rim --help)`);
  }
  const inputs = [flags.data, flags.targets, flags.shares]
    .filter((f): f is string => f !== undefined)
    .map((f) => path.resolve(f));
  for (const output of [flags.out, flags.report]) {
    if (output !== undefined && inputs.includes(path.resolve(output)))
      throw new CliFailure(`the output '${output}' would overwrite an input file`);
  }
  if (flags.report !== undefined && path.resolve(flags.report) === path.resolve(flags.out!)) {
    throw new CliFailure("--out and --report name the same file");
  }
}

function summaryText(
  result: RakeResult,
  scheme: Scheme,
  out: string,
  skipped: { backend: string; reason: string }[],
): string {
  const skippedText =
    skipped.length > 0 ? ` (${skipped.map((s) => `${s.backend} skipped: ${s.reason}`).join("; ")})` : "";
  return [
    `status          ${result.status}`,
    `iterations      ${result.iterations}`,
    `max residual    ${result.maxResidual.toExponential(3)}`,
    `backend         ${result.backend}${skippedText}`,
    `efficiency      ${result.summary.efficiencyPct.toFixed(2)}%`,
    `weights         ${out} (${scheme.problem.n} respondents, sum ${Number(result.summary.sumWeights.toPrecision(12))})`,
    "",
  ].join("\n");
}

async function rakeCommand(flags: Args["flags"], io: CliIo): Promise<number> {
  checkFiles(flags);
  const preference = backendPreference(flags.backend);
  const scheme = schemeOf(flags);
  for (const warning of scheme.warnings) io.stderr(`rim: warning: ${describeSchemeWarning(warning)}\n`);
  let backend;
  try {
    backend = await loadNodeBackend(preference);
  } catch (error) {
    throw new CliFailure((error as Error).message);
  }
  const skipped = getBackend()?.skipped ?? [];
  let result: RakeResult;
  try {
    result = backend.rake(scheme.problem, scheme.options);
  } catch (error) {
    if (error instanceof RimEngineError) throw new CliFailure(locateEngineError(error.error, scheme));
    throw error;
  }
  const weights = weightColumn(scheme, result.weights);
  const files = [{ file: flags.out!, text: formatCsv([["weight"], ...weights.map((w) => [w])]) }];
  if (flags.report !== undefined) {
    const report = reportOf(scheme, result, { skipped, data: flags.data, targets: flags.targets });
    files.push({ file: flags.report, text: `${JSON.stringify(report, null, 2)}\n` });
  }
  writeAtomically(files);
  io.stdout(summaryText(result, scheme, flags.out!, skipped));
  return result.status === "converged" ? 0 : 3;
}

const COMMANDS: Record<string, (args: Args, io: CliIo) => Promise<number>> = {
  rake: (args, io) => {
    onlyFlags("rake", args, [...SCHEME_FLAGS, "out", "report"]);
    return rakeCommand(args.flags, io);
  },
  draft: draftCommand,
  advise: adviseCommand,
};

/** Runs the tool; resolves to the exit status. */
export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  try {
    const args = parseArgs(argv);
    if (args.help) {
      io.stdout(HELP);
      return 0;
    }
    if (args.command === null) {
      io.stderr(HELP);
      return 2;
    }
    const command = COMMANDS[args.command];
    if (!command) throw new CliFailure(`unknown command '${args.command}' (see rim --help)`);
    return await command(args, io);
  } catch (error) {
    if (error instanceof CliFailure) {
      io.stderr(`rim: ${error.message}\n`);
      return 2;
    }
    io.stderr(`rim: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 1;
  }
}

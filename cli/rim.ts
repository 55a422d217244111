// The command-line tool: `rim rake` reads a data CSV and a long targets CSV, parses them with the same scheme
// parser as the task pane and =RIM.WEIGHT() (scheme/scheme.ts), rakes with the Node backend (wasm when
// built, else TS) and writes the weights (and a JSON report) atomically. The only room that touches files.

import * as fs from "node:fs";
import * as path from "node:path";
import { RimEngineError, type RakeResult } from "../engine/contract";
import { CsvError, formatCsv, parseCsv } from "./csv";
import { loadNodeBackend } from "../engine/runtime/node";
import { getBackend, type BackendPreference } from "../engine/runtime/backend";
import {
  describeSchemeError,
  describeSchemeWarning,
  locateEngineError,
  parseScheme,
  parseSchemeOptions,
  weightColumn,
  PLAIN_NUMBER,
  numberCell,
  readCell,
  type Cell,
  type CellGrid,
  type Scheme,
} from "../scheme/scheme";

export const HELP = `rim: RIM weighting (raking) of survey data

Usage:
  rim rake --data DATA.csv --targets TARGETS.csv --out WEIGHTS.csv [options]
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

The total:
  --total wins. Without it, count targets imply the total when every count-target variable adds up to
  the same number (with --group and per-group count targets: each group's counts give its share of the
  total). When they disagree, a warning, and the weights sum to the base weights (n without --base).
  Percent and proportion targets imply no total.

Exit status:
  0 converged; 3 weights written but not converged (stalled or max_iterations);
  2 bad input or usage (one line on stderr, no file written); 1 internal error.
`;

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
}

const processIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

/** A usage or input problem: one line on stderr, exit 2. */
class CliFailure extends Error {}

const VALUE_FLAGS = [
  "data",
  "targets",
  "out",
  "report",
  "shares",
  "base",
  "group",
  "variables",
  "cap-max",
  "cap-min",
  "total",
  "tolerance",
  "max-iterations",
  "missing",
  "backend",
] as const;
type Flag = (typeof VALUE_FLAGS)[number];

interface Args {
  command: string | null;
  help: boolean;
  flags: Partial<Record<Flag, string>>;
}

export function parseArgs(argv: string[]): Args {
  const args: Args = { command: null, help: false, flags: {} };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--help" || arg === "-h" || arg === "help") {
      args.help = true;
      continue;
    }
    if (!arg.startsWith("--")) {
      if (args.command !== null) throw new CliFailure(`unexpected argument '${arg}'`);
      args.command = arg;
      continue;
    }
    const eq = arg.indexOf("=");
    const name = (eq >= 0 ? arg.slice(2, eq) : arg.slice(2)) as Flag;
    if (!VALUE_FLAGS.includes(name)) throw new CliFailure(`unknown option '${arg}' (see rim --help)`);
    let value: string | undefined;
    if (eq >= 0) value = arg.slice(eq + 1);
    else {
      value = argv[++i];
      if (value === undefined || value.startsWith("--")) throw new CliFailure(`option --${name} needs a value`);
    }
    if (args.flags[name] !== undefined) throw new CliFailure(`option --${name} is given twice`);
    args.flags[name] = value;
  }
  return args;
}

/**
 * Cells that are plain decimal numbers become numbers, as Excel does when it opens a CSV, so "1.0" in the data
 * and "1" in the targets are the same label (1), and the CLI reads a file as the task pane reads it once
 * opened in Excel. Decided once per distinct text: the CSV reader already shares repeated strings.
 */
/**
 * The CLI's door: CSV fields as Cells, read as Excel reads typed text (so "1.0" is the number 1 and meets a
 * target "1"): a plain decimal number is a number, any other field is text read by readCell ("" blank, "#N/A"
 * an error). Each distinct field is read once.
 */
function csvCells(grid: string[][]): CellGrid {
  const seen = new Map<string, Cell>();
  return grid.map((row) =>
    row.map((text) => {
      let cell = seen.get(text);
      if (cell === undefined) {
        cell = PLAIN_NUMBER.test(text.trim()) ? numberCell(Number(text)) : readCell(text);
        seen.set(text, cell);
      }
      return cell;
    }),
  );
}

function readCsvFile(file: string, what: string): string[][] {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    throw new CliFailure(
      `cannot read the ${what} file '${file}': ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
    );
  }
  try {
    return parseCsv(text);
  } catch (error) {
    if (error instanceof CsvError) throw new CliFailure(`${path.basename(file)}: ${error.message}`);
    throw error;
  }
}

function sheetOf(file: string) {
  return { sheet: path.basename(file), row: 0, col: 0 };
}

function schemeOf(flags: Args["flags"]): Scheme {
  const pairs: Record<string, string> = {};
  const map: [Flag, string][] = [
    ["base", "base"],
    ["group", "group"],
    ["variables", "variables"],
    ["cap-max", "capMax"],
    ["cap-min", "capMin"],
    ["total", "total"],
    ["tolerance", "tolerance"],
    ["max-iterations", "maxIterations"],
    ["missing", "missing"],
  ];
  for (const [flag, option] of map) if (flags[flag] !== undefined) pairs[option] = flags[flag]!;
  const parsedOptions = parseSchemeOptions(pairs);
  if (!parsedOptions.ok) throw new CliFailure(describeSchemeError(parsedOptions.error));
  const settings = parsedOptions.settings;
  if (flags.shares !== undefined) {
    if (settings.group === undefined) throw new CliFailure("--shares needs --group");
    settings.groupShares = csvCells(readCsvFile(flags.shares, "shares"));
    settings.groupSharesAt = sheetOf(flags.shares);
  }
  const scheme = parseScheme({
    data: csvCells(readCsvFile(flags.data!, "data")),
    dataAt: sheetOf(flags.data!),
    targets: csvCells(readCsvFile(flags.targets!, "targets")),
    targetsAt: sheetOf(flags.targets!),
    settings,
  });
  if (!scheme.ok) throw new CliFailure(describeSchemeError(scheme.error));
  return scheme;
}

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

/** Writes every file to a temporary name beside it, then renames them all; on failure nothing is left. */
function writeAtomically(files: { file: string; text: string }[]): void {
  const temps: string[] = [];
  try {
    for (const { file, text } of files) {
      const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
      temps.push(temp);
      fs.writeFileSync(temp, text);
    }
    files.forEach(({ file }, k) => fs.renameSync(temps[k], file));
  } catch (error) {
    for (const temp of temps) fs.rmSync(temp, { force: true });
    throw new CliFailure(`cannot write the output: ${(error as Error).message}`);
  }
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

function backendPreference(value: string | undefined): BackendPreference {
  const preference = value ?? "auto";
  if (preference !== "auto" && preference !== "wasm" && preference !== "ts") {
    throw new CliFailure(`--backend must be auto, wasm or ts (not '${preference}')`);
  }
  return preference;
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
    if (args.command !== "rake") throw new CliFailure(`unknown command '${args.command}' (see rim --help)`);
    return await rakeCommand(args.flags, io);
  } catch (error) {
    if (error instanceof CliFailure) {
      io.stderr(`rim: ${error.message}\n`);
      return 2;
    }
    io.stderr(`rim: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 1;
  }
}

// What the rim sub-commands share: the command line, CSV files in and out (atomic writes), the scheme read
// from the files and flags with the shared parser (scheme/scheme.ts), and the backend choice. Node only.

import * as fs from "node:fs";
import * as path from "node:path";
import { CsvError, parseCsv } from "./csv";
import type { BackendPreference } from "../engine/runtime/backend";
import {
  describeSchemeError,
  numberCell,
  parseScheme,
  parseSchemeOptions,
  PLAIN_NUMBER,
  readCell,
  type Cell,
  type CellGrid,
  type Scheme,
} from "../scheme/scheme";

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
}

export const processIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

/** The options `rake` and `advise` share: how the scheme is read and raked. */
export const SCHEME_FLAGS: readonly Flag[] = [
  "data",
  "targets",
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
];

/** A usage or input problem: one line on stderr, exit 2. */
export class CliFailure extends Error {}

export const VALUE_FLAGS = [
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
  "caps",
  "max-deff",
  "min-efficiency",
] as const;
export type Flag = (typeof VALUE_FLAGS)[number];

export interface Args {
  command: string | null;
  help: boolean;
  /** --force: a switch, without a value */
  force: boolean;
  flags: Partial<Record<Flag, string>>;
}

export function parseArgs(argv: string[]): Args {
  const args: Args = { command: null, help: false, force: false, flags: {} };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--help" || arg === "-h" || arg === "help") {
      args.help = true;
      continue;
    }
    if (arg === "--force") {
      args.force = true;
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

/** A flag the command does not take is an error, never silently ignored (`--caps` given to rake, say). */
export function onlyFlags(command: string, args: Args, accepted: readonly Flag[], force = false): void {
  if (args.force && !force) throw new CliFailure(`${command} does not take --force (see rim --help)`);
  for (const flag of Object.keys(args.flags) as Flag[]) {
    if (!accepted.includes(flag)) throw new CliFailure(`${command} does not take --${flag} (see rim --help)`);
  }
}

/**
 * The CLI's door: CSV fields as Cells, read as Excel reads typed text (so "1.0" is the number 1 and meets a
 * target "1"): a plain decimal number is a number, any other field is text read by readCell ("" blank, "#N/A"
 * an error). Each distinct field is read once: the CSV reader already shares repeated strings.
 */
export function csvCells(grid: string[][]): CellGrid {
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

export function readCsvFile(file: string, what: string): string[][] {
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

export function sheetOf(file: string) {
  return { sheet: path.basename(file), row: 0, col: 0 };
}

export function schemeOf(flags: Args["flags"]): Scheme {
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

/** Writes every file to a temporary name beside it, then renames them all; on failure nothing is left. */
export function writeAtomically(files: { file: string; text: string }[]): void {
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

export function backendPreference(value: string | undefined): BackendPreference {
  const preference = value ?? "auto";
  if (preference !== "auto" && preference !== "wasm" && preference !== "ts") {
    throw new CliFailure(`--backend must be auto, wasm or ts (not '${preference}')`);
  }
  return preference;
}

// `rim draft`: writes a target table to fill in, drafted from the data (scheme/draft.ts): `variable | category |
// sample n | sample % | target`, the target column empty. Never replaces an existing file without --force.

import * as fs from "node:fs";
import * as path from "node:path";
import { formatCsv } from "./csv";
import { DRAFT_HEADER, describeDraftMissing, draftGrid, draftTargets } from "../scheme/draft";
import { describeSchemeError, describeSchemeWarning, parseSchemeOptions } from "../scheme/scheme";
import {
  CliFailure,
  csvCells,
  onlyFlags,
  readCsvFile,
  sheetOf,
  writeAtomically,
  type Args,
  type CliIo,
} from "./common";

/** sample % in the file: two decimals, for reading (the counts beside it are exact). */
const PCT_DECIMALS = 2;

export async function draftCommand(args: Args, io: CliIo): Promise<number> {
  onlyFlags("draft", args, ["data", "variables", "out", "missing"], true);
  const { flags } = args;
  for (const required of ["data", "variables", "out"] as const) {
    if (flags[required] === undefined) throw new CliFailure(`draft needs --${required} (see rim --help)`);
  }
  const out = flags.out!;
  if (path.resolve(out) === path.resolve(flags.data!))
    throw new CliFailure(`the output '${out}' would overwrite an input file`);
  if (fs.existsSync(out) && !args.force)
    throw new CliFailure(`'${out}' already exists; choose another --out, or add --force to replace it`);
  const pairs: Record<string, string> = { variables: flags.variables! };
  if (flags.missing !== undefined) pairs.missing = flags.missing;
  const options = parseSchemeOptions(pairs);
  if (!options.ok) throw new CliFailure(describeSchemeError(options.error));
  const variables = options.settings.variables ?? [];
  if (variables.length === 0) throw new CliFailure("--variables names no variable");
  const draft = draftTargets({
    data: csvCells(readCsvFile(flags.data!, "data")),
    dataAt: sheetOf(flags.data!),
    variables,
    missing: options.settings.missing,
  });
  if (!draft.ok) throw new CliFailure(describeSchemeError(draft.error));
  for (const warning of draft.warnings) io.stderr(`rim: warning: ${describeSchemeWarning(warning)}\n`);
  for (const missing of draft.missing) io.stderr(`rim: note: ${describeDraftMissing(missing)}\n`);
  const grid = draftGrid(draft).map((row, r) =>
    r === 0
      ? row
      : row.map((cell, c) =>
          c === DRAFT_HEADER.indexOf("sample %") ? Number((cell as number).toFixed(PCT_DECIMALS)) : cell,
        ),
  );
  writeAtomically([{ file: out, text: formatCsv(grid) }]);
  io.stdout(
    `drafted ${draft.rows.length} categories of ${variables.length} variable${variables.length === 1 ? "" : "s"} ` +
      `(${draft.respondents} respondents) into ${out}; fill in the target column, then run rim rake.\n`,
  );
  return 0;
}

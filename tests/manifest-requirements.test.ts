// manifest.xml's <Requirements> against the calls the code makes: every Office.js member the pane and the
// functions use (tests/requirement-sets.ts resolves each to its requirement set) must be covered by a set the
// manifest declares, unless the code has a fallback for it, checked with isSetSupported (OPTIONAL below). The
// declared ExcelApi version is the highest one needed, no higher: a higher one would hide the add-in from
// hosts it works on.
import * as fs from "node:fs";
import * as path from "node:path";
import { compareVersions, officeSources, scanApiUses, type ApiUse } from "./requirement-sets";

const ROOT = path.join(__dirname, "..");

/** Sets the code may use beyond the manifest, each with the file whose isSetSupported check guards it. */
const OPTIONAL: Record<string, { version: string; guard: string; fallback: string }[]> = {
  CustomFunctionsRuntime: [
    {
      version: "1.3",
      guard: "functions/functions.ts",
      fallback: "no parameter addresses: zeros stay zeros and an input error says empty cells may be zeros",
    },
    { version: "1.5", guard: "functions/functions.ts", fallback: "no value preview: every call is a real one" },
  ],
};

/**
 * Sets Office itself guarantees where the code runs: custom functions (CustomFunctionsRuntime 1.1) load only
 * in hosts that support them, through the manifest's CustomFunctions extension point.
 */
const BY_EXTENSION_POINT: Record<string, string> = { CustomFunctionsRuntime: "1.1" };

function declaredSets(manifest: string): Map<string, string> {
  const requirements = /<OfficeApp[\s\S]*?<Requirements>([\s\S]*?)<\/Requirements>/.exec(manifest)?.[1] ?? "";
  const fallback = /<Sets\s+DefaultMinVersion="([\d.]+)"/.exec(requirements)?.[1] ?? "1.1";
  const sets = new Map<string, string>();
  for (const m of requirements.matchAll(/<Set\s+Name="(\w+)"(?:\s+MinVersion="([\d.]+)")?/g))
    sets.set(m[1], m[2] ?? fallback);
  return sets;
}

/** What each use needs that neither the manifest nor a guarded fallback gives: one line per problem. */
function uncovered(uses: ApiUse[], declared: Map<string, string>, sources: (file: string) => string): string[] {
  const problems: string[] = [];
  for (const use of uses) {
    const have = declared.get(use.set) ?? BY_EXTENSION_POINT[use.set];
    if (have !== undefined && compareVersions(have, use.version) >= 0) continue;
    const optional = OPTIONAL[use.set]?.find((o) => o.version === use.version);
    const guarded =
      optional !== undefined &&
      use.at.startsWith(optional.guard) &&
      sources(optional.guard).includes(`"${use.set}", "${use.version}"`);
    if (!guarded)
      problems.push(`${use.api} needs ${use.set} ${use.version} (${use.at}); the manifest declares ${have ?? "none"}`);
  }
  return problems;
}

function highest(uses: ApiUse[], set: string): string | undefined {
  return uses
    .filter((u) => u.set === set)
    .map((u) => u.version)
    .sort(compareVersions)
    .at(-1);
}

const read = (file: string) => fs.readFileSync(path.join(ROOT, file), "utf8");

describe("manifest requirement sets, derived from the code's calls", () => {
  const uses = scanApiUses(ROOT, officeSources(ROOT));
  const declared = declaredSets(read("manifest.xml"));

  test("the scan finds the calls the issue names, with their sets", () => {
    const found = (api: string) => uses.find((u) => u.api === api);
    expect(found("Worksheet.getRangeByIndexes")).toMatchObject({ set: "ExcelApi", version: "1.7" });
    expect(found("Application.suspendApiCalculationUntilNextSync")).toMatchObject({ set: "ExcelApi", version: "1.6" });
    // a name inside load("…") counts as a use
    expect(found("Range.valueTypes")).toMatchObject({ set: "ExcelApi", at: expect.stringMatching(/^functions\//) });
  });

  test("every call is covered by the manifest or by a fallback guarded with isSetSupported", () => {
    expect(uncovered(uses, declared, read)).toEqual([]);
  });

  test("the manifest declares the highest ExcelApi the code needs, and SharedRuntime 1.1", () => {
    expect(declared.get("ExcelApi")).toBe(highest(uses, "ExcelApi"));
    expect(declared.get("SharedRuntime")).toBe("1.1");
    // an optional set in the manifest would make its fallback dead code and hide the add-in from older hosts
    for (const [set, options] of Object.entries(OPTIONAL))
      for (const { version } of options) expect(compareVersions(declared.get(set) ?? "0.0", version)).toBeLessThan(0);
  });

  test("a call needing more than the manifest declares is reported, naming the call and its place", () => {
    const lower = new Map(declared);
    lower.set("ExcelApi", "1.6");
    expect(uncovered(uses, lower, read)).toContainEqual(
      expect.stringMatching(
        /^Worksheet\.getRangeByIndexes needs ExcelApi 1\.7 \(taskpane\/excel\/.+\.ts:\d+\); the manifest declares 1\.6$/,
      ),
    );
    // an optional set used without its isSetSupported check is reported too
    expect(uncovered(uses, declared, () => "")).toContainEqual(
      expect.stringMatching(/^Invocation\.parameterAddresses needs CustomFunctionsRuntime 1\.3/),
    );
  });
});

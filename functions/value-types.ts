// Which cells of =RIM.WEIGHT()'s range arguments are empty. Excel desktop passes an empty cell of a range
// argument as 0 (Excel on the web passes null): office-js issues #1951, #4702, #5262. A shared-runtime function
// can tell a real 0 from an empty cell by reading the range's `valueTypes` ("Empty" for an empty cell; ExcelApi
// 1.1) at the argument's address, which Excel gives when the function's metadata asks for
// requiresParameterAddresses (invocation.parameterAddresses, CustomFunctionsRuntime 1.3). Reading Excel from a
// custom function is documented for a shared runtime ("Call Excel JavaScript APIs from a custom function",
// learn.microsoft.com). This file holds the function's only Excel.run; it reads, never writes.

import { sheetAndRange } from "./addresses";

/** Range.valueTypes: one type name per cell ("Empty", "String", "Double", …). */
export type ValueTypes = readonly (readonly string[])[];

/**
 * Why an argument's zeros could not be told from empty cells: no address (an array constant, another function's
 * result, or a host without CustomFunctionsRuntime 1.3), or the workbook did not answer with types of the
 * argument's shape.
 */
export type TypesMissing = "no_address" | "unreadable";

/** An argument's value types, or why there are none. */
export type ArgumentTypes = { ok: true; types: ValueTypes } | { ok: false; why: TypesMissing };

/**
 * Excel on the web passes an empty cell as null (the issues above), so a 0 there is a real 0 and no types are
 * read: Office.context.diagnostics.platform is "OfficeOnline" (Office.PlatformType) on the web.
 */
function passesEmptyAsNull(): boolean {
  const office = (globalThis as { Office?: typeof Office }).Office;
  const platform: unknown = office?.context?.diagnostics?.platform;
  return platform === "OfficeOnline";
}

/** True when a grid holds a numeric 0: only then can a desktop host have passed an empty cell. */
export function holdsZero(values: unknown): boolean {
  if (!Array.isArray(values)) return values === 0;
  return values.some((row) => (Array.isArray(row) ? row.includes(0) : row === 0));
}

function sameShape(types: unknown, values: readonly unknown[]): types is ValueTypes {
  return (
    Array.isArray(types) &&
    types.length === values.length &&
    types.every((row, r) => Array.isArray(row) && row.length === (values[r] as unknown[]).length)
  );
}

/**
 * The value types of the arguments that hold a 0 (the others need none: null is blank on every host), read in
 * one Excel.run; none on the web, which passes empty cells as null. An argument whose types cannot be read gets the reason instead; the caller then reads its
 * zeros as zeros and says so.
 */
export async function readArgumentTypes(
  args: readonly unknown[],
  addresses: readonly (string | null | undefined)[] | undefined,
): Promise<(ArgumentTypes | undefined)[]> {
  const out: (ArgumentTypes | undefined)[] = args.map(() => undefined);
  if (passesEmptyAsNull()) return out;
  const wanted: { k: number; sheet: string; range: string }[] = [];
  args.forEach((values, k) => {
    if (!holdsZero(values)) return;
    const where = typeof addresses?.[k] === "string" ? sheetAndRange(addresses[k]!) : undefined;
    if (where && Array.isArray(values)) wanted.push({ k, ...where });
    else out[k] = { ok: false, why: "no_address" };
  });
  if (wanted.length === 0) return out;
  try {
    const read = await Excel.run(async (context) => {
      const ranges = wanted.map(({ sheet, range }) =>
        context.workbook.worksheets.getItem(sheet).getRange(range).load("valueTypes"),
      );
      await context.sync();
      return ranges.map((range) => range.valueTypes as unknown);
    });
    wanted.forEach(({ k }, j) => {
      const types = read[j];
      out[k] = sameShape(types, args[k] as unknown[]) ? { ok: true, types } : { ok: false, why: "unreadable" };
    });
  } catch {
    // No workbook to ask (no shared runtime, a deleted sheet): every wanted argument falls back.
    for (const { k } of wanted) out[k] = { ok: false, why: "unreadable" };
  }
  return out;
}

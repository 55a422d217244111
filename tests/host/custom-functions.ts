// The smallest custom-functions shim: CustomFunctions.associate (which Microsoft's runtime provides from
// custom-functions-runtime.js inside Office) and an invoker that calls an associated function the way Excel
// does, reading each range argument from the workbook with the flavour's blank: Excel desktop passes an empty
// cell as 0, Excel on the web as null (FACTS.md). Errors thrown or returned are recognised by Microsoft's own
// CustomFunctions.Error class from excel-web-16.00.js / excel-win32-16.01.js.
import { parseAddress } from "../fake-excel/address";
import type { WorkbookModel } from "../fake-excel/model";
import type { FlavourLimits } from "./limits";

type Fn = (...args: unknown[]) => unknown;

export interface CellOutcome {
  value?: unknown;
  /** an Excel error value ("#VALUE!", "#N/A", …) */
  error?: string;
  message?: string;
}

/** An argument: a range address (read from the workbook as Excel would pass it) or a literal value. */
export type Argument = { range: string } | { value: unknown };

export interface MicrosoftCustomFunctions {
  Error: new (...args: unknown[]) => Error & { code: string };
}

export class FunctionHost {
  private readonly functions = new Map<string, Fn>();

  constructor(
    private readonly model: WorkbookModel,
    private readonly limits: FlavourLimits,
    private readonly microsoft: MicrosoftCustomFunctions,
  ) {}

  associate(id: string | Record<string, Fn>, fn?: Fn): void {
    if (typeof id !== "string") {
      for (const [k, f] of Object.entries(id)) this.associate(k, f);
      return;
    }
    if (typeof fn !== "function") throw new TypeError(`CustomFunctions.associate('${id}'): not a function`);
    this.functions.set(id.toUpperCase(), fn);
  }

  ids(): string[] {
    return [...this.functions.keys()];
  }

  /** A range argument as Excel hands it to the function: a matrix, empty cells per flavour. */
  argumentGrid(address: string): unknown[][] {
    const { sheet: name, rect } = parseAddress(address);
    const sheet = name === undefined ? this.model.activeSheet() : this.model.sheetByName(name);
    if (!sheet) throw new Error(`no sheet in ${address}`);
    const grid: unknown[][] = [];
    for (let r = rect.r0; r <= rect.r1; r++) {
      const row: unknown[] = [];
      for (let c = rect.c0; c <= rect.c1; c++) {
        const v = sheet.value(r, c);
        row.push(v === undefined || v === "" ? this.limits.emptyArgumentCell : v);
      }
      grid.push(row);
    }
    return grid;
  }

  async invoke(id: string, args: Argument[], cell = "Sheet1!Z1"): Promise<CellOutcome> {
    const fn = this.functions.get(id.toUpperCase());
    if (!fn) throw new Error(`no custom function '${id}' is associated (have: ${this.ids().join(", ")})`);
    const values = args.map((a) => ("range" in a ? this.argumentGrid(a.range) : a.value));
    const addresses = args.map((a) => ("range" in a ? a.range : ""));
    const invocation = {
      functionName: id,
      address: cell,
      parameterAddresses: addresses,
      isInValuePreview: false,
      setResult: () => undefined,
      onCanceled: undefined as undefined | (() => void),
    };
    try {
      return this.outcome(await fn(...values, invocation));
    } catch (e) {
      return this.outcome(e);
    }
  }

  private outcome(x: unknown): CellOutcome {
    if (x instanceof this.microsoft.Error) return { error: x.code, message: x.message };
    if (x instanceof Error) return { error: "#VALUE!" };
    return { value: x };
  }
}

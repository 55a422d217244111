/**
 * CustomFunctions namespace (associate, Error, ErrorCode) and the test-side invoker.
 * Matches @types/custom-functions-runtime: ErrorCode values, Error(code, message?), Invocation fields.
 */

export const CustomFunctionsErrorCode = {
  invalidValue: "#VALUE!",
  notAvailable: "#N/A",
  divisionByZero: "#DIV/0!",
  invalidNumber: "#NUM!",
  nullReference: "#NULL!",
  invalidName: "#NAME?",
  invalidReference: "#REF!",
} as const;

const CODES = new Set<string>(Object.values(CustomFunctionsErrorCode));
/** Only these codes may carry a custom message (per the typings' docs). */
const MESSAGE_CODES = new Set<string>(["#VALUE!", "#N/A"]);

export class CustomFunctionsError extends Error {
  code: string;
  type = "CustomFunctionError";
  constructor(code: string = "#VALUE!", message?: string) {
    super(message ?? "");
    if (!CODES.has(code)) throw new TypeError(`CustomFunctions.Error: unknown error code '${code}'`);
    this.name = "CustomFunctions.Error";
    this.code = code;
    this.message = message as string;
    Object.setPrototypeOf(this, new.target.prototype);
  }
}

export interface InvokeOptions {
  /** invocation.address, e.g. "Sheet1!B2" */
  address?: string;
  parameterAddresses?: string[];
  /** invocation.isInValuePreview (a boolean here; the typings declare string) */
  isInValuePreview?: boolean;
  /** pad args with null up to this many parameters (Excel passes null for omitted optional parameters) */
  parameterCount?: number;
}

/** What the cell would show. */
export interface CellOutcome {
  value?: unknown;
  /** error code shown in the cell ("#VALUE!" for any non-CustomFunctions.Error throw) */
  error?: string;
  /** custom message, only kept for #VALUE! and #N/A */
  message?: string;
  /** true when cancel() was called before the function settled */
  canceled: boolean;
}

export interface InvocationHandle {
  invocation: {
    functionName: string;
    address?: string;
    parameterAddresses?: string[];
    isInValuePreview: boolean;
    onCanceled?: () => void;
    setResult: (v: unknown) => void;
  };
  /** the function's own promise (resolves with its return value, rejects with what it throws) */
  result: Promise<unknown>;
  /** values passed to invocation.setResult (streaming functions) */
  streamed: unknown[];
  /** calls invocation.onCanceled (once) as Excel does when the cell is recalculated or deleted */
  cancel(): void;
  readonly canceled: boolean;
  /** settles like the cell: never rejects */
  outcome(): Promise<CellOutcome>;
}

/** What invokeWithRanges needs of the workbook: a range's values and value types, the host flavour. */
export interface RangeSource {
  read(sheet: string, address: string): { values: unknown[][]; types: string[][] };
  mode(): "web" | "desktop";
  /** CustomFunctionsRuntime 1.3 (invocation.parameterAddresses) is supported */
  parameterAddresses(): boolean;
}

/**
 * A range argument as Excel passes it: empty cells are 0 on Excel desktop and null on Excel on the web
 * (office-js issues #1951, #4702, #5262); every other cell as its value.
 */
export function rangeArgument(values: unknown[][], types: string[][], mode: "web" | "desktop"): unknown[][] {
  const empty = mode === "desktop" ? 0 : null;
  return values.map((row, r) => row.map((v, c) => (types[r][c] === "Empty" ? empty : v)));
}

export class CustomFunctionsRegistry {
  /** @internal */ _fns = new Map<string, { id: string; fn: Function }>();
  /** every associate call, in order */
  readonly associations: string[] = [];

  constructor(private readonly ranges?: RangeSource) {}

  associate(idOrMappings: string | Record<string, Function>, fn?: Function): void {
    if (typeof idOrMappings === "string") {
      if (typeof fn !== "function") throw new TypeError(`CustomFunctions.associate('${idOrMappings}'): not a function`);
      this._fns.set(idOrMappings.toUpperCase(), { id: idOrMappings, fn });
      this.associations.push(idOrMappings);
      return;
    }
    for (const [id, f] of Object.entries(idOrMappings)) this.associate(id, f);
  }

  ids(): string[] {
    return [...this._fns.values()].map((e) => e.id);
  }
  get(id: string): Function | undefined {
    return this._fns.get(id.toUpperCase())?.fn;
  }

  /**
   * Invokes a function on workbook ranges ("Data!A1:E501"; null for an omitted argument), passing each as the
   * host flavour does (rangeArgument), with the ranges as invocation.parameterAddresses where the host
   * supports CustomFunctionsRuntime 1.3 (none otherwise, as Excel gives none).
   */
  invokeWithRanges(id: string, refs: (string | null)[], opts: Omit<InvokeOptions, "parameterAddresses"> = {}) {
    if (!this.ranges) throw new Error("invokeWithRanges: this registry has no workbook");
    const source = this.ranges;
    const args = refs.map((ref) => {
      if (ref === null) return null;
      const bang = ref.lastIndexOf("!");
      const { values, types } = source.read(ref.slice(0, bang).replace(/^'|'$/g, ""), ref.slice(bang + 1));
      return rangeArgument(values, types, source.mode());
    });
    const parameterAddresses = source.parameterAddresses() ? refs.map((ref) => ref ?? "") : undefined;
    return this.invoke(id, args, { ...opts, parameterAddresses });
  }

  invoke(id: string, args: unknown[] = [], opts: InvokeOptions = {}): InvocationHandle {
    const entry = this._fns.get(id.toUpperCase());
    if (!entry)
      throw new Error(
        `No custom function associated with id '${id}'. Registered: ${this.ids().join(", ") || "(none)"}`,
      );
    const streamed: unknown[] = [];
    let canceled = false;
    let settled = false;
    const invocation: InvocationHandle["invocation"] = {
      functionName: entry.id,
      address: opts.address,
      parameterAddresses: opts.parameterAddresses,
      isInValuePreview: !!opts.isInValuePreview,
      onCanceled: undefined,
      setResult: (v: unknown) => {
        if (!canceled) streamed.push(v);
      },
    };
    const padded = [...args];
    while (opts.parameterCount !== undefined && padded.length < opts.parameterCount) padded.push(null);
    const result = (async () => entry.fn(...padded, invocation))();
    result.then(
      () => {
        settled = true;
      },
      () => {
        settled = true;
      },
    );
    return {
      invocation,
      result,
      streamed,
      get canceled() {
        return canceled;
      },
      cancel() {
        if (canceled || settled) return;
        canceled = true;
        invocation.onCanceled?.();
      },
      async outcome(): Promise<CellOutcome> {
        try {
          const value = await result;
          if (value instanceof CustomFunctionsError) return cellError(value, canceled);
          return { value, canceled };
        } catch (e) {
          if (e instanceof CustomFunctionsError) return cellError(e, canceled);
          return { error: "#VALUE!", canceled };
        }
      },
    };
  }
}

function cellError(e: CustomFunctionsError, canceled: boolean): CellOutcome {
  return { error: e.code, ...(MESSAGE_CODES.has(e.code) && e.message ? { message: e.message } : {}), canceled };
}

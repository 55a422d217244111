/**
 * Proxy-object machinery shared by every Excel object: load options, loaded-property storage,
 * PropertyNotLoaded, null objects, and the operation queue interface of the request context.
 */
import { MESSAGES, officeError } from "./errors";
import { jsonSize } from "./limits";
import type { WorkbookModel } from "./model";

/** Per-sync tallies, merged into the model's counters when the batch is kept. */
export interface SyncTally {
  reads: number;
  cellsRead: number;
  nullReads: number;
  writes: number;
  cellsWritten: number;
  operations: number;
  calculationSuspends: number;
  calculationSuspended: boolean;
}

export interface OpResult {
  bytes: number;
  apply(): void;
}

export interface Op {
  /** e.g. "Range.values" — used as debugInfo.errorLocation */
  label: string;
  kind: "load" | "write" | "action";
  requestBytes: number;
  run(tally: SyncTally): OpResult | void;
}

export interface HostInternals {
  model: WorkbookModel;
}

export interface ContextLike {
  readonly _host: HostInternals;
  _closed: boolean;
  _enqueue(op: Op): void;
}

export type LoadOption =
  string | string[] | { select?: string | string[]; expand?: string | string[]; [k: string]: unknown } | undefined;

/** Split a load option into own scalar properties and navigation paths ("format/font/bold"). */
export function parseLoadOption(option: LoadOption): { props: string[]; nav: Map<string, string[]>; all: boolean } {
  const names: string[] = [];
  const nav = new Map<string, string[]>();
  const addName = (n: string) => {
    const t = n.trim();
    if (t) names.push(t);
  };
  let all = false;
  if (option === undefined || option === null) all = true;
  else if (typeof option === "string") option.split(",").forEach(addName);
  else if (Array.isArray(option)) option.forEach((o) => String(o).split(",").forEach(addName));
  else if (typeof option === "object") {
    if ("select" in option || "expand" in option) {
      const sel = option.select,
        exp = option.expand;
      if (sel) (Array.isArray(sel) ? sel : String(sel).split(",")).forEach(addName);
      if (exp) (Array.isArray(exp) ? exp : String(exp).split(",")).forEach(addName);
      if (!sel) all = true;
    } else {
      const walk = (obj: Record<string, unknown>, prefix: string) => {
        for (const [k, v] of Object.entries(obj)) {
          if (v === true) addName(prefix + k);
          else if (v && typeof v === "object") walk(v as Record<string, unknown>, prefix + k + "/");
        }
      };
      walk(option as Record<string, unknown>, "");
    }
  }
  const props: string[] = [];
  for (const n of names) {
    const slash = n.indexOf("/");
    if (slash < 0) {
      if (!props.includes(n)) props.push(n);
      continue;
    }
    const head = n.slice(0, slash),
      rest = n.slice(slash + 1);
    if (!nav.has(head)) nav.set(head, []);
    nav.get(head)!.push(rest);
  }
  return { props, nav, all: all || (props.length === 0 && nav.size === 0) };
}

export abstract class ClientObject {
  /** @internal */ _ctx: ContextLike;
  /** @internal */ _loaded: Record<string, unknown> = {};
  /** @internal undefined until a load of this object has been synced */
  _isNull: boolean | undefined = undefined;

  constructor(ctx: ContextLike) {
    this._ctx = ctx;
  }

  /** @internal name used in messages, e.g. "Range" */
  abstract get _typeName(): string;
  /** @internal loadable scalar properties */
  abstract get _scalarProps(): readonly string[];
  /** @internal navigation properties usable in "nav/prop" load paths */
  get _navProps(): readonly string[] {
    return [];
  }
  /** @internal read the listed properties from the model (runs inside sync); return null for a null object */
  abstract _snapshot(props: readonly string[], tally: SyncTally): Record<string, unknown> | null;

  get context(): ContextLike {
    return this._ctx;
  }

  get isNullObject(): boolean {
    if (this._isNull === undefined) throw officeError("PropertyNotLoaded", MESSAGES.propertyNotLoaded("isNullObject"));
    return this._isNull;
  }

  /** @internal throws InvalidObjectPath when this proxy's Excel.run has ended */
  _use(): void {
    if (this._ctx._closed) throw officeError("InvalidObjectPath", MESSAGES.invalidObjectPath, this._typeName);
  }

  /** @internal proxies passed as arguments must come from the same, live context */
  _useArg(other: unknown): void {
    this._use();
    if (other instanceof ClientObject) {
      if (other._ctx !== this._ctx)
        throw officeError(
          "InvalidObjectPath",
          `${MESSAGES.otherContext} ${MESSAGES.invalidObjectPath}`,
          this._typeName,
        );
      other._use();
    }
  }

  /** @internal PropertyNotLoaded unless loaded (and synced) or set locally. */
  _get<T>(name: string): T {
    if (Object.prototype.hasOwnProperty.call(this._loaded, name)) return this._loaded[name] as T;
    if (this._isNull === true) return undefined as T;
    throw officeError("PropertyNotLoaded", MESSAGES.propertyNotLoaded(name), `${this._typeName}.${name}`);
  }

  /** @internal queue a property write; like Office.js, the assigned value is also cached locally. */
  _setProp(name: string, value: unknown, apply: (tally: SyncTally) => void, requestBytes = jsonSize(value)): void {
    this._use();
    this._loaded[name] = value;
    this._ctx._enqueue({
      label: `${this._typeName}.${name}`,
      kind: "write",
      requestBytes,
      run: (t) => {
        apply(t);
      },
    });
  }

  /** @internal queue a method call */
  _action(name: string, run: (tally: SyncTally) => OpResult | void, requestBytes = 0): void {
    this._use();
    this._ctx._enqueue({ label: `${this._typeName}.${name}`, kind: "action", requestBytes, run });
  }

  load(option?: LoadOption): this {
    this._use();
    const { props, nav, all } = parseLoadOption(option);
    for (const [head, rest] of nav) {
      if (!this._navProps.includes(head)) {
        this._queueBadProp(head);
        continue;
      }
      (this as unknown as Record<string, ClientObject>)[head].load(rest);
    }
    if (all || props.length) this._queueLoad(all ? this._scalarProps : props);
    return this;
  }

  /** @internal */
  _queueBadProp(name: string): void {
    this._ctx._enqueue({
      label: `${this._typeName}.load`,
      kind: "load",
      requestBytes: 0,
      run: () => {
        throw officeError(
          "InvalidArgument",
          `The property '${name}' does not exist on ${this._typeName}.`,
          `${this._typeName}.load`,
        );
      },
    });
  }

  /** @internal */
  _queueLoad(props: readonly string[]): void {
    for (const p of props) {
      if (!this._scalarProps.includes(p) && !this._navProps.includes(p)) {
        this._queueBadProp(p);
        return;
      }
    }
    const own = props.filter((p) => this._scalarProps.includes(p));
    // Loading a navigation property by name ("format") loads its scalar properties.
    for (const p of props) if (this._navProps.includes(p)) (this as unknown as Record<string, ClientObject>)[p].load();
    this._ctx._enqueue({
      label: `${this._typeName}.load`,
      kind: "load",
      requestBytes: 0,
      run: (tally) => {
        const data = this._snapshot(own, tally);
        return {
          bytes: jsonSize(data),
          apply: () => {
            if (data === null) {
              this._isNull = true;
              return;
            }
            this._isNull = false;
            Object.assign(this._loaded, data);
          },
        };
      },
    });
  }

  toJSON(): Record<string, unknown> {
    return { ...this._loaded };
  }
}

/** OfficeExtension.ClientResult: `.value` throws ValueNotLoaded until synced. */
export class ClientResult<T> {
  /** @internal */ _value: T | undefined;
  /** @internal */ _ready = false;
  get value(): T {
    if (!this._ready)
      throw officeError(
        "ValueNotLoaded",
        `The value of the result object has not been loaded yet. Before reading the value property, call "context.sync()" on the associated request context.`,
      );
    return this._value as T;
  }
}

export function queueResult<T>(obj: ClientObject, name: string, compute: (tally: SyncTally) => T): ClientResult<T> {
  const r = new ClientResult<T>();
  obj._use();
  obj._ctx._enqueue({
    label: `${obj._typeName}.${name}`,
    kind: "load",
    requestBytes: 0,
    run: (tally) => {
      const v = compute(tally);
      return {
        bytes: jsonSize(v),
        apply: () => {
          r._value = v;
          r._ready = true;
        },
      };
    },
  });
  return r;
}

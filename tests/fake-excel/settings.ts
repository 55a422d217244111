/**
 * Office.context.document.settings: in-memory values, persisted (as JSON) only by saveAsync.
 * The test handle can read what was saved and simulate reopening the document (reload).
 */

export interface FakeAsyncResult<T> {
  status: "succeeded" | "failed";
  value: T;
  error: { name: string; message: string; code: number } | undefined;
  asyncContext: unknown;
  diagnostics: unknown;
}

export type AsyncCallback<T> = (result: FakeAsyncResult<T>) => void;

function later(f: () => void): void {
  setTimeout(f, 0);
}

export class FakeSettings {
  /** @internal */ _values: Record<string, unknown> = {};
  /** @internal */ _saved = "{}";
  /** @internal */ _limitBytes: number;
  /** @internal */ _handlers: ((e: unknown) => void)[] = [];
  /** number of successful saveAsync calls */
  saveCount = 0;

  constructor(limitBytes = 2 * 1024 * 1024, initial?: Record<string, unknown>) {
    this._limitBytes = limitBytes;
    if (initial) {
      this._saved = JSON.stringify(initial);
      this._values = JSON.parse(this._saved);
    }
  }

  get(name: string): any {
    return Object.prototype.hasOwnProperty.call(this._values, name) ? this._values[name] : null;
  }

  set(name: string, value: unknown): void {
    if (typeof name !== "string") throw new TypeError("settings.set: name must be a string");
    this._values[name] = value;
  }

  remove(name: string): void {
    delete this._values[name];
  }

  saveAsync(
    optionsOrCallback?: { asyncContext?: unknown; overwriteIfStale?: boolean } | AsyncCallback<void>,
    callback?: AsyncCallback<void>,
  ): void {
    const cb = typeof optionsOrCallback === "function" ? optionsOrCallback : callback;
    const asyncContext =
      typeof optionsOrCallback === "object" && optionsOrCallback ? optionsOrCallback.asyncContext : undefined;
    let error: FakeAsyncResult<void>["error"];
    try {
      const json = JSON.stringify(this._values);
      if (json.length > this._limitBytes)
        error = {
          name: "Settings size exceeded",
          message: `The settings exceed ${this._limitBytes} bytes.`,
          code: 5009,
        };
      else {
        this._saved = json;
        this.saveCount++;
      }
    } catch (e) {
      error = { name: "Invalid settings value", message: e instanceof Error ? e.message : String(e), code: 5009 };
    }
    const result: FakeAsyncResult<void> = {
      status: error ? "failed" : "succeeded",
      value: undefined,
      error,
      asyncContext,
      diagnostics: undefined,
    };
    if (cb) later(() => cb(result));
  }

  refreshAsync(callback?: AsyncCallback<FakeSettings>): void {
    this._values = JSON.parse(this._saved);
    const result: FakeAsyncResult<FakeSettings> = {
      status: "succeeded",
      value: this,
      error: undefined,
      asyncContext: undefined,
      diagnostics: undefined,
    };
    if (callback) later(() => callback(result));
  }

  addHandlerAsync(
    _eventType: unknown,
    handler: (e: unknown) => void,
    optionsOrCallback?: unknown,
    callback?: AsyncCallback<void>,
  ): void {
    this._handlers.push(handler);
    const cb = (typeof optionsOrCallback === "function" ? optionsOrCallback : callback) as
      AsyncCallback<void> | undefined;
    if (cb)
      later(() =>
        cb({
          status: "succeeded",
          value: undefined,
          error: undefined,
          asyncContext: undefined,
          diagnostics: undefined,
        }),
      );
  }

  removeHandlerAsync(_eventType: unknown, optionsOrCallback?: unknown, callback?: AsyncCallback<void>): void {
    this._handlers = [];
    const cb = (typeof optionsOrCallback === "function" ? optionsOrCallback : callback) as
      AsyncCallback<void> | undefined;
    if (cb)
      later(() =>
        cb({
          status: "succeeded",
          value: undefined,
          error: undefined,
          asyncContext: undefined,
          diagnostics: undefined,
        }),
      );
  }
}

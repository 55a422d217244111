/**
 * Excel.RequestContext, sync() and Excel.run.
 *
 * sync() semantics:
 * 1. The queued operations of the context are taken in order.
 * 2. Web mode: if the request payload (JSON size of written values/formats/names) exceeds the limit, the sync
 *    rejects and nothing runs.
 * 3. Operations run in order against the workbook. If one throws, the ones before it stay applied (Office.js
 *    batches are not transactions), the rest are dropped, and sync rejects with that error.
 * 4. Web mode: if the response payload (JSON size of everything loaded) exceeds the limit, all changes of the
 *    batch are rolled back and sync rejects.
 * 5. Otherwise loaded values are delivered to the proxies.
 */
import { ClientObject, ContextLike, HostInternals, LoadOption, Op, OpResult, SyncTally } from "./client-object";
import { FakeOfficeError, MESSAGES, officeError } from "./errors";
import { Application, Workbook } from "./workbook";

export class TrackedObjects {
  /** @internal */ _set = new Set<ClientObject>();
  /** @internal */ _ctx: RequestContext;
  constructor(ctx: RequestContext) {
    this._ctx = ctx;
    Object.preventExtensions(this);
  }
  add(obj: ClientObject | ClientObject[]): void {
    for (const o of Array.isArray(obj) ? obj : [obj]) {
      o._useArg(o);
      if (o._ctx !== this._ctx) throw officeError("InvalidObjectPath", MESSAGES.otherContext);
      this._set.add(o);
      this._ctx._host.tracked.add(o);
    }
  }
  remove(obj: ClientObject | ClientObject[]): void {
    for (const o of Array.isArray(obj) ? obj : [obj]) {
      this._set.delete(o);
      this._ctx._host.tracked.delete(o);
    }
  }
}

export interface ContextHost extends HostInternals {
  tracked: Set<ClientObject>;
  syncDelay(): Promise<void>;
}

export class RequestContext implements ContextLike {
  readonly _host: ContextHost;
  _closed = false;
  /** @internal */ _queue: Op[] = [];
  readonly workbook: Workbook;
  readonly application: Application;
  readonly trackedObjects: TrackedObjects;

  constructor(host: ContextHost) {
    this._host = host;
    this.workbook = new Workbook(this);
    this.application = this.workbook.application;
    this.trackedObjects = new TrackedObjects(this);
    Object.preventExtensions(this);
  }

  _enqueue(op: Op): void {
    if (this._closed) throw officeError("InvalidObjectPath", MESSAGES.invalidObjectPath);
    this._queue.push(op);
  }

  /** RequestContext.load(object, option) */
  load<T extends ClientObject>(object: T, option?: LoadOption): T {
    object._useArg(object);
    if (object._ctx !== this)
      throw officeError("InvalidObjectPath", `${MESSAGES.otherContext} ${MESSAGES.invalidObjectPath}`);
    return object.load(option);
  }

  async sync<T>(passThroughValue?: T): Promise<T> {
    if (this._closed) throw officeError("InvalidObjectPath", MESSAGES.invalidObjectPath);
    const ops = this._queue;
    this._queue = [];
    const wb = this._host.model;
    wb.counters.syncs++;
    await this._host.syncDelay();
    try {
      execute(wb, ops);
    } catch (e) {
      wb.counters.failedSyncs++;
      throw e;
    }
    return passThroughValue as T;
  }
}

function newTally(): SyncTally {
  return {
    reads: 0,
    cellsRead: 0,
    nullReads: 0,
    writes: 0,
    cellsWritten: 0,
    operations: 0,
    calculationSuspends: 0,
    calculationSuspended: false,
  };
}

function mergeTally(wb: HostInternals["model"], t: SyncTally): void {
  const c = wb.counters;
  c.reads += t.reads;
  c.cellsRead += t.cellsRead;
  c.nullReads += t.nullReads;
  c.writes += t.writes;
  c.cellsWritten += t.cellsWritten;
  c.operations += t.operations;
  c.calculationSuspends += t.calculationSuspends;
  if (t.calculationSuspended || wb.calculationMode === "Manual") c.syncsWithCalculationSuspended++;
}

function execute(wb: HostInternals["model"], ops: Op[]): void {
  const c = wb.counters;
  const web = wb.mode === "web";
  const limit = wb.limits.payloadLimitBytes;
  let requestBytes = 0;
  for (const op of ops) requestBytes += op.requestBytes;
  c.lastRequestBytes = requestBytes;
  c.maxRequestBytes = Math.max(c.maxRequestBytes, requestBytes);
  if (web && requestBytes > limit) {
    c.payloadErrors++;
    throw officeError(wb.limits.requestLimitErrorCode, MESSAGES.payload);
  }
  const needJournal = web && ops.some((o) => o.kind === "load");
  wb.journal = needJournal ? [] : null;
  const tally = newTally();
  const results: OpResult[] = [];
  try {
    for (const op of ops) {
      let r: OpResult | void;
      try {
        r = op.run(tally);
      } catch (e) {
        throw asOfficeError(e, op.label);
      }
      tally.operations++;
      if (r) results.push(r);
    }
  } catch (e) {
    wb.journal = null;
    mergeTally(wb, tally);
    c.lastResponseBytes = 0;
    throw e;
  }
  let responseBytes = 0;
  for (const r of results) responseBytes += r.bytes;
  c.lastResponseBytes = responseBytes;
  c.maxResponseBytes = Math.max(c.maxResponseBytes, responseBytes);
  const journal = wb.journal;
  wb.journal = null;
  if (web && responseBytes > limit) {
    if (journal) for (let i = journal.length - 1; i >= 0; i--) journal[i]();
    c.payloadErrors++;
    throw officeError(
      wb.limits.responseLimitErrorCode,
      wb.limits.responseLimitErrorCode === "ResponsePayloadSizeLimitExceeded"
        ? MESSAGES.responsePayload
        : MESSAGES.payload,
    );
  }
  mergeTally(wb, tally);
  for (const r of results) r.apply();
}

function asOfficeError(e: unknown, location: string): FakeOfficeError {
  if (e instanceof FakeOfficeError) {
    if (!e.debugInfo.errorLocation) e.debugInfo.errorLocation = location;
    return e;
  }
  const msg = e instanceof Error ? e.message : String(e);
  return officeError("GeneralException", `An internal error has occurred. (${msg})`, location);
}

/** Excel.run(batch). The batch-object overloads are not supported. */
export async function run<T>(
  host: ContextHost & { implicitFinalSync: boolean },
  batch: (context: RequestContext) => Promise<T>,
): Promise<T> {
  if (typeof batch !== "function")
    throw officeError("InvalidArgument", "The fake Excel.run supports only Excel.run(async (context) => ...).");
  const wb = host.model;
  wb.counters.runs++;
  const ctx = new RequestContext(host);
  try {
    const p = batch(ctx) as unknown;
    if (!p || typeof (p as Promise<T>).then !== "function") {
      throw officeError(
        "RunMustReturnPromise",
        `The batch function passed to the ".run" method didn't return a promise. The function must return a promise, so that any automatically-tracked objects can be released at the completion of the batch operation. Typically, you return a promise by returning the response from "context.sync()".`,
      );
    }
    const result = await (p as Promise<T>);
    // Office.js quietly syncs anything still queued when the batch resolves.
    if (ctx._queue.length && host.implicitFinalSync) {
      wb.counters.implicitSyncs++;
      await ctx.sync();
    }
    return result;
  } finally {
    ctx._closed = true;
    for (const o of ctx.trackedObjects._set) host.tracked.delete(o);
  }
}

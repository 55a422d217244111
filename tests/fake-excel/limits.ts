/**
 * Resource limits and the counters tests assert on.
 *
 * - maxCellsPerRead: a range read (values/formulas/numberFormat/text/valueTypes) over more cells than this returns
 *   `null` for those properties, silently (observed on Excel on the web; the fake applies it in both modes).
 *   The count is the range's nominal size (rowCount × columnCount), also for whole rows/columns.
 * - payloadLimitBytes: in "web" mode only, a sync whose request payload (JSON.stringify length of everything
 *   written in the batch) or response payload (JSON.stringify length of everything read back) exceeds this
 *   throws and applies nothing from the batch. Desktop mode has no payload limit.
 */

export interface FakeLimits {
  /** default 5,000,000 */
  maxCellsPerRead: number;
  /** default 5 * 1024 * 1024; enforced in "web" mode only */
  payloadLimitBytes: number;
  /** error code for an oversized request (default "RequestPayloadSizeLimitExceeded") */
  requestLimitErrorCode: string;
  /** error code for an oversized response (default "ResponsePayloadSizeLimitExceeded": Microsoft's client library
   *  maps Office's error 5104 to it, RichApiMessageUtility.buildResponseOnError; see tests/host/FACTS.md) */
  responseLimitErrorCode: string;
}

export const DEFAULT_LIMITS: FakeLimits = {
  maxCellsPerRead: 5_000_000,
  payloadLimitBytes: 5 * 1024 * 1024,
  requestLimitErrorCode: "RequestPayloadSizeLimitExceeded",
  responseLimitErrorCode: "ResponsePayloadSizeLimitExceeded",
};

export interface FakeCounters {
  /** Excel.run calls */
  runs: number;
  /** context.sync() calls (including the implicit final one of Excel.run when anything was queued) */
  syncs: number;
  /** implicit final syncs done by Excel.run because the batch left queued operations unsynced */
  implicitSyncs: number;
  /** syncs that failed with any error */
  failedSyncs: number;
  /** syncs rejected for payload size */
  payloadErrors: number;
  /** range load operations that read cell data (values/formulas/numberFormat/text/valueTypes) */
  reads: number;
  /** cells covered by those reads (nominal size) */
  cellsRead: number;
  /** reads that returned null because of maxCellsPerRead */
  nullReads: number;
  /** range write operations (values/formulas/numberFormat set, per assignment) */
  writes: number;
  /** cells covered by those writes */
  cellsWritten: number;
  /** other queued operations executed (method calls, property sets, loads) */
  operations: number;
  lastRequestBytes: number;
  lastResponseBytes: number;
  maxRequestBytes: number;
  maxResponseBytes: number;
  /** suspendApiCalculationUntilNextSync calls */
  calculationSuspends: number;
  /** syncs that ran while calculation was suspended (by suspendApiCalculationUntilNextSync or calculationMode Manual) */
  syncsWithCalculationSuspended: number;
}

export function newCounters(): FakeCounters {
  return {
    runs: 0,
    syncs: 0,
    implicitSyncs: 0,
    failedSyncs: 0,
    payloadErrors: 0,
    reads: 0,
    cellsRead: 0,
    nullReads: 0,
    writes: 0,
    cellsWritten: 0,
    operations: 0,
    lastRequestBytes: 0,
    lastResponseBytes: 0,
    maxRequestBytes: 0,
    maxResponseBytes: 0,
    calculationSuspends: 0,
    syncsWithCalculationSuspended: 0,
  };
}

/** JSON size of a payload as it would travel; undefined counts as 0. */
export function jsonSize(x: unknown): number {
  if (x === undefined) return 0;
  const s = JSON.stringify(x);
  return s === undefined ? 0 : s.length;
}

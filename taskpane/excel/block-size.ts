// Rows per request for the block reader and writer, chosen from the bytes the blocks so far measured.
// Excel on the web refuses a request or a response over 5 MB (RequestPayloadSizeLimitExceeded /
// ResponsePayloadSizeLimitExceeded), and each sync there is a network round trip of tens to hundreds of
// milliseconds whatever its size: so blocks aim at a safe fraction of the limit instead of a fixed row count,
// grow while under it, and halve on a payload error (and never grow back past that half).
// Source of the limit: https://learn.microsoft.com/office/dev/add-ins/concepts/resource-limits-and-performance-optimization
// ("Excel add-ins": payload size for requests and responses, Excel on the web, 5 MB).
// Pure: no Excel.run here.

export const PAYLOAD_LIMIT_BYTES = 5 * 1024 * 1024;
/** What a block aims at: the estimate is sampled (to a few percent), and the client library adds its framing. */
export const TARGET_FRACTION = 0.85;
export const TARGET_BYTES = PAYLOAD_LIMIT_BYTES * TARGET_FRACTION;
/** Rows sampled per block to measure its bytes per row (evenly spaced). */
const SAMPLE_ROWS = 256;

export interface BlockSizer {
  /** rows to ask for next */
  readonly rows: number;
  /** a block of `rows` rows went through and measured `bytes` on the wire (estimated from a sample) */
  succeeded(rows: number, bytes: number): void;
  /** a block of `rows` rows was refused for its payload: halve, and never grow past that half again */
  refused(rows: number): void;
}

export interface BlockSizerOptions {
  firstRows: number;
  /** hard cap (e.g. Excel's cells-per-read limit over the block's width), ≥ 1 */
  maxRows: number;
  targetBytes?: number;
}

export function createBlockSizer(options: BlockSizerOptions): BlockSizer {
  const target = options.targetBytes ?? TARGET_BYTES;
  // rows that are known to fail, exclusive upper bound
  let ceiling = Math.max(1, options.maxRows) + 1;
  let rows = clamp(options.firstRows, ceiling);
  return {
    get rows() {
      return rows;
    },
    succeeded(done, bytes) {
      const perRow = bytes / Math.max(1, done);
      const wanted = perRow > 0 ? Math.floor(target / perRow) : done * 2;
      rows = clamp(wanted, ceiling);
    },
    refused(failed) {
      // The estimate let this size through, so it cannot be trusted near it: what fits is what we halve to.
      ceiling = Math.min(ceiling, Math.floor(failed / 2) + 1);
      rows = clamp(Math.floor(failed / 2), ceiling);
    },
  };
}

function clamp(rows: number, ceiling: number): number {
  return Math.max(1, Math.min(Math.floor(rows), ceiling - 1));
}

/** The golden ratio's fraction: k·φ mod 1 spreads sample offsets evenly without a period. */
const WEYL_STEP = 0.6180339887498949;

/**
 * Bytes of `rows` rows estimated from a stratified sample: `rowBytes(i)` is the exact JSON size of row i.
 * Each of SAMPLE_ROWS equal strata gives one row at an offset from a Weyl sequence, so data with a period (a
 * generated or sorted survey) cannot alias with a fixed stride. Survey columns are homogeneous enough that a
 * few hundred rows tell the block's size to a few percent; a block that turns out heavier is refused by Excel
 * and halved.
 */
export function sampledBytes(rows: number, rowBytes: (row: number) => number): number {
  if (rows <= 0) return 0;
  const strata = Math.min(rows, SAMPLE_ROWS);
  const width = rows / strata;
  let sum = 0;
  for (let k = 0; k < strata; k++) {
    const offset = (k * WEYL_STEP) % 1;
    sum += rowBytes(Math.min(rows - 1, Math.floor((k + offset) * width)));
  }
  return Math.ceil((sum / strata) * rows);
}

/** JSON size of one cell value as the client library sends or receives it, plus its separator. */
export function cellBytes(value: unknown): number {
  if (typeof value === "number") return (Number.isFinite(value) ? String(value).length : 4) + 1;
  if (typeof value === "string") return JSON.stringify(value).length + 1;
  if (typeof value === "boolean") return (value ? 4 : 5) + 1;
  return 5; // null
}

// =RIM.BACKEND()'s text: the engine backend in use and why each faster one was skipped, for support.
// Imports only the contract's types.

import type { BackendInfo } from "../engine/contract";

/**
 * "wasm-threads (4 threads)", "wasm — wasm-threads skipped: the page is not cross-origin isolated
 * (crossOriginIsolated is false)", "ts — wasm-threads skipped: …; wasm skipped: …".
 */
export function describeBackend(info: BackendInfo): string {
  const threads = info.threads > 1 ? ` (${info.threads} threads)` : "";
  const skipped = info.skipped.map((s) => `${s.backend} skipped: ${s.reason}`).join("; ");
  return `${info.backend}${threads}${skipped ? ` — ${skipped}` : ""}`;
}

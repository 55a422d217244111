// The engine client, on the UI thread (task pane and custom functions share one): owns the engine Worker,
// sends rake requests with the problem's arrays transferred, and cancels by terminating the worker (the
// engine is synchronous inside it). Nothing here knows about Excel or React.
import {
  RimEngineError,
  type Advice,
  type AdviseProgress,
  type AdviseRequest,
  type BackendInfo,
  type Options,
  type Problem,
  type RakeResult,
} from "../contract";
import type { BackendPreference } from "./backend";
import { problemBuffers, type WorkerRequest, type WorkerResponse } from "./protocol";

export interface EngineClientOptions {
  preference?: BackendPreference;
  /** rayon pool size for the threaded build; default: cores − 1 */
  poolThreads?: number;
  /** starts the engine Worker: `startEngineWorker` (engine-worker.ts) in a page, a fake one in tests */
  createWorker: () => Worker;
}

export interface RakeCall {
  signal?: AbortSignal;
  /**
   * Move the problem's buffers to the worker instead of copying them (default true). A copied request
   * survives another call's cancellation: it is re-sent to the fresh worker.
   */
  transfer?: boolean;
}

export interface EngineClient {
  /** The backend the worker selected (starting the worker if needed). */
  backend(): Promise<BackendInfo>;
  /** Rakes in the worker. With `transfer` (default) the problem's typed arrays are detached afterwards. */
  rake(problem: Problem, options: Options, call?: RakeCall): Promise<RakeResult>;
  /** The weighting advisor in the worker, in one request: progress and cancellation as for `rake`. */
  advise(problem: Problem, options: Options, request: AdviseRequest, call?: AdviseCall): Promise<Advice>;
  dispose(): void;
}

export interface AdviseCall extends RakeCall {
  /** runs done out of the most the advice can need, as the worker reports them */
  onProgress?: (progress: AdviseProgress) => void;
}

/** Requests that carry a problem: they can be cancelled, and re-sent after another one's cancellation. */
type ProblemRequest = Extract<WorkerRequest, { type: "rim:rake" | "rim:advise" }>;

interface Pending {
  message: WorkerRequest;
  transferred: boolean;
  onProgress?: (progress: AdviseProgress) => void;
  resolve: (value: WorkerResponse) => void;
  reject: (error: Error) => void;
}

export function createEngineClient(options: EngineClientOptions): EngineClient {
  let worker: Worker | null = null;
  let ready: Promise<BackendInfo> | null = null;
  let nextId = 1;
  const pending = new Map<number, Pending>();

  function request(
    message: WorkerRequest,
    transfer: Transferable[] = [],
    onProgress?: Pending["onProgress"],
  ): Promise<WorkerResponse> {
    return new Promise((resolve, reject) => {
      pending.set(message.id, { message, transferred: transfer.length > 0, onProgress, resolve, reject });
      worker!.postMessage(message, transfer);
    });
  }

  /** After a cancellation killed the worker: re-send the other rake requests that still own their data. */
  async function resendSurvivors(): Promise<void> {
    const survivors = [...pending.values()].filter(
      (p) => p.message.type === "rim:rake" || p.message.type === "rim:advise",
    );
    pending.clear();
    for (const p of survivors) {
      if (p.transferred)
        p.reject(new Error("the run was interrupted by the cancellation of another run; run it again"));
    }
    const resendable = survivors.filter((p) => !p.transferred);
    if (resendable.length === 0) return;
    try {
      await start();
    } catch (error) {
      resendable.forEach((p) => p.reject(error as Error));
      return;
    }
    for (const p of resendable) {
      pending.set(p.message.id, p);
      worker!.postMessage(p.message);
    }
  }

  function failAll(error: Error): void {
    for (const p of pending.values()) p.reject(error);
    pending.clear();
  }

  function start(): Promise<BackendInfo> {
    if (ready) return ready;
    worker = options.createWorker();
    worker.addEventListener("message", (event: MessageEvent<WorkerResponse>) => {
      const message = event.data;
      if (typeof message?.type !== "string" || !message.type.startsWith("rim:")) return;
      const p = pending.get(message.id);
      if (!p) return;
      if (message.type === "rim:progress") {
        p.onProgress?.(message.progress);
        return;
      }
      pending.delete(message.id);
      if (message.type === "rim:failed") {
        p.reject(message.error ? new RimEngineError(message.error, message.message) : new Error(message.message));
      } else p.resolve(message);
    });
    worker.addEventListener("error", (event) => {
      failAll(new Error(`the engine worker failed: ${event.message || "unknown error"}`));
      stop();
    });
    const id = nextId++;
    ready = request({
      type: "rim:init",
      id,
      preference: options.preference ?? "auto",
      poolThreads: options.poolThreads,
    }).then((m) => (m as Extract<WorkerResponse, { type: "rim:ready" }>).info);
    ready.catch(() => stop());
    return ready;
  }

  function stop(): void {
    worker?.terminate();
    worker = null;
    ready = null;
  }

  /** Sends a problem request under a fresh id; the call's signal cancels it. */
  async function send(
    message: ProblemRequest,
    call: RakeCall,
    onProgress?: Pending["onProgress"],
  ): Promise<WorkerResponse> {
    if (call.signal?.aborted) throw cancelled();
    await start();
    // an abort while the worker was starting fired before the listener below existed
    if (call.signal?.aborted) throw cancelled();
    const id = nextId++;
    const transfer = call.transfer === false ? [] : problemBuffers(message.problem);
    const answer = request({ ...message, id }, transfer, onProgress);
    const onAbort = () => {
      // The engine cannot be interrupted mid-pass: drop the worker; the next call starts a fresh one.
      const p = pending.get(id);
      pending.delete(id);
      stop();
      p?.reject(cancelled());
      void resendSurvivors();
    };
    call.signal?.addEventListener("abort", onAbort, { once: true });
    try {
      return await answer;
    } finally {
      call.signal?.removeEventListener("abort", onAbort);
    }
  }

  return {
    backend: start,
    async rake(problem, rakeOptions, call = {}) {
      const message = await send({ type: "rim:rake", id: 0, problem, options: rakeOptions }, call);
      return (message as Extract<WorkerResponse, { type: "rim:result" }>).result;
    },
    async advise(problem, adviseOptions, adviseRequest, call = {}) {
      const message = await send(
        { type: "rim:advise", id: 0, problem, options: adviseOptions, request: adviseRequest },
        call,
        call.onProgress,
      );
      return (message as Extract<WorkerResponse, { type: "rim:advice" }>).advice;
    },
    dispose() {
      failAll(new Error("the engine client was disposed"));
      stop();
    },
  };
}

function cancelled(): RimEngineError {
  return new RimEngineError({ code: "cancelled" }, "The run was cancelled; nothing was written.");
}

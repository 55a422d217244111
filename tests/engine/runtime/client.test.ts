// The engine client's life cycle against a fake Worker handed in through `createWorker`: cancellation
// terminates the worker, copied requests survive it (re-sent to a fresh worker), transferred ones cannot,
// and a worker failure or dispose rejects everything pending.
import { RimEngineError, type Options, type Problem, type RakeResult } from "../../../engine/contract";
import { createEngineClient } from "../../../engine/runtime/client";
import type { WorkerRequest, WorkerResponse } from "../../../engine/runtime/protocol";

/** Records what the client posts; the test answers as the worker would. */
class FakeWorker {
  readonly posted: { message: WorkerRequest; transfer: Transferable[] }[] = [];
  terminated = false;
  private readonly listeners: Record<string, ((event: unknown) => void)[]> = {};

  addEventListener(type: string, listener: (event: unknown) => void): void {
    (this.listeners[type] ??= []).push(listener);
  }
  postMessage(message: WorkerRequest, transfer: Transferable[] = []): void {
    if (this.terminated) throw new Error("posted to a terminated worker");
    this.posted.push({ message, transfer });
  }
  terminate(): void {
    this.terminated = true;
  }
  answer(message: WorkerResponse): void {
    this.listeners.message?.forEach((l) => l({ data: message }));
  }
  fail(text: string): void {
    this.listeners.error?.forEach((l) => l({ message: text }));
  }
  requests(type: WorkerRequest["type"]): WorkerRequest[] {
    return this.posted.map((p) => p.message).filter((m) => m.type === type);
  }
  ready(): void {
    const init = this.requests("rim:init").at(-1)!;
    this.answer({ type: "rim:ready", id: init.id, info: { backend: "ts", threads: 1, skipped: [] } });
  }
}

const OPTIONS: Options = { tolerance: 1e-6, maxIterations: 100, missing: "error" };

function problem(): Problem {
  return {
    n: 2,
    variables: [
      { name: "sex", categories: ["m", "f"], codes: Uint8Array.of(0, 1), targets: Float64Array.of(0.5, 0.5) },
    ],
  };
}

function resultFor(n: number): RakeResult {
  return { weights: new Float64Array(n).fill(1) } as RakeResult;
}

/** Lets promise callbacks run (the client awaits its own start before posting). */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

/** Resolves to "pending" if the promise has not settled after the callbacks have run. */
async function stateOf(p: Promise<unknown>): Promise<"resolved" | "pending" | Error> {
  const seen = p.then(
    () => "resolved" as const,
    (e: Error) => e,
  );
  return Promise.race([seen, settle().then(() => "pending" as const)]);
}

function setup() {
  const workers: FakeWorker[] = [];
  const client = createEngineClient({
    preference: "ts",
    createWorker: () => {
      const w = new FakeWorker();
      workers.push(w);
      return w as unknown as Worker;
    },
  });
  return { client, workers };
}

describe("engine client cancellation", () => {
  test("abort terminates the worker, re-sends a copied request to a fresh one and rejects a transferred one", async () => {
    const { client, workers } = setup();
    const controller = new AbortController();
    const cancelled = client.rake(problem(), OPTIONS, { signal: controller.signal });
    const copiedProblem = problem();
    const copied = client.rake(copiedProblem, OPTIONS, { transfer: false });
    const transferred = client.rake(problem(), OPTIONS);
    await settle();
    workers[0].ready();
    await settle();
    expect(workers[0].requests("rim:rake")).toHaveLength(3);
    // the copied request lists nothing to transfer; the others move their buffers
    expect(workers[0].posted.filter((p) => p.message.type === "rim:rake").map((p) => p.transfer.length > 0)).toEqual([
      true,
      false,
      true,
    ]);
    const copiedId = workers[0].requests("rim:rake")[1].id;

    controller.abort();
    await expect(cancelled).rejects.toMatchObject({ error: { code: "cancelled" } });
    await expect(transferred).rejects.toThrow(/interrupted by the cancellation of another run/);
    expect(workers[0].terminated).toBe(true);

    // a fresh worker is started and, once ready, gets the copied request again (same id, same problem)
    await settle();
    expect(workers).toHaveLength(2);
    workers[1].ready();
    await settle();
    const resent = workers[1].requests("rim:rake");
    expect(resent).toHaveLength(1);
    expect(resent[0]).toMatchObject({ id: copiedId, problem: copiedProblem });
    workers[1].answer({ type: "rim:result", id: copiedId, result: resultFor(2) });
    await expect(copied).resolves.toMatchObject({ weights: Float64Array.of(1, 1) });
  });

  test("an abort while the worker is still starting cancels the run before anything is sent", async () => {
    const { client, workers } = setup();
    const controller = new AbortController();
    const run = client.rake(problem(), OPTIONS, { signal: controller.signal });
    await settle();
    controller.abort();
    workers[0].ready();
    const state = await stateOf(run);
    expect(state).toBeInstanceOf(RimEngineError);
    expect((state as RimEngineError).error.code).toBe("cancelled");
    expect(workers[0].requests("rim:rake")).toHaveLength(0);
  });

  test("an already aborted signal is refused without starting a worker", async () => {
    const { client, workers } = setup();
    const controller = new AbortController();
    controller.abort();
    await expect(client.rake(problem(), OPTIONS, { signal: controller.signal })).rejects.toMatchObject({
      error: { code: "cancelled" },
    });
    expect(workers).toHaveLength(0);
  });

  test("a worker error rejects every pending request (failAll) and the next call starts a fresh worker", async () => {
    const { client, workers } = setup();
    const a = client.rake(problem(), OPTIONS, { transfer: false });
    const b = client.rake(problem(), OPTIONS);
    await settle();
    workers[0].ready();
    await settle();
    workers[0].fail("out of memory");
    await expect(a).rejects.toThrow("the engine worker failed: out of memory");
    await expect(b).rejects.toThrow("the engine worker failed: out of memory");
    expect(workers[0].terminated).toBe(true);

    const again = client.rake(problem(), OPTIONS);
    await settle();
    expect(workers).toHaveLength(2);
    workers[1].ready();
    await settle();
    const [request] = workers[1].requests("rim:rake");
    workers[1].answer({ type: "rim:result", id: request.id, result: resultFor(2) });
    await expect(again).resolves.toMatchObject({ weights: Float64Array.of(1, 1) });
  });

  test("dispose rejects what is pending and terminates the worker", async () => {
    const { client, workers } = setup();
    const run = client.rake(problem(), OPTIONS);
    await settle();
    workers[0].ready();
    await settle();
    client.dispose();
    await expect(run).rejects.toThrow("the engine client was disposed");
    expect(workers[0].terminated).toBe(true);
  });
});

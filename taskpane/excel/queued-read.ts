// Reads of several modules in one request. On Excel on the web every request (context.sync) is a network round
// trip of tens to hundreds of milliseconds whatever its size, so loads that do not depend on each other's answers
// are queued on one request context and synced once. Each part queues its loads and hands back a function that
// takes its answer after the sync. Calls Excel.run; imports no React, no engine.

/** Queues loads on `context`; the returned function reads their answers once the request came back. */
export type QueuedRead<T> = (context: Excel.RequestContext) => () => T;

/** Runs every part's loads in one request and returns their answers in the parts' order. */
export async function readTogether<T extends unknown[]>(...parts: { [K in keyof T]: QueuedRead<T[K]> }): Promise<T> {
  return Excel.run(async (context) => {
    const takes = parts.map((queue: QueuedRead<unknown>) => queue(context));
    await context.sync();
    return takes.map((take) => take()) as T;
  });
}

// Starts the engine Worker (worker.ts) as the bundler sees it: webpack turns this `new Worker(new URL(…,
// import.meta.url))` into a worker chunk. Kept apart from client.ts so the client runs under Node tests with
// a fake Worker, where `import.meta` does not compile.
export function startEngineWorker(): Worker {
  return new Worker(new URL("./worker.ts", import.meta.url), { type: "module", name: "rim-engine" });
}

// index.html's script (a file: the production CSP allows no inline script). ?dir=s0.1/B&threads=2&repeat=3
// [&advise=1] runs the bench in a Worker (Atomics.wait is not allowed on the main thread) and exposes the outcome
// as window.__rimBenchResult (a promise) for bench/browser/run.js.
const q = new URLSearchParams(location.search);
window.__rimBenchResult = new Promise((resolve) => {
  const worker = new Worker("/bench/worker.js", { type: "module" });
  worker.onmessage = (e) => resolve(e.data);
  worker.onerror = (e) => resolve({ error: e.message || "worker error" });
  worker.postMessage({
    dir: q.get("dir"),
    threads: Number(q.get("threads")),
    repeat: Number(q.get("repeat") || 3),
    advise: q.get("advise") === "1",
  });
});

"""ipfn on a bench problem (ungrouped, no caps), the way ipfn is used on microdata: the seed is the sample's
contingency table over the raking variables (numpy mode), raked to the target margins; each respondent's weight is
fitted/seed of its cell. Usage: python ipfn_peer.py <problem dir> <weights out.f64>. convergence_rate = 1e-6
(relative on each margin, at least as strict as the engine's absolute 1e-6 in proportions)."""
import json, sys, time
import numpy as np
import pandas as pd
from ipfn import ipfn

d, out = sys.argv[1], sys.argv[2]
t0 = time.perf_counter()
df = pd.read_csv(f"{d}/data.csv")
tg = pd.read_csv(f"{d}/targets.csv")
read_ms = (time.perf_counter() - t0) * 1e3
vars_ = [c for c in df.columns if c.startswith("v")]
t1 = time.perf_counter()
n = len(df)
shape = tuple(int(tg[tg.variable == v].category.max()) + 1 for v in vars_)
codes = [df[v].to_numpy(dtype=np.int64) for v in vars_]
flat = np.ravel_multi_index(codes, shape)
seed = np.bincount(flat, minlength=int(np.prod(shape))).astype(np.float64)
counts = seed.copy()
seed = seed.reshape(shape)
aggregates = [tg[tg.variable == v].sort_values("category").target.to_numpy() * n for v in vars_]
dimensions = [[i] for i in range(len(vars_))]
fitted, converged, trace = ipfn.ipfn(seed, aggregates, dimensions, convergence_rate=1e-6, max_iteration=1000,
                                     rate_tolerance=0.0, verbose=2).iteration()
factor = np.divide(fitted.reshape(-1), counts, out=np.zeros_like(counts), where=counts > 0)
w = factor[flat]
rake_ms = (time.perf_counter() - t1) * 1e3
w.astype("<f8").tofile(out)
import importlib.metadata as md
print(json.dumps({"peer": "ipfn", "version": md.version("ipfn"), "timeMs": rake_ms, "readMs": read_ms,
                  "iterations": int(len(trace)), "converged": bool(converged), "n": n}))

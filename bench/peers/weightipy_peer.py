"""weightipy on a bench problem (ungrouped, no caps). Usage: python weightipy_peer.py <problem dir> <weights out.f64>
Prints one JSON line. weightipy has no residual tolerance: it iterates until the sum of |weight changes| stops
shrinking by `convcrit` (1%) per pass, or max_iterations; bench/run.js measures the residual it reached."""
import json, sys, time
import numpy as np
import pandas as pd
import weightipy as wp
import weightipy.internal.rim as wp_rim

# Count the passes: Rake.start() returns them (weightipy keeps them only in its report).
passes = []
_start = wp_rim.Rake.start
def _counting_start(self):
    n = _start(self)
    passes.append(n)
    return n
wp_rim.Rake.start = _counting_start

d, out = sys.argv[1], sys.argv[2]
t0 = time.perf_counter()
df = pd.read_csv(f"{d}/data.csv")
tg = pd.read_csv(f"{d}/targets.csv")
read_ms = (time.perf_counter() - t0) * 1e3
vars_ = [c for c in df.columns if c.startswith("v")]
scheme_dict = {v: {int(r.category): float(r.target) * 100 for r in tg[tg.variable == v].itertuples()} for v in vars_}
t1 = time.perf_counter()
scheme = wp.scheme_from_dict(scheme_dict, rim_params={"max_iterations": 1000})
w = wp.weight(df[vars_], scheme)
rake_ms = (time.perf_counter() - t1) * 1e3
iterations = int(max(passes)) if passes else None
np.asarray(w, dtype="<f8").tofile(out)
print(json.dumps({"peer": "weightipy", "version": wp.__version__, "timeMs": rake_ms, "readMs": read_ms,
                  "iterations": iterations, "n": len(df)}))

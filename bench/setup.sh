#!/usr/bin/env bash
# Installs the peers that `npm run bench` compares against. Idempotent; safe to re-run.
#   R survey::rake   — Debian packages r-base-core + r-cran-survey (apt-get; needs root)
#   weightipy, ipfn  — PyPI, into a venv at bench/.venv (git-ignored)
# Each step reports and continues on failure: the bench reports a missing peer as "unavailable" with the reason.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

if command -v Rscript >/dev/null && Rscript -e 'library(survey)' >/dev/null 2>&1; then
  echo "setup: R survey already installed"
else
  echo "setup: installing r-base-core r-cran-survey (apt-get)"
  sudo_cmd=""
  [[ $(id -u) -ne 0 ]] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq &&
    $sudo_cmd env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends r-base-core r-cran-survey ||
    echo "setup: R survey could not be installed (see above)" >&2
fi

py="${PYTHON:-python3}"
if [[ ! -x "$here/.venv/bin/python" ]]; then
  echo "setup: creating $here/.venv"
  "$py" -m venv "$here/.venv" || { echo "setup: python venv failed" >&2; exit 0; }
fi
if "$here/.venv/bin/python" -c 'import weightipy, ipfn' >/dev/null 2>&1; then
  echo "setup: weightipy and ipfn already installed"
else
  echo "setup: pip install weightipy ipfn (into bench/.venv)"
  "$here/.venv/bin/pip" install -q weightipy ipfn || echo "setup: pip install failed (see above)" >&2
fi
"$here/.venv/bin/python" -c 'import weightipy, ipfn, numpy, pandas; print("setup: python peers ok", weightipy.__version__ if hasattr(weightipy, "__version__") else "", numpy.__version__, pandas.__version__)' || true

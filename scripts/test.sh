#!/usr/bin/env bash
# The one test command (README, .ci/run): installs what is missing (toolchain, npm packages), builds both
# wasm variants and the add-in, then runs every suite: Rust (native), jest, and the browser tests.
# Any failing build fails the run: there is no silent fallback here.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

step() { printf '\n=== %s (%ss)\n' "$1" "$SECONDS"; }

step "toolchain"
bash scripts/setup-toolchain.sh
step "npm packages"
bash scripts/npm-install.sh
step "wasm builds"
bash scripts/build-wasm.sh
step "rust tests (native)"
npm run --silent test:rust
step "typecheck"
npm run --silent typecheck
step "lint"
npm run --silent lint
step "jest"
npm run --silent test:unit -- --ci
step "add-in build"
npx webpack --mode production
step "browser tests"
npm run --silent test:browser
step "done"

# Sourced by the build scripts: where the pinned tools live. No side effects beyond variables.
# The wasm-bindgen version is read from engine-rs/Cargo.toml so the crate and the CLI cannot drift apart.
_rim_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WASM_BINDGEN_VERSION="$(sed -n 's/^wasm-bindgen = { version = "=\([0-9.]*\)".*/\1/p' "$_rim_root/engine-rs/Cargo.toml")"
[[ -n "$WASM_BINDGEN_VERSION" ]] || { echo "toolchain-env: cannot read the pinned wasm-bindgen version from engine-rs/Cargo.toml" >&2; return 1; }
RIM_TOOLS="${RIM_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/rim-weighting/wasm-bindgen-$WASM_BINDGEN_VERSION}"
WASM_BINDGEN="$RIM_TOOLS/bin/wasm-bindgen"
export WASM_BINDGEN_VERSION RIM_TOOLS WASM_BINDGEN

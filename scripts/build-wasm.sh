#!/usr/bin/env bash
# Builds engine-rs to WebAssembly twice — threaded (atomics, shared memory, rayon pool in Web Workers) and
# single-threaded — then runs wasm-bindgen and binaryen's wasm-opt (npm binaryen, pinned in package.json).
# Skips the work when sources and flags are unchanged.
# Outputs (ignored by git): engine/runtime/wasm/pkg-threads (web), engine/runtime/wasm/pkg-single (web), engine/runtime/wasm/pkg-node
# (nodejs glue over the same single-threaded module, for jest, the CLI and the Node benchmarks).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
# shellcheck source=scripts/toolchain-env.sh
source scripts/toolchain-env.sh

out="engine/runtime/wasm"
crate_wasm="rim_engine.wasm"
target="wasm32-unknown-unknown"

# Rust >= 1.92 no longer implies shared memory from +atomics: without these link args the module silently
# gets an unshared memory and the browser fails with "Memory could not be cloned". The TLS exports let
# wasm-bindgen's thread glue set up each worker's thread-local storage. 4 GiB is the wasm32 maximum.
threads_rustflags="-C target-feature=+atomics,+bulk-memory,+mutable-globals,+simd128 \
-C link-arg=--shared-memory -C link-arg=--import-memory -C link-arg=--max-memory=4294967296 \
-C link-arg=--export=__wasm_init_tls -C link-arg=--export=__tls_size -C link-arg=--export=__tls_align \
-C link-arg=--export=__tls_base -C link-arg=--export=__heap_base"
# The single build is the fallback for hosts without threads (Safari/WKWebView among them): keep it to the
# widely supported feature set.
single_rustflags="-C target-feature=+bulk-memory,+mutable-globals"

# Debian's rustc 1.96 + its std sources and wasm-ld-22 by default; RIM_WASM_CARGO (e.g. "cargo +nightly" with
# rust-src) replaces them, with rustup's own rust-lld as the linker.
if [[ -n "${RIM_WASM_CARGO:-}" ]]; then
  read -ra wasm_cargo <<<"$RIM_WASM_CARGO"
  wasm_env=()
else
  wasm_cargo=(/usr/bin/cargo)
  wasm_env=("PATH=/usr/bin:$PATH" CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER=wasm-ld-22)
fi

# binaryen from npm (a wasm build of wasm-opt run by Node): the same optimiser on every machine, no system
# package. It reads the enabled features (atomics, bulk memory, SIMD…) from each module's target_features
# section, so the threaded module keeps its shared memory.
wasm_opt="$root/node_modules/.bin/wasm-opt"
wasm_opt_flags=(-O3)
[[ -x "$wasm_opt" ]] || {
  echo "build-wasm: $wasm_opt is missing: run npm install (devDependency binaryen)" >&2
  exit 1
}

stamp_of() {
  # Everything that can change the output: sources, manifests, lockfile, this script, the flags, the tools.
  {
    find engine-rs/src -type f -name '*.rs' -print0 | sort -z | xargs -0 sha256sum
    sha256sum Cargo.toml engine-rs/Cargo.toml scripts/build-wasm.sh
    [[ -f Cargo.lock ]] && sha256sum Cargo.lock
    echo "$threads_rustflags|$single_rustflags|$WASM_BINDGEN_VERSION|${wasm_opt_flags[*]}"
    "$wasm_opt" --version
    env "${wasm_env[@]}" "${wasm_cargo[@]}" --version --verbose 2>/dev/null || true
  } | sha256sum | cut -d' ' -f1
}

cargo_wasm() { # $1 = target dir, $2 = RUSTFLAGS, rest = extra cargo args
  local dir="$1" flags="$2"
  shift 2
  # RUSTC_BOOTSTRAP unlocks -Zbuild-std on a stable-channel rustc and exposes cfg(target_feature = "atomics")
  # to std and wasm-bindgen-rayon (harmless on nightly). Kept out of .cargo/config.toml so that native
  # `cargo test` under rustup stable is unaffected.
  env "${wasm_env[@]}" RUSTC_BOOTSTRAP=1 CARGO_TARGET_DIR="$dir" RUSTFLAGS="$flags" \
    "${wasm_cargo[@]}" build --manifest-path engine-rs/Cargo.toml --release --target "$target" \
    -Zbuild-std=std,panic_abort "$@"
}

stamp="$(stamp_of)"
if [[ -f "$out/.stamp" && "$(cat "$out/.stamp")" == "$stamp" && -f "$out/pkg-threads/rim_engine_bg.wasm" &&
  -f "$out/pkg-single/rim_engine_bg.wasm" && -f "$out/pkg-node/rim_engine_bg.wasm" ]]; then
  echo "build-wasm: up to date"
  exit 0
fi

# The toolchain checks are the setup script's (it installs only what is missing), then the stamp is taken again:
# the tool versions are part of it.
bash scripts/setup-toolchain.sh --wasm
stamp="$(stamp_of)"

echo "build-wasm: threaded build (atomics, shared memory)"
cargo_wasm target/wasm-threads "$threads_rustflags" --features parallel
echo "build-wasm: single-threaded build"
cargo_wasm target/wasm-single "$single_rustflags"

rm -rf "$out/pkg-threads" "$out/pkg-single" "$out/pkg-node"
"$WASM_BINDGEN" "target/wasm-threads/$target/release/$crate_wasm" --target web --out-dir "$out/pkg-threads"
"$WASM_BINDGEN" "target/wasm-single/$target/release/$crate_wasm" --target web --out-dir "$out/pkg-single"
"$WASM_BINDGEN" "target/wasm-single/$target/release/$crate_wasm" --target nodejs --out-dir "$out/pkg-node"

# Optimise what ships (wasm-bindgen's output: its glue and the module's imports/exports are final by then).
# Most of the saving is the function-name section, which wasm-opt drops unless asked to keep it (-g).
for p in threads single node; do
  "$wasm_opt" "${wasm_opt_flags[@]}" "$out/pkg-$p/rim_engine_bg.wasm" -o "$out/pkg-$p/rim_engine_bg.wasm"
done

# wasm-bindgen-rayon's worker helper imports the glue as '../../..' (the package folder): give each folder a
# package.json naming its entry, as wasm-pack would, so bundlers resolve it.
for p in threads single node; do
  printf '{ "name": "rim-engine-%s", "private": true, "main": "rim_engine.js", "module": "rim_engine.js", "types": "rim_engine.d.ts" }\n' \
    "$p" >"$out/pkg-$p/package.json"
done

echo "$stamp" >"$out/.stamp"
for p in threads single; do
  printf 'build-wasm: %-8s %8d bytes\n' "$p" "$(stat -c %s "$out/pkg-$p/rim_engine_bg.wasm")"
done

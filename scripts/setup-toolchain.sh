#!/usr/bin/env bash
# Installs what the wasm builds and browser tests need, idempotently, printing each install it makes.
# Debian: rustc-web/cargo-web (rustc 1.96 + std sources, for -Zbuild-std), lld-22 (wasm-ld), chromium.
# wasm-bindgen-cli is built from crates.io at exactly the wasm-bindgen version pinned in engine-rs/Cargo.toml.
# `--wasm`: only what scripts/build-wasm.sh needs. With RIM_WASM_CARGO set (another toolchain, e.g.
# "cargo +nightly"), the Debian Rust packages are not needed.
set -euo pipefail
wasm_only=0
[[ "${1:-}" == --wasm ]] && wasm_only=1

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=scripts/toolchain-env.sh
source "$here/toolchain-env.sh"

need_pkgs=()
if [[ -z "${RIM_WASM_CARGO:-}" ]]; then
  [[ -x /usr/bin/rustc && -x /usr/bin/cargo ]] && /usr/bin/rustc --version | grep -qE '^rustc 1\.(9[6-9]|[1-9][0-9]{2})' ||
    need_pkgs+=(rustc-web cargo-web)
  [[ -d /usr/lib/rustlib/src/rust/library ]] || need_pkgs+=(rust-web-src)
  command -v wasm-ld-22 >/dev/null || need_pkgs+=(lld-22)
fi
if ((!wasm_only)); then
  # keytar (pulled in by office-addin-debugging for sideloading) compiles against libsecret when no prebuilt
  # binary can be downloaded, which is the case here.
  [[ -f /usr/include/libsecret-1/libsecret/secret.h ]] || need_pkgs+=(libsecret-1-dev)
  command -v pkg-config >/dev/null || need_pkgs+=(pkg-config)
  command -v make >/dev/null && command -v g++ >/dev/null || need_pkgs+=(make g++)
  if [[ "${RIM_SKIP_CHROMIUM:-0}" != 1 ]]; then
    [[ -x /usr/bin/chromium ]] || need_pkgs+=(chromium)
  fi
fi

if ((${#need_pkgs[@]})); then
  if command -v apt-get >/dev/null; then
    echo "setup-toolchain: installing Debian packages: ${need_pkgs[*]}"
    sudo_cmd=()
    [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
    "${sudo_cmd[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${need_pkgs[@]}"
  else
    cat >&2 <<MSG
setup-toolchain: missing ${need_pkgs[*]} and no apt-get on this machine.
Equivalent without Debian packages:
  rustup toolchain install nightly --component rust-src
  export RIM_WASM_CARGO="cargo +nightly"
  (wasm-ld: rustup's rust-lld is used automatically by the wasm32 target)
  chromium: install any Chromium >= 137 and set RIM_CHROMIUM=/path/to/chromium
MSG
    exit 1
  fi
fi

if [[ "$("$WASM_BINDGEN" --version 2>/dev/null || true)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]]; then
  echo "setup-toolchain: building wasm-bindgen-cli $WASM_BINDGEN_VERSION from crates.io into $RIM_TOOLS (a few minutes, once)"
  # --locked first (reproducible); the crates.io index mirror here has lacked a locked dependency version
  # (webpki-roots 1.0.11 for 0.2.130), so fall back to fresh resolution of the CLI's own dependencies.
  cargo install wasm-bindgen-cli --version "=$WASM_BINDGEN_VERSION" --locked --root "$RIM_TOOLS" --quiet ||
    { echo "setup-toolchain: --locked install failed; retrying with fresh dependency resolution";
      cargo install wasm-bindgen-cli --version "=$WASM_BINDGEN_VERSION" --root "$RIM_TOOLS" --quiet; }
fi

#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine with Node 20 for convkit: system packages (Chromium for the
# browser tests, Xvfb and the build tools for gpu.js's native `gl` addon), pnpm, and the workspace.
# Run as root, or with sudo available. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

apt_packages=(
  chromium xvfb xauth
  build-essential python3 pkg-config libx11-dev libxi-dev libxext-dev libgl-dev mesa-common-dev
  libgl1-mesa-dri  # Mesa's GL driver, which headless-gl renders through under Xvfb
)
missing=()
for package in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done
if [ "${#missing[@]}" -gt 0 ]; then
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

want_pnpm=$(node -p "require('./package.json').packageManager.split('@')[1]")
if [ "$(pnpm --version 2>/dev/null || true)" != "$want_pnpm" ]; then
  as_root npm install -g --no-fund --no-audit "pnpm@$want_pnpm"
fi

# gpu.js's optional `gl` addon compiles against Node's own headers.
export npm_config_nodedir=${npm_config_nodedir:-/usr}
if [ "${CI:-}" = "true" ]; then
  pnpm install --frozen-lockfile
else
  pnpm install
fi

# pnpm reports a failed native build of `gl` but exits 0; the headlessgl tests need it, so say so here.
if ! (cd packages/gpu && node -e "require(require.resolve('gl', { paths: [require.resolve('gpu.js')] }))"); then
  echo "setup: gpu.js's native 'gl' addon did not build (see pnpm's output above); @convkit/gpu's headlessgl tests will fail" >&2
  exit 1
fi

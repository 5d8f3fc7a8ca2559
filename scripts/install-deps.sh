#!/usr/bin/env bash
# Installs the Debian 12 packages glocal builds and runs with, only those that are missing, and
# any packages named as arguments (make fuzz: clang and its libFuzzer runtime); then the dashboard's
# JavaScript libraries (web/package-lock.json) with npm, which the build compiles into glocal.
set -euo pipefail
packages=(
  cmake g++ make pkg-config git
  libtomlplusplus-dev libcli11-dev libfmt-dev librandom123-dev nlohmann-json3-dev
  libsqlite3-dev libgtest-dev libbenchmark-dev
  python3-matplotlib python3-pandas python3-dev pybind11-dev
  libopenmpi-dev openmpi-bin
  clang-format clang-tidy
  libcpp-httplib-dev chromium
  "$@"
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# npm: Debian's (nodejs + npm) unless a node with npm is installed already.
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
if [ ${#missing[@]} -gt 0 ]; then
  echo "glocal: installing Debian packages: ${missing[*]}" >&2
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
# The dashboard's libraries, exactly as locked; again only when the lock file changed.
web="$(cd "$(dirname "$0")/.." && pwd)/web"
if ! cmp -s "$web/package-lock.json" "$web/node_modules/.glocal-lock.json"; then
  echo "glocal: installing the dashboard's JavaScript libraries (npm ci in web/)" >&2
  (cd "$web" && npm ci --no-audit --no-fund --loglevel=error)
  cp "$web/package-lock.json" "$web/node_modules/.glocal-lock.json"
fi

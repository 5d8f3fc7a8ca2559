#!/usr/bin/env bash
# Installs the Debian 12 packages glocal builds and runs with, only those that are missing, and
# any packages named as arguments (make fuzz: clang and its libFuzzer runtime).
set -euo pipefail
packages=(
  cmake g++ make pkg-config git
  libtomlplusplus-dev libcli11-dev libfmt-dev librandom123-dev nlohmann-json3-dev
  libsqlite3-dev libgtest-dev libbenchmark-dev
  python3-matplotlib python3-pandas python3-dev pybind11-dev
  libopenmpi-dev openmpi-bin
  clang-format clang-tidy
  "$@"
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "glocal: installing Debian packages: ${missing[*]}" >&2
sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
"${sudo_cmd[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"

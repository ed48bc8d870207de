#!/usr/bin/env bash
# setup.sh: installs every Debian package Comity needs to build, test and benchmark. Idempotent.
set -euo pipefail
PKGS=(
  build-essential cmake pkg-config git
  antlr4 libantlr4-runtime-dev
  libfmt-dev librange-v3-dev nlohmann-json3-dev libsimdjson-dev
  catch2 libcli11-dev libsqlite3-dev libz3-dev libcpp-httplib-dev
  libbenchmark-dev
)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "setup: all packages present"
fi

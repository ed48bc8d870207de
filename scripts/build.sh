#!/usr/bin/env bash
# build.sh: configures and builds Comity in ./build (Release with debug info), 2 jobs.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j2

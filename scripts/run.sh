#!/usr/bin/env bash
# run.sh: the main job. Sets up, builds, then decides every example request under examples/requests
# against the EIO policy and prints each decision with its grounds and deadlines.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh
./build/tools/comity/comity build policies/eu/eio.comity -o build/eio.comityb
for r in examples/requests/*.json; do
  echo "=== $(basename "$r")"
  ./build/tools/comity/comity eval build/eio.comityb --request "$r" || true
done

#!/usr/bin/env bash
# One command on a fresh machine: install everything, then reconstruct the bundled
# example photo offline (no model, no key) and say where the report is.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
node bin/seig.js doctor
# --force: runs/example is this script's own output, replaced on every run of it.
node bin/seig.js reconstruct examples/photos/clevr.png -o runs/example --force
echo
echo "Scene program: runs/example/program.py   (blender -b -P runs/example/program.py -- --render out.png)"
echo "Report:        runs/example/report.html  (open it in a browser)"

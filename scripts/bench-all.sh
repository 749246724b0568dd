#!/usr/bin/env bash
# Generates the three benchmark suites, runs a method on each and writes the summary table
# (means per suite, plus the wall time) into docs/results.md between its bench-summary
# markers. Reruns resume: finished scenes are kept, generated suites are reused.
#
#   scripts/bench-all.sh                      # 20 clevr + 10 tabletop + 5 room + 10 object + 10 topdown + 5 closeup, offline
#   N_CLEVR=0 N_TABLETOP=0 N_ROOM=0 scripts/bench-all.sh   # the scene kinds beyond CLEVR only (a count of 0 skips a suite)
#   N_CLEVR=2 N_TABLETOP=2 N_ROOM=2 OUT=/tmp/bench-smoke DOC= scripts/bench-all.sh   # smoke run
#
# Environment: N_CLEVR, N_TABLETOP, N_ROOM, N_OBJECT, N_TOPDOWN, N_CLOSEUP (scene counts), SEED (suite seed, 0), METHOD
# (offline), OUT (runs/bench, git-ignored; suites in $OUT/suites, runs in $OUT/runs/<method>), DOC (docs/results.md;
# empty: print the table only), RUN_ARGS (extra `seig bench run` options, e.g. "--budget 30s").
set -euo pipefail
cd "$(dirname "$0")/.."

N_CLEVR=${N_CLEVR:-20}
N_TABLETOP=${N_TABLETOP:-10}
N_ROOM=${N_ROOM:-5}
N_OBJECT=${N_OBJECT:-10}
N_TOPDOWN=${N_TOPDOWN:-10}
N_CLOSEUP=${N_CLOSEUP:-5}
SEED=${SEED:-0}
METHOD=${METHOD:-offline}
OUT=${OUT:-runs/bench}
DOC=${DOC-docs/results.md}
RUN_ARGS=${RUN_ARGS:-}

seig() { node bin/seig.js "$@"; }

started=$(date +%s)
runs=()
for entry in "clevr:$N_CLEVR" "tabletop:$N_TABLETOP" "room:$N_ROOM" "object:$N_OBJECT" "topdown:$N_TOPDOWN" "closeup:$N_CLOSEUP"; do
  suite=${entry%%:*}
  n=${entry#*:}
  [[ "$n" == 0 ]] && continue
  suite_dir="$OUT/suites/$suite-$n"
  run_dir="$OUT/runs/$METHOD/$suite-$n"
  if [[ ! -f "$suite_dir/suite.json" ]]; then
    echo "== generate $suite ($n scenes) → $suite_dir" >&2
    seig bench generate --suite "$suite" --n "$n" --seed "$SEED" -o "$suite_dir"
  fi
  echo "== run $METHOD on $suite → $run_dir" >&2
  # shellcheck disable=SC2086 # RUN_ARGS is a list of options
  seig bench run "$suite_dir" --method "$METHOD" -o "$run_dir" $RUN_ARGS
  runs+=("$run_dir")
done
seconds=$(($(date +%s) - started))

note="Wall time of \`scripts/bench-all.sh\` (generate + run + score, clevr ${N_CLEVR}, tabletop ${N_TABLETOP}, room ${N_ROOM}, object ${N_OBJECT}, topdown ${N_TOPDOWN}, closeup ${N_CLOSEUP} scenes, method ${METHOD}${RUN_ARGS:+, $RUN_ARGS}): $((seconds / 60)) min $((seconds % 60)) s on $(nproc) cores, $(date -u +%Y-%m-%d)."
if [[ -n "$DOC" ]]; then
  seig bench summary "${runs[@]}" --note "$note" --doc "$DOC"
else
  seig bench summary "${runs[@]}" --note "$note"
fi

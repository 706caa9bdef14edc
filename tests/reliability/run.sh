#!/usr/bin/env bash
# Reliability scripts (RELIABILITY.md §7): A1 auth matrix, A5 rate limits (+O2), R1 malformed
# requests, R2 request smuggling, R4 hostile images, R5 SSRF on upload-by-URL, A8 signed image
# URLs, A9 direct creator upload. Each script starts its own Nubis servers on fresh temporary data
# dirs and ends with `N passed, N failed`; this runner sums them and ends with the same line.
#
#   bash tests/reliability/run.sh [path-to-nubis]     (default: build/nubis of this repo)
#
# Needs only `node` (20+). The whole run is bounded to 5 minutes; exit status is non-zero when
# any case failed or a script did not finish.
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BIN_ARG=${1:-$HERE/../../build/nubis}
if [ ! -x "$BIN_ARG" ]; then
  echo "reliability: $BIN_ARG is not an executable" >&2
  echo "usage: $0 [path-to-nubis]" >&2
  exit 2
fi
NUBIS_BIN=$(cd "$(dirname "$BIN_ARG")" && pwd)/$(basename "$BIN_ARG")
export NUBIS_BIN
NODE=${NODE:-$(command -v node || true)}
if [ -z "$NODE" ]; then
  echo "reliability: node is not on PATH" >&2
  exit 2
fi
export NO_PROXY="127.0.0.1,localhost${NO_PROXY:+,$NO_PROXY}" no_proxy="127.0.0.1,localhost${no_proxy:+,$no_proxy}"

SCRIPTS=(a1_auth_matrix.mjs a5_rate_limit.mjs r1_malformed.mjs r2_smuggling.mjs r4_hostile_images.mjs r5_ssrf.mjs a8_signed_urls.mjs a9_direct_upload.mjs)
BUDGET=290          # seconds for the whole run (5 minutes, minus slack)
PER_SCRIPT_MAX=120  # seconds
START=$(date +%s)
TMP=$(mktemp -d "${TMPDIR:-/tmp}/nubis-rel-run.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

total_pass=0
total_fail=0
summary=()
for s in "${SCRIPTS[@]}"; do
  now=$(date +%s)
  left=$(( BUDGET - (now - START) ))
  if [ "$left" -le 5 ]; then
    echo "== $s: not run, the 5-minute budget is spent"
    total_fail=$(( total_fail + 1 ))
    summary+=("$s: NOT RUN (budget)")
    continue
  fi
  limit=$(( left < PER_SCRIPT_MAX ? left : PER_SCRIPT_MAX ))
  echo "== $s (limit ${limit}s)"
  out=$TMP/$s.out
  t0=$(date +%s)
  if command -v timeout >/dev/null 2>&1; then
    NUBIS_REL_WATCHDOG_MS=$(( (limit - 3) * 1000 )) timeout -k 5 "$limit" "$NODE" "$HERE/$s" 2>&1 | tee "$out"
    rc=${PIPESTATUS[0]}
  else
    NUBIS_REL_WATCHDOG_MS=$(( (limit - 3) * 1000 )) "$NODE" "$HERE/$s" 2>&1 | tee "$out"
    rc=${PIPESTATUS[0]}
  fi
  secs=$(( $(date +%s) - t0 ))
  line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$out" | tail -n 1)
  if [ -z "$line" ]; then
    echo "== $s: no summary line (exit $rc after ${secs}s); counted as 1 failure"
    total_fail=$(( total_fail + 1 ))
    summary+=("$s: no summary (exit $rc)")
    continue
  fi
  p=${line%% passed*}
  f=${line#*, }
  f=${f%% failed*}
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
    echo "== $s: exit $rc with 0 failures reported; counted as 1 failure"
    f=1
  fi
  total_pass=$(( total_pass + p ))
  total_fail=$(( total_fail + f ))
  summary+=("$s: $p passed, $f failed (${secs}s)")
done

echo "== summary ($(( $(date +%s) - START ))s)"
for l in "${summary[@]}"; do echo "   $l"; done
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]

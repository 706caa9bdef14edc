#!/usr/bin/env bash
# Upload bench (c): 5 MB image uploads made durable.
#   nubis : POST /client/v4/accounts/<id>/images/v1 (multipart, the bootstrap token), which Nubis
#           acknowledges after the bytes are fsync'ed (file and directory) and the row committed
#   node  : bench/lib/upload-server.js, node:http streaming the body to a new file + fsync
#   disk  : bench/lib/disk-fsync.c, write(5 MB) + fsync per new file, no HTTP: the disk's own rate
# The file: the corpus JPEG closest to 5,000,000 bytes (a 4000x3000 photo-sized JPEG), made unique
# per upload by a JPEG comment segment (bench/lib/upload-client.js). Concurrency 1 and 4, targets
# interleaved. Before each run the files of the run before are removed (Nubis: a fresh data dir,
# restarted) and `sync` flushes them: untimed.
# All files go under BENCH_UPLOAD_DIR, on the disk holding the repository by default (a tmpfs
# /tmp would make fsync free and the figures meaningless).
#
#   bash bench/lib/upload.sh <path-to-nubis-binary>   (bench/run.sh runs it for BENCH_ONLY=upload)
#
# Knobs (environment), besides the common ones (bench/README.md):
#   BENCH_UPLOAD_DURATION     one measured run                (default 6s)
#   BENCH_UPLOAD_WARMUP       unrecorded run before each one  (default 2s, 0 = none)
#   BENCH_UPLOAD_CONCURRENCY  uploads in flight               (default 1,4)
#   BENCH_UPLOAD_ROUNDS       rounds, order rotated           (default 2)
#   BENCH_UPLOAD_DIR          where the files go              (default bench/.upload-work, removed after)
#   BENCH_CORPUS_DIR          the corpus                      (default bench/corpus-cache)
#   BENCH_UPLOAD_MAX_SECONDS  hard cap for this script        (default: derived)
set -euo pipefail

BENCH_NAME=upload
# shellcheck source=bench/lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
nubis_bin_arg "$@"

: "${BENCH_UPLOAD_DURATION:=6s}"
: "${BENCH_UPLOAD_WARMUP:=2s}"
: "${BENCH_UPLOAD_CONCURRENCY:=1,4}"
: "${BENCH_UPLOAD_ROUNDS:=2}"
: "${BENCH_UPLOAD_DIR:=$HERE/.upload-work}"
: "${BENCH_CORPUS_DIR:=$HERE/corpus-cache}"
read -r -a CONCS <<< "${BENCH_UPLOAD_CONCURRENCY//,/ }"
for c in "${CONCS[@]}"; do [[ $c =~ ^[1-9][0-9]*$ ]] || die "BENCH_UPLOAD_CONCURRENCY: '$c' is not a number"; done
DUR_S=$(to_seconds "$BENCH_UPLOAD_DURATION")
WARM_S=0; [ "$BENCH_UPLOAD_WARMUP" != 0 ] && WARM_S=$(to_seconds "$BENCH_UPLOAD_WARMUP")
self_cap "${BENCH_UPLOAD_MAX_SECONDS:-$(( 180 + BENCH_UPLOAD_ROUNDS * ${#CONCS[@]} * 3 * (WARM_S + DUR_S + BENCH_QUIET_WAIT + 40) * (1 + BENCH_MAX_RETRY) ))}" "${BASH_SOURCE[0]}" "$@"

need_tools node curl cc sync
bench_init
machine_info
log_machine "node $NODE_V, $NUBIS_V, $(cc --version | head -1)"

# ---- the file, the work dir, the disk ----------------------------------------------------------
bash "$BENCH_LIB/corpus.sh" "$BENCH_CORPUS_DIR"
read -r UPLOAD_ID UPLOAD_BYTES UPLOAD_W UPLOAD_H < <(awk -F'\t' 'NR > 1 {d = $5 - 5000000; if (d < 0) d = -d; print d, $1, $5, $3, $4}' \
  "$BENCH_CORPUS_DIR/MANIFEST.tsv" | sort -n | head -1 | cut -d' ' -f2-)
UPLOAD_FILE=$BENCH_CORPUS_DIR/$UPLOAD_ID.jpg
log "upload file: $UPLOAD_FILE ($UPLOAD_BYTES bytes, ${UPLOAD_W}x$UPLOAD_H)"

bench_workdir "$BENCH_UPLOAD_DIR" BENCH_UPLOAD_DIR

cc -O2 -pthread -o "$TMP/disk-fsync" "$BENCH_LIB/disk-fsync.c" || die "cannot build bench/lib/disk-fsync.c"

# ---- the servers -------------------------------------------------------------------------------
make_token
mkdir -p "$WORK/node" "$WORK/disk"
start_bg node env DATA_DIR="$WORK/node" PORT=0 node "$BENCH_LIB/upload-server.js"
wait_for 10 "the node receiver to listen" eval "kill -0 ${PID_OF[node]} 2>/dev/null || die 'the node receiver exited'; grep -q '^listening ' '$TMP/node.log'"
NODE_URL=http://127.0.0.1:$(sed -n 's/^listening //p' "$TMP/node.log" | head -1)/client/v4/accounts/bench/images/v1
log "started node (pid ${PID_OF[node]}) on ${NODE_URL%/client/v4/*}"

NUBIS_GEN=0
# fresh_nubis : stops the running Nubis (if any), removes its data dir, starts a new one
fresh_nubis() {
  if [ -n "${PID_OF[nubis]:-}" ]; then
    stop_pid "${PID_OF[nubis]}"; forget_pid "${PID_OF[nubis]}"
    rm -rf "${DATA_OF[nubis]}"
  fi
  NUBIS_GEN=$(( NUBIS_GEN + 1 ))
  : > "$TMP/nubis.stderr"
  start_nubis nubis off "$WORK/nubis-$NUBIS_GEN"
  NUBIS_URL=${API_OF[nubis]}/accounts/${ACCOUNT_OF[nubis]}/images/v1
}
fresh_nubis

# one upload to each, checked
for t in nubis node; do
  url=$NUBIS_URL; [ "$t" = node ] && url=$NODE_URL
  out=$(node "$BENCH_LIB/upload-client.js" "$url" "$UPLOAD_FILE" 1 0.001 check 2>&1) || true
  json=$(sed -n 's/^BENCHJSON //p' <<< "$out")
  node -e 'const j = JSON.parse(process.argv[1]); process.exit(j.requests === 1 && j.err_status === 0 ? 0 : 1)' "$json" 2>/dev/null \
    || die "$t: a checked upload failed: $out"
  BODY_BYTES=$(node -e 'console.log(JSON.parse(process.argv[1]).body_bytes)' "$json")
  log "$t: one upload of $BODY_BYTES bytes (multipart) acknowledged"
done
if [ -n "${ACCOUNT_OF[nubis]}" ]; then
  n=$(curl -s -H "$AUTH" "${API_OF[nubis]}/accounts/${ACCOUNT_OF[nubis]}/images/v1/stats" | sed -n 's/.*"current":\([0-9]*\).*/\1/p')
  log "nubis: images stored after the check: ${n:-?}"
fi

# ---- measurements ----------------------------------------------------------------------------
bench_outputs
JSONL=$TMP/runs.jsonl
: > "$JSONL"
{
  echo "# bench/lib/upload.sh raw output, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "# machine: $MACHINE"
  echo "# tools: $TOOLS"
  echo "# disk: $DISK"
  echo "# file: $UPLOAD_FILE ($UPLOAD_BYTES bytes)"
} > "$OUT_RAW"

RUN_TAG=0
measure() { # TARGET CONC ROUND
  local t=$1 c=$2 r=$3 valid=true json url
  case $t in
    nubis) fresh_nubis; MEAS_PIDS=("${PID_OF[nubis]}"); url=$NUBIS_URL ;;
    node) rm -f "$WORK/node/"*; MEAS_PIDS=("${PID_OF[node]}"); url=$NODE_URL ;;
    disk) rm -rf "$WORK/disk/"*; MEAS_PIDS=() ;;
  esac
  RUN_TAG=$(( RUN_TAG + 1 ))
  WARM_CMD=()
  if [ "$t" = disk ]; then
    [ "$WARM_S" != 0 ] && WARM_CMD=("$TMP/disk-fsync" "$WORK/disk" "$UPLOAD_FILE" "$c" "$WARM_S")
    RUN_CMD=("$TMP/disk-fsync" "$WORK/disk" "$UPLOAD_FILE" "$c" "$DUR_S")
    # the warm-up's files would collide with the run's names: a sub-directory each
    mkdir -p "$WORK/disk/w" "$WORK/disk/r"
    [ "$WARM_S" != 0 ] && WARM_CMD[1]=$WORK/disk/w
    RUN_CMD[1]=$WORK/disk/r
    BEFORE_RUN="rm -rf '$WORK/disk/w' '$WORK/disk/r'; mkdir -p '$WORK/disk/w' '$WORK/disk/r'; sync"
  else
    [ "$WARM_S" != 0 ] && WARM_CMD=(node "$BENCH_LIB/upload-client.js" "$url" "$UPLOAD_FILE" "$c" "$WARM_S" "w${RUN_TAG}")
    RUN_CMD=(node "$BENCH_LIB/upload-client.js" "$url" "$UPLOAD_FILE" "$c" "$DUR_S" "r${RUN_TAG}")
    # each attempt its own tag: no upload repeats the bytes of an earlier one
    BEFORE_RUN="RUN_TAG=\$(( RUN_TAG + 1 )); RUN_CMD[-1]=r\$RUN_TAG; [ \${#WARM_CMD[@]} -gt 0 ] && WARM_CMD[-1]=w\$RUN_TAG; sync"
  fi
  measure_guarded "$t c=$c round $r" $(( DUR_S + WARM_S + 120 ))
  BEFORE_RUN=""
  json=$M_JSON
  if [ -z "$json" ]; then
    valid=false; json='{"requests":0,"rps":0,"p50_us":0,"p99_us":0,"bytes":0,"err_status":0}'
    log "  $t c=$c round $r: no result:"; printf '%s\n' "$M_OUT" | tail -n 20 >&2
  fi
  node -e 'process.exit(JSON.parse(process.argv[1]).err_status > 0 ? 1 : 0)' "$json" || valid=false
  printf '{"bench":"upload","target":"%s","conc":%d,"round":%d,"valid":%s,"non2xx":0,"socket_errors":"","pre_busy_pct":%d,"foreign_cpu_ms":%d,"server_cpu_ms":%d,"client_cpu_ms":%d,"rss_max_kb":%d,"tries":%d,"wrk":%s}\n' \
    "$t" "$c" "$r" "$valid" "$M_PRE_BUSY" "$M_FOREIGN_MS" "$M_SRV_MS" "$M_CLIENT_MS" "$M_RSS_KB" "$M_TRIES" "$json" >> "$JSONL"
  # shellcheck disable=SC2016  # JavaScript / eval text, expanded later on purpose
  node -e '
    const j = JSON.parse(process.argv[1]); const w = j.wrk;
    const bad = j.valid ? "" : `  INVALID (${w.err_status} failed)`;
    console.error(`[upload] ${j.target.padEnd(5)} c=${j.conc} round ${j.round}: ${w.rps.toFixed(1)} uploads/s  p50 ${(w.p50_us/1000).toFixed(1)} ms  p99 ${(w.p99_us/1000).toFixed(1)} ms  server CPU ${w.requests && j.target !== "disk" ? (j.server_cpu_ms / w.requests).toFixed(1) : "-"} ms/upload  foreign CPU ${j.foreign_cpu_ms} ms${bad}`);
  ' "$(tail -1 "$JSONL")"
}

log "measuring: concurrency ${CONCS[*]}, $BENCH_UPLOAD_DURATION per run (warm-up $BENCH_UPLOAD_WARMUP), $BENCH_UPLOAD_ROUNDS round(s), targets disk node nubis"
TARGETS=(disk node nubis)
k=0
for r in $(seq 1 "$BENCH_UPLOAD_ROUNDS"); do
  for c in "${CONCS[@]}"; do
    for i in 0 1 2; do measure "${TARGETS[$(( (i + k) % 3 ))]}" "$c" "$r"; done
    k=$(( k + 1 ))
  done
done

META=$TMP/meta.json
node -e '
  const [date, machine, tools, dur, warm, concs, rounds, bytes, bodyBytes, desc, disk, foreign] = process.argv.slice(1);
  console.log(JSON.stringify({ date, machine, tools, duration: dur, warmup: warm, concs: concs.split(" ").map(Number), rounds: Number(rounds),
    upload_bytes: Number(bytes), body_bytes: Number(bodyBytes), upload_desc: desc, disk, foreign_max_ms: Number(foreign) }));
' "$(date -u +%Y-%m-%d\ %H:%M\ UTC)" "$MACHINE" "$TOOLS" "$BENCH_UPLOAD_DURATION" "$BENCH_UPLOAD_WARMUP" "${CONCS[*]}" "$BENCH_UPLOAD_ROUNDS" \
  "$(( UPLOAD_BYTES + 26 ))" "$BODY_BYTES" "${UPLOAD_W}x$UPLOAD_H JPEG of the corpus ($UPLOAD_ID)" "$DISK" "$BENCH_FOREIGN_MAX_MS" > "$META"
{ echo; echo "## runs (JSON lines)"; cat "$JSONL"; echo "## meta"; cat "$META"; } >> "$OUT_RAW"

node "$BENCH_LIB/report-images.js" upload "$JSONL" "$META" > "$OUT_MD"
echo
cat "$OUT_MD"
log "table written to $OUT_MD, raw output to $OUT_RAW"

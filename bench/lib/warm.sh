#!/usr/bin/env bash
# Warm bench (b): delivery of cached variants. Nubis renders each corpus image once to
#   /<account_hash>/<id>/w=1024,quality=85,format=jpeg
# (its rendered-variant cache keeps them), then serves them again and again under wrk; nginx
# serves the very same bytes as static files under the very same paths (the ceiling of this
# machine). wrk -t2 -c64, rotating over the variants, targets interleaved, like the verify bench.
#
#   bash bench/lib/warm.sh <path-to-nubis-binary>   (bench/run.sh runs it for BENCH_ONLY=warm)
#
# Knobs (environment), besides the common ones (bench/README.md):
#   BENCH_WARM_DURATION     one measured wrk run                 (default 8s)
#   BENCH_WARM_WARMUP       unrecorded wrk run before each one   (default 2s, 0 = none)
#   BENCH_WARM_CONNECTIONS  wrk -c                               (default 64)
#   BENCH_WARM_THREADS      wrk -t                               (default 2)
#   BENCH_WARM_ROUNDS       rounds, order rotated                (default 3)
#   BENCH_CORPUS_DIR        the corpus                           (default bench/corpus-cache)
#   BENCH_WARM_MAX_SECONDS  hard cap for this script             (default: derived)
set -euo pipefail

BENCH_NAME=warm
# shellcheck source=bench/lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
nubis_bin_arg "$@"

: "${BENCH_WARM_DURATION:=8s}"
: "${BENCH_WARM_WARMUP:=2s}"
: "${BENCH_WARM_CONNECTIONS:=64}"
: "${BENCH_WARM_THREADS:=2}"
: "${BENCH_WARM_ROUNDS:=3}"
: "${BENCH_CORPUS_DIR:=$HERE/corpus-cache}"
DUR_S=$(to_seconds "$BENCH_WARM_DURATION")
WARM_S=0; [ "$BENCH_WARM_WARMUP" != 0 ] && WARM_S=$(to_seconds "$BENCH_WARM_WARMUP")
self_cap "${BENCH_WARM_MAX_SECONDS:-$(( 240 + BENCH_WARM_ROUNDS * 2 * (WARM_S + DUR_S + BENCH_QUIET_WAIT + 15) * (1 + BENCH_MAX_RETRY) ))}" "${BASH_SOURCE[0]}" "$@"

need wrk "apt-get install wrk"
need nginx "apt-get install nginx-light"
need node "Node.js >= 18"
need curl "apt-get install curl"
need pgrep "apt-get install procps"

bench_init
machine_info
log_machine "wrk $WRK_V, nginx $NGINX_V, $NUBIS_V"

bash "$BENCH_LIB/corpus.sh" "$BENCH_CORPUS_DIR"
mapfile -t IDS < <(awk -F'\t' 'NR > 1 {print $1}' "$BENCH_CORPUS_DIR/MANIFEST.tsv")
[ ${#IDS[@]} -gt 0 ] || die "empty corpus in $BENCH_CORPUS_DIR"

# ---- Nubis: upload, flexible variants on, render each variant once ----------------------------
make_token
start_nubis nubis off
for id in "${IDS[@]}"; do nubis_upload nubis "$BENCH_CORPUS_DIR/$id.jpg" "$id"; done
nubis_flexible nubis
HASH=${HASH_OF[nubis]}
OPTS=w=1024,quality=85,format=jpeg
mkdir -p "$TMP/nginx/html/$HASH"
: > "$TMP/paths.txt"
total=0
for id in "${IDS[@]}"; do
  path=/$HASH/$id/$OPTS
  got=$(curl -s --max-time 60 -o /dev/null -w '%{http_code}' "${DELIVERY_OF[nubis]}$path") || true
  [ "$got" = 200 ] || die "nubis answered $got to $path"
  mkdir -p "$TMP/nginx/html/$HASH/$id"
  # The second answer comes from the cache: those are the bytes nginx will serve.
  got=$(curl -s --max-time 10 -o "$TMP/nginx/html$path" -w '%{http_code} %{content_type} %{time_total}' "${DELIVERY_OF[nubis]}$path") || true
  case $got in "200 image/jpeg "*) ;; *) die "nubis answered '$got' to $path the second time" ;; esac
  echo "$path" >> "$TMP/paths.txt"
  total=$(( total + $(wc -c < "$TMP/nginx/html$path") ))
done
MEAN_KB=$(( total / ${#IDS[@]} / 1024 ))
CACHE_FILES_BEFORE=$(find "${DATA_OF[nubis]}/cache" -type f | wc -l)
log "rendered and cached ${#IDS[@]} variants, $MEAN_KB KB on average ($CACHE_FILES_BEFORE files in Nubis's cache)"

# ---- nginx: the same bytes as static files under the same paths --------------------------------
start_nginx nginx "
        location / {
            types { }
            default_type image/jpeg;
        }"
NGINX_BASE=http://127.0.0.1:${PORT_OF[nginx]}
wait_for 10 "nginx on port ${PORT_OF[nginx]}" eval "kill -0 ${PID_OF[nginx]} 2>/dev/null || die 'nginx exited'; [ \"\$(http_code '$NGINX_BASE$(head -1 "$TMP/paths.txt")')\" = 200 ]"
log "started nginx (master pid ${PID_OF[nginx]}, workers: $(pgrep -P "${PID_OF[nginx]}" | tr '\n' ' ')) on 127.0.0.1:${PORT_OF[nginx]}"
declare -A BASE_OF=([nubis]=${DELIVERY_OF[nubis]} [nginx]=$NGINX_BASE)
while read -r path; do
  for t in nubis nginx; do
    got=$(curl -s --max-time 10 -o "$TMP/check" -w '%{http_code} %{content_type}' "${BASE_OF[$t]}$path") || true
    [ "$got" = "200 image/jpeg" ] || die "$t answered '$got' to $path"
    cmp -s "$TMP/check" "$TMP/nginx/html$path" || die "$t does not answer the cached bytes for $path"
  done
done < "$TMP/paths.txt"
log "nubis and nginx answer the same bytes for all ${#IDS[@]} paths"

# ---- measurements ----------------------------------------------------------------------------
pids_of() {
  echo "${PID_OF[$1]}"
  if [ "$1" = nginx ]; then pgrep -P "${PID_OF[nginx]}" || true; fi
}
bench_outputs
JSONL=$TMP/runs.jsonl
: > "$JSONL"
{
  echo "# bench/lib/warm.sh raw output, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "# machine: $MACHINE"
  echo "# tools: $TOOLS"
  for t in nubis nginx; do echo "# $t: ${BASE_OF[$t]}"; done
} > "$OUT_RAW"

measure() { # TARGET ROUND
  local t=$1 r=$2 valid=true non2xx sockerr json
  mapfile -t MEAS_PIDS < <(pids_of "$t")
  WARM_CMD=()
  if [ "$WARM_S" != 0 ]; then
    WARM_CMD=(env BENCH_PATHS_FILE="$TMP/paths.txt" wrk -t"$BENCH_WARM_THREADS" -c"$BENCH_WARM_CONNECTIONS" -d"${WARM_S}s" --timeout 5s -s "$BENCH_LIB/paths.lua" "${BASE_OF[$t]}")
  fi
  RUN_CMD=(env BENCH_PATHS_FILE="$TMP/paths.txt" wrk -t"$BENCH_WARM_THREADS" -c"$BENCH_WARM_CONNECTIONS" -d"${DUR_S}s" --timeout 5s --latency -s "$BENCH_LIB/paths.lua" "${BASE_OF[$t]}")
  measure_guarded "$t round $r" $(( DUR_S + WARM_S + 30 ))
  json=$M_JSON
  non2xx=$(sed -n 's/^ *Non-2xx or 3xx responses: *\([0-9]*\).*/\1/p' <<< "$M_OUT" | tail -1)
  sockerr=$(sed -n 's/^ *Socket errors: *\(.*\)$/\1/p' <<< "$M_OUT" | tail -1)
  if [ -z "$json" ]; then
    valid=false; json='{"requests":0,"rps":0,"p50_us":0,"p99_us":0,"bytes":0}'
    log "  $t round $r: wrk gave no result:"; printf '%s\n' "$M_OUT" | tail -n 20 >&2
  fi
  [ -n "$non2xx" ] && [ "$non2xx" != 0 ] && valid=false
  [ -n "$sockerr" ] && valid=false
  printf '{"bench":"warm","target":"%s","round":%d,"valid":%s,"non2xx":%d,"socket_errors":"%s","pre_busy_pct":%d,"foreign_cpu_ms":%d,"server_cpu_ms":%d,"client_cpu_ms":%d,"rss_max_kb":%d,"tries":%d,"wrk":%s}\n' \
    "$t" "$r" "$valid" "${non2xx:-0}" "$sockerr" "$M_PRE_BUSY" "$M_FOREIGN_MS" "$M_SRV_MS" "$M_CLIENT_MS" "$M_RSS_KB" "$M_TRIES" "$json" >> "$JSONL"
  # shellcheck disable=SC2016  # JavaScript / eval text, expanded later on purpose
  node -e '
    const j = JSON.parse(process.argv[1]); const w = j.wrk;
    const bad = j.valid ? "" : `  INVALID (non-2xx ${j.non2xx}${j.socket_errors ? ", socket errors " + j.socket_errors : ""})`;
    console.error(`[warm] ${j.target.padEnd(6)} round ${j.round}: ${Math.round(w.rps)} req/s  ${(w.bytes / w.duration_us).toFixed(0)} MB/s  p50 ${(w.p50_us/1000).toFixed(3)} ms  p99 ${(w.p99_us/1000).toFixed(3)} ms  server CPU ${w.requests ? (j.server_cpu_ms * 1000 / w.requests).toFixed(0) : "-"} µs/req  foreign CPU ${j.foreign_cpu_ms} ms${bad}`);
  ' "$(tail -1 "$JSONL")"
}

log "measuring: wrk -t$BENCH_WARM_THREADS -c$BENCH_WARM_CONNECTIONS -d$BENCH_WARM_DURATION (warm-up $BENCH_WARM_WARMUP), $BENCH_WARM_ROUNDS round(s), targets nginx nubis"
TARGETS=(nginx nubis)
for r in $(seq 1 "$BENCH_WARM_ROUNDS"); do
  for i in 0 1; do measure "${TARGETS[$(( (i + r - 1) % 2 ))]}" "$r"; done
done
CACHE_FILES_AFTER=$(find "${DATA_OF[nubis]}/cache" -type f | wc -l)
[ "$CACHE_FILES_AFTER" = "$CACHE_FILES_BEFORE" ] \
  || log "WARNING: Nubis's cache went from $CACHE_FILES_BEFORE to $CACHE_FILES_AFTER files during the runs (were they all hits?)"

META=$TMP/meta.json
node -e '
  const [date, machine, tools, dur, warm, conns, threads, rounds, paths, meanKb, nginxV, workers, foreign] = process.argv.slice(1);
  console.log(JSON.stringify({ date, machine, tools, duration: dur, warmup: warm, connections: Number(conns), threads: Number(threads),
    rounds: Number(rounds), paths: Number(paths), mean_kb: Number(meanKb), nginx_version: nginxV, nginx_workers: Number(workers),
    foreign_max_ms: Number(foreign) }));
' "$(date -u +%Y-%m-%d\ %H:%M\ UTC)" "$MACHINE" "$TOOLS" "$BENCH_WARM_DURATION" "$BENCH_WARM_WARMUP" "$BENCH_WARM_CONNECTIONS" \
  "$BENCH_WARM_THREADS" "$BENCH_WARM_ROUNDS" "${#IDS[@]}" "$MEAN_KB" "$NGINX_V" "$(pgrep -P "${PID_OF[nginx]}" | wc -l)" "$BENCH_FOREIGN_MAX_MS" > "$META"
for t in nubis nginx; do
  kill -0 "${PID_OF[$t]}" 2>/dev/null || log "WARNING: $t (pid ${PID_OF[$t]}) is no longer running"
done
{ echo; echo "## runs (JSON lines)"; cat "$JSONL"; echo "## meta"; cat "$META"; } >> "$OUT_RAW"

node "$BENCH_LIB/report-images.js" warm "$JSONL" "$META" > "$OUT_MD"
echo
cat "$OUT_MD"
log "table written to $OUT_MD, raw output to $OUT_RAW"

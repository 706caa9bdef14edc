#!/usr/bin/env bash
# Verify bench: authenticated GET /client/v4/user/tokens/verify under wrk, on loopback,
# side by side in the same run with two peers answering the very same bytes:
#   nginx  : the body served as a static file (the ceiling on this machine)
#   node   : a minimal node:http server, one process (what a user might reach for)
#   nubis  : `nubis serve`, access log off (and, by default, a second instance with it on)
# and Nubis's resident memory under that load (VmRSS sampled during the runs, VmHWM after).
#
#   bash bench/lib/verify.sh <path-to-nubis-binary>   (bench/run.sh runs it for BENCH_ONLY=verify)
#
# Prints a Markdown table and writes it to bench/results/<stamp>-verify.md (raw wrk output next
# to it, .raw). Everything listens on 127.0.0.1 only; every process started here is stopped by
# PID on exit, Ctrl-C or failure. See bench/README.md for what the figures mean.
#
# Knobs (environment):
#   BENCH_DURATION     one measured wrk run                     (default 10s)
#   BENCH_WARMUP       unrecorded wrk run before each one, 0=no (default 3s)
#   BENCH_CONNECTIONS  wrk -c                                   (default 64)
#   BENCH_THREADS      wrk -t                                   (default 2)
#   BENCH_ROUNDS       rounds; each gives every target one run, order rotated (default 3)
#   BENCH_ACCESS_LOG   "both" (off and on), "off" or "on"       (default both)
#   and the common ones (bench/README.md): BENCH_QUIET_MAX, BENCH_QUIET_WAIT,
#   BENCH_FOREIGN_MAX_MS, BENCH_MAX_RETRY, BENCH_RESULTS_DIR, BENCH_NUBIS_ARGS, BENCH_KEEP_TMP;
#   BENCH_VERIFY_MAX_SECONDS: hard cap for this script (default: derived from the above)
set -euo pipefail

if [ $# -lt 1 ]; then
  echo "usage: $0 <path-to-nubis-binary>" >&2
  exit 2
fi
if [ ! -x "$1" ]; then
  echo "bench: $1 is not an executable (build it first: make build)" >&2
  exit 2
fi
NUBIS_BIN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
BENCH_NAME=verify
# shellcheck source=bench/lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

: "${BENCH_DURATION:=10s}"
: "${BENCH_WARMUP:=3s}"
: "${BENCH_CONNECTIONS:=64}"
: "${BENCH_THREADS:=2}"
: "${BENCH_ROUNDS:=3}"
: "${BENCH_ACCESS_LOG:=both}"

DUR_S=$(to_seconds "$BENCH_DURATION")
WARM_S=0; [ "$BENCH_WARMUP" != 0 ] && WARM_S=$(to_seconds "$BENCH_WARMUP")
case $BENCH_ACCESS_LOG in
  both) NUBIS_TARGETS="nubis nubis-log" ;;
  off) NUBIS_TARGETS="nubis" ;;
  on) NUBIS_TARGETS="nubis-log" ;;
  *) echo "bench: BENCH_ACCESS_LOG must be both, off or on" >&2; exit 2 ;;
esac
NTARGETS=$(( 2 + $(wc -w <<< "$NUBIS_TARGETS") ))

# Hard cap on the whole script.
self_cap "${BENCH_VERIFY_MAX_SECONDS:-$(( 120 + BENCH_ROUNDS * NTARGETS * (WARM_S + DUR_S + BENCH_QUIET_WAIT + 15) * (1 + BENCH_MAX_RETRY) ))}" "${BASH_SOURCE[0]}" "$@"

need wrk "apt-get install wrk"
need nginx "apt-get install nginx-light"
need node "Node.js >= 18"
need curl "apt-get install curl"
need pgrep "apt-get install procps"

bench_init
machine_info
log_machine "wrk $WRK_V, nginx $NGINX_V, node $NODE_V, $NUBIS_V"

# ---- tokens and the body --------------------------------------------------------------------
make_token
VERIFY=/client/v4/user/tokens/verify

# ---- Nubis ---------------------------------------------------------------------------------
declare -A URL_OF=()
for t in $NUBIS_TARGETS; do
  if [ "$t" = nubis ]; then start_nubis nubis off; else start_nubis nubis-log on; fi
  URL_OF[$t]=${API_OF[$t]}/user/tokens/verify
done
FIRST_NUBIS=${NUBIS_TARGETS%% *}

# The exact bytes Nubis answers: what the peers will serve.
BODY=$TMP/verify.json
got=$(curl -s --max-time 5 -o "$BODY" -w '%{http_code} %{content_type}' -H "$AUTH" "${URL_OF[$FIRST_NUBIS]}") || true
case $got in
  "200 application/json"*) ;;
  *) die "Nubis answered '$got' to the authenticated verify request: $(head -c 300 "$BODY" 2>/dev/null)" ;;
esac
BODY_BYTES=$(wc -c < "$BODY")
chmod 644 "$BODY"
log "verify body from Nubis: $BODY_BYTES bytes: $(head -c 120 "$BODY")..."

# ---- nginx: the body as a static file -------------------------------------------------------
mkdir -p "$TMP/nginx/html/client/v4/user/tokens"
cp "$BODY" "$TMP/nginx/html/client/v4/user/tokens/verify"
start_nginx nginx "
        location = $VERIFY {
            default_type application/json;
            if (\$http_authorization != \"Bearer $TOKEN\") { return 401; }
        }
        location / { return 404; }"
URL_OF[nginx]=http://127.0.0.1:${PORT_OF[nginx]}$VERIFY
wait_for 10 "nginx on port ${PORT_OF[nginx]}" eval "kill -0 ${PID_OF[nginx]} 2>/dev/null || die 'nginx exited'; [ \"\$(http_code '${URL_OF[nginx]}' -H '$AUTH')\" = 200 ]"
log "started nginx (master pid ${PID_OF[nginx]}, workers: $(pgrep -P "${PID_OF[nginx]}" | tr '\n' ' ')) on 127.0.0.1:${PORT_OF[nginx]}"

# ---- node:http ------------------------------------------------------------------------------
start_bg node env BODY_FILE="$BODY" PORT=0 node "$HERE/lib/json-server.js"
wait_for 10 "node to listen" eval "kill -0 ${PID_OF[node]} 2>/dev/null || die 'node exited'; grep -q '^listening ' '$TMP/node.log'"
URL_OF[node]=http://127.0.0.1:$(sed -n 's/^listening //p' "$TMP/node.log" | head -1)$VERIFY
log "started node (pid ${PID_OF[node]}) on ${URL_OF[node]%$VERIFY}"

read -r -a TARGETS <<< "nginx node $NUBIS_TARGETS"

# ---- same answer everywhere ----------------------------------------------------------------
for t in "${TARGETS[@]}"; do
  got=$(curl -s --max-time 5 -o "$TMP/check.$t" -w '%{http_code} %{content_type}' -H "$AUTH" "${URL_OF[$t]}") || true
  case $got in "200 application/json"*) ;; *) die "$t answered '$got' with the token" ;; esac
  if [ "$t" = nubis-log ] && [ "$FIRST_NUBIS" != nubis-log ]; then
    # another instance, another token id: same bytes once the id is masked
    cmp -s <(sed 's/"id":"[0-9a-f]*"/"id":""/' "$BODY") <(sed 's/"id":"[0-9a-f]*"/"id":""/' "$TMP/check.$t") \
      || die "$t does not answer the same body as the other Nubis instance"
  else
    cmp -s "$BODY" "$TMP/check.$t" || die "$t does not answer the same body bytes as Nubis"
  fi
  log "$t: 200 with the token, HTTP $(http_code "${URL_OF[$t]}") without"
done
log "all targets answer the same $BODY_BYTES bytes"

# ---- measurement helpers --------------------------------------------------------------------
pids_of() { # TARGET -> the PIDs whose memory/CPU are the server's
  local pid=${PID_OF[$1]}
  echo "$pid"
  if [ "$1" = nginx ]; then pgrep -P "$pid" || true; fi
}

# wrk with its CPU time: `times` in the wrapper shell gives the children's user+sys.
WRK_TIMEOUT=$(( DUR_S + 20 ))
run_wrk() { # DURATION URL -> wrk's output, then "WRKCPU_TIMES" and the output of `times`
  # shellcheck disable=SC2016
  bash -c 'timeout -k 5 "$0" wrk "$@"; rc=$?; echo WRKCPU_TIMES; times; exit $rc' \
    "$WRK_TIMEOUT" -t"$BENCH_THREADS" -c"$BENCH_CONNECTIONS" -d"$1" --timeout 5s --latency \
    -s "$HERE/lib/wrk.lua" "$2" 2>&1
}

bench_outputs
JSONL=$TMP/runs.jsonl
: > "$JSONL"
{
  echo "# bench/run.sh raw output, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "# machine: $MACHINE"
  echo "# tools: $TOOLS"
  echo "# wrk -t$BENCH_THREADS -c$BENCH_CONNECTIONS -d$BENCH_DURATION --timeout 5s --latency (warm-up $BENCH_WARMUP), rounds $BENCH_ROUNDS"
  for t in "${TARGETS[@]}"; do echo "# $t: ${URL_OF[$t]}"; done
} > "$OUT_RAW"

# Memory before any load: resident now, and the start-up peak. Then the peak (VmHWM) is reset
# (`echo 5 > /proc/PID/clear_refs`) so that VmHWM read after the runs is the peak under load.
declare -A IDLE_RSS=() START_HWM=()
HWM_RESET=true
for t in "${TARGETS[@]}"; do
  # shellcheck disable=SC2046
  IDLE_RSS[$t]=$(status_kb VmRSS: $(pids_of "$t"))
  # shellcheck disable=SC2046
  START_HWM[$t]=$(status_kb VmHWM: $(pids_of "$t"))
  for p in $(pids_of "$t"); do
    { echo 5 > "/proc/$p/clear_refs"; } 2>/dev/null || HWM_RESET=false
  done
done
[ "$HWM_RESET" = true ] || log "note: could not reset VmHWM (/proc/PID/clear_refs): the peaks include start-up"

measure() { # TARGET ROUND
  local t=$1 r=$2 try out json pids s0 s1 p0 p1 cu cs wrk_ms srv_ms foreign non2xx sockerr valid rss hwm alog_bytes=0 alog_lines=0
  # shellcheck disable=SC2207
  pids=($(pids_of "$t"))
  for try in $(seq 0 "$BENCH_MAX_RETRY"); do
    wait_quiet
    if [ "$WARM_S" != 0 ]; then run_wrk "$BENCH_WARMUP" "${URL_OF[$t]}" > /dev/null || true; fi
    [ "$t" = nubis-log ] && : > "$TMP/nubis-log.stderr"
    rm -f "$TMP/rss.stop"
    rss_sampler "$TMP/rss.max" "$TMP/rss.stop" "${pids[@]}" &
    SAMPLER=$!
    s0=$(cpu_busy_ticks); p0=$(proc_ticks "${pids[@]}")
    out=$(run_wrk "$BENCH_DURATION" "${URL_OF[$t]}") || true
    s1=$(cpu_busy_ticks); p1=$(proc_ticks "${pids[@]}")
    touch "$TMP/rss.stop"; wait "$SAMPLER" 2>/dev/null || true; SAMPLER=""
    rss=$(cat "$TMP/rss.max" 2>/dev/null || echo 0)
    hwm=$(status_kb VmHWM: "${pids[@]}")
    # second line of `times`: user and system time of the children (timeout + wrk)
    read -r cu cs <<< "$(sed -n '/^WRKCPU_TIMES$/{n;n;p}' <<< "$out")"
    wrk_ms=$(( $(to_ms "${cu:-0m0s}") + $(to_ms "${cs:-0m0s}") ))
    srv_ms=$(( (p1 - p0) * 10 ))
    foreign=$(( (s1 - s0) * 10 - srv_ms - wrk_ms ))
    [ "$foreign" -lt 0 ] && foreign=0
    if [ "$t" = nubis-log ]; then
      alog_bytes=$(wc -c < "$TMP/nubis-log.stderr"); alog_lines=$(wc -l < "$TMP/nubis-log.stderr")
      : > "$TMP/nubis-log.stderr"
    fi
    { echo; echo "## $t round $r try $try (pre-run CPU busy ${PRE_BUSY}%, foreign CPU ${foreign} ms, server CPU ${srv_ms} ms, wrk CPU ${wrk_ms} ms, VmRSS max ${rss} kB, VmHWM ${hwm} kB)"
      printf '%s\n' "$out"; } >> "$OUT_RAW"
    [ "$foreign" -le "$BENCH_FOREIGN_MAX_MS" ] && break
    [ "$try" -lt "$BENCH_MAX_RETRY" ] && log "  $t round $r: other processes used ${foreign} ms CPU during the run: measuring again"
  done
  json=$(sed -n 's/^BENCHJSON //p' <<< "$out" | tail -1)
  non2xx=$(sed -n 's/^ *Non-2xx or 3xx responses: *\([0-9]*\).*/\1/p' <<< "$out" | tail -1)
  sockerr=$(sed -n 's/^ *Socket errors: *\(.*\)$/\1/p' <<< "$out" | tail -1)
  valid=true
  if [ -z "$json" ]; then
    valid=false; json='{"requests":0,"rps":0,"p50_us":0,"p99_us":0}'
    log "  $t round $r: wrk gave no result:"; printf '%s\n' "$out" | tail -n 20 >&2
  fi
  if [ -n "$non2xx" ] && [ "$non2xx" != 0 ]; then valid=false; fi
  if [ -n "$sockerr" ]; then valid=false; fi
  if [ "$t" = nubis-log ] && [ "$valid" = true ] && [ "$alog_lines" -eq 0 ]; then
    log "  $t round $r: the access log stayed empty (is it on?)"
  fi
  printf '{"target":"%s","round":%d,"valid":%s,"non2xx":%d,"socket_errors":"%s","pre_busy_pct":%d,"foreign_cpu_ms":%d,"server_cpu_ms":%d,"wrk_cpu_ms":%d,"rss_max_kb":%d,"hwm_kb":%d,"access_log_bytes":%d,"access_log_lines":%d,"wrk":%s}\n' \
    "$t" "$r" "$valid" "${non2xx:-0}" "$sockerr" "$PRE_BUSY" "$foreign" "$srv_ms" "$wrk_ms" "$rss" "$hwm" "$alog_bytes" "$alog_lines" "$json" >> "$JSONL"
  # shellcheck disable=SC2016
  node -e '
    const j = JSON.parse(process.argv[1]); const w = j.wrk;
    const bad = j.valid ? "" : `  INVALID (non-2xx ${j.non2xx}${j.socket_errors ? ", socket errors " + j.socket_errors : ""})`;
    console.error(`[bench] ${j.target.padEnd(9)} round ${j.round}: ${Math.round(w.rps)} req/s  p50 ${(w.p50_us/1000).toFixed(3)} ms  p99 ${(w.p99_us/1000).toFixed(3)} ms  RSS max ${(j.rss_max_kb/1024).toFixed(1)} MiB  foreign CPU ${j.foreign_cpu_ms} ms${bad}`);
  ' "$(tail -1 "$JSONL")"
}

log "measuring: wrk -t$BENCH_THREADS -c$BENCH_CONNECTIONS -d$BENCH_DURATION (warm-up $BENCH_WARMUP before each run), $BENCH_ROUNDS round(s), targets: ${TARGETS[*]}"
n=${#TARGETS[@]}
for r in $(seq 1 "$BENCH_ROUNDS"); do
  for i in $(seq 0 $(( n - 1 ))); do
    measure "${TARGETS[$(( (i + r - 1) % n ))]}" "$r"
  done
done

# After the load: Nubis's memory now, and its peak over the whole life of the process.
META=$TMP/meta.json
{
  printf '{"date":"%s","machine":"%s","tools":"%s","duration":"%s","warmup":"%s","connections":%d,"threads":%d,"rounds":%d,"body_bytes":%d,' \
    "$(date -u +%Y-%m-%d\ %H:%M\ UTC)" "$MACHINE" "$TOOLS" "$BENCH_DURATION" "$BENCH_WARMUP" "$BENCH_CONNECTIONS" "$BENCH_THREADS" "$BENCH_ROUNDS" "$BODY_BYTES"
  printf '"nginx_workers":%d,"hwm_reset":%s,"foreign_max_ms":%d,"mem":{' "$(pgrep -P "${PID_OF[nginx]}" | wc -l)" "$HWM_RESET" "$BENCH_FOREIGN_MAX_MS"
  sep=""
  for t in "${TARGETS[@]}"; do
    # shellcheck disable=SC2046
    printf '%s"%s":{"startup_hwm_kb":%d,"idle_kb":%d,"after_kb":%d,"hwm_kb":%d}' "$sep" "$t" "${START_HWM[$t]}" "${IDLE_RSS[$t]}" \
      "$(status_kb VmRSS: $(pids_of "$t"))" "$(status_kb VmHWM: $(pids_of "$t"))"
    sep=","
  done
  printf '}}\n'
} > "$META"
for t in "${TARGETS[@]}"; do
  kill -0 "${PID_OF[$t]}" 2>/dev/null || log "WARNING: $t (pid ${PID_OF[$t]}) is no longer running"
done
{ echo; echo "## runs (JSON lines)"; cat "$JSONL"; echo "## meta"; cat "$META"; } >> "$OUT_RAW"

node "$HERE/lib/report.js" "$JSONL" "$META" > "$OUT_MD"
echo
cat "$OUT_MD"
log "table written to $OUT_MD, raw wrk output to $OUT_RAW"

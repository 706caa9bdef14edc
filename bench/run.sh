#!/usr/bin/env bash
# Nubis benchmark: authenticated GET /client/v4/user/tokens/verify under wrk, on loopback,
# side by side in the same run with two peers answering the very same bytes:
#   nginx  : the body served as a static file (the ceiling on this machine)
#   node   : a minimal node:http server, one process (what a user might reach for)
#   nubis  : `nubis serve`, access log off (and, by default, a second instance with it on)
# and Nubis's resident memory under that load (VmRSS sampled during the runs, VmHWM after).
#
#   bash bench/run.sh <path-to-nubis-binary>          (what `make bench` runs)
#
# Prints a Markdown table and writes it to bench/results/<date>.md (raw wrk output next to it,
# <date>.raw). Everything listens on 127.0.0.1 only; every process started here is stopped by
# PID on exit, Ctrl-C or failure. See bench/README.md for what the figures mean.
#
# Knobs (environment):
#   BENCH_DURATION     one measured wrk run                     (default 10s)
#   BENCH_WARMUP       unrecorded wrk run before each one, 0=no (default 3s)
#   BENCH_CONNECTIONS  wrk -c                                   (default 64)
#   BENCH_THREADS      wrk -t                                   (default 2)
#   BENCH_ROUNDS       rounds; each gives every target one run, order rotated (default 3)
#   BENCH_ACCESS_LOG   "both" (off and on), "off" or "on"       (default both)
#   BENCH_QUIET_MAX    wait before each run until the CPUs are <= this % busy (default 15)
#   BENCH_QUIET_WAIT   ... but at most this many seconds       (default 30)
#   BENCH_FOREIGN_MAX_MS  re-run a measurement when processes that are not ours used more CPU
#                      than this during it                      (default 1000)
#   BENCH_MAX_RETRY    re-runs allowed per measurement          (default 2)
#   BENCH_MAX_SECONDS  hard cap for the whole script            (default: derived from the above)
#   BENCH_RESULTS_DIR  where <date>.md / <date>.raw go          (default bench/results)
#   BENCH_NUBIS_ARGS   extra flags for `nubis serve` (e.g. "--io-threads 1")
#   BENCH_KEEP_TMP=1   keep the temporary directory (server logs, configs) for inspection
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
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

: "${BENCH_DURATION:=10s}"
: "${BENCH_WARMUP:=3s}"
: "${BENCH_CONNECTIONS:=64}"
: "${BENCH_THREADS:=2}"
: "${BENCH_ROUNDS:=3}"
: "${BENCH_ACCESS_LOG:=both}"
: "${BENCH_QUIET_MAX:=15}"
: "${BENCH_QUIET_WAIT:=30}"
: "${BENCH_FOREIGN_MAX_MS:=1000}"
: "${BENCH_MAX_RETRY:=2}"
: "${BENCH_RESULTS_DIR:=$HERE/results}"
: "${BENCH_NUBIS_ARGS:=}"
: "${BENCH_KEEP_TMP:=0}"

to_seconds() { # 10s | 2m | 500ms | 7  -> whole seconds (rounded up)
  case $1 in
    *ms) echo $(( (${1%ms} + 999) / 1000 )) ;;
    *s) echo "${1%s}" ;;
    *m) echo $(( ${1%m} * 60 )) ;;
    *) echo "$1" ;;
  esac
}
DUR_S=$(to_seconds "$BENCH_DURATION")
WARM_S=0; [ "$BENCH_WARMUP" != 0 ] && WARM_S=$(to_seconds "$BENCH_WARMUP")
case $BENCH_ACCESS_LOG in
  both) NUBIS_TARGETS="nubis nubis-log" ;;
  off) NUBIS_TARGETS="nubis" ;;
  on) NUBIS_TARGETS="nubis-log" ;;
  *) echo "bench: BENCH_ACCESS_LOG must be both, off or on" >&2; exit 2 ;;
esac
NTARGETS=$(( 2 + $(wc -w <<< "$NUBIS_TARGETS") ))

# Hard cap on the whole run: the script re-executes itself under timeout(1). --foreground keeps
# it in the caller's process group, so Ctrl-C still reaches it (and the EXIT trap below).
if [ -z "${BENCH_UNDER_CAP:-}" ]; then
  cap=${BENCH_MAX_SECONDS:-$(( 120 + BENCH_ROUNDS * NTARGETS * (WARM_S + DUR_S + BENCH_QUIET_WAIT + 15) * (1 + BENCH_MAX_RETRY) ))}
  export BENCH_UNDER_CAP=$cap
  exec timeout --foreground -k 30 "$cap" bash "${BASH_SOURCE[0]}" "$@"
fi

log() { printf '[bench %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
need() { command -v "$1" >/dev/null 2>&1 || die "missing '$1' ($2)"; }
need wrk "apt-get install wrk"
need nginx "apt-get install nginx-light"
need node "Node.js >= 18"
need curl "apt-get install curl"
need pgrep "apt-get install procps"

# The servers get only the configuration stated here.
for v in $(compgen -e | grep '^NUBIS_' || true); do unset "$v"; done

TMP=$(mktemp -d "${TMPDIR:-/tmp}/nubis-bench.XXXXXX")
chmod 755 "$TMP" # nginx workers (user nobody when started as root) read the body under it
declare -a BG_PIDS=()
declare -A PID_OF=()
SAMPLER=""  # the RSS sampler of the run in progress, if any

stop_pid() { # PID : TERM, up to 12 s (Nubis drains in-flight requests for up to 10 s), then KILL
  local pid=$1 i
  kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
  kill -TERM "$pid" 2>/dev/null || true
  for i in $(seq 1 120); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then
    log "pid $pid did not stop on SIGTERM within 12 s: SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
}
cleanup() {
  local rc=$? i
  trap - EXIT INT TERM HUP
  if [ -n "$SAMPLER" ]; then kill "$SAMPLER" 2>/dev/null || true; wait "$SAMPLER" 2>/dev/null || true; fi
  for (( i=${#BG_PIDS[@]}-1; i>=0; i-- )); do stop_pid "${BG_PIDS[$i]}"; done
  if [ "$rc" != 0 ] && [ "$rc" != 129 ] && [ "$rc" != 130 ] && [ "$rc" != 143 ]; then
    for f in "$TMP"/*.stderr "$TMP"/node.log "$TMP"/nginx.log "$TMP"/nginx/logs/error.log; do
      [ -s "$f" ] || continue
      log "--- last lines of $f"; tail -n 15 "$f" >&2
    done
  fi
  if [ "$BENCH_KEEP_TMP" = 1 ]; then log "kept $TMP"; else rm -rf "$TMP"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

# start_bg NAME cmd... : stdout+stderr to $TMP/NAME.log
start_bg() {
  local name=$1; shift
  "$@" > "$TMP/$name.log" 2>&1 &
  BG_PIDS+=($!); PID_OF[$name]=$!
}

free_port() {
  node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

wait_for() { # SECONDS DESCRIPTION cmd... : until cmd succeeds
  local t=$1 what=$2 i; shift 2
  for i in $(seq 1 $(( t * 10 ))); do
    "$@" && return 0
    sleep 0.1
  done
  die "timed out after ${t}s waiting for $what"
}

http_code() { # URL [curl args...]
  local url=$1; shift
  curl -s -o /dev/null --max-time 3 -w '%{http_code}' "$@" "$url" || true
}

# ---- machine -------------------------------------------------------------------------------
CPU_MODEL=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
# shellcheck disable=SC1091
OS=$(. /etc/os-release 2>/dev/null && echo "${PRETTY_NAME:-}")
NGINX_V=$(nginx -v 2>&1 | sed 's/.*nginx\///')
NODE_V=$(node --version)
WRK_V=$( (wrk -v 2>&1 || true) | awk 'NR==1 {print $2}')
NUBIS_V=$( ("$NUBIS_BIN" version 2>/dev/null || echo "nubis ?") | awk 'NR==1')
MACHINE="nproc $(nproc), ${CPU_MODEL:-unknown CPU}, $(awk '/MemTotal/ {printf "%.0f GiB RAM", $2/1048576}' /proc/meminfo), Linux $(uname -r)${OS:+ ($OS)}"
TOOLS="wrk $WRK_V, nginx $NGINX_V, node $NODE_V, $NUBIS_V"
log "machine: $MACHINE"
log "tools:   $TOOLS"

# ---- tokens and the body --------------------------------------------------------------------
TOKEN=$(head -c 300 /dev/urandom | LC_ALL=C tr -dc 'A-Za-z0-9_-' | head -c 40)
[ ${#TOKEN} = 40 ] || die "could not make a 40-character token"
export BENCH_TOKEN=$TOKEN
AUTH="Authorization: Bearer $TOKEN"
VERIFY=/client/v4/user/tokens/verify

# ---- Nubis ---------------------------------------------------------------------------------
# start_nubis NAME ACCESS_LOG(on|off) : fresh data dir, ports chosen by the kernel
declare -A URL_OF=()
start_nubis() {
  local name=$1 alog=$2 data=$TMP/$1-data base
  mkdir -m 700 "$data"
  # stdout (the one-time credentials banner) to NAME.log; stderr (the access log when on) to
  # NAME.stderr, opened for appending so that it can be truncated between runs.
  # shellcheck disable=SC2086
  env NUBIS_RATE_LIMIT=off NUBIS_ACCESS_LOG="$alog" NUBIS_ADMIN_API_TOKEN="$TOKEN" \
    "$NUBIS_BIN" serve --data-dir "$data" --listen 127.0.0.1:0 --delivery-listen 127.0.0.1:0 \
    $BENCH_NUBIS_ARGS > "$TMP/$name.log" 2>> "$TMP/$name.stderr" &
  BG_PIDS+=($!); PID_OF[$name]=$!
  wait_for 15 "$name to write server.json" \
    eval "kill -0 ${PID_OF[$name]} 2>/dev/null || die '$name exited (see log below)'; [ -s '$data/server.json' ] && grep -q api_base_url '$data/server.json'"
  base=$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1],"utf8")).api_base_url)' "$data/server.json")
  case $base in http://127.0.0.1:*/client/v4) ;; *) die "$name: unexpected api_base_url '$base'" ;; esac
  wait_for 15 "$name /healthz" eval "[ \"\$(http_code '${base%/client/v4}/healthz')\" = 200 ]"
  URL_OF[$name]=$base/user/tokens/verify
  log "started $name (pid ${PID_OF[$name]}, access log $alog) on ${base%/client/v4}"
}

for t in $NUBIS_TARGETS; do
  if [ "$t" = nubis ]; then start_nubis nubis off; else start_nubis nubis-log on; fi
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
start_nginx() {
  local p=$TMP/nginx port userline="" temps="" m
  mkdir -p "$p/conf" "$p/logs" "$p/tmp" "$p/html/client/v4/user/tokens"
  cp "$BODY" "$p/html/client/v4/user/tokens/verify"
  chmod -R a+rX "$p/html"
  if [ "$(id -u)" = 0 ]; then
    # As root the workers would switch to "nobody nobody"; Debian has no group nobody.
    if getent group nogroup >/dev/null; then userline="user nobody nogroup;"; else userline="user nobody;"; fi
  fi
  for m in client_body proxy fastcgi uwsgi scgi; do
    if [ "$m" = client_body ] || ! nginx -V 2>&1 | grep -q -- "--without-http_${m}_module"; then
      temps+="    ${m}_temp_path $p/tmp/$m;"$'\n'
    fi
  done
  port=$(free_port)
  cat > "$p/conf/nginx.conf" <<EOF
# generated by bench/run.sh
worker_processes auto;
pid $p/nginx.pid;
error_log $p/logs/error.log warn;
$userline
events { worker_connections 4096; }
http {
    access_log off;
    server_tokens off;
    sendfile on;
    tcp_nodelay on;
    keepalive_timeout 65;
    keepalive_requests 10000000;
    open_file_cache max=16 inactive=60s;
    open_file_cache_valid 60s;
$temps
    server {
        listen 127.0.0.1:$port;
        root $p/html;
        location = $VERIFY {
            default_type application/json;
            if (\$http_authorization != "Bearer $TOKEN") { return 401; }
        }
        location / { return 404; }
    }
}
EOF
  nginx -t -q -p "$p/" -c "$p/conf/nginx.conf" -e "$p/logs/error.log" 2>> "$TMP/nginx.log" \
    || die "nginx rejected its config: $(tail -n 3 "$TMP/nginx.log")"
  start_bg nginx nginx -p "$p/" -c "$p/conf/nginx.conf" -e "$p/logs/error.log" -g 'daemon off;'
  URL_OF[nginx]=http://127.0.0.1:$port$VERIFY
  wait_for 10 "nginx on port $port" eval "kill -0 ${PID_OF[nginx]} 2>/dev/null || die 'nginx exited'; [ \"\$(http_code '${URL_OF[nginx]}' -H '$AUTH')\" = 200 ]"
  log "started nginx (master pid ${PID_OF[nginx]}, workers: $(pgrep -P "${PID_OF[nginx]}" | tr '\n' ' ')) on 127.0.0.1:$port"
}
start_nginx

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
cpu_busy_ticks() { # user+nice+system of all CPUs (irq/softirq/steal left out)
  local u n s _
  read -r _ u n s _ < /proc/stat
  echo $(( u + n + s ))
}
proc_ticks() { # PID... -> utime+stime (all threads), in clock ticks
  local p line rest f sum=0
  for p in "$@"; do
    read -r line < "/proc/$p/stat" 2>/dev/null || continue
    rest=${line##*) }
    read -r -a f <<< "$rest"
    sum=$(( sum + f[11] + f[12] ))
  done
  echo "$sum"
}
status_kb() { # FIELD PID... -> sum of FIELD (VmRSS:, VmHWM:) in kB
  local field=$1 p k v _ sum=0; shift
  for p in "$@"; do
    [ -r "/proc/$p/status" ] || continue
    while read -r k v _; do
      if [ "$k" = "$field" ]; then sum=$(( sum + v )); break; fi
    done < "/proc/$p/status"
  done
  echo "$sum"
}
busy_pct() { # % of all CPUs busy over 1 s
  local a b t0 t1
  a=$(cpu_busy_ticks); t0=$(awk '/^cpu / {s=0; for (i=2;i<=NF;i++) s+=$i; print s}' /proc/stat)
  sleep 1
  b=$(cpu_busy_ticks); t1=$(awk '/^cpu / {s=0; for (i=2;i<=NF;i++) s+=$i; print s}' /proc/stat)
  [ "$t1" -gt "$t0" ] && echo $(( 100 * (b - a) / (t1 - t0) )) || echo 0
}
wait_quiet() { # leaves the last reading in PRE_BUSY
  local waited=0
  PRE_BUSY=$(busy_pct)
  while [ "$PRE_BUSY" -gt "$BENCH_QUIET_MAX" ] && [ "$waited" -lt "$BENCH_QUIET_WAIT" ]; do
    [ "$waited" = 0 ] && log "  CPUs ${PRE_BUSY}% busy before the run (not us?): waiting up to ${BENCH_QUIET_WAIT}s"
    sleep 2; waited=$(( waited + 3 ))
    PRE_BUSY=$(busy_pct)
  done
  return 0
}
# RSS sampler: every 0.1 s, sum of VmRSS of the PIDs; max written to OUT when STOP appears.
# Builtins only (read -t on a FIFO as the sleep), so it costs next to no CPU.
mkfifo "$TMP/tick"
rss_sampler() { # OUT STOP PID...
  local out=$1 stop=$2 max=0 cur n=0 fd p k v _; shift 2
  exec {fd}<> "$TMP/tick"
  while [ ! -e "$stop" ] && [ "$n" -lt 36000 ]; do
    cur=0
    for p in "$@"; do
      [ -r "/proc/$p/status" ] || continue
      while read -r k v _; do
        if [ "$k" = VmRSS: ]; then cur=$(( cur + v )); break; fi
      done < "/proc/$p/status"
    done
    [ "$cur" -gt "$max" ] && max=$cur
    n=$(( n + 1 ))
    read -r -t 0.1 -u "$fd" _ || true
  done
  echo "$max" > "$out"
}
to_ms() { # 1m2.345s -> 62345
  local m=${1%%m*} s=${1#*m}; s=${s%s}
  awk -v m="$m" -v s="$s" 'BEGIN {printf "%d", (m * 60 + s) * 1000 + 0.5}'
}

# wrk with its CPU time: `times` in the wrapper shell gives the children's user+sys.
WRK_TIMEOUT=$(( DUR_S + 20 ))
run_wrk() { # DURATION URL -> wrk's output, then "WRKCPU_TIMES" and the output of `times`
  # shellcheck disable=SC2016
  bash -c 'timeout -k 5 "$0" wrk "$@"; rc=$?; echo WRKCPU_TIMES; times; exit $rc' \
    "$WRK_TIMEOUT" -t"$BENCH_THREADS" -c"$BENCH_CONNECTIONS" -d"$1" --timeout 5s --latency \
    -s "$HERE/lib/wrk.lua" "$2" 2>&1
}

mkdir -p "$BENCH_RESULTS_DIR"
STAMP=$(date -u +%Y-%m-%d)
[ -e "$BENCH_RESULTS_DIR/$STAMP.md" ] && STAMP=$(date -u +%Y-%m-%d-%H%M%S)
OUT_MD=$BENCH_RESULTS_DIR/$STAMP.md
OUT_RAW=$BENCH_RESULTS_DIR/$STAMP.raw
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

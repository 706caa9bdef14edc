# Helpers shared by the bench scripts (bench/lib/{verify,render,warm,upload,dns}.sh). Sourced, not run.
#
# What every bench gets from here: a temporary directory and an EXIT trap that stops, by PID,
# every process the bench started (SIGTERM, then SIGKILL after 12 s), on success, failure,
# Ctrl-C or its time cap; a hard time cap (the script re-executes itself under timeout(1));
# Nubis started on a fresh data dir on 127.0.0.1 ports the kernel picks; CPU and memory readings
# from /proc; the noise guard (wait for quiet CPUs, measure the CPU other processes used).
# shellcheck shell=bash disable=SC2034  # a library: its globals are used by the scripts that source it

BENCH_LIB=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
HERE=$(cd "$BENCH_LIB/.." && pwd)

: "${BENCH_QUIET_MAX:=15}"
: "${BENCH_QUIET_WAIT:=30}"
: "${BENCH_FOREIGN_MAX_MS:=1000}"
: "${BENCH_MAX_RETRY:=2}"
: "${BENCH_RESULTS_DIR:=$HERE/results}"
: "${BENCH_NUBIS_ARGS:=}"
: "${BENCH_KEEP_TMP:=0}"

BENCH_NAME=${BENCH_NAME:-bench}
log() { printf '[%s %s] %s\n' "$BENCH_NAME" "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
need() { command -v "$1" >/dev/null 2>&1 || die "missing '$1' ($2)"; }
need_tools() { # NAME... : need() each, with where it comes from
  local t
  for t in "$@"; do
    case $t in
      node) need node "Node.js >= 18" ;;
      cc) need cc "apt-get install build-essential" ;;
      sync) need sync "coreutils" ;;
      nginx) need nginx "apt-get install nginx-light" ;;
      pgrep) need pgrep "apt-get install procps" ;;
      *) need "$t" "apt-get install $t" ;;
    esac
  done
}

# nubis_bin_arg "$@" : the bench script's first argument, the Nubis binary, as NUBIS_BIN (an
# absolute path); without it, or when it is not executable, the usage line and exit 2.
nubis_bin_arg() {
  if [ $# -lt 1 ] || [ ! -x "$1" ]; then
    echo "usage: $0 <path-to-nubis-binary> (build it first: make build)" >&2
    exit 2
  fi
  NUBIS_BIN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
}

to_seconds() { # 10s | 2m | 500ms | 7  -> whole seconds (rounded up)
  case $1 in
    *ms) echo $(( (${1%ms} + 999) / 1000 )) ;;
    *s) echo "${1%s}" ;;
    *m) echo $(( ${1%m} * 60 )) ;;
    *) echo "$1" ;;
  esac
}
to_ms() { # 1m2.345s (the format of `times`) -> 62345
  local m=${1%%m*} s=${1#*m}; s=${s%s}
  awk -v m="$m" -v s="$s" 'BEGIN {printf "%d", (m * 60 + s) * 1000 + 0.5}'
}

# self_cap SECONDS SCRIPT ARGS... : re-executes SCRIPT under timeout(1) once. --foreground keeps
# it in the caller's process group, so Ctrl-C still reaches it (and the EXIT trap).
self_cap() {
  local cap=$1 script=$2 var
  shift 2
  var=BENCH_CAPPED_$(basename "$script" .sh)
  if [ -z "${!var:-}" ]; then
    export "$var=$cap"
    exec timeout --foreground -k 30 "$cap" bash "$script" "$@"
  fi
}

# The servers get only the configuration stated by the bench.
for v in $(compgen -e | grep '^NUBIS_' || true); do unset "$v"; done

declare -a BG_PIDS=()
declare -A PID_OF=()
SAMPLER=""  # the RSS sampler of the run in progress, if any
EXTRA_CLEANUP=""  # a command run by cleanup() after the processes are stopped

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
  local rc=$? i f
  trap - EXIT INT TERM HUP
  if [ -n "$SAMPLER" ]; then kill "$SAMPLER" 2>/dev/null || true; wait "$SAMPLER" 2>/dev/null || true; fi
  for (( i=${#BG_PIDS[@]}-1; i>=0; i-- )); do stop_pid "${BG_PIDS[$i]}"; done
  if [ "$rc" != 0 ] && [ "$rc" != 129 ] && [ "$rc" != 130 ] && [ "$rc" != 143 ]; then
    for f in "$TMP"/*.stderr "$TMP"/*.log "$TMP"/*/logs/error.log; do
      [ -s "$f" ] || continue
      log "--- last lines of $f"; tail -n 15 "$f" >&2
    done
  fi
  if [ -n "$EXTRA_CLEANUP" ]; then eval "$EXTRA_CLEANUP" || true; fi
  if [ "$BENCH_KEEP_TMP" = 1 ]; then log "kept $TMP"; else rm -rf "$TMP"; fi
  exit "$rc"
}

# bench_init : the temporary directory, the traps, the FIFO the RSS sampler sleeps on.
bench_init() {
  TMP=$(mktemp -d "${TMPDIR:-/tmp}/nubis-bench-$BENCH_NAME.XXXXXX")
  chmod 755 "$TMP" # nginx workers (user nobody when started as root) read files under it
  trap cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  trap 'exit 129' HUP
  mkfifo "$TMP/tick"
}

# start_bg NAME cmd... : stdout+stderr to $TMP/NAME.log
start_bg() {
  local name=$1; shift
  "$@" > "$TMP/$name.log" 2>&1 &
  BG_PIDS+=($!); PID_OF[$name]=$!
}
# forget_pid PID : after stopping it by hand (stop_pid), so that cleanup does not wait for it
forget_pid() {
  local p keep=()
  for p in "${BG_PIDS[@]}"; do [ "$p" = "$1" ] || keep+=("$p"); done
  BG_PIDS=("${keep[@]+"${keep[@]}"}")
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

# ---- machine ---------------------------------------------------------------------------------
machine_info() { # sets MACHINE, NODE_V, WRK_V, NGINX_V, NUBIS_V, VIPS_V
  local cpu os
  cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
  # shellcheck disable=SC1091
  os=$(. /etc/os-release 2>/dev/null && echo "${PRETTY_NAME:-}")
  MACHINE="nproc $(nproc), ${cpu:-unknown CPU}, $(awk '/MemTotal/ {printf "%.0f GiB RAM", $2/1048576}' /proc/meminfo), Linux $(uname -r)${os:+ ($os)}"
  NODE_V=$(node --version 2>/dev/null || echo '?')
  WRK_V=$( (wrk -v 2>&1 || true) | awk 'NR==1 {print $2}')
  NGINX_V=$( (nginx -v 2>&1 || true) | sed 's/.*nginx\///')
  NUBIS_V=$( ("$NUBIS_BIN" version 2>/dev/null || echo "nubis ?") | awk 'NR==1')
  VIPS_V=$(pkg-config --modversion vips 2>/dev/null || (vips --version 2>/dev/null | sed 's/^vips-//') || echo '?')
}

# bench_workdir DIR KNOB : DIR, emptied (refused when it exists without the .nubis-bench marker of
# an earlier bench), as WORK (absolute), removed when the bench exits. DISK: its file system
# (type, device and mount point, mount options). A tmpfs makes fsync free: a warning that names
# KNOB, the setting that moves DIR.
bench_workdir() {
  local dir=$1 knob=$2 fs mount opts
  [ -e "$dir" ] && { [ -f "$dir/.nubis-bench" ] || die "$dir exists and is not ours: refusing to use it"; rm -rf "$dir"; }
  mkdir -p "$dir"
  touch "$dir/.nubis-bench"
  WORK=$(cd "$dir" && pwd)
  # shellcheck disable=SC2016  # expanded when cleanup() evals it
  EXTRA_CLEANUP='rm -rf "$WORK"'
  fs=$(findmnt -n -o FSTYPE -T "$WORK" 2>/dev/null || stat -f -c %T "$WORK")
  mount=$(df -P "$WORK" | awk 'NR == 2 {print $1 " on " $6}')
  opts=$(findmnt -n -o OPTIONS -T "$WORK" 2>/dev/null || echo '?')
  DISK="$fs, $mount ($opts)"
  log "work dir $WORK: $DISK"
  case $fs in tmpfs|ramfs) log "WARNING: $WORK is on $fs: fsync costs nothing there (set $knob to a directory on a disk)" ;; esac
}

log_machine() { # TOOLS : sets TOOLS (the tools' versions, for the tables) and logs it with MACHINE
  TOOLS=$1
  log "machine: $MACHINE"
  log "tools:   $TOOLS"
}

# ---- results ---------------------------------------------------------------------------------
# bench_outputs : OUT_MD and OUT_RAW for this bench, named after the run's stamp (run.sh passes
# BENCH_STAMP so that all benches of one run share it).
bench_outputs() {
  mkdir -p "$BENCH_RESULTS_DIR"
  local stamp=${BENCH_STAMP:-}
  if [ -z "$stamp" ]; then
    stamp=$(date -u +%Y-%m-%d)
    [ -e "$BENCH_RESULTS_DIR/$stamp-$BENCH_NAME.md" ] && stamp=$(date -u +%Y-%m-%d-%H%M%S)
  fi
  OUT_MD=$BENCH_RESULTS_DIR/$stamp-$BENCH_NAME.md
  OUT_RAW=$BENCH_RESULTS_DIR/$stamp-$BENCH_NAME.raw
}

# ---- tokens and Nubis ------------------------------------------------------------------------
make_token() { # -> TOKEN (40 characters), exported as BENCH_TOKEN
  TOKEN=$(head -c 300 /dev/urandom | LC_ALL=C tr -dc 'A-Za-z0-9_-' | head -c 40)
  [ ${#TOKEN} = 40 ] || die "could not make a 40-character token"
  export BENCH_TOKEN=$TOKEN
  AUTH="Authorization: Bearer $TOKEN"
}

json_field() { # FILE FIELD -> the top-level string field of a JSON file
  node -e 'const v=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8"))[process.argv[2]]; if (v===undefined) process.exit(1); console.log(v)' "$1" "$2"
}

# start_nubis NAME ACCESS_LOG(on|off) [DATA_DIR] : fresh data dir (default $TMP/NAME-data), ports
# chosen by the kernel, the bootstrap token's secret = $TOKEN. Sets API_OF[NAME] (…/client/v4),
# DELIVERY_OF[NAME], DATA_OF[NAME], ACCOUNT_OF[NAME], HASH_OF[NAME].
declare -A API_OF=() DELIVERY_OF=() DATA_OF=() ACCOUNT_OF=() HASH_OF=()
start_nubis() {
  local name=$1 alog=$2 data=${3:-$TMP/$1-data} base
  mkdir -m 700 "$data"
  # stdout (the one-time credentials banner) to NAME.log; stderr (the access log when on) to
  # NAME.stderr, opened for appending so that it can be truncated between runs.
  # shellcheck disable=SC2086
  env NUBIS_RATE_LIMIT=off NUBIS_ACCESS_LOG="$alog" NUBIS_ADMIN_API_TOKEN="$TOKEN" \
    "$NUBIS_BIN" serve --data-dir "$data" --listen 127.0.0.1:0 --delivery-listen 127.0.0.1:0 \
    $BENCH_NUBIS_ARGS > "$TMP/$name.log" 2>> "$TMP/$name.stderr" &
  BG_PIDS+=($!); PID_OF[$name]=$!
  wait_for 15 "$name to write server.json" \
    eval "kill -0 ${PID_OF[$name]} 2>/dev/null || die '$name exited (see log below)'; [ -s '$data/server.json' ] && grep -q delivery_base_url '$data/server.json'"
  base=$(json_field "$data/server.json" api_base_url)
  case $base in http://127.0.0.1:*/client/v4) ;; *) die "$name: unexpected api_base_url '$base'" ;; esac
  wait_for 15 "$name /healthz" eval "[ \"\$(http_code '${base%/client/v4}/healthz')\" = 200 ]"
  API_OF[$name]=$base
  DELIVERY_OF[$name]=$(json_field "$data/server.json" delivery_base_url)
  DATA_OF[$name]=$data
  ACCOUNT_OF[$name]=$(json_field "$data/bootstrap.json" account_id 2>/dev/null || true)
  HASH_OF[$name]=$(json_field "$data/bootstrap.json" account_hash 2>/dev/null || true)
  log "started $name (pid ${PID_OF[$name]}, access log $alog) on ${base%/client/v4}, delivery ${DELIVERY_OF[$name]}"
}

# nubis_upload NAME FILE ID : POST the file as a new image with that custom id; dies unless 200.
nubis_upload() {
  local name=$1 file=$2 id=$3 got
  got=$(curl -s --max-time 60 -o "$TMP/upload.out" -w '%{http_code}' -H "$AUTH" \
    -F "file=@$file" -F "id=$id" "${API_OF[$name]}/accounts/${ACCOUNT_OF[$name]}/images/v1") || true
  [ "$got" = 200 ] || die "$name: uploading $file as $id answered $got: $(head -c 300 "$TMP/upload.out")"
}
# nubis_flexible NAME : PATCH …/images/v1/config {"flexible_variants":true}
nubis_flexible() {
  local name=$1 got
  got=$(curl -s --max-time 10 -o "$TMP/config.out" -w '%{http_code}' -X PATCH -H "$AUTH" \
    -H 'Content-Type: application/json' -d '{"flexible_variants":true}' \
    "${API_OF[$name]}/accounts/${ACCOUNT_OF[$name]}/images/v1/config") || true
  if [ "$got" != 200 ] || ! grep -q '"flexible_variants":true' "$TMP/config.out"; then
    die "$name: enabling flexible variants answered $got: $(head -c 300 "$TMP/config.out")"
  fi
}

# ---- nginx ------------------------------------------------------------------------------------
# start_nginx NAME SERVER_DIRECTIVES : nginx from a generated config in $TMP/NAME (daemon off, pid
# file, error log and temp paths there, access log off, worker_processes auto, sendfile,
# open_file_cache, keepalive_requests 10000000), one server on a free 127.0.0.1 port with root
# $TMP/NAME/html and the given directives (locations). Put the files under $TMP/NAME/html first.
# Sets PID_OF[NAME] (the master) and PORT_OF[NAME]. Started as root, its workers run as nobody.
declare -A PORT_OF=()
start_nginx() {
  local name=$1 directives=$2 p=$TMP/$1 port userline="" temps="" m
  mkdir -p "$p/conf" "$p/logs" "$p/tmp" "$p/html"
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
# generated by bench/lib/common.sh for the $BENCH_NAME bench
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
    open_file_cache max=1024 inactive=60s;
    open_file_cache_valid 60s;
$temps
    server {
        listen 127.0.0.1:$port;
        root $p/html;
$directives
    }
}
EOF
  nginx -t -q -p "$p/" -c "$p/conf/nginx.conf" -e "$p/logs/error.log" 2>> "$TMP/$name.log" \
    || die "nginx rejected its config: $(tail -n 3 "$TMP/$name.log")"
  start_bg "$name" nginx -p "$p/" -c "$p/conf/nginx.conf" -e "$p/logs/error.log" -g 'daemon off;'
  PORT_OF[$name]=$port
}

# ---- CPU and memory --------------------------------------------------------------------------
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
# reset_hwm PID... : VmHWM := VmRSS (`echo 5 > /proc/PID/clear_refs`); false if not allowed
reset_hwm() {
  local p ok=0
  for p in "$@"; do { echo 5 > "/proc/$p/clear_refs"; } 2>/dev/null || ok=1; done
  return $ok
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

# ---- one measured run, with the noise guard --------------------------------------------------
# measure_guarded LABEL TIMEOUT_S : runs RUN_CMD (an array: the load generator, which prints one
# "BENCHJSON {...}" line) with WARM_CMD (array, may be empty) unrecorded just before it, the
# server PIDs in MEAS_PIDS (array). Before each attempt it waits for quiet CPUs; it measures the
# CPU time of the server PIDs, of the load generator (and its children: `times` in a wrapper
# shell) and of the whole machine; when other processes used more than BENCH_FOREIGN_MAX_MS of
# CPU it tries again (at most BENCH_MAX_RETRY times). Appends everything to OUT_RAW. Sets
# M_OUT (the generator's output), M_JSON (its BENCHJSON object, empty if none), M_SRV_MS,
# M_CLIENT_MS, M_FOREIGN_MS, M_RSS_KB (highest VmRSS sum sampled during the run), M_PRE_BUSY,
# M_TRIES. BEFORE_RUN (a command string, may be empty) is eval'ed before each attempt, after
# the quiet wait (e.g. to remove the files of the previous attempt).
declare -a WARM_CMD=() RUN_CMD=() MEAS_PIDS=()
BEFORE_RUN=""
measure_guarded() {
  local label=$1 tmo=$2 try s0 s1 p0 p1 cu cs
  for try in $(seq 0 "$BENCH_MAX_RETRY"); do
    if [ -n "$BEFORE_RUN" ]; then eval "$BEFORE_RUN"; fi
    wait_quiet
    if [ ${#WARM_CMD[@]} -gt 0 ]; then timeout -k 5 "$tmo" "${WARM_CMD[@]}" > /dev/null 2>&1 || true; fi
    rm -f "$TMP/rss.stop"
    rss_sampler "$TMP/rss.max" "$TMP/rss.stop" "${MEAS_PIDS[@]}" &
    SAMPLER=$!
    s0=$(cpu_busy_ticks); p0=$(proc_ticks "${MEAS_PIDS[@]}")
    # shellcheck disable=SC2016
    M_OUT=$(bash -c 'timeout -k 5 "$0" "$@"; rc=$?; echo WRKCPU_TIMES; times; exit $rc' \
      "$tmo" "${RUN_CMD[@]}" 2>&1) || true
    s1=$(cpu_busy_ticks); p1=$(proc_ticks "${MEAS_PIDS[@]}")
    touch "$TMP/rss.stop"; wait "$SAMPLER" 2>/dev/null || true; SAMPLER=""
    M_RSS_KB=$(cat "$TMP/rss.max" 2>/dev/null || echo 0)
    read -r cu cs <<< "$(sed -n '/^WRKCPU_TIMES$/{n;n;p}' <<< "$M_OUT")"
    M_CLIENT_MS=$(( $(to_ms "${cu:-0m0s}") + $(to_ms "${cs:-0m0s}") ))
    M_SRV_MS=$(( (p1 - p0) * 10 ))
    M_FOREIGN_MS=$(( (s1 - s0) * 10 - M_SRV_MS - M_CLIENT_MS ))
    [ "$M_FOREIGN_MS" -lt 0 ] && M_FOREIGN_MS=0
    M_PRE_BUSY=$PRE_BUSY
    M_TRIES=$(( try + 1 ))
    { echo; echo "## $label try $try (pre-run CPU busy ${PRE_BUSY}%, foreign CPU ${M_FOREIGN_MS} ms, server CPU ${M_SRV_MS} ms, client CPU ${M_CLIENT_MS} ms, VmRSS max ${M_RSS_KB} kB)"
      echo "# ${RUN_CMD[*]}"
      printf '%s\n' "$M_OUT"; } >> "$OUT_RAW"
    [ "$M_FOREIGN_MS" -le "$BENCH_FOREIGN_MAX_MS" ] && break
    [ "$try" -lt "$BENCH_MAX_RETRY" ] && log "  $label: other processes used ${M_FOREIGN_MS} ms CPU during the run: measuring again"
  done
  M_JSON=$(sed -n 's/^BENCHJSON //p' <<< "$M_OUT" | tail -1)
  return 0
}

#!/usr/bin/env bash
# DNS bench: the DNS records API of a zone holding 100,000 records.
#   seed   : the zone filled through POST …/dns_records/batch (200 posts per batch, a few batches
#            in flight, bench/lib/dns-seed.js), timed: records/s
#   list   : GET …/dns_records?per_page=100&page=1 and &page=1000 (the last page) under wrk, in the
#            default order (type) and with order=content and order=ttl; target of issue 5: page
#            1,000 within 2 × page 1 (p50 and p99). These repeat one GET: they measure the order
#            Nubis keeps while the database is unchanged (warm)
#   cold   : the first list after a write (the kept order dropped, the zone walked again): pages 1
#            and 1,000 in the default order, each GET right after a PATCH of one record's ttl in
#            the listed zone, one at a time (bench/lib/dns-cold.js); p50/p99 and the ratio
#   create : POST …/dns_records (A records, every name new) for a fixed time at 1 and 8 in flight,
#            each acknowledged after its commit is fsynced (SQLite WAL, synchronous=FULL), into a
#            second, empty zone of the same database; peers: the disk's own rate of small durable
#            writes (bench/lib/disk-fsync.c, 4 KiB): a new file + fsync each (the upload bench's
#            loop) and an overwrite in a file of fixed size + fdatasync (what a WAL commit does)
# The data dir is on the disk holding the repository by default (BENCH_DNS_DIR): a tmpfs would
# make fsync free.
#
#   bash bench/lib/dns.sh <path-to-nubis-binary>   (bench/run.sh runs it for BENCH_ONLY=dns)
#
# Knobs (environment), besides the common ones (bench/README.md):
#   BENCH_DNS_RECORDS            records in the listed zone                  (default 100000)
#   BENCH_DNS_SEED_BATCH         posts per batch (at most 200)               (default 200)
#   BENCH_DNS_SEED_CONCURRENCY   batches in flight while seeding             (default 4)
#   BENCH_DNS_PAGES              the pages listed (per_page 100)             (default 1,1000)
#   BENCH_DNS_ORDERS             list orders ("type" = the default order)   (default type,content,ttl)
#   BENCH_DNS_LIST_CONCURRENCY   wrk -c of the list runs                     (default 1,8)
#   BENCH_DNS_DURATION           one measured list run                       (default 4s)
#   BENCH_DNS_WARMUP             unrecorded list run before each one, 0=none (default 1s)
#   BENCH_DNS_ROUNDS             rounds of the list runs, order rotated      (default 2)
#   BENCH_DNS_COLD_REPEATS       cold GETs per page (each after a write)     (default 30)
#   BENCH_DNS_CREATE_CONCURRENCY creates in flight                           (default 1,8)
#   BENCH_DNS_CREATE_DURATION    one measured create run                     (default 6s)
#   BENCH_DNS_CREATE_WARMUP      unrecorded create run before each one       (default 1s)
#   BENCH_DNS_FSYNC_BYTES        bytes written per fsync by the disk peer    (default 4096)
#   BENCH_DNS_DIR                where the data goes   (default bench/.dns-work, removed after)
#   BENCH_DNS_MAX_SECONDS        hard cap for this script                    (default: derived)
set -euo pipefail

BENCH_NAME=dns
# shellcheck source=bench/lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
nubis_bin_arg "$@"

: "${BENCH_DNS_RECORDS:=100000}"
: "${BENCH_DNS_SEED_BATCH:=200}"
: "${BENCH_DNS_SEED_CONCURRENCY:=4}"
: "${BENCH_DNS_PAGES:=1,1000}"
: "${BENCH_DNS_ORDERS:=type,content,ttl}"
: "${BENCH_DNS_LIST_CONCURRENCY:=1,8}"
: "${BENCH_DNS_DURATION:=4s}"
: "${BENCH_DNS_WARMUP:=1s}"
: "${BENCH_DNS_ROUNDS:=2}"
: "${BENCH_DNS_COLD_REPEATS:=30}"
: "${BENCH_DNS_CREATE_CONCURRENCY:=1,8}"
: "${BENCH_DNS_CREATE_DURATION:=6s}"
: "${BENCH_DNS_CREATE_WARMUP:=1s}"
: "${BENCH_DNS_FSYNC_BYTES:=4096}"
: "${BENCH_DNS_DIR:=$HERE/.dns-work}"
PER_PAGE=100

read -r -a PAGES <<< "${BENCH_DNS_PAGES//,/ }"
read -r -a ORDERS <<< "${BENCH_DNS_ORDERS//,/ }"
read -r -a LCONCS <<< "${BENCH_DNS_LIST_CONCURRENCY//,/ }"
read -r -a CCONCS <<< "${BENCH_DNS_CREATE_CONCURRENCY//,/ }"
for c in "${PAGES[@]}" "${LCONCS[@]}" "${CCONCS[@]}" "$BENCH_DNS_RECORDS" "$BENCH_DNS_SEED_CONCURRENCY" "$BENCH_DNS_FSYNC_BYTES" "$BENCH_DNS_ROUNDS" "$BENCH_DNS_COLD_REPEATS"; do
  [[ $c =~ ^[1-9][0-9]*$ ]] || die "dns knobs: '$c' is not a positive number"
done
if ! [[ $BENCH_DNS_SEED_BATCH =~ ^[1-9][0-9]*$ ]] || [ "$BENCH_DNS_SEED_BATCH" -gt 200 ]; then die "BENCH_DNS_SEED_BATCH must be 1 to 200"; fi
for o in "${ORDERS[@]}"; do
  case $o in type|name|content|ttl|proxied) ;; *) die "BENCH_DNS_ORDERS: '$o' is not a list order (type, name, content, ttl, proxied)" ;; esac
done
DUR_S=$(to_seconds "$BENCH_DNS_DURATION")
WARM_S=0; [ "$BENCH_DNS_WARMUP" != 0 ] && WARM_S=$(to_seconds "$BENCH_DNS_WARMUP")
CDUR_S=$(to_seconds "$BENCH_DNS_CREATE_DURATION")
CWARM_S=0; [ "$BENCH_DNS_CREATE_WARMUP" != 0 ] && CWARM_S=$(to_seconds "$BENCH_DNS_CREATE_WARMUP")
NLIST=$(( ${#PAGES[@]} * ${#ORDERS[@]} * ${#LCONCS[@]} * BENCH_DNS_ROUNDS ))
NCREATE=$(( ${#CCONCS[@]} * 3 ))
self_cap "${BENCH_DNS_MAX_SECONDS:-$(( 300 + BENCH_DNS_RECORDS / 500 + (NLIST * (WARM_S + DUR_S + BENCH_QUIET_WAIT + 15) + NCREATE * (CWARM_S + CDUR_S + BENCH_QUIET_WAIT + 20) + BENCH_QUIET_WAIT + 120) * (1 + BENCH_MAX_RETRY) ))}" "${BASH_SOURCE[0]}" "$@"

need_tools wrk node curl cc sync
bench_init
machine_info
log_machine "wrk $WRK_V, node $NODE_V, $NUBIS_V, $(cc --version | head -1)"

# ---- the work dir, the disk ---------------------------------------------------------------------
bench_workdir "$BENCH_DNS_DIR" BENCH_DNS_DIR

cc -O2 -pthread -o "$TMP/disk-fsync" "$BENCH_LIB/disk-fsync.c" || die "cannot build bench/lib/disk-fsync.c"
head -c "$BENCH_DNS_FSYNC_BYTES" /dev/urandom > "$TMP/fsync.bin"

# ---- Nubis, the zones ----------------------------------------------------------------------------
make_token
start_nubis nubis off "$WORK/nubis-data"
API=${API_OF[nubis]}
ACCOUNT=${ACCOUNT_OF[nubis]}
NPID=${PID_OF[nubis]}
[ -n "$ACCOUNT" ] || die "no account_id in ${DATA_OF[nubis]}/bootstrap.json"

# api METHOD PATH [BODY] : the answer's body in $TMP/api.out, its HTTP status in API_CODE
api() {
  local args=(-s --max-time 120 -o "$TMP/api.out" -w '%{http_code}' -X "$1" -H "$AUTH")
  [ $# -ge 3 ] && args+=(-H 'Content-Type: application/json' --data-binary "$3")
  API_CODE=$(curl "${args[@]}" "$API$2") || API_CODE=000
}
jq_out() { # JS expression over the answer `j` -> stdout
  node -e 'const j = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); const v = eval(process.argv[2]); console.log(typeof v === "object" ? JSON.stringify(v) : v)' "$TMP/api.out" "$1"
}
make_zone() { # NAME -> the zone id on stdout
  api POST /zones "{\"name\":\"$1\",\"account\":{\"id\":\"$ACCOUNT\"}}"
  [ "$API_CODE" = 200 ] || die "creating zone $1 answered $API_CODE: $(head -c 300 "$TMP/api.out")"
  jq_out 'j.result.id'
}
ZONE_NAME=bench-dns.example
WZONE_NAME=bench-dns-w.example
ZONE_ID=$(make_zone "$ZONE_NAME")
WZONE_ID=$(make_zone "$WZONE_NAME")
log "zones: $ZONE_NAME ($ZONE_ID) to list, $WZONE_NAME ($WZONE_ID) to create into"

bench_outputs
JSONL=$TMP/runs.jsonl
: > "$JSONL"
{
  echo "# bench/lib/dns.sh raw output, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "# machine: $MACHINE"
  echo "# tools: $TOOLS"
  echo "# disk: $DISK"
  echo "# api: $API, zone $ZONE_NAME $ZONE_ID, write zone $WZONE_NAME $WZONE_ID"
} > "$OUT_RAW"

# ---- seeding -----------------------------------------------------------------------------------
wait_quiet
log "seeding $BENCH_DNS_RECORDS records: batches of $BENCH_DNS_SEED_BATCH, $BENCH_DNS_SEED_CONCURRENCY in flight"
p0=$(proc_ticks "$NPID"); s0=$(date +%s%N)
# In the background + wait (not a command substitution): a signal interrupts `wait` at once, and
# cleanup() stops the seeder by its PID.
start_bg seed timeout -k 5 $(( 60 + BENCH_DNS_RECORDS / 200 )) node "$BENCH_LIB/dns-seed.js" "$API" "$ZONE_ID" "$ZONE_NAME" \
  "$BENCH_DNS_RECORDS" "$BENCH_DNS_SEED_BATCH" "$BENCH_DNS_SEED_CONCURRENCY"
rc=0; wait "${PID_OF[seed]}" || rc=$?
forget_pid "${PID_OF[seed]}"
s1=$(date +%s%N); p1=$(proc_ticks "$NPID")
SEED_OUT=$(cat "$TMP/seed.log")
if [ "$rc" != 0 ]; then printf '%s\n' "$SEED_OUT" >> "$OUT_RAW"; die "seeding failed (exit $rc): $(tail -c 600 <<< "$SEED_OUT")"; fi
SEED_JSON=$(sed -n 's/^BENCHJSON //p' <<< "$SEED_OUT" | tail -1)
[ -n "$SEED_JSON" ] || die "the seeder gave no result: $SEED_OUT"
SEED_CPU_MS=$(( (p1 - p0) * 10 ))
{ echo; echo "## seed (server CPU ${SEED_CPU_MS} ms, wall $(( (s1 - s0) / 1000000 )) ms)"; printf '%s\n' "$SEED_OUT"; } >> "$OUT_RAW"
# shellcheck disable=SC2016
node -e 'const j = JSON.parse(process.argv[1]); console.error(`[dns] seeded ${j.requests} records in ${(j.duration_us / 1e6).toFixed(1)} s: ${Math.round(j.rps)} records/s, batch p50 ${(j.p50_us / 1000).toFixed(1)} ms p99 ${(j.p99_us / 1000).toFixed(1)} ms, server CPU ${(process.argv[2] * 1000 / j.requests).toFixed(1)} µs/record`)' "$SEED_JSON" "$SEED_CPU_MS"

db_bytes() { # the SQLite files of the data dir: main database, WAL
  local f main=0 wal=0
  for f in "${DATA_OF[nubis]}"/*.db "${DATA_OF[nubis]}"/*.sqlite "${DATA_OF[nubis]}"/*.sqlite3; do [ -f "$f" ] && main=$(( main + $(stat -c %s "$f") )); done
  for f in "${DATA_OF[nubis]}"/*-wal; do [ -f "$f" ] && wal=$(( wal + $(stat -c %s "$f") )); done
  echo "$main $wal"
}
read -r DB_MAIN DB_WAL <<< "$(db_bytes)"
log "database after seeding: $DB_MAIN bytes (+ WAL $DB_WAL)"

# ---- the lists answer what they should ---------------------------------------------------------
LAST_PAGE=$(( (BENCH_DNS_RECORDS + PER_PAGE - 1) / PER_PAGE ))
list_path() { # ORDER PAGE
  local q="per_page=$PER_PAGE&page=$2"
  [ "$1" != type ] && q+="&order=$1"
  echo "/zones/$ZONE_ID/dns_records?$q"
}
for o in "${ORDERS[@]}"; do
  for pg in "${PAGES[@]}"; do
    api GET "$(list_path "$o" "$pg")"
    [ "$API_CODE" = 200 ] || die "list order=$o page=$pg answered $API_CODE: $(head -c 300 "$TMP/api.out")"
    want=$PER_PAGE; [ "$pg" -gt "$LAST_PAGE" ] && want=0
    [ "$pg" = "$LAST_PAGE" ] && want=$(( BENCH_DNS_RECORDS - (LAST_PAGE - 1) * PER_PAGE ))
    got=$(jq_out "[j.result.length, j.result_info.total_count, j.result_info.page, j.result_info.count].join(' ')")
    [ "$got" = "$want $BENCH_DNS_RECORDS $pg $want" ] || die "list order=$o page=$pg: got (results total page count) '$got', want '$want $BENCH_DNS_RECORDS $pg $want'"
    # sorted by the order asked for, within the page
    sorted=$(jq_out "(() => { const k = (r) => r['$o']; for (let i = 1; i < j.result.length; i++) { const a = k(j.result[i - 1]), b = k(j.result[i]); if (typeof a === 'number' ? a > b : String(a) > String(b)) return 'no at ' + i; } return 'yes'; })()")
    [ "$sorted" = yes ] || die "list order=$o page=$pg is not sorted by $o ($sorted)"
  done
  log "order=$o: pages ${PAGES[*]} answer $PER_PAGE records each of $BENCH_DNS_RECORDS, sorted by $o"
done
api GET "$(list_path type $(( LAST_PAGE + 1 )))"
[ "$(jq_out 'j.result.length')" = 0 ] || die "page $(( LAST_PAGE + 1 )) is not empty"
# the record the cold runs write to: the first of page 1 in the default order (a new ttl does not
# move it), and its ttl
api GET "$(list_path type 1)"
read -r COLD_RECORD COLD_TTL <<< "$(jq_out "j.result[0].id + ' ' + j.result[0].ttl")"

# ---- measurement helpers -----------------------------------------------------------------------
wrk_validity() { # sets V_VALID, V_NON2XX, V_SOCKERR from M_OUT / M_JSON
  V_NON2XX=$(sed -n 's/^ *Non-2xx or 3xx responses: *\([0-9]*\).*/\1/p' <<< "$M_OUT" | tail -1)
  V_SOCKERR=$(sed -n 's/^ *Socket errors: *\(.*\)$/\1/p' <<< "$M_OUT" | tail -1)
  V_VALID=true
  [ -n "$V_NON2XX" ] && [ "$V_NON2XX" != 0 ] && V_VALID=false
  [ -n "$V_SOCKERR" ] && V_VALID=false
  if [ -z "$M_JSON" ]; then
    V_VALID=false; M_JSON='{"requests":0,"rps":0,"p50_us":0,"p99_us":0,"bytes":0,"err_status":0}'
    log "  no result:"; printf '%s\n' "$M_OUT" | tail -n 20 >&2
  fi
  return 0
}
wrk_threads() { [ "$1" -ge 2 ] && echo 2 || echo 1; }

measure_list() { # ORDER PAGE CONC ROUND
  local o=$1 pg=$2 c=$3 r=$4 url t
  url=$API$(list_path "$o" "$pg")
  t=$(wrk_threads "$c")
  MEAS_PIDS=("$NPID")
  WARM_CMD=()
  [ "$WARM_S" != 0 ] && WARM_CMD=(wrk -t"$t" -c"$c" -d"$BENCH_DNS_WARMUP" --timeout 10s -s "$BENCH_LIB/wrk.lua" "$url")
  RUN_CMD=(wrk -t"$t" -c"$c" -d"$BENCH_DNS_DURATION" --timeout 10s --latency -s "$BENCH_LIB/wrk.lua" "$url")
  BEFORE_RUN=""
  measure_guarded "list order=$o page=$pg c=$c round $r" $(( DUR_S + WARM_S + 60 ))
  wrk_validity
  printf '{"kind":"list","order":"%s","page":%d,"conc":%d,"round":%d,"valid":%s,"non2xx":%d,"socket_errors":"%s","pre_busy_pct":%d,"foreign_cpu_ms":%d,"server_cpu_ms":%d,"client_cpu_ms":%d,"rss_max_kb":%d,"tries":%d,"wrk":%s}\n' \
    "$o" "$pg" "$c" "$r" "$V_VALID" "${V_NON2XX:-0}" "$V_SOCKERR" "$M_PRE_BUSY" "$M_FOREIGN_MS" "$M_SRV_MS" "$M_CLIENT_MS" "$M_RSS_KB" "$M_TRIES" "$M_JSON" >> "$JSONL"
  # shellcheck disable=SC2016
  node -e '
    const j = JSON.parse(process.argv[1]); const w = j.wrk;
    const bad = j.valid ? "" : `  INVALID (non-2xx ${j.non2xx}${j.socket_errors ? ", socket errors " + j.socket_errors : ""})`;
    console.error(`[dns] list order=${j.order.padEnd(7)} page=${String(j.page).padEnd(5)} c=${j.conc}: ${w.rps.toFixed(1)} req/s  p50 ${(w.p50_us/1000).toFixed(2)} ms  p99 ${(w.p99_us/1000).toFixed(2)} ms  server CPU ${w.requests ? (j.server_cpu_ms / w.requests).toFixed(2) : "-"} ms/req  foreign CPU ${j.foreign_cpu_ms} ms${bad}`);
  ' "$(tail -1 "$JSONL")"
}

io_write_bytes() { awk '/^write_bytes:/ {print $2}' "/proc/$1/io" 2>/dev/null || echo 0; }
wzone_total() { # records in the write zone now
  api GET "/zones/$WZONE_ID/dns_records?per_page=1"
  [ "$API_CODE" = 200 ] || die "listing the write zone answered $API_CODE"
  jq_out 'j.result_info.total_count'
}
RUN_TAG=0
measure_create() { # TARGET CONC
  local tg=$1 c=$2 t wbytes=0 wrecs=0
  t=$(wrk_threads "$c")
  RUN_TAG=$(( RUN_TAG + 1 ))
  WARM_CMD=()
  if [ "$tg" != nubis ]; then
    # the disk's own loop; tg = new (a new file per fsync, as the upload bench) or overwrite
    # (rewrites in a file of fixed size + fdatasync, as a SQLite WAL commit)
    MEAS_PIDS=()
    mkdir -p "$WORK/disk"
    [ "$CWARM_S" != 0 ] && WARM_CMD=("$TMP/disk-fsync" "$WORK/disk/w" "$TMP/fsync.bin" "$c" "$CWARM_S" "$tg")
    RUN_CMD=("$TMP/disk-fsync" "$WORK/disk/r" "$TMP/fsync.bin" "$c" "$CDUR_S" "$tg")
    BEFORE_RUN="rm -rf '$WORK/disk/w' '$WORK/disk/r'; mkdir -p '$WORK/disk/w' '$WORK/disk/r'; sync"
  else
    MEAS_PIDS=("$NPID")
    [ "$CWARM_S" != 0 ] && WARM_CMD=(env BENCH_DNS_ZONE_NAME="$WZONE_NAME" BENCH_DNS_TAG="w$RUN_TAG" \
      wrk -t"$t" -c"$c" -d"$BENCH_DNS_CREATE_WARMUP" --timeout 10s -s "$BENCH_LIB/dns-create.lua" "$API/zones/$WZONE_ID/dns_records")
    RUN_CMD=(env BENCH_DNS_ZONE_NAME="$WZONE_NAME" BENCH_DNS_TAG="r$RUN_TAG" \
      wrk -t"$t" -c"$c" -d"$BENCH_DNS_CREATE_DURATION" --timeout 10s --latency -s "$BENCH_LIB/dns-create.lua" "$API/zones/$WZONE_ID/dns_records")
    # each attempt its own tag (a retry must not repeat the names of the attempt before), the
    # dirty pages of what ran before flushed first; then the write zone's record count and the
    # bytes Nubis has written so far (/proc/PID/io write_bytes: counted when pages are dirtied)
    # shellcheck disable=SC2016
    BEFORE_RUN='RUN_TAG=$(( RUN_TAG + 1 )); RUN_CMD[2]=BENCH_DNS_TAG=r$RUN_TAG; [ ${#WARM_CMD[@]} -gt 0 ] && WARM_CMD[2]=BENCH_DNS_TAG=w$RUN_TAG; sync; WT0=$(wzone_total); WB0=$(io_write_bytes "$NPID")'
  fi
  WB0=0; WT0=0
  measure_guarded "create $tg c=$c" $(( CDUR_S + CWARM_S + 60 ))
  BEFORE_RUN=""
  # bytes written per record created, over the warm-up and the run of the last attempt
  if [ "$tg" = nubis ]; then wbytes=$(( $(io_write_bytes "$NPID") - WB0 )); wrecs=$(( $(wzone_total) - WT0 )); fi
  wrk_validity
  printf '{"kind":"create","target":"%s","conc":%d,"round":1,"valid":%s,"non2xx":%d,"socket_errors":"%s","pre_busy_pct":%d,"foreign_cpu_ms":%d,"server_cpu_ms":%d,"client_cpu_ms":%d,"rss_max_kb":%d,"tries":%d,"write_bytes":%d,"write_records":%d,"wrk":%s}\n' \
    "$tg" "$c" "$V_VALID" "${V_NON2XX:-0}" "$V_SOCKERR" "$M_PRE_BUSY" "$M_FOREIGN_MS" "$M_SRV_MS" "$M_CLIENT_MS" "$M_RSS_KB" "$M_TRIES" "$wbytes" "$wrecs" "$M_JSON" >> "$JSONL"
  # shellcheck disable=SC2016
  node -e '
    const j = JSON.parse(process.argv[1]); const w = j.wrk;
    const bad = j.valid ? "" : `  INVALID (non-2xx ${j.non2xx}${j.socket_errors ? ", socket errors " + j.socket_errors : ""}, failed ${w.err_status})`;
    const disk = j.target !== "nubis";
    const what = disk ? `fsync ${j.target.padEnd(9)}` : "nubis          ";
    console.error(`[dns] create ${what} c=${j.conc}: ${w.rps.toFixed(1)} ${disk ? "fsyncs/s" : "records/s"}  p50 ${(w.p50_us/1000).toFixed(2)} ms  p99 ${(w.p99_us/1000).toFixed(2)} ms  server CPU ${w.requests && !disk ? (j.server_cpu_ms / w.requests).toFixed(2) + " ms/record" : "-"}  foreign CPU ${j.foreign_cpu_ms} ms${bad}`);
  ' "$(tail -1 "$JSONL")"
}

# ---- list runs ---------------------------------------------------------------------------------
log "list runs: orders ${ORDERS[*]}, pages ${PAGES[*]} (per_page $PER_PAGE), wrk -c ${LCONCS[*]}, $BENCH_DNS_DURATION each (warm-up $BENCH_DNS_WARMUP), $BENCH_DNS_ROUNDS round(s)"
k=0
for r in $(seq 1 "$BENCH_DNS_ROUNDS"); do
  for c in "${LCONCS[@]}"; do
    for o in "${ORDERS[@]}"; do
      # the pages of one order one after the other, their order rotated per round
      n=${#PAGES[@]}
      for i in $(seq 0 $(( n - 1 ))); do measure_list "$o" "${PAGES[$(( (i + k) % n ))]}" "$c" "$r"; done
    done
  done
  k=$(( k + 1 ))
done

# ---- cold lists --------------------------------------------------------------------------------
log "cold lists: pages ${PAGES[*]} (default order), $BENCH_DNS_COLD_REPEATS GETs each, each right after a PATCH of record $COLD_RECORD's ttl"
MEAS_PIDS=("$NPID")
WARM_CMD=()
RUN_CMD=(node "$BENCH_LIB/dns-cold.js" "$API" "$ZONE_ID" "$COLD_RECORD" "$COLD_TTL" "$BENCH_DNS_RECORDS" "$PER_PAGE" "$BENCH_DNS_COLD_REPEATS" "${PAGES[@]}")
BEFORE_RUN=""
measure_guarded "cold lists" $(( 120 + BENCH_DNS_COLD_REPEATS * ${#PAGES[@]} ))
grep '^\[dns\] cold' <<< "$M_OUT" >&2 || log "  cold lists: no result: $(tail -c 600 <<< "$M_OUT")"
COLD_VALID=true; [ -n "$M_JSON" ] || { COLD_VALID=false; M_JSON=null; }
printf '{"kind":"cold","valid":%s,"pre_busy_pct":%d,"foreign_cpu_ms":%d,"server_cpu_ms":%d,"client_cpu_ms":%d,"tries":%d,"record":"%s","cold":%s}\n' \
  "$COLD_VALID" "$M_PRE_BUSY" "$M_FOREIGN_MS" "$M_SRV_MS" "$M_CLIENT_MS" "$M_TRIES" "$COLD_RECORD" "$M_JSON" >> "$JSONL"

# ---- create runs -------------------------------------------------------------------------------
log "create runs: POST …/dns_records at ${CCONCS[*]} in flight, $BENCH_DNS_CREATE_DURATION each (warm-up $BENCH_DNS_CREATE_WARMUP); peers: $BENCH_DNS_FSYNC_BYTES-byte write + fsync per new file, $BENCH_DNS_FSYNC_BYTES-byte overwrite + fdatasync"
CTARGETS=(overwrite nubis new)
k=0
for c in "${CCONCS[@]}"; do
  for i in 0 1 2; do measure_create "${CTARGETS[$(( (i + k) % 3 ))]}" "$c"; done
  k=$(( k + 1 ))
done
WZONE_TOTAL=$(wzone_total)
api GET "/zones/$ZONE_ID/dns_records?per_page=1"
[ "$(jq_out 'j.result_info.total_count')" = "$BENCH_DNS_RECORDS" ] || die "the listed zone no longer holds $BENCH_DNS_RECORDS records"
api GET "/zones/$ZONE_ID/dns_records/$COLD_RECORD"
[ "$(jq_out 'j.result.ttl')" = "$COLD_TTL" ] || log "WARNING: record $COLD_RECORD did not get its ttl $COLD_TTL back after the cold lists"
read -r DB_MAIN2 DB_WAL2 <<< "$(db_bytes)"
log "the write zone holds $WZONE_TOTAL records (warm-ups included); database now $DB_MAIN2 bytes (+ WAL $DB_WAL2)"
kill -0 "$NPID" 2>/dev/null || die "nubis (pid $NPID) is no longer running"

META=$TMP/meta.json
node -e '
  const a = process.argv.slice(1);
  const [date, machine, tools, disk, records, zone, seed, seedCpu, dbMain, dbWal, perPage, pages, orders, lconcs, dur, warm, rounds,
    cconcs, cdur, cwarm, fsyncBytes, wtotal, foreign, coldRepeats] = a;
  const nums = (s) => s.split(" ").map(Number);
  console.log(JSON.stringify({ date, machine, tools, disk, records: Number(records), zone, seed: JSON.parse(seed), seed_server_cpu_ms: Number(seedCpu),
    db_bytes: Number(dbMain), wal_bytes: Number(dbWal), per_page: Number(perPage), pages: nums(pages), orders: orders.split(" "),
    list_concs: nums(lconcs), duration: dur, warmup: warm, rounds: Number(rounds), create_concs: nums(cconcs), create_duration: cdur,
    create_warmup: cwarm, fsync_bytes: Number(fsyncBytes), write_zone_total: Number(wtotal), foreign_max_ms: Number(foreign),
    cold_repeats: Number(coldRepeats) }));
' "$(date -u +%Y-%m-%d\ %H:%M\ UTC)" "$MACHINE" "$TOOLS" "$DISK" "$BENCH_DNS_RECORDS" "$ZONE_NAME" "$SEED_JSON" "$SEED_CPU_MS" \
  "$DB_MAIN" "$DB_WAL" "$PER_PAGE" "${PAGES[*]}" "${ORDERS[*]}" "${LCONCS[*]}" "$BENCH_DNS_DURATION" "$BENCH_DNS_WARMUP" "$BENCH_DNS_ROUNDS" \
  "${CCONCS[*]}" "$BENCH_DNS_CREATE_DURATION" "$BENCH_DNS_CREATE_WARMUP" "$BENCH_DNS_FSYNC_BYTES" "$WZONE_TOTAL" "$BENCH_FOREIGN_MAX_MS" "$BENCH_DNS_COLD_REPEATS" > "$META"
{ echo; echo "## runs (JSON lines)"; cat "$JSONL"; echo "## meta"; cat "$META"; } >> "$OUT_RAW"

node "$BENCH_LIB/dns-report.js" "$JSONL" "$META" > "$OUT_MD"
echo
cat "$OUT_MD"
log "table written to $OUT_MD, raw output to $OUT_RAW"

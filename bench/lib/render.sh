#!/usr/bin/env bash
# Render bench (a): cold variant rendering. Every photo of the corpus (bench/lib/corpus.sh) to a
# 1024 px wide JPEG q85, WebP and AVIF, through Nubis flexible variants on its delivery listener
#   GET /<account_hash>/<id>/w=1024,quality=85,format=jpeg,background=%23xxxxxx
# side by side in the same run with
#   sharp         : bench/lib/image-server.js, node:http + sharp (bench/package-lock.json), the same
#                   URLs, the same encoder parameters, no cache
#   vipsthumbnail : Debian's libvips-tools, one process per image (bench/lib/proc-load.js)
# at concurrency 2 and 8 (wrk -t1 -cN; N vipsthumbnail processes at a time). Then the peak
# resident memory with 4 large decodes requested at once (4096x4096 originals, -c4), as VmHWM.
#
# "Cold": every request names a variant no earlier request of the bench named, so Nubis renders
# each one (its rendered-variant cache is keyed by the canonical options): wrk appends
# ",background=%23xxxxxx" with a number no other request used. `background` only paints
# transparent pixels (flattening for JPEG, the padding of fit=pad); the corpus is opaque and the
# fit is scale-down, so it changes the cache key and nothing of the work. What stays warm, for
# every target alike: the original's bytes in the page cache, libvips' and the codecs' code.
#
#   bash bench/lib/render.sh <path-to-nubis-binary>   (bench/run.sh runs it for BENCH_ONLY=render)
#
# Knobs (environment), besides the common ones (bench/README.md):
#   BENCH_RENDER_FORMATS       formats                           (default jpeg,webp,avif)
#   BENCH_RENDER_CONCURRENCY   concurrency levels                (default 2,8)
#   BENCH_RENDER_DURATION      one measured run, JPEG and WebP   (default 8s)
#   BENCH_RENDER_AVIF_DURATION one measured run, AVIF            (default 12s)
#   BENCH_RENDER_WARMUP        unrecorded run before each one    (default 2s, 0 = none)
#   BENCH_RENDER_ROUNDS        rounds (targets in rotated order) (default 1)
#   BENCH_RENDER_VIPSTHUMBNAIL 1 = measure vipsthumbnail too     (default 1)
#   BENCH_RENDER_MEM_DURATION  the 4-large-decodes memory run, 0 = skip (default 10s)
#   BENCH_CORPUS_DIR           the corpus                        (default bench/corpus-cache)
#   BENCH_RENDER_MAX_SECONDS   hard cap for this script          (default: derived)
set -euo pipefail

BENCH_NAME=render
# shellcheck source=bench/lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
nubis_bin_arg "$@"

: "${BENCH_RENDER_FORMATS:=jpeg,webp,avif}"
: "${BENCH_RENDER_CONCURRENCY:=2,8}"
: "${BENCH_RENDER_DURATION:=8s}"
: "${BENCH_RENDER_AVIF_DURATION:=12s}"
: "${BENCH_RENDER_WARMUP:=2s}"
: "${BENCH_RENDER_ROUNDS:=1}"
: "${BENCH_RENDER_VIPSTHUMBNAIL:=1}"
: "${BENCH_RENDER_MEM_DURATION:=10s}"
: "${BENCH_CORPUS_DIR:=$HERE/corpus-cache}"

read -r -a FORMATS <<< "${BENCH_RENDER_FORMATS//,/ }"
read -r -a CONCS <<< "${BENCH_RENDER_CONCURRENCY//,/ }"
for f in "${FORMATS[@]}"; do case $f in jpeg|webp|avif) ;; *) die "BENCH_RENDER_FORMATS: unknown format '$f'" ;; esac; done
for c in "${CONCS[@]}"; do [[ $c =~ ^[1-9][0-9]*$ ]] || die "BENCH_RENDER_CONCURRENCY: '$c' is not a number"; done
DUR_S=$(to_seconds "$BENCH_RENDER_DURATION")
AVIF_S=$(to_seconds "$BENCH_RENDER_AVIF_DURATION")
WARM_S=0; [ "$BENCH_RENDER_WARMUP" != 0 ] && WARM_S=$(to_seconds "$BENCH_RENDER_WARMUP")
MEM_S=0; [ "$BENCH_RENDER_MEM_DURATION" != 0 ] && MEM_S=$(to_seconds "$BENCH_RENDER_MEM_DURATION")
TARGETS=(nubis sharp)
[ "$BENCH_RENDER_VIPSTHUMBNAIL" = 1 ] && TARGETS+=(vipsthumbnail)
RUN_S=$(( DUR_S > AVIF_S ? DUR_S : AVIF_S ))
self_cap "${BENCH_RENDER_MAX_SECONDS:-$(( 300 + BENCH_RENDER_ROUNDS * ${#FORMATS[@]} * ${#CONCS[@]} * ${#TARGETS[@]} * (WARM_S + RUN_S + 40) * (1 + BENCH_MAX_RETRY) + 2 * (MEM_S + 60) ))}" "${BASH_SOURCE[0]}" "$@"

need wrk "apt-get install wrk"
need node "Node.js >= 20"
need curl "apt-get install curl"
need vipsheader "apt-get install libvips-tools"
[ "$BENCH_RENDER_VIPSTHUMBNAIL" = 1 ] && need vipsthumbnail "apt-get install libvips-tools"
[ -f "$HERE/node_modules/sharp/package.json" ] || die "sharp is not installed in bench/node_modules (bench/run.sh installs it: cd bench && npm ci)"

bench_init
machine_info
# shellcheck disable=SC2016  # JavaScript / eval text, expanded later on purpose
SHARP_V=$(node -e 'const s=require(process.argv[1]); console.log(`sharp ${s.versions.sharp} (libvips ${s.versions.vips})`)' "$HERE/node_modules/sharp")
VT_V=$( (vipsthumbnail --vips-version 2>/dev/null || echo '?') | head -1)
log_machine "wrk $WRK_V, node $NODE_V, $SHARP_V, $NUBIS_V (Debian libvips $VIPS_V), vipsthumbnail ($VT_V)"

# ---- corpus ----------------------------------------------------------------------------------
bash "$BENCH_LIB/corpus.sh" "$BENCH_CORPUS_DIR"
mapfile -t IDS < <(awk -F'\t' 'NR > 1 {print $1}' "$BENCH_CORPUS_DIR/MANIFEST.tsv")
[ ${#IDS[@]} -gt 0 ] || die "empty corpus in $BENCH_CORPUS_DIR"
LARGE_IDS=()
while IFS=$'\t' read -r id w h; do
  [ $(( w * h )) -ge 16000000 ] && LARGE_IDS+=("$id")
done < <(awk -F'\t' 'NR > 1 {print $1 "\t" $3 "\t" $4}' "$BENCH_CORPUS_DIR/MANIFEST.tsv")
CORPUS_DESC=$(awk -F'\t' 'NR > 1 {n++; mp += $3 * $4 / 1e6; b += $5} END {printf "%d JPEGs, %.1f MP and %.2f MB on average", n, mp / n, b / n / 1e6}' "$BENCH_CORPUS_DIR/MANIFEST.tsv")
log "corpus: $CORPUS_DESC; large (>= 16 MP): ${LARGE_IDS[*]:-none}"

# ---- Nubis, with the corpus uploaded under custom ids (= the file names) -----------------------
make_token
start_nubis nubis off
for id in "${IDS[@]}"; do nubis_upload nubis "$BENCH_CORPUS_DIR/$id.jpg" "$id"; done
nubis_flexible nubis
HASH=${HASH_OF[nubis]}
declare -A BASE_OF=()
BASE_OF[nubis]=${DELIVERY_OF[nubis]}
log "uploaded ${#IDS[@]} images to Nubis, flexible variants on"

# ---- sharp ---------------------------------------------------------------------------------
start_bg sharp env CORPUS_DIR="$BENCH_CORPUS_DIR" PORT=0 node "$BENCH_LIB/image-server.js"
wait_for 15 "the sharp server to listen" eval "kill -0 ${PID_OF[sharp]} 2>/dev/null || die 'the sharp server exited'; grep -q '^listening ' '$TMP/sharp.log'"
BASE_OF[sharp]=http://127.0.0.1:$(sed -n 's/^listening //p' "$TMP/sharp.log" | head -1)
log "started sharp (pid ${PID_OF[sharp]}) on ${BASE_OF[sharp]}: $(sed -n 2p "$TMP/sharp.log")"

# ---- paths, and the same answer from each target ---------------------------------------------
opts() { echo "w=1024,quality=85,format=$1"; }
for f in "${FORMATS[@]}"; do
  for id in "${IDS[@]}"; do echo "/$HASH/$id/$(opts "$f")"; done > "$TMP/paths-$f.txt"
  for id in "${LARGE_IDS[@]}"; do echo "/$HASH/$id/$(opts "$f")"; done > "$TMP/paths-large-$f.txt"
done
# Bust numbers: each wrk run gets its own block of 2^16 (no run makes that many requests).
NEXT_BUST=$(( 1 << 16 ))
next_bust() { BUST=$NEXT_BUST; NEXT_BUST=$(( NEXT_BUST + (1 << 16) )); }

declare -A MIME=([jpeg]=image/jpeg [webp]=image/webp [avif]=image/avif)
for f in "${FORMATS[@]}"; do
  for t in nubis sharp; do
    for id in "${IDS[0]}" "${IDS[-1]}"; do
      url="${BASE_OF[$t]}/$HASH/$id/$(opts "$f"),background=%23fffffe"
      got=$(curl -s --max-time 60 -o "$TMP/check.$f" -w '%{http_code} %{content_type}' "$url") || true
      [ "$got" = "200 ${MIME[$f]}" ] || die "$t answered '$got' to $url: $(head -c 200 "$TMP/check.$f")"
      w=$(vipsheader -f width "$TMP/check.$f" 2>/dev/null) || die "$t: $url is not a readable image"
      [ "$w" = 1024 ] || die "$t: $url is $w px wide, not 1024"
      log "$t $f $id: 200 ${MIME[$f]}, 1024x$(vipsheader -f height "$TMP/check.$f" 2>/dev/null), $(wc -c < "$TMP/check.$f") bytes"
    done
  done
done
# A cached variant answers in well under 5 ms; a cold one takes tens of ms or more. Check that
# the bust suffix really makes Nubis render (the request above was the first of its kind).
t_hit=$(curl -s -o /dev/null -w '%{time_total}' "${BASE_OF[nubis]}/$HASH/${IDS[0]}/$(opts "${FORMATS[0]}"),background=%23fffffe")
t_miss=$(curl -s -o /dev/null -w '%{time_total}' "${BASE_OF[nubis]}/$HASH/${IDS[0]}/$(opts "${FORMATS[0]}"),background=%23fffffd")
log "nubis: the same variant again ${t_hit}s (cached), with another background ${t_miss}s (rendered)"
awk -v h="$t_hit" -v m="$t_miss" 'BEGIN {exit !(m > 4 * h)}' \
  || log "WARNING: a new background= did not look like a cache miss (${t_miss}s vs ${t_hit}s)"

# ---- measurements ----------------------------------------------------------------------------
bench_outputs
JSONL=$TMP/runs.jsonl
: > "$JSONL"
{
  echo "# bench/lib/render.sh raw output, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "# machine: $MACHINE"
  echo "# tools: $TOOLS"
  echo "# corpus: $CORPUS_DESC ($BENCH_CORPUS_DIR)"
  for t in nubis sharp; do echo "# $t: ${BASE_OF[$t]}"; done
} > "$OUT_RAW"

declare -A IDLE_RSS=()
HWM_RESET=true
for t in nubis sharp; do
  IDLE_RSS[$t]=$(status_kb VmRSS: "${PID_OF[$t]}")
  reset_hwm "${PID_OF[$t]}" || HWM_RESET=false
done

# measure TARGET FORMAT CONC ROUND PHASE(run|mem) DURATION_S
measure() {
  local t=$1 f=$2 c=$3 r=$4 phase=$5 d=$6 paths valid=true non2xx sockerr hwm srv json label
  paths=$TMP/paths-$f.txt
  [ "$phase" = mem ] && paths=$TMP/paths-large-$f.txt
  label="$phase $t $f c=$c round $r"
  WARM_CMD=()
  if [ "$t" = vipsthumbnail ]; then
    MEAS_PIDS=()
    mapfile -t files < <(sed 's|^/[^/]*/\([^/]*\)/.*|\1|' "$paths" | sed "s|^|$BENCH_CORPUS_DIR/|; s|$|.jpg|")
    if [ "$WARM_S" != 0 ]; then WARM_CMD=(node "$BENCH_LIB/proc-load.js" "$f" "$c" "$WARM_S" "$TMP/vt-out" "${files[@]}"); fi
    RUN_CMD=(node "$BENCH_LIB/proc-load.js" "$f" "$c" "$d" "$TMP/vt-out" "${files[@]}")
  else
    MEAS_PIDS=("${PID_OF[$t]}")
    if [ "$WARM_S" != 0 ]; then
      next_bust
      WARM_CMD=(env BENCH_PATHS_FILE="$paths" BENCH_BUST="$BUST" wrk -t1 -c"$c" -d"${WARM_S}s" --timeout 60s -s "$BENCH_LIB/paths.lua" "${BASE_OF[$t]}")
    fi
    next_bust
    RUN_CMD=(env BENCH_PATHS_FILE="$paths" BENCH_BUST="$BUST" wrk -t1 -c"$c" -d"${d}s" --timeout 60s --latency -s "$BENCH_LIB/paths.lua" "${BASE_OF[$t]}")
  fi
  [ "$phase" = mem ] && reset_hwm "${MEAS_PIDS[@]}"
  measure_guarded "$label" $(( d + WARM_S + 90 ))
  json=$M_JSON
  non2xx=$(sed -n 's/^ *Non-2xx or 3xx responses: *\([0-9]*\).*/\1/p' <<< "$M_OUT" | tail -1)
  sockerr=$(sed -n 's/^ *Socket errors: *\(.*\)$/\1/p' <<< "$M_OUT" | tail -1)
  if [ -z "$json" ]; then
    valid=false; json='{"requests":0,"rps":0,"p50_us":0,"p99_us":0,"bytes":0}'
    log "  $label: no result:"; printf '%s\n' "$M_OUT" | tail -n 20 >&2
  fi
  [ -n "$non2xx" ] && [ "$non2xx" != 0 ] && valid=false
  [ -n "$sockerr" ] && valid=false
  srv=$M_SRV_MS
  if [ "$t" = vipsthumbnail ]; then
    srv=$(node -e 'console.log(JSON.parse(process.argv[1]).children_cpu_ms || 0)' "$json")
    node -e 'process.exit(JSON.parse(process.argv[1]).err_status > 0 ? 1 : 0)' "$json" || valid=false
  fi
  hwm=0; [ ${#MEAS_PIDS[@]} -gt 0 ] && hwm=$(status_kb VmHWM: "${MEAS_PIDS[@]}")
  printf '{"bench":"render","phase":"%s","target":"%s","format":"%s","conc":%d,"round":%d,"valid":%s,"non2xx":%d,"socket_errors":"%s","pre_busy_pct":%d,"foreign_cpu_ms":%d,"server_cpu_ms":%d,"client_cpu_ms":%d,"rss_max_kb":%d,"hwm_kb":%d,"tries":%d,"wrk":%s}\n' \
    "$phase" "$t" "$f" "$c" "$r" "$valid" "${non2xx:-0}" "$sockerr" "$M_PRE_BUSY" "$M_FOREIGN_MS" "$srv" "$M_CLIENT_MS" "$M_RSS_KB" "$hwm" "$M_TRIES" "$json" >> "$JSONL"
  # shellcheck disable=SC2016  # JavaScript / eval text, expanded later on purpose
  node -e '
    const j = JSON.parse(process.argv[1]); const w = j.wrk;
    const bad = j.valid ? "" : `  INVALID (non-2xx/failed ${j.non2xx || w.err_status}${j.socket_errors ? ", socket errors " + j.socket_errors : ""})`;
    console.error(`[render] ${j.phase} ${j.target.padEnd(13)} ${j.format} c=${j.conc} r${j.round}: ${w.rps.toFixed(2)} img/s (${w.requests})  p50 ${(w.p50_us/1000).toFixed(1)} ms  p99 ${(w.p99_us/1000).toFixed(1)} ms  CPU ${w.requests ? (j.server_cpu_ms / w.requests).toFixed(0) : "-"} ms/img  RSS max ${(j.rss_max_kb/1024).toFixed(0)} MiB${j.hwm_kb ? ", HWM " + (j.hwm_kb/1024).toFixed(0) + " MiB" : ""}  foreign CPU ${j.foreign_cpu_ms} ms${bad}`);
  ' "$(tail -1 "$JSONL")"
}

log "measuring: formats ${FORMATS[*]}, concurrency ${CONCS[*]}, ${BENCH_RENDER_DURATION} per run (AVIF ${BENCH_RENDER_AVIF_DURATION}), warm-up ${BENCH_RENDER_WARMUP}, $BENCH_RENDER_ROUNDS round(s), targets ${TARGETS[*]}"
n=${#TARGETS[@]}
k=0
for r in $(seq 1 "$BENCH_RENDER_ROUNDS"); do
  for f in "${FORMATS[@]}"; do
    d=$DUR_S; [ "$f" = avif ] && d=$AVIF_S
    for c in "${CONCS[@]}"; do
      for i in $(seq 0 $(( n - 1 ))); do
        measure "${TARGETS[$(( (i + k) % n ))]}" "$f" "$c" "$r" run "$d"
      done
      k=$(( k + 1 ))
    done
  done
done
declare -A RUN_HWM=()
for t in nubis sharp; do RUN_HWM[$t]=$(status_kb VmHWM: "${PID_OF[$t]}"); done

# 4 large decodes in flight: -c4 over the >= 16 MP originals, VmHWM reset just before. sharp
# renders all four at once (libuv's 4 threads); Nubis one per core (its render pool), the rest
# wait in its queue.
if [ "$MEM_S" != 0 ] && [ ${#LARGE_IDS[@]} -gt 0 ]; then
  log "memory: 4 large decodes in flight (${LARGE_IDS[*]}), ${MEM_S}s per target"
  for t in nubis sharp; do measure "$t" jpeg 4 1 mem "$MEM_S"; done
fi

META=$TMP/meta.json
node -e '
  const [date, machine, tools, corpus, formats, concs, dur, avif, warm, rounds, hwmReset, foreign, idle, runHwm, large] = process.argv.slice(1);
  console.log(JSON.stringify({ date, machine, tools, corpus, formats: formats.split(" "), concs: concs.split(" ").map(Number),
    duration: dur, avif_duration: avif, warmup: warm, rounds: Number(rounds), hwm_reset: hwmReset === "true",
    foreign_max_ms: Number(foreign), idle_kb: JSON.parse(idle), run_hwm_kb: JSON.parse(runHwm), large: large.split(" ").filter(Boolean) }));
' "$(date -u +%Y-%m-%d\ %H:%M\ UTC)" "$MACHINE" "$TOOLS" "$CORPUS_DESC" "${FORMATS[*]}" "${CONCS[*]}" "$BENCH_RENDER_DURATION" \
  "$BENCH_RENDER_AVIF_DURATION" "$BENCH_RENDER_WARMUP" "$BENCH_RENDER_ROUNDS" "$HWM_RESET" "$BENCH_FOREIGN_MAX_MS" \
  "{\"nubis\":${IDLE_RSS[nubis]},\"sharp\":${IDLE_RSS[sharp]}}" "{\"nubis\":${RUN_HWM[nubis]},\"sharp\":${RUN_HWM[sharp]}}" "${LARGE_IDS[*]}" > "$META"
for t in nubis sharp; do
  kill -0 "${PID_OF[$t]}" 2>/dev/null || log "WARNING: $t (pid ${PID_OF[$t]}) is no longer running"
done
{ echo; echo "## runs (JSON lines)"; cat "$JSONL"; echo "## meta"; cat "$META"; } >> "$OUT_RAW"

node "$BENCH_LIB/report-images.js" render "$JSONL" "$META" > "$OUT_MD"
echo
cat "$OUT_MD"
log "table written to $OUT_MD, raw output to $OUT_RAW"

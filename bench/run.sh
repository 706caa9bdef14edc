#!/usr/bin/env bash
# Nubis benchmark (`make bench`): runs the selected benches one after the other, each comparing
# Nubis side by side, in the same run, with peers doing the same work on the same machine:
#   verify : authenticated GET /client/v4/user/tokens/verify vs nginx (static) and node:http
#   render : cold flexible-variant rendering (JPEG/WebP/AVIF, 1024 px) vs sharp and vipsthumbnail,
#            and the peak RSS with 4 large decodes in flight
#   warm   : delivery of cached variants vs nginx serving the same bytes as static files
#   upload : 5 MB image uploads acknowledged after fsync vs a node:http receiver and the disk
#   dns    : a 100,000-record zone: seeding through the batch endpoint, page 1 vs page 1,000 of the
#            record list (three orders; warm, and cold: the first list after a write), record
#            creates acknowledged after fsync vs the disk
#
#   bash bench/run.sh <path-to-nubis-binary>          (what `make bench` runs)
#
# Each bench prints its Markdown table and writes it to bench/results/<stamp>-<bench>.md (raw
# output next to it, .raw); all tables of the run are collected in bench/results/<stamp>.md.
# Everything listens on 127.0.0.1 only; every process a bench starts is stopped by PID when it
# ends, fails, is interrupted (Ctrl-C) or hits its time cap. See bench/README.md.
#
# Prerequisites it prepares: the image corpus (bench/corpus-cache/, built once from Debian
# packages by bench/lib/corpus.sh) for render, warm and upload; sharp in bench/node_modules
# (`npm ci` from bench/package-lock.json, only when missing) for render.
#
# Knobs (environment; the per-bench ones are listed in bench/README.md and in each bench/lib/*.sh):
#   BENCH_ONLY         comma-separated benches to run      (default verify,render,warm,upload,dns)
#   BENCH_QUICK=1      shorter runs and fewer rounds everywhere (a smoke run: ~4 minutes)
#   BENCH_RESULTS_DIR  where the tables go                 (default bench/results)
#   BENCH_CORPUS_DIR   the corpus                          (default bench/corpus-cache)
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

: "${BENCH_ONLY:=verify,render,warm,upload,dns}"
: "${BENCH_QUICK:=0}"
: "${BENCH_RESULTS_DIR:=$HERE/results}"
: "${BENCH_CORPUS_DIR:=$HERE/corpus-cache}"
export BENCH_RESULTS_DIR BENCH_CORPUS_DIR

log() { printf '[bench %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

ALL=(verify render warm upload dns)
SELECTED=()
for b in ${BENCH_ONLY//,/ }; do
  case " ${ALL[*]} " in *" $b "*) SELECTED+=("$b") ;; *) die "BENCH_ONLY: unknown bench '$b' (known: ${ALL[*]})" ;; esac
done
[ ${#SELECTED[@]} -gt 0 ] || die "BENCH_ONLY selects nothing"
has() { case " ${SELECTED[*]} " in *" $1 "*) return 0 ;; esac; return 1; }

if [ "$BENCH_QUICK" = 1 ]; then
  # Shorter everything; explicit settings still win.
  : "${BENCH_DURATION:=3s}" "${BENCH_WARMUP:=1s}" "${BENCH_ROUNDS:=1}" "${BENCH_ACCESS_LOG:=off}"
  : "${BENCH_RENDER_DURATION:=4s}" "${BENCH_RENDER_AVIF_DURATION:=6s}" "${BENCH_RENDER_WARMUP:=1s}" "${BENCH_RENDER_MEM_DURATION:=4s}"
  : "${BENCH_WARM_DURATION:=3s}" "${BENCH_WARM_WARMUP:=1s}" "${BENCH_WARM_ROUNDS:=1}"
  : "${BENCH_UPLOAD_DURATION:=3s}" "${BENCH_UPLOAD_WARMUP:=1s}" "${BENCH_UPLOAD_ROUNDS:=1}"
  : "${BENCH_DNS_DURATION:=2s}" "${BENCH_DNS_WARMUP:=1s}" "${BENCH_DNS_LIST_CONCURRENCY:=1}" "${BENCH_DNS_ROUNDS:=1}"
  : "${BENCH_DNS_CREATE_DURATION:=3s}" "${BENCH_DNS_CREATE_WARMUP:=1s}" "${BENCH_DNS_COLD_REPEATS:=10}"
  : "${BENCH_QUIET_WAIT:=10}" "${BENCH_MAX_RETRY:=1}"
  export BENCH_DNS_DURATION BENCH_DNS_WARMUP BENCH_DNS_LIST_CONCURRENCY BENCH_DNS_ROUNDS BENCH_DNS_CREATE_DURATION BENCH_DNS_CREATE_WARMUP \
    BENCH_DNS_COLD_REPEATS
  export BENCH_DURATION BENCH_WARMUP BENCH_ROUNDS BENCH_ACCESS_LOG BENCH_RENDER_DURATION \
    BENCH_RENDER_AVIF_DURATION BENCH_RENDER_WARMUP BENCH_RENDER_MEM_DURATION BENCH_WARM_DURATION \
    BENCH_WARM_WARMUP BENCH_WARM_ROUNDS BENCH_UPLOAD_DURATION BENCH_UPLOAD_WARMUP BENCH_UPLOAD_ROUNDS \
    BENCH_QUIET_WAIT BENCH_MAX_RETRY
fi

mkdir -p "$BENCH_RESULTS_DIR"
BENCH_STAMP=$(date -u +%Y-%m-%d-%H%M%S)
export BENCH_STAMP
OUT_ALL=$BENCH_RESULTS_DIR/$BENCH_STAMP.md
T0=$(date +%s)
log "benches: ${SELECTED[*]}; results: $BENCH_RESULTS_DIR/$BENCH_STAMP*.md"

# The bench that is running: on Ctrl-C / TERM / HUP it gets SIGTERM (its trap stops what it
# started, by PID) and we wait for it before exiting.
CHILD=""
on_signal() {
  local sig=$1
  if [ -n "$CHILD" ]; then kill -TERM "$CHILD" 2>/dev/null || true; wait "$CHILD" 2>/dev/null || true; fi
  exit $(( 128 + $(kill -l "$sig") ))
}
DEFAULT_INT=()
env --default-signal=INT true 2>/dev/null && DEFAULT_INT=(env --default-signal=INT)
trap 'on_signal INT' INT
trap 'on_signal TERM' TERM
trap 'on_signal HUP' HUP

# ---- prerequisites ---------------------------------------------------------------------------
if has render || has warm || has upload; then
  command -v vips >/dev/null 2>&1 || die "missing 'vips' (apt-get install libvips-tools; make deps installs it)"
  bash "$HERE/lib/corpus.sh" "$BENCH_CORPUS_DIR" || die "could not build the corpus (see above)"
fi
if has render; then
  command -v npm >/dev/null 2>&1 || die "missing 'npm' (apt-get install npm)"
  if ! (cd "$HERE" && node -e 'require("sharp")' >/dev/null 2>&1); then
    log "installing sharp into bench/node_modules (npm ci, from bench/package-lock.json)"
    (cd "$HERE" && npm ci --no-audit --no-fund --loglevel=error >/dev/null) || die "npm ci in bench/ failed"
  fi
fi

# ---- the benches -----------------------------------------------------------------------------
FAILED=()
: > "$OUT_ALL.tmp"
for b in "${SELECTED[@]}"; do
  log "=== $b"
  # In the background + wait, so that a signal interrupts the wait and is passed on (on_signal).
  # A background job of a script starts with SIGINT ignored, and a bash that starts so cannot
  # trap it: env --default-signal gives the bench its SIGINT back (Ctrl-C reaches it directly).
  "${DEFAULT_INT[@]}" bash "$HERE/lib/$b.sh" "$NUBIS_BIN" &
  CHILD=$!
  rc=0; wait "$CHILD" || rc=$?
  CHILD=""
  if [ "$rc" != 0 ]; then
    log "=== $b FAILED (exit $rc)"
    FAILED+=("$b")
    printf '### %s: FAILED (exit %d), see the log\n\n' "$b" "$rc" >> "$OUT_ALL.tmp"
  elif [ -f "$BENCH_RESULTS_DIR/$BENCH_STAMP-$b.md" ]; then
    cat "$BENCH_RESULTS_DIR/$BENCH_STAMP-$b.md" >> "$OUT_ALL.tmp"
    printf '\n\n' >> "$OUT_ALL.tmp"
  fi
done
mv "$OUT_ALL.tmp" "$OUT_ALL"

log "done in $(( ($(date +%s) - T0) / 60 )) min $(( ($(date +%s) - T0) % 60 )) s; all tables in $OUT_ALL"
if [ ${#FAILED[@]} -gt 0 ]; then
  die "failed: ${FAILED[*]}"
fi

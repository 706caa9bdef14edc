#!/usr/bin/env bash
# R3 fuzzing (RELIABILITY.md §7): builds the libFuzzer targets in build-fuzz with clang, ASan and
# UBSan, replays every checked-in regression input (fuzz/corpus/<target>/{crash,leak,timeout,oom}-*),
# then fuzzes each target for FUZZ_SECONDS on a copy of its seed corpus, two targets at a time.
#
#   FUZZ_SECONDS=60 (default)   time per target
#   FUZZ_TARGETS="cidr rfc3339" subset to run (default: all)
#   FUZZ_JOBS=2                 targets fuzzed in parallel (the build always uses -j2)
#
# The checked-in corpus only grows deliberately: runs work on build-fuzz/runs/<target>/corpus.
# To keep new coverage, minimise it back with
#   build-fuzz/fuzz/fuzz_<t> -merge=1 fuzz/corpus/<t> build-fuzz/runs/<t>/corpus
# Exit status is non-zero on any crash, leak, timeout or OOM (the input's path is printed).
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BUILD=$ROOT/build-fuzz
FUZZ_SECONDS=${FUZZ_SECONDS:-60}
FUZZ_JOBS=${FUZZ_JOBS:-2}
ALL_TARGETS=(http1_request multipart json_body token_policy cidr rfc3339 flexible_options svg_sanitize
  signed_url image_probe dns_zone_file dns_record_body)
read -r -a TARGETS <<<"${FUZZ_TARGETS:-${ALL_TARGETS[*]}}"

# Largest input per target: HTTP needs room past the 16 KiB header limit.
max_len() {
  case $1 in
    http1_request | image_probe) echo 20000 ;;
    json_body | token_policy | multipart | svg_sanitize) echo 8192 ;;
    flexible_options) echo 2100 ;;
    signed_url) echo 1024 ;;
    *) echo 256 ;;
  esac
}

# --- toolchain: Debian's clang with the libFuzzer/sanitizer runtimes ---------------------------
if ! command -v clang++ >/dev/null ||
  ! dpkg-query -W -f='${Status}' libclang-rt-14-dev 2>/dev/null | grep -q "install ok installed"; then
  echo "fuzz: installing clang libclang-rt-14-dev"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO=sudo
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y clang libclang-rt-14-dev || exit 1
fi

# --- build -------------------------------------------------------------------------------------
# Project libraries get the sanitizers and coverage hooks too (fuzzer-no-link); the fuzz
# executables add libFuzzer's main (fuzz/CMakeLists.txt). No -DNDEBUG: our asserts stay live.
# -fno-sanitize-recover=undefined makes UB in the code under test fatal, not just a log line.
# -fno-sanitize=function: clang 14 cannot compile C++20 coroutines (src/http/session.cc,
# server.cc) with UBSan's function check ("Cannot represent a difference across sections",
# llvm/llvm-project#49689); the check only guards calls through mistyped function pointers.
# BOOST_DISABLE_ASSERTS: our own assert()s stay live, Boost's are off as in the release build;
# Beast 1.81 asserts wrongly when a last chunk arrives as "0\r\n", "\r", "\n" (fixed upstream in
# boostorg/beast#2861; the code after the assert handles it), which would stop http1_request.
# Warnings are not errors here: clang warns differently from the GCC that gates the real build.
SAN_FLAGS="-fsanitize=address,undefined -fno-sanitize=function -fsanitize=fuzzer-no-link -fno-sanitize-recover=undefined -fno-omit-frame-pointer -DBOOST_DISABLE_ASSERTS"
cmake -S "$ROOT" -B "$BUILD" -G Ninja \
  -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS="$SAN_FLAGS" -DCMAKE_C_FLAGS="$SAN_FLAGS" \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g" -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O2 -g" \
  -DNUBIS_FUZZ=ON -DNUBIS_TESTS=OFF -DNUBIS_WERROR=OFF >/dev/null || {
  echo "fuzz: configure failed"
  exit 1
}
cmake --build "$BUILD" --target fuzzers -j 2 || {
  echo "fuzz: build failed"
  exit 1
}

# A smaller quarantine than the 256 MB default keeps RSS flat (~150 MB instead of ~1 GB after a
# few million runs) so long release runs do not hit -rss_limit_mb on allocator caching alone.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:quarantine_size_mb=64}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
COMMON=(-rss_limit_mb=2048 -timeout=5)
RUNS=$BUILD/runs

# --- one target: regression inputs, then timed fuzzing ------------------------------------------
# Writes $RUNS/<t>/result: "<status> <executions> <detail>".
fuzz_one() {
  local t=$1 bin=$BUILD/fuzz/fuzz_$1 dir=$RUNS/$1
  rm -rf "$dir"
  mkdir -p "$dir/corpus" "$dir/artifacts"
  local seeds=$ROOT/fuzz/corpus/$t regress=() f
  for f in "$seeds"/*; do
    [ -f "$f" ] || continue
    case $(basename "$f") in
      crash-* | leak-* | timeout-* | oom-* | slow-unit-*) regress+=("$f") ;;
      *) cp "$f" "$dir/corpus/" ;;
    esac
  done

  if [ ${#regress[@]} -gt 0 ]; then
    for f in "${regress[@]}"; do
      if ! "$bin" "${COMMON[@]}" "$f" >"$dir/regress-$(basename "$f").log" 2>&1; then
        echo "FAIL 0 regression input still fails: $f (log $dir/regress-$(basename "$f").log)" >>"$dir/result"
      fi
    done
  fi

  "$bin" "${COMMON[@]}" -max_total_time="$FUZZ_SECONDS" -max_len="$(max_len "$t")" \
    -print_final_stats=1 -artifact_prefix="$dir/artifacts/" "$dir/corpus" >"$dir/fuzz.log" 2>&1
  local rc=$?
  local execs
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$dir/fuzz.log" | tail -1 | grep -o '[0-9]*$')
  [ -n "$execs" ] || execs=$(grep -o '^#[0-9]*' "$dir/fuzz.log" | tail -1 | tr -d '#')
  [ -n "$execs" ] || execs=0
  local artifact
  artifact=$(grep -o 'Test unit written to .*' "$dir/fuzz.log" | tail -1 | sed 's/Test unit written to //')
  if [ $rc -ne 0 ] || [ -n "$artifact" ]; then
    local kind
    kind=$(grep -m1 -oE 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer): [a-zA-Z -]+|runtime error: .*|deadly signal|timeout after [0-9]+ seconds|out-of-memory' "$dir/fuzz.log" | head -1)
    echo "FAIL $execs ${kind:-exit $rc}; input: ${artifact:-none written} (log $dir/fuzz.log)" >>"$dir/result"
  elif [ ! -f "$dir/result" ]; then
    echo "ok $execs no findings" >"$dir/result"
  else
    echo "ok $execs fuzzing found nothing new" >>"$dir/result"
  fi
}

echo "fuzz: ${#TARGETS[@]} targets x ${FUZZ_SECONDS}s, $FUZZ_JOBS at a time (work dir $RUNS)"
mkdir -p "$RUNS"
running=0
for t in "${TARGETS[@]}"; do
  if [ ! -x "$BUILD/fuzz/fuzz_$t" ]; then
    echo "fuzz: unknown target $t"
    exit 1
  fi
  if [ $running -ge "$FUZZ_JOBS" ]; then
    wait -n
    running=$((running - 1))
  fi
  fuzz_one "$t" &
  running=$((running + 1))
done
wait

status=0
printf '\n%-14s %-6s %12s  %s\n' target result execs detail
for t in "${TARGETS[@]}"; do
  r=$RUNS/$t/result
  if [ ! -f "$r" ]; then
    printf '%-14s %-6s %12s  %s\n' "$t" FAIL 0 "no result (runner died)"
    status=1
    continue
  fi
  while read -r res execs detail; do
    printf '%-14s %-6s %12s  %s\n' "$t" "$res" "$execs" "$detail"
    [ "$res" = ok ] || status=1
  done <"$r"
done
if [ $status -ne 0 ]; then
  echo "fuzz: FAILED (see the inputs and logs above)"
else
  echo "fuzz: all targets clean"
fi
exit $status

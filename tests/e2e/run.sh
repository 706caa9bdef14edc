#!/usr/bin/env bash
# End-to-end suite: boots Nubis on a temporary data dir and runs the node:test files against it with
# the official `cloudflare` SDK, and the dashboard in Debian's chromium (playwright-core).
#
#   bash tests/e2e/run.sh <path-to-nubis-binary> [extra node --test arguments / test files]
#
# Talks to 127.0.0.1 only. The exit code is node's, and non-zero as well when the server did not
# start or crashed during the run. A crashed shared server is restarted on the same data dir (same
# bootstrap credentials and state) so that one crash fails the tests that hit it, not every file
# after it; the crash is reported at the end and fails the run.
set -uo pipefail

if [ $# -lt 1 ]; then
  echo "usage: $0 <path-to-nubis-binary> [test files...]" >&2
  exit 2
fi
BIN_ARG=$1
shift
if [ ! -x "$BIN_ARG" ]; then
  echo "e2e: $BIN_ARG is not an executable" >&2
  exit 2
fi
BIN=$(cd "$(dirname "$BIN_ARG")" && pwd)/$(basename "$BIN_ARG")

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$HERE"

if [ ! -d node_modules/cloudflare ] || [ ! -d node_modules/playwright-core ]; then
  echo "e2e: installing npm packages from package-lock.json"
  npm ci --no-audit --no-fund --loglevel=error >/dev/null || { echo "e2e: npm ci failed" >&2; exit 2; }
fi

TMP=$(mktemp -d "${TMPDIR:-/tmp}/nubis-e2e.XXXXXX")
DATA=$TMP/data
LOG=$TMP/server.log
CRASHES=$TMP/crashes
PIDFILE=$TMP/server.pid
STOP=$TMP/stop
mkdir -p "$DATA"
SUPERVISOR=""

cleanup() {
  touch "$STOP"
  if [ -f "$PIDFILE" ]; then
    local pid
    pid=$(cat "$PIDFILE")
    if kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid" 2>/dev/null
      for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -KILL "$pid" 2>/dev/null
    fi
  fi
  [ -n "$SUPERVISOR" ] && wait "$SUPERVISOR" 2>/dev/null
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Keep the run hermetic: no Cloudflare credentials or custom headers from the caller's environment
# reach the SDK, and nothing local goes through a proxy.
unset CLOUDFLARE_API_TOKEN CLOUDFLARE_API_KEY CLOUDFLARE_EMAIL CLOUDFLARE_API_USER_SERVICE_KEY \
      CLOUDFLARE_BASE_URL CLOUDFLARE_CUSTOM_HEADERS CLOUDFLARE_LOG
export NO_PROXY="127.0.0.1,localhost${NO_PROXY:+,$NO_PROXY}" no_proxy="127.0.0.1,localhost${no_proxy:+,$no_proxy}"

# Runs the shared server; restarts it (at most 20 times) if it dies while the suite is running.
# The bootstrap token's secret is Cloudflare's documented example token, so the seed curl lines
# work verbatim.
supervise() {
  local restarts=0 pid rc
  while :; do
    NUBIS_ADMIN_API_TOKEN=YQSn-xWAQiiEh9qM58wZNnyQS7FUdoqGIUAbrh7T \
    NUBIS_RATE_LIMIT=off \
    NUBIS_IMAGE_FETCH_ALLOW=127.0.0.0/8 \
    NUBIS_TRUSTED_PROXIES=127.0.0.1/32 \
      "$BIN" serve --data-dir "$DATA" --listen 127.0.0.1:0 --delivery-listen 127.0.0.1:0 >>"$LOG" 2>&1 &
    pid=$!
    echo "$pid" >"$PIDFILE"
    wait "$pid"
    rc=$?
    [ -f "$STOP" ] && return 0
    if [ $rc -gt 128 ]; then rc="signal $((rc - 128))"; else rc="status $rc"; fi
    echo "$(date -u +%H:%M:%S) nubis (pid $pid) exited with $rc" >>"$CRASHES"
    echo "--- crash: nubis exited with $rc; log tail above ---" >>"$LOG"
    restarts=$((restarts + 1))
    [ $restarts -ge 20 ] && return 1
    rm -f "$DATA/server.json"
  done
}
supervise &
SUPERVISOR=$!

fail_start() {
  echo "e2e: nubis did not start: $1" >&2
  echo "--- server log (last 40 lines) ---" >&2
  tail -n 40 "$LOG" >&2
  exit 1
}

# Wait (at most 15 s) for server.json and a 200 from /healthz.
node --input-type=module -e '
  import fs from "node:fs";
  const [file, pidfile] = process.argv.slice(1);
  const deadline = Date.now() + 15000;
  const alive = () => { try { process.kill(Number(fs.readFileSync(pidfile, "utf8")), 0); return true; } catch { return false; } };
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  let info = null;
  while (Date.now() < deadline) {
    try { info = JSON.parse(fs.readFileSync(file, "utf8")); } catch { info = null; }
    if (info && info.api_base_url) break;
    await sleep(50);
    if (fs.existsSync(pidfile) && !alive()) { console.error("the server exited"); process.exit(1); }
  }
  if (!info || !info.api_base_url) { console.error("no server.json within 15 s"); process.exit(1); }
  const origin = new URL(info.api_base_url).origin;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(origin + "/healthz", { signal: AbortSignal.timeout(1000) });
      if (res.status === 200) process.exit(0);
    } catch {}
    if (!alive()) { console.error("the server exited"); process.exit(1); }
    await sleep(50);
  }
  console.error("/healthz not 200 within 15 s");
  process.exit(1);
' "$DATA/server.json" "$PIDFILE" 2>"$TMP/wait.err" || fail_start "$(cat "$TMP/wait.err")"
[ -f "$CRASHES" ] && fail_start "the server exited: $(cat "$CRASHES")"
[ -f "$DATA/bootstrap.json" ] || fail_start "no bootstrap.json in the data dir"

# The tests read the current server.json from NUBIS_DATA_DIR (it changes if the server is
# restarted); NUBIS_API_BASE / NUBIS_DELIVERY_BASE are the first start's values, for other tools.
read -r NUBIS_API_BASE NUBIS_DELIVERY_BASE < <(node -e '
  const i = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  console.log(i.api_base_url, i.delivery_base_url || "");' "$DATA/server.json")
export NUBIS_API_BASE NUBIS_DELIVERY_BASE
export NUBIS_DATA_DIR=$DATA
export NUBIS_BIN=$BIN
# Screenshots of the dashboard tests, beside the binary: <build>/test-output/dashboard.
# The default one is emptied first, so a FAILED-* screenshot there is always from this run.
if [ -z "${NUBIS_SCREENSHOT_DIR:-}" ]; then
  NUBIS_SCREENSHOT_DIR=$(dirname "$BIN")/test-output/dashboard
  rm -rf "$NUBIS_SCREENSHOT_DIR"
fi
export NUBIS_SCREENSHOT_DIR
echo "e2e: nubis pid $(cat "$PIDFILE") at $NUBIS_API_BASE"

if [ $# -gt 0 ]; then
  TESTS=("$@")
else
  TESTS=(./*.test.mjs)
fi

node --test --test-concurrency=1 --test-timeout=180000 --test-reporter=spec "${TESTS[@]}"
RC=$?

if [ -f "$CRASHES" ]; then
  echo
  echo "e2e: THE SHARED SERVER CRASHED during the run (restarted on the same data dir each time):"
  sed 's/^/  /' "$CRASHES"
  echo "--- server log around the first crash ---"
  grep -n -m1 -B 12 -- '--- crash:' "$LOG" | sed 's/^[0-9]*[-:]//'
  [ $RC -ne 0 ] || RC=1
elif [ $RC -ne 0 ]; then
  echo "--- server log (last 40 lines) ---"
  tail -n 40 "$LOG"
fi
exit $RC

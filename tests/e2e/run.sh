#!/usr/bin/env bash
# End-to-end suite: boots Nubis on a temporary data dir and runs the node:test files against it with
# the official `cloudflare` SDK.
#
#   bash tests/e2e/run.sh <path-to-nubis-binary> [extra node --test arguments, e.g. a test file]
#
# Talks to 127.0.0.1 only. Exit code is node's (non-zero when a test failed or the server did not
# start).
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

if [ ! -d node_modules/cloudflare ]; then
  echo "e2e: installing npm packages from package-lock.json"
  npm ci --no-audit --no-fund --loglevel=error >/dev/null || { echo "e2e: npm ci failed" >&2; exit 2; }
fi

TMP=$(mktemp -d "${TMPDIR:-/tmp}/nubis-e2e.XXXXXX")
DATA=$TMP/data
LOG=$TMP/server.log
mkdir -p "$DATA"
SERVER_PID=""

cleanup() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null
    for _ in $(seq 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$SERVER_PID" 2>/dev/null
    wait "$SERVER_PID" 2>/dev/null
  fi
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

# The bootstrap token's secret is Cloudflare's documented example token, so the seed curl lines
# work verbatim.
NUBIS_ADMIN_API_TOKEN=YQSn-xWAQiiEh9qM58wZNnyQS7FUdoqGIUAbrh7T \
NUBIS_RATE_LIMIT=off \
NUBIS_TRUSTED_PROXIES=127.0.0.1/32 \
  "$BIN" serve --data-dir "$DATA" --listen 127.0.0.1:0 --delivery-listen 127.0.0.1:0 >"$LOG" 2>&1 &
SERVER_PID=$!

fail_start() {
  echo "e2e: nubis did not start: $1" >&2
  echo "--- server log (last 40 lines) ---" >&2
  tail -n 40 "$LOG" >&2
  exit 1
}

# Wait (at most 15 s) for server.json and a 200 from /healthz.
API_BASE=$(node --input-type=module -e '
  import fs from "node:fs";
  const [file, pid] = process.argv.slice(1);
  const deadline = Date.now() + 15000;
  const alive = () => { try { process.kill(Number(pid), 0); return true; } catch { return false; } };
  let info = null;
  while (Date.now() < deadline) {
    if (!alive()) { console.error("server exited"); process.exit(1); }
    try { info = JSON.parse(fs.readFileSync(file, "utf8")); } catch { info = null; }
    if (info && info.api_base_url) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  if (!info || !info.api_base_url) { console.error("no server.json within 15 s"); process.exit(1); }
  const origin = new URL(info.api_base_url).origin;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(origin + "/healthz", { signal: AbortSignal.timeout(1000) });
      if (res.status === 200) { console.log(info.api_base_url + " " + (info.delivery_base_url || "")); process.exit(0); }
    } catch {}
    if (!alive()) { console.error("server exited"); process.exit(1); }
    await new Promise((r) => setTimeout(r, 50));
  }
  console.error("/healthz not 200 within 15 s");
  process.exit(1);
' "$DATA/server.json" "$SERVER_PID" 2>"$TMP/wait.err") || fail_start "$(cat "$TMP/wait.err")"

[ -f "$DATA/bootstrap.json" ] || fail_start "no bootstrap.json in the data dir"

export NUBIS_API_BASE=${API_BASE%% *}
export NUBIS_DELIVERY_BASE=${API_BASE#* }
export NUBIS_DATA_DIR=$DATA
export NUBIS_BIN=$BIN
export NUBIS_SERVER_PID=$SERVER_PID
echo "e2e: nubis pid $SERVER_PID at $NUBIS_API_BASE"

if [ $# -gt 0 ]; then
  TESTS=("$@")
else
  TESTS=(./*.test.mjs)
fi

node --test --test-concurrency=1 --test-timeout=180000 --test-reporter=spec "${TESTS[@]}"
RC=$?

if [ $RC -ne 0 ]; then
  echo "--- server log (last 40 lines) ---"
  tail -n 40 "$LOG"
fi
if ! kill -0 "$SERVER_PID" 2>/dev/null; then
  echo "e2e: the shared server died during the run" >&2
  [ $RC -ne 0 ] || RC=1
fi
exit $RC

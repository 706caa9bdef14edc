-- wrk script for bench/run.sh (wrk 4.x, LuaJIT).
--
-- Every request carries "Authorization: Bearer $BENCH_TOKEN" (the token comes
-- from the environment, which wrk passes through to its Lua states).
-- At the end it prints one machine-readable line that run.sh parses:
--   BENCHJSON {"requests":N,"duration_us":N,"rps":X,"p50_us":N,"p99_us":N,...}
-- Latencies are wrk's per-request latencies in microseconds (all threads merged).

local token = os.getenv("BENCH_TOKEN")
assert(token and token ~= "", "BENCH_TOKEN is not set")
wrk.headers["Authorization"] = "Bearer " .. token

done = function(summary, latency, requests)
  local e = summary.errors
  local dur_s = summary.duration / 1e6
  io.write(string.format(
    'BENCHJSON {"requests":%d,"duration_us":%d,"rps":%.1f,"bytes":%d,' ..
    '"mean_us":%.1f,"p50_us":%d,"p90_us":%d,"p99_us":%d,"max_us":%d,' ..
    '"err_connect":%d,"err_read":%d,"err_write":%d,"err_timeout":%d,"err_status":%d}\n',
    summary.requests, summary.duration, summary.requests / dur_s, summary.bytes,
    latency.mean, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max,
    e.connect, e.read, e.write, e.timeout, e.status))
end

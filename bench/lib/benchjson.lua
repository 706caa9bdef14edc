-- The result line of the bench's wrk scripts (wrk.lua, paths.lua, dns-create.lua), loaded by
-- each with dofile from its own directory:
--   local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
--   done = dofile(here .. "benchjson.lua").done("%.1f")
-- done(RPS_FORMAT) is wrk's done(): it prints one machine-readable line that the bench parses,
--   BENCHJSON {"requests":N,"duration_us":N,"rps":X,"p50_us":N,"p99_us":N,...}
-- latencies wrk's per-request latencies in microseconds (all threads merged), rps printed with
-- RPS_FORMAT (a string.format conversion).

local M = {}

function M.done(rps_format)
  local line = 'BENCHJSON {"requests":%d,"duration_us":%d,"rps":' .. rps_format .. ',"bytes":%d,' ..
    '"mean_us":%.1f,"p50_us":%d,"p90_us":%d,"p99_us":%d,"max_us":%d,' ..
    '"err_connect":%d,"err_read":%d,"err_write":%d,"err_timeout":%d,"err_status":%d}\n'
  return function(summary, latency, requests)
    local e = summary.errors
    local dur_s = summary.duration / 1e6
    io.write(string.format(line,
      summary.requests, summary.duration, summary.requests / dur_s, summary.bytes,
      latency.mean, latency:percentile(50), latency:percentile(90),
      latency:percentile(99), latency.max,
      e.connect, e.read, e.write, e.timeout, e.status))
  end
end

return M

-- wrk script of the dns bench's create runs (wrk 4.x, LuaJIT): every request is
--   POST <the URL's path>   (…/zones/{zone_id}/dns_records)
--   {"type":"A","name":"c-<tag>-<thread>-<n>.<zone>","content":"198.51.100.x","ttl":300}
-- with "Authorization: Bearer $BENCH_TOKEN": a name no other request of the bench used (TAG is
-- BENCH_DNS_TAG, one per wrk invocation; each thread numbers its own requests), so that every
-- request creates a new record (an identical record would be refused with 81058).
-- Environment: BENCH_TOKEN, BENCH_DNS_ZONE_NAME, BENCH_DNS_TAG.
-- At the end it prints one BENCHJSON line (bench/lib/benchjson.lua, as bench/lib/wrk.lua), latencies in µs.

local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"  -- this file's directory
local token = os.getenv("BENCH_TOKEN")
local zone = os.getenv("BENCH_DNS_ZONE_NAME")
local tag = os.getenv("BENCH_DNS_TAG")
assert(token and token ~= "", "BENCH_TOKEN is not set")
assert(zone and zone ~= "", "BENCH_DNS_ZONE_NAME is not set")
assert(tag and tag ~= "", "BENCH_DNS_TAG is not set")

local threads = {}
local next_id = 0
setup = function(thread)
  thread:set("tid", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

local n = 0
local headers = {
  ["Authorization"] = "Bearer " .. token,
  ["Content-Type"] = "application/json",
}

request = function()
  n = n + 1
  local body = string.format(
    '{"type":"A","name":"c-%s-%d-%d.%s","content":"198.51.100.%d","ttl":300}',
    tag, tid, n, zone, n % 250 + 1)
  return wrk.format("POST", nil, headers, body)
end

done = dofile(here .. "benchjson.lua").done("%.1f")

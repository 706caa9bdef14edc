-- wrk script for bench/run.sh (wrk 4.x, LuaJIT).
--
-- Every request carries "Authorization: Bearer $BENCH_TOKEN" (the token comes
-- from the environment, which wrk passes through to its Lua states).
-- At the end it prints one machine-readable line that run.sh parses (bench/lib/benchjson.lua):
--   BENCHJSON {"requests":N,"duration_us":N,"rps":X,"p50_us":N,"p99_us":N,...}
-- Latencies are wrk's per-request latencies in microseconds (all threads merged).

local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"  -- this file's directory
local token = os.getenv("BENCH_TOKEN")
assert(token and token ~= "", "BENCH_TOKEN is not set")
wrk.headers["Authorization"] = "Bearer " .. token

done = dofile(here .. "benchjson.lua").done("%.1f")

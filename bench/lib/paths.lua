-- wrk script for the render and warm benches (wrk 4.x, LuaJIT): GET a rotating list of paths.
--
-- env:
--   BENCH_PATHS_FILE  one path per line (e.g. /<hash>/<id>/w=1024,quality=85,format=jpeg);
--                     requests go through them in order, each wrk thread from its own offset
--   BENCH_BUST        when set to a number N: each request appends ",background=%23xxxxxx" with
--                     xxxxxx = N + its sequence number in hex, so that no two requests of the
--                     whole bench name the same variant (render bench: every request is a
--                     cache miss in Nubis). Only with one wrk thread (-t1).
--   BENCH_ACCEPT      Accept header to send (optional)
-- At the end it prints, like wrk.lua, one line (bench/lib/benchjson.lua):
--   BENCHJSON {"requests":N,"duration_us":N,"rps":X,"p50_us":N,"p99_us":N,...}

local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"  -- this file's directory
local paths_file = os.getenv("BENCH_PATHS_FILE")
assert(paths_file and paths_file ~= "", "BENCH_PATHS_FILE is not set")
local bust = tonumber(os.getenv("BENCH_BUST") or "")
local accept = os.getenv("BENCH_ACCEPT")

local paths = {}
for line in io.lines(paths_file) do
  if line ~= "" then paths[#paths + 1] = line end
end
assert(#paths > 0, "no paths in " .. paths_file)

local counter = 0
local threads = 0  -- in the main state: threads set up so far

setup = function(thread)
  thread:set("thread_index", threads)
  threads = threads + 1
end

init = function(args)
  -- thread_index: a global set by setup() in this thread's own Lua state
  counter = (thread_index or 0) * 7919
  if accept and accept ~= "" then wrk.headers["Accept"] = accept end
end

request = function()
  local p = paths[(counter % #paths) + 1]
  if bust then
    p = p .. string.format(",background=%%23%06x", (bust + counter) % 16777216)
  end
  counter = counter + 1
  return wrk.format("GET", p)
end

done = dofile(here .. "benchjson.lua").done("%.3f")

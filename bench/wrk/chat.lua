-- wrk script for Tollgate's benchmark: POSTs a chat completion request and, in fixed-rate
-- mode, paces requests evenly. Configured by environment variables (set by bench/run.sh):
--   BENCH_BODY     path of the JSON request body (wrk/request.json or wrk/request-stream.json)
--   BENCH_MODEL    optional: replaces the "model" value of the body
--   BENCH_HEADERS  extra request headers, "Name: value" pairs separated by "|"
--   BENCH_RATE     total requests/s to hold across all threads and connections; 0 or unset
--                  means unpaced (saturation: every connection sends as fast as it can)
--   BENCH_THREADS  the -t given to wrk (the rate is split evenly across threads)
-- done() prints one line "BENCH_RESULT key=value ..." with latencies in microseconds.

local function env(name, default)
  local v = os.getenv(name)
  if v == nil or v == "" then return default end
  return v
end

local function read_file(path)
  local f = assert(io.open(path, "rb"), "cannot open " .. path)
  local s = f:read("*a")
  f:close()
  return (s:gsub("%s+$", ""))
end

local body = read_file(env("BENCH_BODY", "wrk/request.json"))
local model = env("BENCH_MODEL", nil)
if model then
  body = body:gsub('"model":"[^"]*"', '"model":"' .. model .. '"', 1)
end

wrk.method = "POST"
wrk.body = body
wrk.headers["Content-Type"] = "application/json"
for pair in string.gmatch(env("BENCH_HEADERS", ""), "[^|]+") do
  local name, value = pair:match("^%s*([^:]+):%s*(.-)%s*$")
  if name then wrk.headers[name] = value end
end

local rate = tonumber(env("BENCH_RATE", "0"))
local threads = tonumber(env("BENCH_THREADS", "1"))

if rate > 0 then
  -- Fixed-rate pacing. wrk 4.1 (Debian) has no -R; its delay() hook is called before each
  -- request on a connection and returns how many milliseconds to wait. Each thread keeps a
  -- schedule of evenly spaced send slots (interval = threads / rate) and every connection that
  -- becomes free takes the next slot, so the thread sends at its share of the rate however long
  -- each response takes (service time is absorbed, because slots are absolute times). wrk starts
  -- its latency clock when the request is written, after the delay: the reported latencies are
  -- service times under a steady load. If the target cannot keep up, slots fall behind "now",
  -- requests go out at once and the achieved rate printed by done() drops below the target.
  local ffi = require("ffi")
  ffi.cdef [[
    typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
    int clock_gettime(int clk_id, bench_timespec *tp);
  ]]
  local ts = ffi.new("bench_timespec")
  local function now_ms()
    ffi.C.clock_gettime(1, ts) -- CLOCK_MONOTONIC
    return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
  end
  local interval = 1000 * threads / rate
  local next_slot = nil

  function delay()
    local now = now_ms()
    if next_slot == nil then
      next_slot = now
    end
    -- A slot that lies too far in the past is dropped rather than sent in a burst (the target
    -- fell behind); the achieved rate then shows the shortfall.
    if next_slot < now - 100 then
      next_slot = now
    end
    local wait = next_slot - now
    next_slot = next_slot + interval
    if wait < 0 then return 0 end
    return math.floor(wait + 0.5)
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  local secs = summary.duration / 1e6
  io.write(string.format(
    "BENCH_RESULT requests=%d duration_s=%.3f rps=%.1f p50_us=%d p90_us=%d p99_us=%d max_us=%d mean_us=%.1f "
      .. "err_connect=%d err_read=%d err_write=%d err_status=%d err_timeout=%d bytes=%d\n",
    summary.requests, secs, summary.requests / secs,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean,
    e.connect, e.read, e.write, e.status, e.timeout, summary.bytes))
end

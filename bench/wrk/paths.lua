-- wrk script for bench/api_bench.py: every request sends the bearer token and picks a random
-- path from a file (one path a line). Usage:
--   wrk -s bench/wrk/paths.lua http://127.0.0.1:8080 -- <token> <paths-file>
-- done() prints one machine-readable line that api_bench.py parses:
--   RESULT requests duration_us non2xx socket_errors p50_us p90_us p99_us max_us
local paths = {}
local count = 0

function init(args)
  wrk.headers["Authorization"] = "Bearer " .. args[1]
  for line in io.lines(args[2]) do
    count = count + 1
    paths[count] = line
  end
  math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)") or "0", 16) % 100000)
end

function request()
  return wrk.format("GET", paths[math.random(count)])
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "RESULT %d %d %d %d %d %d %d %d\n",
    summary.requests, summary.duration, e.status,
    e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end

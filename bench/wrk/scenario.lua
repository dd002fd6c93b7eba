-- One benchmark scenario for wrk, configured from the environment:
--   BENCH_METHOD  GET or POST (default GET)
--   BENCH_PATH    request path with query string (default /)
--   BENCH_TOKEN   bearer token; sent as "Authorization: Bearer <token>" when set
--   BENCH_BODY    request body (JSON) for POST; sent with Content-Type application/json
-- The request is built once (wrk's fast path). Every response's status is
-- counted, and done() prints one machine-readable line that bench.api_bench parses:
--   BENCH requests=N duration_us=N p50_us=N p99_us=N non2xx=N statuses=200:N,429:N
--         errors_connect=N errors_read=N errors_write=N errors_timeout=N

wrk.method = os.getenv("BENCH_METHOD") or "GET"
wrk.path = os.getenv("BENCH_PATH") or "/"
local token = os.getenv("BENCH_TOKEN")
if token and token ~= "" then
   wrk.headers["Authorization"] = "Bearer " .. token
end
local body = os.getenv("BENCH_BODY")
if body and body ~= "" then
   wrk.body = body
   wrk.headers["Content-Type"] = "application/json"
end
wrk.headers["Accept"] = "application/json"

local threads = {}

function setup(thread)
   table.insert(threads, thread)
end

function init(args)
   statuses = {}
end

function response(status, headers, body)
   statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
   local merged = {}
   for _, thread in ipairs(threads) do
      local counts = thread:get("statuses")
      for status, count in pairs(counts) do
         merged[status] = (merged[status] or 0) + count
      end
   end
   local non2xx = 0
   local parts = {}
   for status, count in pairs(merged) do
      if status < 200 or status > 299 then
         non2xx = non2xx + count
      end
      table.insert(parts, status .. ":" .. count)
   end
   table.sort(parts)
   local e = summary.errors
   io.write(string.format(
      "BENCH requests=%d duration_us=%d p50_us=%d p99_us=%d non2xx=%d statuses=%s "
         .. "errors_connect=%d errors_read=%d errors_write=%d errors_timeout=%d\n",
      summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
      non2xx, table.concat(parts, ","), e.connect, e.read, e.write, e.timeout))
end

-- wrk script for bench/run.py: asks like a browser (Accept-Encoding: gzip), sends the cookies
-- from BENCH_COOKIE (if any), counts every
-- response that is not a 200 (a redirect to the login page is an error here), and prints one
-- machine-readable line at the end with the latency percentiles in microseconds.

wrk.headers["Accept-Encoding"] = "gzip, deflate, br"

local cookie = os.getenv("BENCH_COOKIE")
if cookie and cookie ~= "" then
  wrk.headers["Cookie"] = cookie
end

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  not_ok = 0
end

function response(status, headers, body)
  if status ~= 200 then
    not_ok = not_ok + 1
  end
end

function done(summary, latency, requests)
  local not_200 = 0
  for _, thread in ipairs(threads) do
    not_200 = not_200 + thread:get("not_ok")
  end
  local errors = summary.errors
  io.write(string.format(
    "BENCH requests=%d duration_us=%d p50_us=%d p90_us=%d p95_us=%d p99_us=%d not_200=%d socket_errors=%d\n",
    summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(90), latency:percentile(95), latency:percentile(99),
    not_200, errors.connect + errors.read + errors.write + errors.timeout
  ))
end

-- wrk script: sends the persona's session cookie, checks every answer (status 200 and
-- a marker in the body), and prints one JSON line at the end.
-- Arguments after `--`: marker, cookie ("" for anonymous).
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  marker = args[1]
  if args[2] and args[2] ~= "" then
    wrk.headers["Cookie"] = args[2]
  end
  bad = 0
  checked = 0
  bad_status = 0
end

function response(status, headers, body)
  checked = checked + 1
  if status ~= 200 or not string.find(body, marker, 1, true) then
    bad = bad + 1
    bad_status = status
  end
end

function done(summary, latency, requests)
  local bad_total, checked_total, bad_status_any = 0, 0, 0
  for _, thread in ipairs(threads) do
    bad_total = bad_total + thread:get("bad")
    checked_total = checked_total + thread:get("checked")
    if thread:get("bad_status") ~= 0 then bad_status_any = thread:get("bad_status") end
  end
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "errors": %d, "bad": %d, "checked": %d, ' ..
    '"bad_status": %d, "p50_us": %d, "p99_us": %d}\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.status + e.timeout,
    bad_total, checked_total, bad_status_any, latency:percentile(50), latency:percentile(99)))
end

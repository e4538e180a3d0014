-- wrk script for bin/benchmark: done() prints the run's figures as one line of JSON.
-- Arguments after "--": none for GET; "POST <file>" sends the file's content as a JSON body.

function init(args)
  if args[1] == "POST" then
    local file = assert(io.open(args[2], "rb"))
    wrk.method = "POST"
    wrk.body = file:read("*a")
    wrk.headers["Content-Type"] = "application/json"
    file:close()
  end
end

function done(summary, latency, requests)
  local errors = summary.errors
  -- Latencies are in microseconds, duration too.
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "bytes": %d, ' ..
    '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, ' ..
    '"latency_us": {"mean": %.1f, "max": %d, "p50": %d, "p90": %d, "p99": %d}}\n',
    summary.requests, summary.duration, summary.bytes,
    errors.connect, errors.read, errors.write, errors.status, errors.timeout,
    latency.mean, latency.max, latency:percentile(50), latency:percentile(90), latency:percentile(99)))
end

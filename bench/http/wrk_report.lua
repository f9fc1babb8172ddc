-- wrk's script for bench/http/run.py. Arguments (after --): the mode, "hit" (the same
-- URL each time) or "miss" (a new query string each time, so no cache can answer), and
-- the run's nonce (misses of one run never repeat another's). When wrk is done, one
-- JSON line with the counts and latency percentiles (microseconds).

local threads = {}

function setup(thread)
   thread:set("id", #threads + 1)
   table.insert(threads, thread)
end

function init(args)
   miss = args[1] == "miss"
   nonce = args[2] or ""
   counter = 0
end

function request()
   if not miss then
      return wrk.request()
   end
   counter = counter + 1
   local separator = string.find(wrk.path, "?", 1, true) and "&" or "?"
   local path = wrk.path .. separator .. "bench-miss=" .. nonce .. "-" .. id .. "-" .. counter
   return wrk.format(nil, path)
end

function done(summary, latency, requests)
   local errors = summary.errors
   io.write(string.format(
      '{"requests": %d, "duration_us": %d, "bytes": %d, "connect": %d, "read": %d, '
         .. '"write": %d, "status": %d, "timeout": %d, "p50_us": %d, "p99_us": %d}\n',
      summary.requests, summary.duration, summary.bytes, errors.connect, errors.read,
      errors.write, errors.status, errors.timeout,
      latency:percentile(50), latency:percentile(99)))
end

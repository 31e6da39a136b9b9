-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- wrk's done() hook for build-aux/bench/server.sh: one line the script
-- reads, with requests/s, exact latency percentiles (microseconds) and
-- every kind of error wrk counts. wrk takes one script per run, so the
-- bench appends this file to the one that sets the verify header.

function done(summary, latency, requests)
   local e = summary.errors
   io.write(string.format(
      "bench-result requests=%d duration_us=%d rps=%.1f p50_us=%d p99_us=%d max_us=%d"
         .. " connect=%d read=%d write=%d timeout=%d status=%d\n",
      summary.requests, summary.duration,
      summary.requests / (summary.duration / 1e6),
      latency:percentile(50), latency:percentile(99), latency.max,
      e.connect, e.read, e.write, e.timeout, e.status))
end

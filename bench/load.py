"""Load from wrk at a fixed concurrency; its Lua script (wrk/report.lua) reports as JSON."""

import json
import os
import subprocess

SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "wrk", "report.lua")


class Wrk:
    def __init__(self, connections, threads, timeout_s=10):
        self.connections = connections
        self.threads = threads
        self.timeout_s = timeout_s

    def describe(self):
        return "wrk -t%d -c%d --timeout %ds" % (self.threads, self.connections, self.timeout_s)

    def run(self, url, seconds, body_file=None):
        """Drive url for seconds; the figures as a dict (see report.lua), latencies in ms."""
        command = ["wrk", "-t%d" % self.threads, "-c%d" % self.connections, "-d%ds" % seconds,
                   "--timeout", "%ds" % self.timeout_s, "-s", SCRIPT, url]
        if body_file:
            command += ["--", "POST", body_file]
        done = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                              timeout=seconds + self.timeout_s + 30)
        lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
        if done.returncode != 0 or not lines:
            raise RuntimeError("%s failed (exit %d):\n%s" % (" ".join(command), done.returncode, done.stdout))
        raw = json.loads(lines[-1])
        errors = raw["errors"]
        seconds_run = raw["duration_us"] / 1e6
        return {
            "requests": raw["requests"],
            "seconds": round(seconds_run, 3),
            "rps": round(raw["requests"] / seconds_run, 1) if seconds_run else 0.0,
            # wrk counts answers with a status >= 400 as "status" errors.
            "non_2xx": errors["status"],
            "socket_errors": errors["connect"] + errors["read"] + errors["write"] + errors["timeout"],
            "latency_ms": {key: round(value / 1000, 3) for key, value in raw["latency_us"].items()},
        }

"""The soak: the sample under steady load with faults, to show that nothing is lost or leaks.

Starts a throwaway PostgreSQL (Debian's) and the sample on it, measures the peak of a mixed
workload over all four mounts, then runs at about 80% of it for --minutes with, mixed in: reads,
writes (POST /posts, each acknowledged id remembered), malformed JSON bodies (must get 400/422),
requests the apps turn into Java exceptions (a comment on a missing post), client aborts (a body
half sent, a disconnect right after the headers); and, at 40% of the run, a reload of the Flask
app through the actuator and, at 60%, a restart of PostgreSQL. It reports the acknowledged writes
that are gone afterwards (must be 0), malformed bodies accepted (must be 0), 5xx outside the fault
windows (must be 0), Python contexts and JVM threads before and after (must return), and RSS over
time. Exits 1 if a check fails.

    bin/soak                     # 10 minutes
    bin/soak --minutes 3         # shorter
"""

import argparse
import http.client
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

import sample

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from postgres import Cluster  # noqa: E402

MOUNTS = ("/flask", "/django", "/fastapi", "/api")
# Each malformed body, and why it is one.
MALFORMED = [
    b'{"title": ',                       # truncated
    b'{"title": "x",}',                  # trailing comma
    b"[1, 2]",                           # not an object
    b'{"title": "\xff"}',                # invalid UTF-8 inside a string
    b'{"title": "\xc3"}',                # a UTF-8 sequence cut short
    b"\xef\xbb\xbf{\"title\": 1}",       # a title that is not a string
]
# Seconds after a fault's end during which 5xx are blamed on it.
GRACE = 15


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.acknowledged = []
        self.requests = 0
        self.errors_5xx = []
        self.malformed_accepted = []
        self.client_errors = 0
        self.aborts = 0
        self.transport_errors = []

    def add(self, **kwargs):
        with self.lock:
            for key, value in kwargs.items():
                current = getattr(self, key)
                if isinstance(current, list):
                    current.append(value)
                else:
                    setattr(self, key, current + value)


class Faults:
    """Fault windows as (start, end) monotonic times; end is None while a fault is under way."""

    def __init__(self):
        self.windows = []

    def begin(self, name):
        self.windows.append([name, time.monotonic(), None])
        return self.windows[-1]

    def end(self, window):
        window[2] = time.monotonic()

    def covers(self, moment):
        return any(start <= moment and (end is None or moment <= end + GRACE) for _, start, end in self.windows)


def request(port, method, path, body=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        headers = {"Content-Type": "application/json"} if body is not None else {}
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def abort(port, mount, kind):
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        if kind == "half-body":
            sock.sendall(b"POST %s/posts HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                         b"Content-Length: 100\r\n\r\n{\"title\": \"half" % mount.encode())
        else:
            sock.sendall(b"GET %s/posts HTTP/1.1\r\nHost: x\r\n\r\n" % mount.encode())


def one(port, stats, faults, serial):
    mount = random.choice(MOUNTS)
    roll = random.random()
    started = time.monotonic()
    try:
        if roll < 0.04:
            abort(port, mount, random.choice(("half-body", "after-headers")))
            stats.add(aborts=1)
            return
        if roll < 0.10:
            body = random.choice(MALFORMED)
            status, answer = request(port, "POST", mount + "/posts", body)
            if 200 <= status < 300:
                stats.add(malformed_accepted=(mount, body, status))
        elif roll < 0.14:
            status, answer = request(port, "POST", mount + "/comments", b'{"post_id": 999999999, "content": "x"}')
        elif roll < 0.40:
            title = "soak %d %s" % (serial, mount)
            status, answer = request(port, "POST", mount + "/posts", json.dumps({"title": title}).encode())
            if status == 201:
                stats.add(acknowledged=(json.loads(answer)["id"], title))
        else:
            status, answer = request(port, "GET", mount + random.choice(("/posts/1", "/posts", "/iris")))
    except (OSError, http.client.HTTPException) as error:
        if not faults.covers(started):
            stats.add(transport_errors=(mount, repr(error)))
        return
    stats.add(requests=1)
    if status >= 500 and not faults.covers(started):
        stats.add(errors_5xx=(mount, status, answer[:200]))
    elif 400 <= status < 500:
        stats.add(client_errors=1)


def load(port, stats, faults, clients, seconds, rate=None):
    """Closed loop (rate None) or paced at rate requests per second over all clients."""
    deadline = time.monotonic() + seconds
    counter = iter(range(10 ** 9))

    def client():
        interval = clients / rate if rate else 0
        next_at = time.monotonic()
        while time.monotonic() < deadline:
            one(port, stats, faults, next(counter))
            if interval:
                next_at += interval
                pause = next_at - time.monotonic()
                if pause > 0:
                    time.sleep(pause)
                else:
                    next_at = time.monotonic()

    threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def metric(port, name, tag=None):
    url = "http://127.0.0.1:%d/actuator/metrics/%s%s" % (port, name, "?tag=" + tag if tag else "")
    with urllib.request.urlopen(url, timeout=30) as response:
        return json.load(response)["measurements"][0]["value"]


def shape(port, pid):
    contexts = {mount: metric(port, "wsgi.pool.size", "app:" + mount[1:]) for mount in MOUNTS if mount != "/api"}
    with open("/proc/%d/status" % pid) as status:
        fields = dict(line.split(":", 1) for line in status)
    return {"contexts": contexts, "jvm_threads": int(metric(port, "jvm.threads.live")),
            "os_threads": int(fields["Threads"]), "rss_mb": int(fields["VmRSS"].split()[0]) // 1024}


def rss_mb(pid):
    with open("/proc/%d/status" % pid) as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) // 1024
    return 0


def main():
    parser = argparse.ArgumentParser(prog="bin/soak", description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=10, help="length of the run at 80%% of peak (default 10)")
    parser.add_argument("--clients", type=int, default=16, help="concurrent clients (default 16)")
    sample.add_arguments(parser)
    arguments = parser.parse_args()
    work = tempfile.mkdtemp(prefix="springwsgi-soak-")
    stats, faults = Stats(), Faults()
    with Cluster() as database:
        env = {"SPRING_DATASOURCE_URL": database.jdbc_url(), "SPRING_DATASOURCE_USERNAME": "bench",
               "SPRING_DATASOURCE_PASSWORD": database.password}
        print("starting the sample on PostgreSQL %s (log: %s/sample.log)" % (database.version, work), flush=True)
        server = sample.start(arguments, os.path.join(work, "sample.log"), env=env, extra_args=[
            "--management.endpoints.web.exposure.include=health,metrics,wsgi",
            "--management.endpoint.wsgi.access=unrestricted"])
        try:
            return soak(arguments, server, database, stats, faults)
        finally:
            server.stop()


def soak(arguments, server, database, stats, faults):
    port, pid = server.port, server.pid
    print("warming up for 60 s", flush=True)
    load(port, Stats(), faults, arguments.clients, 60)
    before = shape(port, pid)
    print("before: %s" % before, flush=True)
    peak_stats = Stats()
    started = time.monotonic()
    load(port, peak_stats, faults, arguments.clients, 30)
    peak = peak_stats.requests / (time.monotonic() - started)
    rate = 0.8 * peak
    seconds = arguments.minutes * 60
    print("peak %.0f req/s; soaking at %.0f req/s for %.0f s" % (peak, rate, seconds), flush=True)
    rss = []
    stop = threading.Event()

    def sample_rss():
        begin = time.monotonic()
        while not stop.wait(10):
            rss.append((round(time.monotonic() - begin), rss_mb(pid)))

    def reload_flask():
        window = faults.begin("reload of /flask")
        status, _ = request(port, "POST", "/actuator/wsgi/flask")
        faults.end(window)
        print("reload of /flask: %d after %.1f s" % (status, window[2] - window[1]), flush=True)

    def restart_database():
        window = faults.begin("PostgreSQL restart")
        # -l: the restarted server must not inherit the pipe _run reads, or the read never ends.
        database._run(os.path.join(database.bin, "pg_ctl"), "-D", database.data, "-l", database.log, "-m", "fast",
                      "-w", "restart")
        faults.end(window)
        print("PostgreSQL restarted in %.1f s" % (window[2] - window[1]), flush=True)

    sampler = threading.Thread(target=sample_rss, daemon=True)
    sampler.start()
    timers = [threading.Timer(0.4 * seconds, reload_flask), threading.Timer(0.6 * seconds, restart_database)]
    for timer in timers:
        timer.start()
    load(port, stats, faults, arguments.clients, seconds, rate)
    for timer in timers:
        timer.join()
    stop.set()
    print("settling for 30 s", flush=True)
    time.sleep(30)
    after = shape(port, pid)
    lost = [(post_id, title) for post_id, title in stats.acknowledged
            if request(port, "GET", "/api/posts/%d" % post_id)[0] != 200]
    checks = [
        ("acknowledged writes lost", len(lost), 0),
        ("malformed bodies accepted", len(stats.malformed_accepted), 0),
        ("5xx outside fault windows", len(stats.errors_5xx), 0),
        ("transport errors outside fault windows", len(stats.transport_errors), 0),
        ("Python contexts after - before", sum(after["contexts"].values()) - sum(before["contexts"].values()), 0),
    ]
    print("\nrequests %d (%.0f req/s), acknowledged writes %d, 4xx %d, client aborts %d"
          % (stats.requests, stats.requests / seconds, len(stats.acknowledged), stats.client_errors, stats.aborts))
    print("before: %s\nafter:  %s" % (before, after))
    print("RSS (s, MB): %s" % rss)
    failed = 0
    for name, value, expected in checks:
        ok = value == expected
        failed += not ok
        print("%-4s %s: %d" % ("ok" if ok else "FAIL", name, value))
    threads_ok = after["jvm_threads"] <= before["jvm_threads"] + 8
    failed += not threads_ok
    print("%-4s JVM threads %d -> %d" % ("ok" if threads_ok else "FAIL", before["jvm_threads"], after["jvm_threads"]))
    for sample_list, label in ((lost, "lost"), (stats.malformed_accepted, "accepted"), (stats.errors_5xx, "5xx"),
                               (stats.transport_errors, "transport")):
        for item in sample_list[:5]:
            print("  %s: %r" % (label, item))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

"""The training run's load for bin/aot-cache: every route of the benchmark on every mount of the
sample, from a few threads at once, for a number of seconds, so that the JVM records the classes,
the linking and the method profiles a service under load needs. Standard library only.

    python3 bench/training_load.py http://localhost:18090 120
"""

import json
import sys
import threading
import time
import urllib.error
import urllib.request

ROUTES = [("GET", "/plaintext"), ("GET", "/"), ("POST", "/echo"), ("GET", "/posts/1")]
MOUNTS = ["/flask", "/django", "/fastapi"]
JAVA_ROUTES = [("GET", "/api/hello"), ("POST", "/api/echo"), ("GET", "/api/posts/1")]
BODY = json.dumps({"title": "training", "tags": ["aot", "cache"], "count": 3}).encode()


def requests():
    for mount in MOUNTS:
        for method, path in ROUTES:
            yield method, mount + path
    yield from JAVA_ROUTES


def drive(base, deadline, counts, lock):
    ok = failed = 0
    while time.monotonic() < deadline:
        for method, path in requests():
            request = urllib.request.Request(base + path, data=BODY if method == "POST" else None, method=method,
                                             headers={"Content-Type": "application/json"})
            try:
                with urllib.request.urlopen(request, timeout=30) as answer:
                    answer.read()
                ok += 1
            except (urllib.error.URLError, OSError):
                failed += 1
    with lock:
        counts["ok"] += ok
        counts["failed"] += failed


def main(base, seconds, threads=4):
    counts = {"ok": 0, "failed": 0}
    deadline = time.monotonic() + seconds
    lock = threading.Lock()
    workers = [threading.Thread(target=drive, args=(base, deadline, counts, lock)) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    print("training load: %d requests answered, %d failed, in %d s" % (counts["ok"], counts["failed"], seconds))


if __name__ == "__main__":
    main(sys.argv[1].rstrip("/"), int(sys.argv[2]))

"""A WSGI app whose import waits until the file named by SPRINGWSGI_TEST_GATE exists, so a
test decides when it has loaded; it counts the warm-up requests its context has served."""

import json
import os
import time

_gate = os.environ["SPRINGWSGI_TEST_GATE"]
while not os.path.exists(_gate):
    time.sleep(0.05)

_served = {"warm_up": 0, "other": 0}


def application(environ, start_response):
    kind = "warm_up" if environ.get("HTTP_USER_AGENT") == "springwsgi-warm-up" else "other"
    _served[kind] += 1
    body = json.dumps({"path": environ["PATH_INFO"], **_served}).encode()
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]

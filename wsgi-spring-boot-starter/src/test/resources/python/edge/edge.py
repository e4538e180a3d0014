"""A plain WSGI app for the error rows of the bridge: slow, failing and closing on demand."""

import json
import os
import time
import uuid

# New in every context: a reload shows as a new value.
LOADED = uuid.uuid4().hex

# A test holds the import (and so a reload) here while this file, next to the app's
# directory and outside what debug mode watches, exists.
_GATE = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "edge-import-gate")
if os.path.exists(_GATE):
    open(_GATE + ".reached", "w").close()
    while os.path.exists(_GATE):
        time.sleep(0.05)

# Iterables closed by this context, for tests that look at the module's state.
closed = []


class Closing:
    """Records its close() in the module and, when given one, in a file that outlives a reload."""

    def __init__(self, chunks, marker):
        self.chunks = chunks
        self.marker = marker

    def __iter__(self):
        for chunk in self.chunks:
            yield chunk
            time.sleep(0.01)

    def close(self):
        closed.append("closed")
        if self.marker:
            with open(self.marker, "w") as marker:
                marker.write("closed")


def application(environ, start_response):
    path = environ["PATH_INFO"]
    if path == "/wait":
        # Holds its context until the file named in the query string exists.
        gate = environ["QUERY_STRING"]
        deadline = time.monotonic() + 60
        while not os.path.exists(gate) and time.monotonic() < deadline:
            time.sleep(0.02)
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"released"]
    if path == "/spin":
        while True:
            pass
    if path == "/raises":
        raise LookupError("edge app failed on purpose")
    if path == "/endless":
        start_response("200 OK", [("Content-Type", "application/octet-stream")])
        return Closing([b"x" * 65536] * 100000, environ["QUERY_STRING"])
    if path == "/closed":
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [str(len(closed)).encode()]
    if path == "/sql":
        import spring
        try:
            spring.sql("SELECT 1 AS one")
            answer = "allowed"
        except spring.JavaError as error:
            answer = error.message
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [answer.encode()]
    if path == "/os-environ":
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [repr(sorted(os.environ)).encode()]
    if path == "/exists":
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"yes" if os.path.exists(environ["QUERY_STRING"]) else b"no"]
    if path in ("/environ", "/whoami"):
        keys = ("wsgi.url_scheme", "HTTP_HOST", "SERVER_NAME", "SERVER_PORT", "SERVER_PROTOCOL", "REMOTE_ADDR",
                "REMOTE_USER", "HTTP_TRACEPARENT", "springwsgi.traceparent")
        body = json.dumps({key: environ.get(key) for key in keys}).encode()
        start_response("200 OK", [("Content-Type", "application/json")])
        return [body]
    if path == "/overlong":
        start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "5")])
        return [b"abc", b"defgh"]
    if path == "/short":
        start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "10")])
        return [b"abc", b"de"]
    if path == "/protocol":
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [environ["SERVER_PROTOCOL"].encode()]
    if path == "/loaded":
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [LOADED.encode()]
    if path == "/echo":
        body = environ["wsgi.input"].read()
        start_response("200 OK", [("Content-Type", "application/octet-stream")])
        return [body]
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"edge"]

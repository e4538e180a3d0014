"""Apps that break PEP 3333 or fail, one per path, to check what the server answers."""

import sys

closed = []


class Tracked:
    """An iterable that records its close(), which the server must call on every path."""

    def __init__(self, name, chunks, fail_at=None):
        self.name = name
        self.chunks = chunks
        self.fail_at = fail_at

    def __iter__(self):
        for index, chunk in enumerate(self.chunks):
            if index == self.fail_at:
                raise RuntimeError("failed while iterating " + self.name)
            yield chunk

    def close(self):
        closed.append(self.name)


def application(environ, start_response):
    path = environ["PATH_INFO"]
    if path == "/ok":
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"ok"]
    if path == "/raises":
        raise ValueError("the app failed on purpose")
    if path == "/bad-status":
        start_response("OK", [])
        return [b""]
    if path == "/bad-status-type":
        start_response(200, [])
        return [b""]
    if path == "/bad-header":
        start_response("200 OK", [("Content-Type", "text/plain\r\nX-Injected: 1")])
        return [b""]
    if path == "/hop-by-hop":
        start_response("200 OK", [("Connection", "close")])
        return [b""]
    if path == "/bad-length":
        start_response("200 OK", [("Content-Length", "5, 5")])
        return [b"hello"]
    if path == "/headers-not-list":
        start_response("200 OK", (("Content-Type", "text/plain"),))
        return [b""]
    if path == "/not-iterable":
        start_response("200 OK", [])
        return 42
    if path == "/str-body":
        start_response("200 OK", [])
        return ["text instead of bytes"]
    if path == "/twice":
        start_response("200 OK", [])
        start_response("201 Created", [])
        return [b""]
    if path == "/no-start":
        return [b"body without start_response"]
    if path == "/exc-info-before-headers":
        start_response("200 OK", [("Content-Type", "text/plain")])
        try:
            raise KeyError("handled by the app")
        except KeyError:
            start_response("500 Internal Server Error", [("Content-Type", "text/plain")], sys.exc_info())
        return [b"the app's own error page"]
    if path == "/exc-info-after-headers":
        write = start_response("200 OK", [("Content-Type", "text/plain")])
        write(b"partial")
        try:
            raise KeyError("too late")
        except KeyError:
            start_response("500 Internal Server Error", [], sys.exc_info())
        return [b"never sent"]
    if path == "/fails-iterating":
        start_response("200 OK", [("Content-Type", "text/plain")])
        return Tracked("fails-iterating", [b"first", b"second"], fail_at=1)
    if path == "/fails-before-body":
        start_response("200 OK", [("Content-Type", "text/plain")])
        return Tracked("fails-before-body", [b"first"], fail_at=0)
    if path == "/tracked":
        start_response("200 OK", [("Content-Type", "text/plain")])
        return Tracked("tracked", [b"one", b"two"])
    if path == "/long-stream":
        start_response("200 OK", [("Content-Type", "text/plain")])
        return Tracked("long-stream", [b"x" * 1024] * 1000)
    if path == "/read-body":
        size = len(environ["wsgi.input"].read())
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [str(size).encode()]
    if path == "/read-body-catching":
        # What Flask and Django do with an input error: catch it and answer 500 themselves.
        try:
            environ["wsgi.input"].read()
        except OSError:
            start_response("500 Internal Server Error", [("Content-Type", "text/plain")])
            return [b"the app caught the input error"]
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"read"]
    if path == "/closed":
        body = ",".join(closed).encode()
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [body]
    start_response("404 Not Found", [])
    return [b""]

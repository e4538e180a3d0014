"""Apps that use every part of PEP 3333, wrapped in wsgiref's validator so a violation by the
server (or the app) fails the request."""

import json
import warnings
from wsgiref.validate import WSGIWarning, validator

warnings.simplefilter("error", WSGIWarning)


def _read_body(environ):
    stream = environ["wsgi.input"]
    length = environ.get("CONTENT_LENGTH", "")
    if length:
        return stream.read(int(length))
    chunks = []
    while True:
        chunk = stream.read(8192)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


def _environ_view(environ):
    return {key: value for key, value in environ.items() if isinstance(value, str)}


def _app(environ, start_response):
    path = environ["PATH_INFO"]
    if path == "/environ":
        body = json.dumps(_environ_view(environ)).encode()
        start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
        return [body]
    if path == "/echo":
        body = _read_body(environ)
        start_response("200 OK", [("Content-Type", "application/octet-stream"), ("Content-Length", str(len(body)))])
        return [body]
    if path == "/read-huge":
        # A size no body reaches, as frameworks pass when they mean "up to the end".
        body = environ["wsgi.input"].read(2 ** 40)
        start_response("200 OK", [("Content-Type", "application/octet-stream"), ("Content-Length", str(len(body)))])
        return [body]
    if path == "/lines":
        stream = environ["wsgi.input"]
        first = stream.readline()
        second = stream.readline(3)
        rest = stream.readlines()
        body = json.dumps([first.decode(), second.decode()] + [line.decode() for line in rest]).encode()
        start_response("200 OK", [("Content-Type", "application/json")])
        return [body]
    if path == "/iterate":
        lines = [line.decode() for line in environ["wsgi.input"]]
        body = json.dumps(lines).encode()
        start_response("200 OK", [("Content-Type", "application/json")])
        return [body]
    if path == "/stream":
        start_response("200 OK", [("Content-Type", "text/plain")])
        return (("chunk %d\n" % i).encode() for i in range(5))
    if path == "/write":
        write = start_response("200 OK", [("Content-Type", "text/plain")])
        write(b"written ")
        return [b"and returned"]
    if path == "/file":
        import io
        start_response("200 OK", [("Content-Type", "text/plain")])
        return environ["wsgi.file_wrapper"](io.BytesIO(b"x" * 20000), 4096)
    if path == "/overlong":
        start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "5")])
        return [b"abc", b"defgh", b"never sent"]
    if path == "/short":
        start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "10")])
        return [b"abc", b"de"]
    if path == "/errors":
        environ["wsgi.errors"].write("a line for the log\n")
        environ["wsgi.errors"].flush()
        start_response("204 No Content", [])
        return []
    start_response("404 Not Found", [("Content-Type", "text/plain")])
    return [b"no route " + path.encode("latin-1")]


application = validator(_app)

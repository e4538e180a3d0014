"""The bad-request run: malformed and hostile HTTP/1.1 sent over raw sockets to every mount.

Each case must get a 4xx (or the 501/505 that RFC 9112/9110 name for it) or a closed connection,
never a 5xx or silence, and must not be answered more than once (a body read as a second request
is request smuggling). Afterwards every mount must still answer. Prints one line per case and a
summary; exits 1 if any case failed.

    bin/bad-requests                          # builds and starts the sample
    bin/bad-requests http://127.0.0.1:8080    # a sample that is running
"""

import argparse
import os
import re
import socket
import sys
import tempfile
import time
import urllib.parse
import urllib.request

import sample

MOUNTS = ("/flask", "/django", "/fastapi", "/api")
# The client has sent everything; silence this long after that is a hang.
HANG_SECONDS = 20
STATUS_LINE = re.compile(rb"^HTTP/1\.[01] (\d{3}) ", re.M)
SMUGGLED = b"GET /api/posts HTTP/1.1\r\nHost: x\r\n\r\n"


def chunked(body):
    return b"%x\r\n%s\r\n0\r\n\r\n" % (len(body), body)


def cases():
    """(name, request bytes for a mount, statuses allowed besides any 4xx)."""
    json = b'{"title": "bad request run"}'
    yield "version HTTP/3.0", lambda m: b"GET %s/posts HTTP/3.0\r\nHost: x\r\n\r\n" % m, {505}
    yield "version http/1.1", lambda m: b"GET %s/posts http/1.1\r\nHost: x\r\n\r\n" % m, set()
    yield "version HTTP/1.10", lambda m: b"GET %s/posts HTTP/1.10\r\nHost: x\r\n\r\n" % m, set()
    yield "version missing", lambda m: b"GET %s/posts\r\nHost: x\r\n\r\n" % m, set()
    yield "method G(T", lambda m: b"G(T %s/posts HTTP/1.1\r\nHost: x\r\n\r\n" % m, set()
    yield "method with NUL", lambda m: b"G\x00T %s/posts HTTP/1.1\r\nHost: x\r\n\r\n" % m, set()
    yield "space in target", lambda m: b"GET %s/po sts HTTP/1.1\r\nHost: x\r\n\r\n" % m, set()
    yield "bare LF line ends", lambda m: b"GET %s/posts HTTP/1.1\nHost: x\n\n" % m, set()
    yield "no Host", lambda m: b"GET %s/posts HTTP/1.1\r\n\r\n" % m, set()
    yield "two Host fields", lambda m: b"GET %s/posts HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n" % m, set()
    yield "Host with space", lambda m: b"GET %s/posts HTTP/1.1\r\nHost: a b\r\n\r\n" % m, set()
    yield "space before colon", lambda m: b"GET %s/posts HTTP/1.1\r\nHost : x\r\n\r\n" % m, set()
    yield "obsolete line folding", lambda m: b"GET %s/posts HTTP/1.1\r\nHost: x\r\nX-A: 1\r\n  folded\r\n\r\n" % m, {200}
    yield "header without colon", lambda m: b"GET %s/posts HTTP/1.1\r\nHost: x\r\nNoColon\r\n\r\n" % m, set()
    yield "CL and TE (smuggling)", lambda m: (b"POST %s/posts HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                                               b"Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n" % m
                                               + chunked(json) + SMUGGLED), set()
    yield "TE xchunked (smuggling)", lambda m: (b"POST %s/posts HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                                                 b"Transfer-Encoding: xchunked\r\n\r\n" % m + chunked(SMUGGLED)), {501}
    yield "TE chunked, gzip", lambda m: (b"POST %s/posts HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, gzip\r\n\r\n" % m
                                          + chunked(json)), {501}
    yield "TE chunked twice", lambda m: (b"POST %s/posts HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                                          b"Transfer-Encoding: chunked\r\n\r\n" % m + chunked(json)), set()
    yield "TE in HTTP/1.0", lambda m: b"POST %s/posts HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n" % m + chunked(json), set()
    yield "two Content-Lengths", lambda m: (b"POST %s/posts HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n"
                                             b"Content-Length: 28\r\n\r\n" % m + json), set()
    yield "Content-Length +28", lambda m: b"POST %s/posts HTTP/1.1\r\nHost: x\r\nContent-Length: +28\r\n\r\n" % m + json, set()
    yield "Content-Length -1", lambda m: b"POST %s/posts HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n" % m, set()
    yield "chunk size zz", lambda m: (b"POST %s/posts HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                                       b"Transfer-Encoding: chunked\r\n\r\nzz\r\n%s\r\n0\r\n\r\n" % (m, json)), set()
    yield "chunk size -1c", lambda m: (b"POST %s/posts HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                                        b"Transfer-Encoding: chunked\r\n\r\n-1c\r\n%s\r\n0\r\n\r\n" % (m, json)), set()
    yield "chunk size 0x1c", lambda m: (b"POST %s/posts HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                                         b"Transfer-Encoding: chunked\r\n\r\n0x1c\r\n%s\r\n0\r\n\r\n" % (m, json)), set()
    yield "chunk longer than its size", lambda m: (b"POST %s/posts HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                                                    b"Transfer-Encoding: chunked\r\n\r\n2\r\n%s\r\n0\r\n\r\n" % (m, json)), set()
    yield "huge chunk size", lambda m: (b"POST %s/posts HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                                         b"ffffffffffffffffff\r\nab\r\n0\r\n\r\n" % m), set()
    yield "flood of tiny chunks", lambda m: (b"POST %s/posts HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                                              b"Transfer-Encoding: chunked\r\n\r\n" % m + b"1\r\n \r\n" * 20000
                                              + b"0\r\n\r\n"), {201}
    yield "oversize request line", lambda m: b"GET %s/posts?%s HTTP/1.1\r\nHost: x\r\n\r\n" % (m, b"a" * 70000), set()
    yield "oversize header", lambda m: b"GET %s/posts HTTP/1.1\r\nHost: x\r\nX-Big: %s\r\n\r\n" % (m, b"a" * 70000), set()
    yield "10000 headers", lambda m: (b"GET %s/posts HTTP/1.1\r\nHost: x\r\n" % m + b"X-H: 1\r\n" * 10000 + b"\r\n"), set()
    yield "NUL in header value", lambda m: b"GET %s/posts HTTP/1.1\r\nHost: x\r\nX-A: a\x00b\r\n\r\n" % m, set()
    yield "invalid UTF-8 in JSON", lambda m: (b"POST %s/posts HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                                               b"Content-Length: 14\r\nConnection: close\r\n\r\n" % m
                                               + b'{"title": "\xff"}'), set()
    yield "truncated JSON", lambda m: (b"POST %s/posts HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                                        b"Content-Length: 10\r\nConnection: close\r\n\r\n" % m + b'{"title": '), set()


def complete_response(received):
    """Whether the bytes hold at least one whole response (Content-Length or chunked body)."""
    end = received.find(b"\r\n\r\n")
    if end < 0:
        return False
    head = received[:end].lower()
    length = re.search(rb"content-length: *(\d+)", head)
    if length:
        return len(received) >= end + 4 + int(length.group(1))
    return b"transfer-encoding: chunked" not in head or received.endswith(b"0\r\n\r\n")


def exchange(port, payload):
    """Send the payload and read until the server closes, or until a whole answer was followed by
    2 s of quiet on a connection kept open; silence for HANG_SECONDS without an answer is a hang.
    The client never half-closes: Reactor Netty closes a half-closed connection at once."""
    with socket.create_connection(("127.0.0.1", port), timeout=2) as sock:
        try:
            sock.sendall(payload)
        except (BrokenPipeError, ConnectionResetError):
            pass
        received = b""
        quiet_since = time.monotonic()
        while True:
            try:
                data = sock.recv(65536)
            except socket.timeout:
                if complete_response(received):
                    return received, "kept open"
                if time.monotonic() - quiet_since > HANG_SECONDS:
                    return received, "hang"
                continue
            except ConnectionResetError:
                return received, "reset"
            if not data:
                return received, "closed"
            received += data
            quiet_since = time.monotonic()


def verdict(received, ending, allowed):
    statuses = [int(code) for code in STATUS_LINE.findall(received)]
    if ending == "hang":
        return False, "no answer and no close within %ds" % HANG_SECONDS, statuses
    if len(statuses) > 1:
        return False, "answered %d times (%s): a body was read as a request" % (len(statuses), statuses), statuses
    if not statuses:
        return True, "connection %s without an answer" % ending, statuses
    status = statuses[0]
    if 400 <= status < 500 or status in allowed:
        return True, "%d, connection %s" % (status, ending), statuses
    return False, "answered %d" % status, statuses


def slowloris(port):
    """Headers one byte at a time, never finished: the server must close the connection itself."""
    with socket.create_connection(("127.0.0.1", port), timeout=HANG_SECONDS) as sock:
        sock.sendall(b"GET /api/posts HTTP/1.1\r\nHost: x\r\n")
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            try:
                sock.sendall(b"X")
            except (BrokenPipeError, ConnectionResetError):
                return True, "closed by the server while the headers trickled in"
            try:
                sock.settimeout(1)
                if sock.recv(65536) == b"":
                    return True, "closed by the server while the headers trickled in"
            except socket.timeout:
                pass
            except ConnectionResetError:
                return True, "reset by the server while the headers trickled in"
        return False, "still open after 180 s of trickled headers"


def still_answers(base):
    for mount in MOUNTS:
        with urllib.request.urlopen(base + mount + "/posts", timeout=60) as response:
            if response.status != 200:
                return False, "%s/posts answered %d" % (mount, response.status)
    return True, "every mount answers GET /posts with 200"


def main():
    parser = argparse.ArgumentParser(prog="bin/bad-requests", description=__doc__.split("\n\n")[0])
    parser.add_argument("url", nargs="?", help="a running sample; without it the sample is started")
    sample.add_arguments(parser)
    arguments = parser.parse_args()
    if arguments.url:
        return run(arguments.url.rstrip("/"))
    log = os.path.join(tempfile.mkdtemp(prefix="springwsgi-bad-requests-"), "sample.log")
    print("starting the sample (log: %s)" % log, flush=True)
    server = sample.start(arguments, log)
    try:
        return run("http://127.0.0.1:%d" % server.port)
    finally:
        server.stop()


def run(base):
    port = urllib.parse.urlsplit(base).port or 80
    failures = 0
    total = 0
    for name, build, allowed in cases():
        for mount in MOUNTS:
            total += 1
            received, ending = exchange(port, build(mount.encode()))
            ok, why, _ = verdict(received, ending, allowed)
            failures += not ok
            print("%-4s %-28s %-9s %s" % ("ok" if ok else "FAIL", name, mount, why), flush=True)
    total += 1
    ok, why = slowloris(port)
    failures += not ok
    print("%-4s %-28s %-9s %s" % ("ok" if ok else "FAIL", "slowloris", "/api", why), flush=True)
    total += 1
    ok, why = still_answers(base)
    failures += not ok
    print("%-4s %-28s %-9s %s" % ("ok" if ok else "FAIL", "server answers afterwards", "all", why), flush=True)
    print("\n%d of %d checks passed" % (total - failures, total))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

"""Apps that show how requests use the pool's contexts."""

import json
import time
import uuid

# Differs in every context: tells which context answered.
CONTEXT_ID = uuid.uuid4().hex

# Requests to /count this context has run.
counted = 0


def application(environ, start_response):
    global counted
    path = environ["PATH_INFO"]
    if path == "/interval":
        started = time.monotonic()
        time.sleep(float(environ.get("QUERY_STRING") or "1"))
        body = json.dumps({"context": CONTEXT_ID, "start": started, "end": time.monotonic()}).encode()
    elif path == "/hold":
        # Reads the body to its end, so the client decides when this request lets go of its context.
        environ["wsgi.input"].read()
        body = json.dumps({"context": CONTEXT_ID}).encode()
    elif path == "/nap":
        # The body read tells the client the request has started. GraalPy 25.0 cannot cancel a
        # time.sleep() given a float before it returns, so this request is slow to cancel.
        environ["wsgi.input"].read()
        time.sleep(float(environ["QUERY_STRING"]))
        body = json.dumps({"context": CONTEXT_ID}).encode()
    elif path == "/count":
        counted += 1
        body = json.dumps({"context": CONTEXT_ID, "count": counted}).encode()
    elif path == "/spin":
        while True:
            pass
    else:
        body = json.dumps({"context": CONTEXT_ID}).encode()
    start_response("200 OK", [("Content-Type", "application/json")])
    return [body]

"""Loads in the first context of its pool and fails to import in every later one: a pool that
fails half-way through starting."""

import os

_MARKER = os.environ["FAILS_AFTER_FIRST_MARKER"]
if os.path.exists(_MARKER):
    raise RuntimeError("only the first context of this app loads")
open(_MARKER, "w").close()


def application(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"first"]

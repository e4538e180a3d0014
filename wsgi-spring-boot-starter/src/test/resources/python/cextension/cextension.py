"""Imports a module that exists here only as a C extension built for CPython."""

import _speedups  # noqa: F401


def application(environ, start_response):
    start_response("200 OK", [])
    return [b""]

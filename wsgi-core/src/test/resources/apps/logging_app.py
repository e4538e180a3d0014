"""An app that writes to every output a Python app has: print, stderr, logging, wsgi.errors."""

import logging
import sys

log = logging.getLogger("shop.views")


def application(environ, start_response):
    print("printed to stdout")
    print("printed to stderr", file=sys.stderr)
    log.info("an info record %s", "with arguments")
    log.debug("a debug record nobody asked for")
    try:
        raise KeyError("inside a handler")
    except KeyError:
        log.exception("an error with its traceback")
    environ["wsgi.errors"].write("written to wsgi.errors\n")
    start_response("204 No Content", [])
    return []

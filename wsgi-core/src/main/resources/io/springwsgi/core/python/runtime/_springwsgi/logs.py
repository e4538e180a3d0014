"""Python's logging, routed to the app's SLF4J loggers."""

import logging

from _springwsgi import tracing


class HostHandler(logging.Handler):
    """Hands each record to Java, which logs it under io.springwsgi.app.<app>.<logger name>,
    with the trace context of the request that logged it."""

    def __init__(self, sink):
        super().__init__()
        self._sink = sink

    def emit(self, record):
        try:
            self._sink.log(record.levelno, record.name, self.format(record), tracing.current.get())
        except Exception:
            self.handleError(record)


def install(sink, level):
    """Send the root logger's records to the host, at the level the host's logger has."""
    root = logging.getLogger()
    root.addHandler(HostHandler(sink))
    root.setLevel(level)

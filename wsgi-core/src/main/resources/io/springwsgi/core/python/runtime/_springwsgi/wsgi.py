"""The server/gateway side of PEP 3333, run once per request inside a GraalPy context.

Java builds the CGI variables and owns the sockets; this module turns them into the environ,
calls the application, enforces the PEP's rules on what it returns, and hands status, headers
and body chunks back to Java one at a time, so a generator's chunks leave as they are yielded.
"""

import logging
import re
import sys
import traceback

from _springwsgi import headers as _headers
from _springwsgi import routes, tracing

# Outcomes reported to Java when the request did not complete normally.
APP_ERROR = "app"
PROTOCOL_ERROR = "protocol"
DISCONNECTED = "disconnected"

_STATUS = re.compile(r"[1-9][0-9]{2} [^\x00-\x1f\x7f]*\Z")
_CHUNK = 65536
_log = logging.getLogger("springwsgi")
# Java sends the CGI variables as one string, keys and values separated by a character that no
# latin-1 string holds (WsgiEnvironBuilder.FIELD_SEPARATOR).
_FIELD_SEPARATOR = "\uffff"


class ProtocolError(Exception):
    """The application broke a rule of PEP 3333; the message names the rule."""


class ClientDisconnected(Exception):
    """The client went away while the response was being written."""


class Input:
    """``wsgi.input``: the request body, read from Java as it arrives (PEP 3333 "Input and Error Streams")."""

    __slots__ = ("_body", "_buffer", "_eof")

    def __init__(self, body):
        self._body = body
        self._buffer = b""
        self._eof = False

    def _fill(self, size):
        if self._eof:
            return False
        chunk = self._body.read(size)
        if chunk is None:
            raise OSError(self._body.failure())
        if not chunk:
            self._eof = True
            return False
        # Java hands bytes over as a latin-1 string: one char per byte, the cheapest crossing.
        self._buffer += chunk.encode("latin-1")
        return True

    def read(self, size=-1):
        if size is None or size < 0:
            while self._fill(_CHUNK):
                pass
            data, self._buffer = self._buffer, b""
            return data
        # Java reads at most _CHUNK bytes at once; a larger size (2**40) never crosses as an int.
        while len(self._buffer) < size and self._fill(min(max(size - len(self._buffer), 8192), _CHUNK)):
            pass
        data, self._buffer = self._buffer[:size], self._buffer[size:]
        return data

    def readline(self, size=-1):
        while True:
            end = self._buffer.find(b"\n")
            if end >= 0:
                end += 1
                break
            if 0 <= size <= len(self._buffer) or not self._fill(8192):
                end = len(self._buffer)
                break
        if size is not None and 0 <= size < end:
            end = size
        line, self._buffer = self._buffer[:end], self._buffer[end:]
        return line

    def readlines(self, hint=-1):
        lines = []
        total = 0
        for line in self:
            lines.append(line)
            total += len(line)
            if 0 < hint <= total:
                break
        return lines

    def __iter__(self):
        return self

    def __next__(self):
        line = self.readline()
        if not line:
            raise StopIteration
        return line


class Errors:
    """``wsgi.errors``: a text stream into the app's logger."""

    __slots__ = ("_sink",)

    def __init__(self, sink):
        self._sink = sink

    def write(self, text):
        if not isinstance(text, str):
            raise TypeError("wsgi.errors.write() takes str, not %s" % type(text).__name__)
        self._sink.write(text)

    def writelines(self, lines):
        for line in lines:
            self.write(line)

    def flush(self):
        self._sink.flush()


class FileWrapper:
    """``wsgi.file_wrapper`` (PEP 3333 "Optional Platform-Specific File Handling")."""

    def __init__(self, filelike, blksize=8192):
        self.filelike = filelike
        self.blksize = blksize
        if hasattr(filelike, "close"):
            self.close = filelike.close

    def __iter__(self):
        return self

    def __next__(self):
        data = self.filelike.read(self.blksize)
        if data:
            return data
        raise StopIteration


class _Response:
    """Holds what ``start_response`` was given until the first body bytes, then sends it.

    A body that arrives whole, one chunk as long as the Content-Length header says (what Flask
    and Django return), goes to Java together with the status and headers in one call, and the
    response is complete: the most common response costs one crossing instead of three.

    A Content-Length is a promise to the client (PEP 3333, 'Handling the Content-Length Header'):
    bytes past it are dropped and the iterable is not asked for more, a body that ends short of it
    is a ProtocolError, which aborts the connection. A HEAD response and the statuses without a
    body (1xx, 204, 304) keep the length of the body they would have.
    """

    __slots__ = ("_channel", "_head", "status", "headers", "length", "sent", "headers_sent", "done", "finished")

    def __init__(self, channel, head):
        self._channel = channel
        self._head = head
        self.status = None
        self.headers = None
        self.length = None
        self.sent = 0
        self.headers_sent = False
        # Every byte the Content-Length declared was sent.
        self.done = False
        self.finished = False

    def start_response(self, status, response_headers, exc_info=None):
        if exc_info:
            try:
                if self.headers_sent:
                    # PEP 3333: too late to change the status; re-raise so the server aborts.
                    raise exc_info[1].with_traceback(exc_info[2])
            finally:
                exc_info = None
        elif self.status is not None:
            raise ProtocolError(
                "start_response() was called a second time without exc_info "
                "(PEP 3333, 'The start_response() Callable')"
            )
        self.status = _checked_status(status)
        self.headers, self.length = _checked_headers(response_headers)
        if self._head or self.status[0] == "1" or self.status[:3] in ("204", "304"):
            self.length = None
        return self.write

    def write(self, data):
        if self.status is None:
            raise ProtocolError(
                "write() was called before start_response() (PEP 3333, 'The write() Callable')"
            )
        if type(data) is not bytes:
            raise ProtocolError(
                "write() takes bytes, got %s (PEP 3333, 'Unicode Issues')" % type(data).__name__
            )
        if self.done and data:
            raise ProtocolError(
                "write() was called after the %d bytes the Content-Length declared were sent "
                "(PEP 3333, 'Handling the Content-Length Header')" % self.length
            )
        self._send(data)

    def body_chunk(self, data):
        if type(data) is not bytes:
            raise ProtocolError(
                "the application's iterable yielded %s; it must yield bytes (PEP 3333, 'Unicode Issues')"
                % type(data).__name__
            )
        if data:
            if self.status is None:
                raise ProtocolError(
                    "the application yielded body bytes before calling start_response() "
                    "(PEP 3333, 'The start_response() Callable')"
                )
            self._send(data)

    def finish(self):
        if self.status is None:
            raise ProtocolError(
                "the application returned without calling start_response() "
                "(PEP 3333, 'The start_response() Callable')"
            )
        if self.finished:
            return
        if self.length is not None and self.sent < self.length:
            raise ProtocolError(
                "the application sent %d of the %d bytes its Content-Length declared "
                "(PEP 3333, 'Handling the Content-Length Header')" % (self.sent, self.length)
            )
        self.finished = True
        self._send_headers()
        self._channel.finish()

    def _send(self, data):
        if self.length is not None:
            room = self.length - self.sent
            if len(data) >= room:
                if len(data) > room:
                    _log.warning("the application sent more than its Content-Length of %d bytes; the rest was "
                                 "dropped (PEP 3333, 'Handling the Content-Length Header')", self.length)
                data = data[:room]
                self.done = True
            self.sent += len(data)
        if not self.headers_sent and self.done:
            self.headers_sent = self.finished = True
            if not self._channel.respond(self.status, _headers.SEPARATOR.join(self.headers), data):
                raise ClientDisconnected()
            return
        self._send_headers()
        if data and not self._channel.write(data):
            raise ClientDisconnected()

    def _send_headers(self):
        if not self.headers_sent:
            self.headers_sent = True
            self._channel.start(self.status, _headers.SEPARATOR.join(self.headers))


def _checked_status(status):
    if type(status) is not str:
        raise ProtocolError(
            "the status must be a str such as '200 OK', not %s (PEP 3333, 'The start_response() Callable')"
            % type(status).__name__
        )
    if not _STATUS.match(status):
        raise ProtocolError(
            "the status %r is not a three-digit code, a space and a reason phrase "
            "(PEP 3333, 'The start_response() Callable')" % status
        )
    return status


def _checked_headers(headers):
    if type(headers) is not list:
        raise ProtocolError(
            "response_headers must be a list, not %s (PEP 3333, 'The start_response() Callable')"
            % type(headers).__name__
        )
    flat = []
    length = None
    for header in headers:
        if type(header) is not tuple or len(header) != 2:
            raise ProtocolError(
                "each response header must be a (name, value) tuple, got %r "
                "(PEP 3333, 'The start_response() Callable')" % (header,)
            )
        name, value = header
        if type(name) is not str or type(value) is not str:
            raise ProtocolError(
                "the header %r must be a pair of str (PEP 3333, 'The start_response() Callable')" % (header,)
            )
        try:
            value.encode("latin-1")
        except UnicodeEncodeError:
            raise ProtocolError(
                "the value of header %r is not latin-1 (PEP 3333, 'Unicode Issues')" % name
            ) from None
        broken = _headers.problem(name, value, length)
        if broken is not None:
            raise ProtocolError("%s (PEP 3333, '%s')" % broken)
        if name.lower() == "content-length":
            length = int(value)
        flat.append(name)
        flat.append(value)
    return flat, length


# The same in every environ: one thread per context, contexts like processes (PEP 3333).
_CONSTANT_ENVIRON = {
    "wsgi.version": (1, 0),
    "wsgi.multithread": False,
    "wsgi.multiprocess": True,
    "wsgi.run_once": False,
    "wsgi.file_wrapper": FileWrapper,
}


def _environ(cgi, body, errors):
    it = iter(cgi.split(_FIELD_SEPARATOR))
    environ = dict(zip(it, it))
    environ.update(_CONSTANT_ENVIRON)
    environ["wsgi.input"] = Input(body)
    if not environ.get("CONTENT_LENGTH"):
        # A body without Content-Length (chunked) ends where the stream ends: the extension that
        # mod_wsgi, gunicorn and Werkzeug share lets frameworks read it to its end. With a
        # Content-Length they bound reads by it instead, calling read(size) as PEP 3333 has it.
        environ["wsgi.input_terminated"] = True
    environ["wsgi.errors"] = Errors(errors)
    return environ


def _close(result, errors):
    close = getattr(result, "close", None)
    if close is None:
        return None
    try:
        close()
    except BaseException:
        return (APP_ERROR, "the application's iterable raised in close()", traceback.format_exc())
    return None


def handler(app):
    """Bind ``app`` to a function Java calls once per request.

    The function returns ``None`` when the response completed, else a tuple
    ``(outcome, message, traceback)`` for Java to turn into a 500 or an aborted response.
    """

    def handle(cgi, body, errors, channel):
        environ = _environ(cgi, body, errors)
        response = _Response(channel, environ["REQUEST_METHOD"] == "HEAD")

        def start_response(status, response_headers, exc_info=None):
            # The response starts while the framework still holds its match (Flask pops it after).
            if response.status is None:
                route = routes.wsgi(environ)
                if route is not None:
                    channel.route(route)
            return response.start_response(status, response_headers, exc_info)

        result = None
        outcome = None
        traced = tracing.current.set(environ.get("springwsgi.traceparent"))
        try:
            result = app(environ, start_response)
            try:
                chunks = iter(result)
            except TypeError:
                raise ProtocolError(
                    "the application returned %s, which is not an iterable of bytes "
                    "(PEP 3333, 'The Application/Framework Side')" % type(result).__name__
                ) from None
            for chunk in chunks:
                response.body_chunk(chunk)
                if response.done:
                    # PEP 3333: stop iterating once the Content-Length is sent.
                    break
            response.finish()
        except ClientDisconnected:
            outcome = (DISCONNECTED, "the client disconnected", None)
        except ProtocolError as error:
            outcome = (PROTOCOL_ERROR, str(error), traceback.format_exc())
        except BaseException as error:
            outcome = (APP_ERROR, "%s: %s" % (type(error).__name__, error), traceback.format_exc())
        finally:
            failed_close = _close(result, errors)
            tracing.current.reset(traced)
        return outcome or failed_close

    return handle

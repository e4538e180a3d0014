"""The rules a response header must follow before it reaches the wire, the same for WSGI and ASGI.

Each bridge checks the types its spec asks for, decodes to latin-1 ``str`` and asks ``problem``
here; it cites its own spec next to the HTTP rule that was broken. Checked headers cross to Java
as one string joined with ``SEPARATOR`` (``io.springwsgi.core.http.PythonCrossing#headers``).
"""

import re

# Between names and values on the way to Java: no latin-1 string holds it, so no value can
# split into two headers whatever it contains.
SEPARATOR = "\uffff"

# RFC 9110 §7.6.1 and PEP 3333 "Other HTTP Features": hop-by-hop headers belong to the server.
_HOP_BY_HOP = frozenset((
    "connection", "keep-alive", "proxy-authenticate", "proxy-authorization",
    "te", "trailers", "transfer-encoding", "upgrade",
))
_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+\Z")
# Horizontal tab is allowed inside a field value; every other control character is not.
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")

_START_RESPONSE = "The start_response() Callable"


def problem(name, value, length=None):
    """What is wrong with the header ``name: value``, or ``None``.

    ``length`` is the Content-Length an earlier header of the response declared, if any. The
    answer is a pair: a message naming the header and the HTTP rule it breaks, and the section
    of PEP 3333 that states the same rule for WSGI.
    """
    if not _TOKEN.match(name):
        return "the header name %r is not a token as RFC 9110 §5.1 requires" % name, _START_RESPONSE
    lower = name.lower()
    if lower in _HOP_BY_HOP:
        return ("the application set the hop-by-hop header %r, which RFC 9110 §7.6.1 leaves to the server"
                % name, "Other HTTP Features")
    if _CONTROL.search(value):
        return ("the value of header %r holds a control character, which RFC 9110 §5.5 forbids: %r"
                % (name, value), _START_RESPONSE)
    if lower == "content-length":
        if not (value.isascii() and value.isdigit()):
            return ("the Content-Length %r is not a number of bytes as RFC 9110 §8.6 requires" % value,
                    _START_RESPONSE)
        if length is not None and int(value) != length:
            return ("Content-Length is declared twice, as %d and %s, which RFC 9110 §8.6 forbids"
                    % (length, value), _START_RESPONSE)
    return None

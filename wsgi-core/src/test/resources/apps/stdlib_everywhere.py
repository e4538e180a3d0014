"""Uses, at import and on every request, the standard-library modules GraalPy implements natively.

Each is a native library (termios, pyexpat, _sqlite3, _cpython_unicodedata, _sha3, _cpython_sre)
that a process loads once; every context must still get a working one of its own.
"""

import _sre
import hashlib
import os
import re
import sqlite3
import subprocess
import sys
import termios
import unicodedata
import uuid
import xml.dom.minidom
import xml.etree.ElementTree
import xml.parsers.expat

CONTEXT_ID = uuid.uuid4().hex


def _termios():
    descriptor = os.open(os.devnull, os.O_RDONLY)
    try:
        termios.tcgetattr(descriptor)
    except termios.error as error:
        return error.args[0] != 0
    finally:
        os.close(descriptor)
    return False


def _sqlite3():
    connection = sqlite3.connect(":memory:")
    connection.execute("CREATE TABLE t (x TEXT)")
    connection.execute("INSERT INTO t VALUES (?)", (CONTEXT_ID,))
    return connection.execute("SELECT x FROM t").fetchone() == (CONTEXT_ID,)


def _expat():
    seen = []
    parser = xml.parsers.expat.ParserCreate()
    parser.StartElementHandler = lambda name, attributes: seen.append(name)
    parser.Parse("<a><b/></a>", True)
    return seen == ["a", "b"]


def _sre_fallback():
    # GraalPy hands a pattern its own engine (TRegex) declines to CPython's, the native module
    # _cpython_sre, through _sre.compile with the pattern compiled to SRE code; this goes that way.
    pattern = r"(?i)stra(ss|\xdf)e"
    parsed = re._parser.parse(pattern, 0)
    indexgroup = [None] * parsed.state.groups
    for name, index in parsed.state.groupdict.items():
        indexgroup[index] = name
    compiled = _sre.compile(pattern, parsed.state.flags, re._compiler._code(parsed, 0), parsed.state.groups - 1,
                            parsed.state.groupdict, tuple(indexgroup))
    return compiled.match("STRASSE").group(1) == "SS" and "_cpython_sre" in sys.modules


CHECKS = {
    "termios": _termios,
    "sqlite3": _sqlite3,
    "xml.etree": lambda: xml.etree.ElementTree.fromstring("<a><b>x</b></a>").find("b").text == "x",
    "expat": _expat,
    "minidom": lambda: xml.dom.minidom.parseString("<a><b/></a>").documentElement.firstChild.tagName == "b",
    "unicodedata": lambda: unicodedata.normalize("NFKC", "\ufb01") == "fi"
    and unicodedata.ucd_3_2_0.normalize("NFC", "e\u0301") == "\xe9",
    "sha3": lambda: hashlib.sha3_256(b"abc").hexdigest()
    == "3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532",
    "idna": lambda: "b\xfccher.example".encode("idna") == b"xn--bcher-kva.example",
    "sre": _sre_fallback,
}


def run_checks():
    results = {}
    for name, check in CHECKS.items():
        try:
            results[name] = "ok" if check() else "wrong result"
        except Exception as error:
            results[name] = "%s: %s" % (type(error).__name__, error)
    return results


# At import, in every context: a failure here fails the context's start.
_failed = {name: result for name, result in run_checks().items() if result != "ok"}
if _failed:
    raise RuntimeError("standard-library modules failed in context %s: %s" % (CONTEXT_ID, _failed))


def application(environ, start_response):
    environ["wsgi.input"].read()
    if environ["PATH_INFO"] == "/subprocess":
        try:
            subprocess.run(["true"], check=True)
            body = b"started"
        except Exception as error:
            body = ("%s: %s" % (type(error).__name__, error)).encode()
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [body]
    lines = ["context=" + CONTEXT_ID] + ["%s=%s" % item for item in run_checks().items()]
    body = "\n".join(lines).encode()
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [body]

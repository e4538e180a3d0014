"""Stand-ins for what GraalPy 25.0 lacks and common frameworks need.

GraalPy's ``encodings.idna`` imports ``stringprep``, which needs ``unicodedata.ucd_3_2_0`` from
the native module ``_cpython_unicodedata``. Only the first context of a process may load a
native module (GraalPy's ``IsolateNativeModules`` is off), so in every other context
``"localhost".encode("idna")`` fails — and Werkzeug's ``request.url``, ``host_url`` and
``root_url``, and Django's URL validation, call exactly that. This puts an ``idna`` codec into
the ``encodings`` package's cache, so the native module is never asked for and every context
behaves alike. It is exact for ASCII host names; other labels are lower-cased and punycoded
(RFC 3490 without its nameprep step).
"""

import codecs


def _encode(text, errors="strict"):
    labels = []
    for label in text.split("."):
        if label.isascii():
            labels.append(label.encode("ascii"))
        else:
            labels.append(b"xn--" + label.lower().encode("punycode"))
    return b".".join(labels), len(text)


def _decode(data, errors="strict"):
    data = bytes(data)
    labels = []
    for label in data.split(b"."):
        if label[:4].lower() == b"xn--":
            labels.append(label[4:].decode("punycode"))
        else:
            labels.append(label.decode("ascii"))
    return ".".join(labels), len(data)


def install():
    import encodings

    # encodings.search_function() answers from this cache before it imports encodings.idna.
    encodings._cache["idna"] = codecs.CodecInfo(name="idna", encode=_encode, decode=_decode)

"""Imports an application's callable, reporting failures with their traceback and their kind."""

import glob
import importlib
import os
import re
import sys
import traceback


class AppLoadError(Exception):
    """The application could not be imported; the message holds the Python traceback.

    ``kind`` says what went wrong, so the host can say what to do about it; ``module`` names the
    module at fault and ``detail`` adds what was found (the extension's file, say).
    """

    def __init__(self, message, kind="import", module=None, detail=None):
        super().__init__(message)
        self.kind = kind
        self.module = module
        self.detail = detail


def prepend_path(entries):
    """Put the app's directory and python-path entries ahead of the standard library, like PYTHONPATH."""
    for entry in reversed(list(entries)):
        if entry in sys.path:
            sys.path.remove(entry)
        sys.path.insert(0, entry)


def load_callable(module_name, callable_name):
    try:
        module = importlib.import_module(module_name)
    except BaseException as error:
        kind, module_at_fault, detail = classify(error)
        raise AppLoadError(
            "cannot import module '%s':\n%s" % (module_name, traceback.format_exc().rstrip()),
            kind,
            module_at_fault,
            detail,
        ) from None
    try:
        target = getattr(module, callable_name)
    except AttributeError:
        raise AppLoadError(
            "module '%s' (%s) has no attribute '%s'"
            % (module_name, getattr(module, "__file__", "?"), callable_name),
            "callable",
        ) from None
    if not callable(target):
        raise AppLoadError(
            "'%s.%s' is a %s, not a callable" % (module_name, callable_name, type(target).__name__),
            "callable",
        )
    return target


_NATIVE_MODULE_REFUSED = re.compile(r"IsolateNativeModules.*native module '([^']+)'", re.S)

# What GraalPy answers where CPython behaves otherwise; each names a limitation of GraalPy itself.
_GRAALPY_LIMITATIONS = (
    re.compile(r"__class__ assignment: .* object layout differs"),
    re.compile(r"not (yet )?(supported|implemented) (on|in|by) GraalPy", re.I),
)


def classify(error):
    """(kind, module, detail) for an import failure: what the host's advice depends on."""
    message = str(error)
    if isinstance(error, ModuleNotFoundError) and error.name:
        extension = cpython_extension(error.name)
        if extension is not None:
            return "cpython-extension", error.name, extension
        return "missing-module", error.name, None
    refused = _NATIVE_MODULE_REFUSED.search(message)
    if isinstance(error, SystemError) and refused:
        return "native-module-refused", refused.group(1), None
    if any(pattern.search(message) for pattern in _GRAALPY_LIMITATIONS):
        return "graalpy-limitation", _failing_package(error), "%s: %s" % (type(error).__name__, message)
    return "import", None, None


def cpython_extension(name):
    """The file of a C extension built for CPython that would provide module ``name``, or None."""
    parts = name.split(".")
    for entry in sys.path:
        if not isinstance(entry, str) or not os.path.isdir(entry):
            continue
        stem = os.path.join(entry, *parts)
        for candidate in sorted(glob.glob(glob.escape(stem) + ".*.so")) + sorted(glob.glob(glob.escape(stem) + ".*.pyd")):
            if "graalpy" not in os.path.basename(candidate):
                return candidate
    return None


def _failing_package(error):
    """The top-level package whose code raised, from the deepest frame under a sys.path entry."""
    frames = traceback.extract_tb(error.__traceback__)
    roots = sorted((e for e in sys.path if isinstance(e, str) and e), key=len, reverse=True)
    for frame in reversed(frames):
        for root in roots:
            if frame.filename.startswith(root.rstrip(os.sep) + os.sep):
                relative = frame.filename[len(root.rstrip(os.sep)) + 1:]
                top = relative.split(os.sep)[0]
                return top[:-3] if top.endswith(".py") else top
    return None

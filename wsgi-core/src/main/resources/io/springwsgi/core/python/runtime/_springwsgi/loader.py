"""Imports an application's callable, reporting failures with their traceback."""

import importlib
import sys
import traceback


class AppLoadError(Exception):
    """The application could not be imported; the message holds the Python traceback."""


def prepend_path(entries):
    """Put the app's directory and python-path entries ahead of the standard library, like PYTHONPATH."""
    for entry in reversed(list(entries)):
        if entry in sys.path:
            sys.path.remove(entry)
        sys.path.insert(0, entry)


def load_callable(module_name, callable_name):
    try:
        module = importlib.import_module(module_name)
    except BaseException:
        raise AppLoadError(
            "cannot import module '%s':\n%s" % (module_name, traceback.format_exc().rstrip())
        ) from None
    try:
        target = getattr(module, callable_name)
    except AttributeError:
        raise AppLoadError(
            "module '%s' (%s) has no attribute '%s'"
            % (module_name, getattr(module, "__file__", "?"), callable_name)
        ) from None
    if not callable(target):
        raise AppLoadError(
            "'%s.%s' is a %s, not a callable" % (module_name, callable_name, type(target).__name__)
        )
    return target

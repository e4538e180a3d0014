"""Lets pydantic 1.x run on Python 3.12.4+ (GraalPy 25.0 implements 3.12).

Python 3.12.4 made ``recursive_guard`` of the private ``typing.ForwardRef._evaluate``
keyword-only and put ``type_params`` before it; pydantic 1.10.4 (FastAPI 0.92's, Debian
bookworm's) still passes it positionally, ``_evaluate(globalns, localns, set())``, and fails
at import. This forwards such a call by keyword. Installed before any app is imported;
a no-op where ``_evaluate`` takes the old call.
"""

import inspect
import typing


def install():
    original = typing.ForwardRef._evaluate
    if getattr(original, "__springwsgi_compat__", False):
        return
    guard = inspect.signature(original).parameters.get("recursive_guard")
    if guard is None or guard.kind is not inspect.Parameter.KEYWORD_ONLY:
        return

    def _evaluate(self, globalns, localns, *args, **kwargs):
        if len(args) == 1 and "recursive_guard" not in kwargs and isinstance(args[0], (set, frozenset)):
            kwargs["recursive_guard"] = args[0]
            args = ()
        return original(self, globalns, localns, *args, **kwargs)

    _evaluate.__springwsgi_compat__ = True
    typing.ForwardRef._evaluate = _evaluate

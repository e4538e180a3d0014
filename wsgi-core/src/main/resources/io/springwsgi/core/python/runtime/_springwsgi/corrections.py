"""Corrections for pure-Python packages that run on CPython but fail on the GraalPy in use.

Each correction names the package and the versions it applies to, the module whose import
triggers it, and a check of whether the running Python still has the defect. A
finder on ``sys.meta_path`` runs the correction right after that module executes, before
anything else can use it, so the app's own code stays unchanged. A correction whose check
says the running Python no longer has the defect is not applied.

``applied()`` lists what was corrected in this context, for the start-up log and the
actuator ``wsgi`` endpoint.
"""

import importlib.abc
import importlib.metadata
import inspect
import sys
import typing


class Correction:
    """One known incompatibility: where it is, whether GraalPy still has it, how to correct it."""

    def __init__(self, name, package, versions, module, defect, needed, apply):
        self.name = name
        self.package = package
        self.versions = versions
        self.module = module
        self.defect = defect
        self.needed = needed
        self.apply = apply

    def describe(self, version):
        return "%s %s: %s (%s)" % (self.package, version, self.name, self.defect)


def _version_tuple(text):
    parts = []
    for part in text.split("."):
        digits = "".join(c for c in part if c.isdigit())
        if not digits:
            break
        parts.append(int(digits))
    return tuple(parts)


def _in_range(version, versions):
    low, high = versions
    value = _version_tuple(version)
    return (low is None or value >= _version_tuple(low)) and (high is None or value < _version_tuple(high))


# h11: Sentinel sets each sentinel class's __class__ to itself ("type(CLIENT) is CLIENT").


def _graalpy_up_to(version):
    """Needed on GraalPy up to ``version`` (major, minor): the last one seen with the defect.

    Moving to a newer GraalPy stops applying the correction; the tests that import the package
    in several contexts then say whether it is still needed.
    """

    def needed():
        return sys.implementation.name == "graalpy" and tuple(sys.implementation.version[:2]) <= version

    return needed


def _correct_h11_sentinel(module):
    sentinel = module.Sentinel

    def __new__(cls, name, bases, namespace, **kwds):
        assert bases == (sentinel,)
        return type.__new__(cls, name, bases, namespace, **kwds)

    sentinel.__new__ = __new__


# pydantic 1.x calls typing.ForwardRef._evaluate(globalns, localns, set()), the call Python
# took before 3.12.4 made recursive_guard keyword-only.


def _forward_ref_guard_keyword_only():
    guard = inspect.signature(typing.ForwardRef._evaluate).parameters.get("recursive_guard")
    return guard is not None and guard.kind is inspect.Parameter.KEYWORD_ONLY


def _correct_forward_ref_evaluate(module):
    original = typing.ForwardRef._evaluate

    def _evaluate(self, globalns, localns, *args, **kwargs):
        if len(args) == 1 and "recursive_guard" not in kwargs and isinstance(args[0], (set, frozenset)):
            kwargs["recursive_guard"] = args[0]
            args = ()
        return original(self, globalns, localns, *args, **kwargs)

    typing.ForwardRef._evaluate = _evaluate


CORRECTIONS = (
    Correction(
        name="Sentinel without __class__ assignment",
        package="h11",
        versions=("0.13", None),
        module="h11._util",
        defect="GraalPy refuses 'cls.__class__ = cls' on a class made by a metaclass: 'object layout "
        "differs'; sentinels then keep Sentinel as their type, and 'is' comparisons work as before",
        # GraalPy 25.0 refuses it in the second and later contexts of an engine; corrected in all of
        # them, every context behaves alike.
        needed=_graalpy_up_to((25, 0)),
        apply=_correct_h11_sentinel,
    ),
    Correction(
        name="ForwardRef._evaluate with a positional recursive_guard",
        package="pydantic",
        versions=(None, "2"),
        module="pydantic.typing",
        defect="Python 3.12.4 made recursive_guard keyword-only; pydantic 1.x passes it positionally",
        needed=_forward_ref_guard_keyword_only,
        apply=_correct_forward_ref_evaluate,
    ),
)

_applied = []


def applied():
    """What was corrected in this context so far, one line each."""
    return list(_applied)


def _distribution_version(package, module):
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        top = sys.modules.get(package)
        return getattr(top, "__version__", None) or getattr(module, "__version__", None)


class _CorrectingLoader(importlib.abc.Loader):
    def __init__(self, loader, correction):
        self._loader = loader
        self._correction = correction

    def __getattr__(self, name):
        # get_source, get_filename, is_package ... as the wrapped loader answers them
        return getattr(self._loader, name)

    def create_module(self, spec):
        return self._loader.create_module(spec)

    def exec_module(self, module):
        self._loader.exec_module(module)
        correction = self._correction
        version = _distribution_version(correction.package, module)
        if version is not None and _in_range(version, correction.versions) and correction.needed():
            correction.apply(module)
            _applied.append(correction.describe(version))


class _CorrectionFinder(importlib.abc.MetaPathFinder):
    def __init__(self, corrections):
        self._by_module = {c.module: c for c in corrections}

    def find_spec(self, fullname, path, target=None):
        correction = self._by_module.get(fullname)
        if correction is None:
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(fullname, path, target)
            if spec is not None:
                if spec.loader is not None:
                    spec.loader = _CorrectingLoader(spec.loader, correction)
                return spec
        return None


def install():
    """Watch for the modules the corrections apply to; call before the app is imported."""
    if not any(isinstance(finder, _CorrectionFinder) for finder in sys.meta_path):
        sys.meta_path.insert(0, _CorrectionFinder(CORRECTIONS))

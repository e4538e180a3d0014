"""The host Spring application, as seen from a Python app it serves.

    import spring

    service = spring.beans.blogService         # only beans listed under the app's `beans`
    posts = service.findAll()                  # lists, dicts, str, int...: json.dumps-able
    entity = spring.beans.raw("blogService").findEntity(7)   # the Java object itself
    data = spring.to_python(entity)            # any Java value -> plain Python values

    rows = spring.sql("SELECT id, title FROM post WHERE id > ?", 3)   # [{"id": 4, "title": ...}]
    tuples = spring.sql_rows("SELECT * FROM post")                      # [[4, "...", ...]]
    changed = spring.sql_update("DELETE FROM post WHERE id = ?", 4)     # 1

Calls run on the request's thread, so a @Transactional bean method runs in its transaction.
"""

import json as _json

from _springwsgi import host as _host
from _springwsgi import tracing as _tracing

__all__ = ["JavaError", "beans", "to_python", "sql", "sql_rows", "sql_update"]

_SCALARS = (type(None), str, int, float, bool)


class JavaError(Exception):
    """A Java exception thrown by a bean method; ``java_class`` names its class."""

    def __init__(self, java_class, message):
        super().__init__("%s: %s" % (java_class, message) if message else java_class)
        self.java_class = java_class
        self.message = message


def to_python(value):
    """Turn a Java value (list, map, array, record, JavaBean, entity) into plain Python values.

    Python values are returned as they are, their items converted. Java objects are converted
    through their JSON form, the way Spring's JSON mapper writes them: records and JavaBeans
    become dicts, dates become ISO-8601 strings.
    """
    kind = type(value)
    if kind in _SCALARS:
        return value
    if kind is list or kind is tuple:
        return [to_python(item) for item in value]
    if kind is dict:
        return {key: to_python(item) for key, item in value.items()}
    return _json.loads(_call(_host.toJson, value))


def _call(function, *args):
    """Call Java, turning a Java exception into a JavaError that ``except Exception`` catches.

    In a traced request the call runs in the request's trace, so what it observes (a bean's
    spans, its SQL) joins the request's span.
    """
    traceparent = _tracing.current.get()
    scope = _host.traceScope(traceparent) if traceparent else None
    try:
        return function(*args)
    except Exception:
        raise
    except BaseException as error:
        # Java exceptions reach Python as polyglot.ForeignException, outside Exception.
        if type(error).__module__ != "polyglot":
            raise
        java_class, _, message = str(error).partition(": ")
        raise JavaError(java_class, message) from None
    finally:
        if scope is not None:
            scope.close()


class _Bean:
    """A Spring bean whose method results come back as plain Python values."""

    __slots__ = ("_name", "_target")

    def __init__(self, name, target):
        self._name = name
        self._target = target

    def __getattr__(self, attribute):
        method = getattr(self._target, attribute)

        def call(*args):
            return to_python(_call(method, *args))

        call.__name__ = attribute
        call.__qualname__ = "%s.%s" % (self._name, attribute)
        return call

    def __repr__(self):
        return "<spring bean %r>" % self._name


class _Beans:
    """The beans this app may use, as attributes: ``spring.beans.blogService``."""

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return _Bean(name, self.raw(name))

    def __getitem__(self, name):
        return _Bean(name, self.raw(name))

    def __dir__(self):
        return list(_host.beanNames())

    def __iter__(self):
        return iter(list(_host.beanNames()))

    def raw(self, name):
        """The bean itself, a Java object, for calls whose Java results you want to keep."""
        names = list(_host.beanNames())
        if name not in names:
            raise LookupError(
                "this app may not use a bean named %r; list it under the app's 'beans' in "
                "application.yml (it may use: %s)" % (name, ", ".join(names) or "none")
            )
        return _host.bean(name)


beans = _Beans()


def _parameters(parameters):
    return [to_python(value) for value in parameters]


def sql(query, *parameters):
    """Run a query; return its rows as dicts of column label to value."""
    result = _json.loads(_call(_host.query, query, _parameters(parameters)))
    columns = result["columns"]
    return [dict(zip(columns, row)) for row in result["rows"]]


def sql_rows(query, *parameters):
    """Run a query; return its rows as lists of values in column order."""
    return _json.loads(_call(_host.query, query, _parameters(parameters)))["rows"]


def sql_update(statement, *parameters):
    """Run an INSERT, UPDATE or DELETE; return the number of rows it changed."""
    return _call(_host.update, statement, _parameters(parameters))

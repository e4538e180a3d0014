"""A WSGI app that uses its host through `import spring`."""

import json
import logging
import os
from urllib.parse import parse_qs

import spring


def _json(start_response, status, value):
    body = json.dumps(value).encode()
    start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]


def application(environ, start_response):
    path = environ["PATH_INFO"]
    query = {key: values[0] for key, values in parse_qs(environ["QUERY_STRING"]).items()}
    greetings = spring.beans.greetings
    if path == "/greet":
        return _json(start_response, "201 Created", greetings.greet(query["name"]))
    if path == "/traced":
        logging.getLogger("hostapp").warning("greeting %s", query["name"])
        greeting = greetings.greetObserved(query["name"])
        return _json(start_response, "200 OK", {"greeting": greeting,
                                                "traceparent": environ.get("HTTP_TRACEPARENT"),
                                                "springwsgi.traceparent": environ.get("springwsgi.traceparent")})
    if path == "/greetings":
        return _json(start_response, "200 OK", greetings.all())
    if path == "/in-transaction":
        return _json(start_response, "200 OK", greetings.inTransaction())
    if path == "/rollback":
        before = spring.sql("SELECT count(*) AS n FROM greeting")[0]["n"]
        try:
            greetings.greetThenFail(query["name"])
        except Exception as error:  # the Java exception, raised through Python
            failure = str(error)
        after = spring.sql("SELECT count(*) AS n FROM greeting")[0]["n"]
        return _json(start_response, "200 OK", {"before": before, "after": after, "failure": failure})
    if path == "/sql":
        rows = spring.sql("SELECT id, name FROM greeting WHERE name = ? ORDER BY id", query["name"])
        tuples = spring.sql_rows("SELECT name FROM greeting WHERE name = ?", query["name"])
        return _json(start_response, "200 OK", {"rows": rows, "tuples": tuples})
    if path == "/series":
        try:
            rows = spring.sql("SELECT generate_series(1, ?) AS n", int(query["n"]))
        except spring.JavaError as error:
            return _json(start_response, "200 OK", {"error": error.message})
        return _json(start_response, "200 OK", {"rows": len(rows)})
    if path == "/update":
        changed = spring.sql_update("UPDATE greeting SET name = ? WHERE name = ?", query["to"], query["name"])
        return _json(start_response, "200 OK", {"changed": changed})
    if path == "/raw":
        greeting = spring.beans.raw("greetings").greet(query["name"])
        return _json(start_response, "200 OK", {"java": type(greeting).__name__, "python": spring.to_python(greeting)})
    if path == "/forbidden":
        try:
            spring.beans.raw("dataSource")
        except LookupError as error:
            return _json(start_response, "403 Forbidden", {"error": str(error)})
    if path == "/proxy-members":
        bean = spring.beans.raw("greetings")
        reached = []
        for name in ("isFrozen", "getTargetSource", "removeAdvisor", "getAdvisors", "getTargetClass",
                     "getDecoratedClass", "getClass", "CGLIB$SET_THREAD_CALLBACKS", "notify"):
            try:
                getattr(bean, name)
                reached.append(name)
            except Exception:
                pass
        greeting = bean.greet("members")
        try:
            greeting.getClass().static
            reached.append("result.getClass().static")
        except Exception:
            pass
        return _json(start_response, "200 OK", {"reached": reached, "greeted": greeting.name()})
    if path == "/environ":
        return _json(start_response, "200 OK", {"path": os.environ.get("PATH"), "greeting": os.environ.get("HOST_GREETING")})
    if path == "/java-class":
        try:
            import java
            java.type("java.lang.System")
        except Exception as error:
            return _json(start_response, "403 Forbidden", {"error": type(error).__name__ + ": " + str(error)})
        return _json(start_response, "200 OK", {"error": None})
    return _json(start_response, "404 Not Found", {"error": "no route " + path})

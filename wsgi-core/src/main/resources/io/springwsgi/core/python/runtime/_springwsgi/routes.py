"""The route template a request matched, as the framework that routed it names it.

Metrics and traces key requests by it (``/items/<int:item_id>``, not ``/items/7``), so a key
has as many values as the app has routes. Only frameworks that expose the match are asked:
Flask (its request's ``url_rule``, while the request context is active, which it is when the
response starts), Django (its URL resolver, asked again for the path, with the answers kept),
FastAPI (``scope["route"]``) and Starlette (the route of ``scope["endpoint"]``). For anything
else, and for a request no route matched, the answer is ``None``.
"""

import sys

# Paths Django's resolver was asked about; bounded, as the paths are the client's.
_DJANGO_ROUTES = {}
_DJANGO_ROUTES_MAX = 1024


def wsgi(environ):
    """The route template of a WSGI request, or ``None``."""
    try:
        flask = sys.modules.get("flask")
        if flask is not None and flask.has_request_context():
            rule = flask.request.url_rule
            return rule.rule if rule is not None else None
        if "django.urls" in sys.modules:
            return _django(environ.get("PATH_INFO", "/"))
    except Exception:
        # A framework that does not answer as expected gives no route, never a failed request.
        return None
    return None


def asgi(scope):
    """The route template of an ASGI request, or ``None``."""
    try:
        route = scope.get("route")
        if route is not None:
            return getattr(route, "path", None)
        endpoint = scope.get("endpoint")
        router = scope.get("router")
        if endpoint is not None and router is not None:
            for candidate in getattr(router, "routes", ()):
                if getattr(candidate, "endpoint", None) is endpoint:
                    return getattr(candidate, "path", None)
    except Exception:
        return None
    return None


def _django(path):
    if path in _DJANGO_ROUTES:
        return _DJANGO_ROUTES[path]
    from django.urls import Resolver404, resolve

    try:
        route = resolve(path).route or None
    except Resolver404:
        route = None
    if len(_DJANGO_ROUTES) >= _DJANGO_ROUTES_MAX:
        _DJANGO_ROUTES.clear()
    _DJANGO_ROUTES[path] = route
    return route

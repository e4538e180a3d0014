"""The trace context of the request being served, as the host's tracing sees it.

Set for the time of each request (WSGI) or in each request's task (ASGI), so log records and
calls into the host know which request, and which span, they belong to.
"""

import contextvars

# The W3C traceparent of the span serving the current request, or None without tracing.
current = contextvars.ContextVar("springwsgi_traceparent", default=None)

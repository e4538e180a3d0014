"""springwsgi's side of the bridge inside each GraalPy context.

Not for applications to import: their way to the host is the ``spring`` module.
"""

# The Java half of the `spring` module (io.springwsgi.core.python.HostServices), set by the
# host before the app is imported.
host = None

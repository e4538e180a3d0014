"""springwsgi's side of the bridge inside each GraalPy context.

Not for applications to import: their way to the host is the ``spring`` module.
"""

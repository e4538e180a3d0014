import flask_that_is_not_installed  # noqa: F401 - the failed import is what the test checks

"""hello.app behind wsgiref's validator with its warnings turned into errors: a breach of PEP 3333
by Flask or by the server fails the request."""

import warnings
from wsgiref.validate import WSGIWarning, validator

from flaskapp.hello import app

warnings.simplefilter("error", WSGIWarning)

application = validator(app)

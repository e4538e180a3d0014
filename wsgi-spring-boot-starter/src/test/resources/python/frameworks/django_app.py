"""A one-file Django app (imports termios through django.utils.autoreload): which context answered."""

import uuid

import django
from django.conf import settings

settings.configure(
    DEBUG=False,
    ALLOWED_HOSTS=["*"],
    ROOT_URLCONF=__name__,
    SECRET_KEY="frameworks-test-only",
    MIDDLEWARE=[],
)
django.setup()

from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.urls import path  # noqa: E402

import spring  # noqa: E402

CONTEXT_ID = uuid.uuid4().hex


def context(request):
    spring.beans.rendezvous.meet(request.GET["group"], 2)
    return HttpResponse(CONTEXT_ID, content_type="text/plain")


urlpatterns = [path("context", context)]

application = get_wsgi_application()

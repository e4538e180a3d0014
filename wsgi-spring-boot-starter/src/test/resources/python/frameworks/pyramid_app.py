"""A Pyramid app (imports pyexpat through pkg_resources and plistlib): which context answered."""

import uuid

import spring
from pyramid.config import Configurator
from pyramid.response import Response

CONTEXT_ID = uuid.uuid4().hex


def context(request):
    spring.beans.rendezvous.meet(request.params["group"], 2)
    return Response(CONTEXT_ID, content_type="text/plain")


with Configurator() as config:
    config.add_route("context", "/context")
    config.add_view(context, route_name="context")
    application = config.make_wsgi_app()

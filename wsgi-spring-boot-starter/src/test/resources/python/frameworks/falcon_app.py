"""A Falcon app: which context answered."""

import uuid

import falcon
import spring

CONTEXT_ID = uuid.uuid4().hex


class Context:
    def on_get(self, request, response):
        spring.beans.rendezvous.meet(request.get_param("group", required=True), 2)
        response.content_type = falcon.MEDIA_TEXT
        response.text = CONTEXT_ID


application = falcon.App()
application.add_route("/context", Context())

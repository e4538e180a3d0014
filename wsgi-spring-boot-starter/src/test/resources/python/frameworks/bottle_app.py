"""A Bottle app: which context answered, once every request of its group has arrived."""

import uuid

import bottle
import spring

CONTEXT_ID = uuid.uuid4().hex

application = bottle.Bottle()


@application.get("/context")
def context():
    spring.beans.rendezvous.meet(bottle.request.query.group, 2)
    bottle.response.content_type = "text/plain"
    return CONTEXT_ID

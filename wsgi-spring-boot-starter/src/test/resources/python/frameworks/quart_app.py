"""A Quart app (ASGI; imports h11 through hypercorn): which context answered."""

import uuid

import spring
from quart import Quart, request

CONTEXT_ID = uuid.uuid4().hex

application = Quart(__name__)


@application.route("/context")
async def context():
    spring.beans.rendezvous.meet(request.args["group"], 2)
    return CONTEXT_ID, 200, {"Content-Type": "text/plain"}

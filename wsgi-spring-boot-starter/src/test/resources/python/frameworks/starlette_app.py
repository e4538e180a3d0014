"""A Starlette app (ASGI): which context answered."""

import uuid

import spring
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route

CONTEXT_ID = uuid.uuid4().hex


async def context(request):
    spring.beans.rendezvous.meet(request.query_params["group"], 2)
    return PlainTextResponse(CONTEXT_ID)


application = Starlette(routes=[Route("/context", context)])

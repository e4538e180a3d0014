"""A plain ASGI app that, like FastAPI, has Starlette loaded (Debian's 0.26): it answers the path it got."""

import starlette  # noqa: F401  (what the starter looks for to choose the path convention)


async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
    await send({"type": "http.response.body", "body": scope["path"].encode()})

"""A plain ASGI app that, like FastAPI, has Starlette loaded (Debian's 0.26): it answers the path it
got, or at /anyio-worker, how many calls the anyio worker thread it ran on has served."""

import threading

import anyio.to_thread
import starlette  # noqa: F401  (what the starter looks for to choose the path convention)

_worker = threading.local()


def _count_on_this_thread():
    _worker.calls = getattr(_worker, "calls", 0) + 1
    return _worker.calls


async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    if scope["path"].endswith("/anyio-worker"):
        # How Starlette runs a def endpoint: on an anyio worker thread, which a server keeps for
        # the next requests; 1 on a thread that never served one before.
        body = str(await anyio.to_thread.run_sync(_count_on_this_thread)).encode()
    else:
        body = scope["path"].encode()
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
    await send({"type": "http.response.body", "body": body})

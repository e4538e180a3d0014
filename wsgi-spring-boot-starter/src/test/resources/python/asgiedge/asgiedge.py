"""A plain ASGI 3 app (no framework) for the starter's ASGI tests of the server's limits:
debug reload, the request timeout and the body size limit."""

import asyncio
import json
import logging
import uuid

LOADED = uuid.uuid4().hex
# What the server did to earlier requests, as the app saw it.
seen = {"cancelled": 0, "disconnected": 0, "handshakes_given_up": 0}


async def _text(send, status, text):
    await send({"type": "http.response.start", "status": status, "headers": [(b"content-type", b"text/plain")]})
    await send({"type": "http.response.body", "body": text.encode()})


async def _declared(send, length, chunks):
    """A response whose Content-Length does not match the chunks that follow it."""
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-type", b"text/plain"), (b"content-length", length)]})
    for chunk in chunks:
        await send({"type": "http.response.body", "body": chunk, "more_body": True})
    await send({"type": "http.response.body", "body": b""})


async def application(scope, receive, send):
    if scope["type"] == "websocket":
        # Never answers the handshake; receive() tells the app when the server gave up on it.
        await receive()
        message = await receive()
        if message["type"] == "websocket.disconnect":
            seen["handshakes_given_up"] += 1
        return
    if scope["type"] != "http":
        return
    path = scope["path"][len(scope["root_path"]):]
    if path == "/loaded":
        await _text(send, 200, LOADED)
    elif path in ("/scope", "/whoami"):
        # Yields to the loop before it logs, so requests in flight together interleave.
        await asyncio.sleep(0.01)
        logging.getLogger("asgiedge").warning("scope of %s", scope.get("springwsgi.traceparent"))
        headers = {name.decode("latin-1"): value.decode("latin-1") for name, value in scope["headers"]}
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-type", b"application/json")]})
        await send({"type": "http.response.body", "body": json.dumps({
            "scheme": scope["scheme"],
            "server": list(scope["server"]),
            "client": list(scope["client"]) if scope["client"] else None,
            "http_version": scope["http_version"],
            "remote_user": scope.get("remote_user"),
            "traceparent": headers.get("traceparent"),
            "springwsgi.traceparent": scope.get("springwsgi.traceparent"),
        }).encode()})
    elif path == "/hang":
        try:
            await asyncio.sleep(3600)
        except asyncio.CancelledError:
            seen["cancelled"] += 1
            raise
    elif path == "/spin":
        # Blocks the event loop: a loop that never awaits.
        while True:
            pass
    elif path == "/upload":
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                seen["disconnected"] += 1
                return
            size += len(message["body"])
            if not message.get("more_body"):
                break
        await _text(send, 200, str(size))
    elif path == "/overlong":
        await _declared(send, b"5", [b"abc", b"defgh"])
    elif path == "/short":
        await _declared(send, b"10", [b"abc", b"de"])
    elif path == "/seen":
        await _text(send, 200, "cancelled=%(cancelled)d disconnected=%(disconnected)d "
                    "handshakes_given_up=%(handshakes_given_up)d" % seen)
    else:
        await _text(send, 404, "not found")

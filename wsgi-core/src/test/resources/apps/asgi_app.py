"""A plain ASGI 3 app, no framework: what the core's ASGI tests exercise."""

import asyncio
import json
import os
import time
import uuid

CONTEXT_ID = uuid.uuid4().hex


async def _text(send, status, text, headers=()):
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"text/plain")] + list(headers)})
    await send({"type": "http.response.body", "body": text.encode()})


# Response headers that would break HTTP if they reached the wire, by the rule each breaks.
_BAD_HEADERS = {
    "newline": (b"x-note", b"a\nSet-Cookie\nsid=evil"),
    "return": (b"x-note", b"a\rb"),
    "name": (b"bad name", b"value"),
    "transfer-encoding": (b"transfer-encoding", b"chunked"),
    "connection": (b"connection", b"close"),
    "content-length": (b"content-length", b"-1"),
}

gathering = {}


async def app(scope, receive, send):
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                scope["state"]["started"] = "yes"
                gathering["all"] = asyncio.Event()
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                marker = os.environ.get("SHUTDOWN_MARKER")
                if marker:
                    with open(marker, "w") as file:
                        file.write("shut down")
                await send({"type": "lifespan.shutdown.complete"})
                return
    # The current spec: path includes root_path, the mount path.
    path = scope["path"][len(scope["root_path"]):]
    if scope["type"] == "websocket":
        # /flood: 100 frames as fast as the server lets them go, then a close.
        await receive()
        await send({"type": "websocket.accept"})
        for i in range(100):
            await send({"type": "websocket.send", "bytes": b"%d" % i})
        await send({"type": "websocket.close", "code": 1000})
        return
    if path == "/scope":
        shown = {key: value for key, value in scope.items() if key not in ("headers", "raw_path", "query_string", "state")}
        shown["headers"] = [[n.decode("latin-1"), v.decode("latin-1")] for n, v in scope["headers"]]
        shown["raw_path"] = scope["raw_path"].decode("latin-1")
        shown["query_string"] = scope["query_string"].decode("latin-1")
        shown["state"] = scope["state"]
        await _text(send, 200, json.dumps(shown))
    elif path == "/sleep":
        started = time.time()
        await asyncio.sleep(1)
        await _text(send, 200, "%f %f" % (started, time.time()))
    elif path == "/gather":
        # Answers once `n` requests are waiting here together, or after 30 s alone.
        gathering.setdefault("arrived", 0)
        gathering["arrived"] += 1
        if gathering["arrived"] == int(scope["query_string"].decode().partition("=")[2]):
            gathering["all"].set()
        try:
            await asyncio.wait_for(gathering["all"].wait(), 30)
            await _text(send, 200, "together")
        except asyncio.TimeoutError:
            await _text(send, 200, "alone")
    elif path == "/header":
        await _text(send, 200, "sent", [_BAD_HEADERS[scope["query_string"].decode().partition("=")[2]]])
    elif path in ("/overlong", "/short"):
        length, chunks = (b"5", [b"abc", b"defgh"]) if path == "/overlong" else (b"10", [b"abc", b"de"])
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-length", length)]})
        for chunk in chunks:
            await send({"type": "http.response.body", "body": chunk, "more_body": True})
        await send({"type": "http.response.body", "body": b""})
    elif path == "/echo":
        chunks = []
        while True:
            message = await receive()
            chunks.append(message["body"])
            if not message.get("more_body"):
                break
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"".join(chunks)})
    elif path == "/chunks":
        await send({"type": "http.response.start", "status": 200, "headers": []})
        for i in range(3):
            await send({"type": "http.response.body", "body": b"chunk %d\n" % i, "more_body": True})
        await send({"type": "http.response.body", "body": b""})
    elif path == "/disconnect":
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"first", "more_body": True})
        message = await receive()
        while message["type"] != "http.disconnect":
            message = await receive()
        print("saw http.disconnect")
    elif path == "/threads":
        # Sync work on worker threads, as Starlette runs a def endpoint: each result wakes the loop.
        loop = asyncio.get_running_loop()
        results = await asyncio.gather(*(loop.run_in_executor(None, sum, [i, 1]) for i in range(50)))
        await _text(send, 200, str(sum(results)))
    elif path == "/socket":
        # A socket of the app's own on the loop: a server and a client talking through it.
        async def answer(reader, writer):
            writer.write((await reader.readline()).upper())
            await writer.drain()
            writer.close()
        server = await asyncio.start_server(answer, "127.0.0.1", 0)
        reader, writer = await asyncio.open_connection("127.0.0.1", server.sockets[0].getsockname()[1])
        writer.write(b"over a socket\n")
        line = await reader.readline()
        writer.close()
        server.close()
        await server.wait_closed()
        # After the socket: a worker thread's result still wakes the loop.
        done = await asyncio.to_thread(str.strip, line.decode())
        await _text(send, 200, done)
    elif path == "/context":
        await _text(send, 200, CONTEXT_ID)
    elif path == "/context-later":
        # Which context served it, after a second in flight there.
        await asyncio.sleep(1)
        await _text(send, 200, CONTEXT_ID)
    elif path == "/spin":
        # Blocks the event loop: a loop that never awaits.
        while True:
            pass
    elif path == "/nap":
        # Blocks the event loop in time.sleep(), which GraalPy 25.0 cannot cancel before it returns.
        time.sleep(float(scope["query_string"].decode()))
        await _text(send, 200, "rested")
    elif path == "/stubborn":
        # Ignores the cancel of its task and awaits on.
        while True:
            try:
                await asyncio.sleep(3600)
            except asyncio.CancelledError:
                pass
    elif path == "/raise":
        raise ValueError("before the response")
    elif path == "/raise-after-start":
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"partial", "more_body": True})
        raise ValueError("after the response started")
    elif path == "/incomplete":
        await send({"type": "http.response.start", "status": 200, "headers": []})
    else:
        await _text(send, 404, "not found")


async def no_lifespan(scope, receive, send):
    """Like Django's ASGI handler: anything but http is refused."""
    if scope["type"] != "http":
        raise ValueError("Django can only handle ASGI/HTTP connections, not %s." % scope["type"])
    await _text(send, 200, "no lifespan here")


async def failing_startup(scope, receive, send):
    if scope["type"] == "lifespan":
        await receive()
        await send({"type": "lifespan.startup.failed", "message": "the database is not there"})

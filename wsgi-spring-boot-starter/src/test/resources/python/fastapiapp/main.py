"""A FastAPI 0.92 app (Starlette 0.26) for the starter's ASGI end-to-end tests."""

import asyncio
import hashlib
import logging
import os
import threading
import time

from fastapi import FastAPI, Request, Response, WebSocket, WebSocketDisconnect
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import BaseModel

app = FastAPI()
disconnected = None
websocket_closed = None
produced = 0
progress = None
late_release = None
# WebSockets by route: how many the app entered, and how many it is still in.
entered = {"ws-probe": 0, "ws-late": 0}
still_open = {"ws-probe": 0, "ws-late": 0}


class Item(BaseModel):
    name: str
    price: float


@app.on_event("startup")
async def startup():
    global disconnected, websocket_closed, progress, late_release
    app.state.started = "by lifespan startup"
    progress = asyncio.Event()
    disconnected = asyncio.Event()
    websocket_closed = asyncio.get_running_loop().create_future()
    late_release = asyncio.Event()


@app.get("/scope")
async def scope(request: Request):
    s = request.scope
    return {
        "type": s["type"], "asgi": s["asgi"], "http_version": s["http_version"], "method": s["method"],
        "scheme": s["scheme"], "path": s["path"], "raw_path": s["raw_path"].decode("latin-1"),
        "root_path": s["root_path"], "query_string": s["query_string"].decode("latin-1"),
        "headers": [[n.decode("latin-1"), v.decode("latin-1")] for n, v in s["headers"]],
        "client": list(s["client"]), "server": list(s["server"]), "url": str(request.url),
    }


@app.post("/items", status_code=201)
async def create_item(item: Item):
    return {"name": item.name, "price": item.price}


@app.post("/echo")
async def echo(request: Request):
    # Not StreamingResponse(request.stream()): Starlette's StreamingResponse listens for
    # http.disconnect on receive() meanwhile, which would take body chunks from the stream.
    chunks = [chunk async for chunk in request.stream()]
    return Response(b"".join(chunks), media_type="application/octet-stream")


@app.post("/digest")
async def digest(request: Request):
    sha, size, chunks = hashlib.sha256(), 0, 0
    async for chunk in request.stream():
        sha.update(chunk)
        size += len(chunk)
        chunks += 1
    return {"size": size, "sha256": sha.hexdigest(), "chunks": chunks}


@app.get("/traced")
@app.get("/whoami")
async def traced(request: Request):
    # Yields to the loop before it logs, so requests in flight together interleave.
    await asyncio.sleep(0.01)
    s = request.scope
    logging.getLogger("fastapiapp").warning("scope of %s", s.get("springwsgi.traceparent"))
    headers = {n.decode("latin-1"): v.decode("latin-1") for n, v in s["headers"]}
    return {
        "scheme": s["scheme"], "server": list(s["server"]), "client": list(s["client"]),
        "remote_user": s.get("remote_user"), "traceparent": headers.get("traceparent"),
        "springwsgi.traceparent": s.get("springwsgi.traceparent"),
    }


@app.get("/status/{code}")
async def status(code: int):
    return Response(content="status %d" % code, status_code=code, headers={"X-Custom": "custom value"})


@app.get("/sleep")
async def sleep():
    started = time.time()
    await asyncio.sleep(1)
    return {"start": started, "end": time.time()}


@app.get("/sync")
def sync():
    # A def endpoint: Starlette runs it on an anyio worker thread, off the event loop.
    return {"thread": threading.current_thread().name, "loop_thread": False}


@app.get("/state")
async def state():
    return {"started": app.state.started}


async def _gate(path):
    while not os.path.exists(path):
        await asyncio.sleep(0.02)


@app.get("/stream")
async def stream(gate: str):
    async def lines():
        yield b"first\n"
        await _gate(gate)
        for i in range(4):
            yield b"more %d\n" % i
    return StreamingResponse(lines(), media_type="text/plain")


@app.get("/sse")
async def sse(gate: str):
    async def events():
        yield "event: tick\ndata: 0\n\n"
        await _gate(gate)
        for i in range(1, 3):
            yield "event: tick\ndata: %d\n\n" % i
    return StreamingResponse(events(), media_type="text/event-stream")


@app.get("/large")
async def large(mb: int):
    block = bytes(range(256)) * 4096
    async def blocks():
        for _ in range(mb):
            yield block
    return StreamingResponse(blocks(), media_type="application/octet-stream")


@app.get("/produce")
async def produce(mb: int):
    """Streams as fast as the server lets it, counting what it has sent so far."""
    global produced
    produced = 0
    block = b"x" * (256 * 1024)
    async def blocks():
        global produced
        for _ in range(mb * 4):
            yield block
            produced += len(block)
            progress.set()
    return StreamingResponse(blocks(), media_type="application/octet-stream")


@app.get("/produced")
async def how_much_produced(unchanged_from: int = -1):
    """What /produce has sent; with unchanged_from, waits first up to 1 s for it to differ."""
    if produced == unchanged_from:
        progress.clear()
        try:
            await asyncio.wait_for(progress.wait(), 1)
        except asyncio.TimeoutError:
            pass
    return {"bytes": produced}


@app.get("/endless")
async def endless():
    async def ticks():
        try:
            while True:
                yield b"tick\n"
                await asyncio.sleep(0.05)
        finally:
            disconnected.set()
    return StreamingResponse(ticks(), media_type="text/plain")


@app.get("/disconnected")
async def await_disconnected():
    await asyncio.wait_for(disconnected.wait(), 30)
    return {"disconnected": True}


@app.get("/websocket-closed")
async def await_websocket_closed():
    return {"code": await asyncio.wait_for(asyncio.shield(websocket_closed), 30)}


@app.get("/raise")
async def fail():
    raise RuntimeError("the endpoint failed")


@app.get("/raise-midway")
async def fail_midway():
    async def chunks():
        yield b"partial"
        raise RuntimeError("the stream failed")
    return StreamingResponse(chunks())


@app.get("/ws-open")
async def ws_open():
    return {"entered": entered, "open": still_open}


@app.get("/ws-late/release")
async def release_late():
    late_release.set()
    return {"released": True}


async def _until_disconnect(ws):
    while (await ws.receive())["type"] != "websocket.disconnect":
        pass


@app.websocket("/ws-probe")
async def probe(ws: WebSocket):
    entered["ws-probe"] += 1
    still_open["ws-probe"] += 1
    try:
        await ws.accept()
        await _until_disconnect(ws)
    finally:
        still_open["ws-probe"] -= 1


@app.websocket("/ws-late")
async def late(ws: WebSocket):
    """Accepts only once /ws-late/release was called."""
    entered["ws-late"] += 1
    still_open["ws-late"] += 1
    try:
        await late_release.wait()
        await ws.accept()
        await _until_disconnect(ws)
    finally:
        still_open["ws-late"] -= 1


@app.websocket("/ws-refused")
async def refused(ws: WebSocket):
    await ws.close(code=1008)


@app.websocket("/ws-subprotocol")
async def subprotocol(ws: WebSocket):
    offered = ws.scope["subprotocols"]
    await ws.accept(subprotocol=offered[-1])
    await ws.send_json({"offered": offered})
    await ws.close()


@app.websocket("/ws")
async def websocket(ws: WebSocket):
    await ws.accept()
    await ws.send_json({"path": ws.scope["path"], "root_path": ws.scope["root_path"], "scheme": ws.scope["scheme"]})
    try:
        while True:
            message = await ws.receive()
            if message["type"] == "websocket.disconnect":
                if not websocket_closed.done():
                    websocket_closed.set_result(message.get("code"))
                return
            if message.get("text") == "close":
                await ws.close(code=4000)
                return
            if message.get("text") is not None:
                await ws.send_text("echo: " + message["text"])
            else:
                await ws.send_bytes(message["bytes"][::-1])
    except WebSocketDisconnect:
        pass

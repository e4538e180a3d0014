"""The server side of ASGI 3 inside a GraalPy context.

Each context runs one asyncio event loop on a thread of its own. Java hands requests in from
its threads with ``loop.call_soon_threadsafe``, so many requests of one context are in flight
at once; everything after that runs on the loop thread. Java owns the sockets: the request
body arrives chunk by chunk when the app asks for it, and response messages are handed to
Java as they are sent, without blocking the loop.
"""

import asyncio
import collections
import sys
import threading
import traceback

from _springwsgi import headers as _headers
from _springwsgi import routes, tracing
from _springwsgi.event_loop import EventLoop

# https://asgi.readthedocs.io/en/latest/specs/www.html: 2.3 adds raw_path and
# websocket.http.response; we send neither that extension nor trailers.
_ASGI = {"version": "3.0", "spec_version": "2.3"}

# Outcomes reported to Java when a request did not complete normally.
APP_ERROR = "app"
PROTOCOL_ERROR = "protocol"


class ProtocolError(Exception):
    """The application broke a rule of the ASGI spec; the message names the rule."""


def handler(app):
    return Server(app)


class Server:
    """One ASGI application with its event loop, its lifespan and its lifespan state."""

    def __init__(self, app):
        self.app = app
        self.state = {}
        self.loop = EventLoop()
        self._stopped = self.loop.create_future()
        self._lifespan = None
        ready = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(ready,), name="asgi-event-loop", daemon=True)
        self._thread.start()
        ready.wait()

    def _run(self, ready):
        asyncio.set_event_loop(self.loop)
        self.loop.call_soon(ready.set)
        # One main task until stop(), as under uvicorn's asyncio.run(server.serve()): anyio ties
        # the worker threads that run FastAPI's def endpoints to the task run_until_complete
        # runs. Under run_forever it found none, tied each worker to the request's own task and
        # stopped it when the request ended, so every def endpoint started a new Python thread.
        self.loop.run_until_complete(self._serve())

    async def _serve(self):
        await self._stopped

    # Called from Java threads -------------------------------------------------------------

    def starlette_version(self):
        """The version of Starlette the app loaded (FastAPI is built on it), or None."""
        return getattr(sys.modules.get("starlette"), "__version__", None)

    def startup(self, signal):
        """Run the lifespan protocol's startup; ``signal`` learns how it ended."""
        self.loop.call_soon_threadsafe(self._start_lifespan, signal)

    def shutdown(self, signal):
        """Run the lifespan protocol's shutdown, if the app took part in startup."""
        self.loop.call_soon_threadsafe(self._shutdown_lifespan, signal)

    def ping(self, answer):
        """``answer.complete(True)`` once the loop runs: Java's test of whether it still does."""
        self.loop.call_soon_threadsafe(lambda: answer.complete(True))

    def stop(self):
        self.loop.call_soon_threadsafe(self._stop)
        self._thread.join(5)

    def http(self, fields, exchange):
        """Start serving an HTTP request; Java feeds its body to the returned connection."""
        connection = HttpConnection(self, http_scope(fields, self.state), exchange)
        self.loop.call_soon_threadsafe(connection.begin)
        return connection

    def websocket(self, fields, exchange):
        """Start serving a WebSocket connection; Java feeds its messages to the returned one."""
        connection = WebSocketConnection(self, http_scope(fields, self.state), exchange)
        self.loop.call_soon_threadsafe(connection.begin)
        return connection

    # On the loop thread -------------------------------------------------------------------

    def _stop(self):
        if not self._stopped.done():
            self._stopped.set_result(None)

    def _start_lifespan(self, signal):
        self._lifespan = Lifespan(self, signal)
        self._lifespan.begin()

    def _shutdown_lifespan(self, signal):
        if self._lifespan is None or not self._lifespan.running:
            signal.complete()
            return
        self._lifespan.shut_down(signal)


class Lifespan:
    """https://asgi.readthedocs.io/en/latest/specs/lifespan.html"""

    def __init__(self, server, signal):
        self.server = server
        self.signal = signal
        self.running = False
        self.started = False
        self.queue = asyncio.Queue()

    def begin(self):
        self.queue.put_nowait({"type": "lifespan.startup"})
        self.server.loop.create_task(self.run())

    def shut_down(self, signal):
        self.signal = signal
        self.queue.put_nowait({"type": "lifespan.shutdown"})

    async def receive(self):
        return await self.queue.get()

    async def send(self, message):
        kind = message["type"]
        if kind == "lifespan.startup.complete":
            self.started = self.running = True
            self.signal.complete()
        elif kind == "lifespan.startup.failed":
            self.started = True
            self.signal.fail(message.get("message", ""))
        elif kind == "lifespan.shutdown.complete":
            self.running = False
            self.signal.complete()
        elif kind == "lifespan.shutdown.failed":
            self.running = False
            self.signal.fail(message.get("message", ""))
        else:
            raise ProtocolError("unknown lifespan message type %r" % (kind,))

    async def run(self):
        scope = {"type": "lifespan", "asgi": dict(_ASGI), "state": self.server.state}
        try:
            await self.server.app(scope, self.receive, self.send)
        except BaseException:
            # The spec: an app that raises on the lifespan scope does not support it; the
            # server goes on without lifespan events.
            failure = traceback.format_exc()
            if not self.started:
                self.signal.unsupported(failure)
            elif self.running:
                self.running = False
                self.signal.fail(failure)
            return
        if not self.started:
            self.signal.unsupported("the app returned from the lifespan scope without answering startup")
        elif self.running:
            self.running = False
            self.signal.complete()


def _checked_headers(pairs):
    """The response headers as one string for Java, once they follow the rules of HTTP."""
    flat = []
    length = None
    for header in pairs:
        name, value = header
        if not isinstance(name, bytes) or not isinstance(value, bytes):
            raise ProtocolError("header %r is not a pair of byte strings" % (header,))
        name = name.decode("latin-1")
        value = value.decode("latin-1")
        broken = _headers.problem(name, value, length)
        if broken is not None:
            raise ProtocolError("%s (ASGI HTTP, 'Response Start - send event')" % broken[0])
        if name.lower() == "content-length":
            length = int(value)
        flat.append(name)
        flat.append(value)
    return _headers.SEPARATOR.join(flat)


def _latin1(value):
    return value.encode("latin-1")


def http_scope(fields, state):
    """The scope from Java's fields (io.springwsgi.core.asgi.AsgiScope#toArray)."""
    f = list(fields)
    scope = {
        "type": f[0],
        "asgi": dict(_ASGI),
        "http_version": f[1],
        "method": f[2],
        "scheme": f[3],
        "path": f[4],
        "raw_path": _latin1(f[5]),
        "root_path": f[6],
        "query_string": _latin1(f[7]),
        "headers": [(_latin1(f[i]), _latin1(f[i + 1])) for i in range(15, len(f), 2)],
        "client": (f[8], int(f[9])) if f[8] else None,
        "server": (f[10], int(f[11])),
        # Each request gets a shallow copy of what lifespan startup put into its state.
        "state": dict(state),
    }
    # Not in the ASGI spec: the user the host authenticated (WSGI's REMOTE_USER), and the trace
    # context of the span serving the request, for the app's outgoing calls.
    if f[12]:
        scope["remote_user"] = f[12]
    if f[13]:
        scope["springwsgi.traceparent"] = f[13]
    if f[14]:
        scope["springwsgi.tracestate"] = f[14]
    if f[0] == "websocket":
        del scope["method"]
        scope["subprotocols"] = [
            value.decode("latin-1").strip()
            for name, value in scope["headers"] if name == b"sec-websocket-protocol"
            for value in value.split(b",")
        ]
    return scope


class Connection:
    """What HTTP and WebSocket connections share: the app's task, the messages Java feeds in
    for ``receive``, asking Java for the next one when the app waits for it, and a send that
    waits for a slow client until Java resumes it."""

    def __init__(self, server, scope, exchange):
        self.server = server
        self.loop = server.loop
        self.scope = scope
        self.exchange = exchange
        self.inbox = collections.deque()
        self.pulling = False
        self.changed = None
        self.task = None
        self.writable = None

    # From Java threads
    def resume(self):
        """The client has taken what was sent: a send held up by a slow client goes on."""
        self.loop.call_soon_threadsafe(self._on_writable)

    # On the loop thread
    def _on_writable(self):
        if self.writable is not None and not self.writable.done():
            self.writable.set_result(None)

    def begin(self):
        self.changed = asyncio.Event()
        self.task = self.loop.create_task(self.run())

    def _deliver(self, message):
        self.pulling = False
        self.inbox.append(message)
        self.changed.set()

    async def receive(self):
        while True:
            message = self._take()
            if message is not None:
                return message
            if not self.pulling and self._wants_more():
                self.pulling = True
                self.exchange.pull()
            self.changed.clear()
            await self.changed.wait()

    async def run(self):
        # The task runs in a copy of the loop's context: the value is this request's alone.
        tracing.current.set(self.scope.get("springwsgi.traceparent"))
        try:
            await self.server.app(self.scope, self.receive, self.send)
        except ProtocolError as error:
            self.exchange.fail(PROTOCOL_ERROR, str(error), traceback.format_exc())
        except BaseException as error:
            self.exchange.fail(APP_ERROR, "%s: %s" % (type(error).__name__, error), traceback.format_exc())
        else:
            self._returned()


class HttpConnection(Connection):
    """One HTTP request: the app's receive and send, https://asgi.readthedocs.io/en/latest/specs/www.html"""

    def __init__(self, server, scope, exchange):
        super().__init__(server, scope, exchange)
        self.body_done = False
        self.disconnected = False
        self.started = False
        self.finished = False
        self.head = None

    # From Java threads
    def feed(self, data, more):
        self.loop.call_soon_threadsafe(self._deliver, {"type": "http.request", "body": data.encode("latin-1"),
                                                       "more_body": more})

    def disconnect(self):
        self.loop.call_soon_threadsafe(self._on_disconnect)

    def cancel(self):
        """The server answered in the app's place (a timeout): stop the app's task."""
        self.loop.call_soon_threadsafe(self._on_cancel)

    # On the loop thread
    def _on_disconnect(self):
        self.disconnected = True
        self._on_writable()
        self.changed.set()

    def _on_cancel(self):
        self._on_disconnect()
        if self.task is not None:
            self.task.cancel()

    def _take(self):
        if self.disconnected:
            return {"type": "http.disconnect"}
        if self.inbox:
            message = self.inbox.popleft()
            if not message["more_body"]:
                self.body_done = True
            return message
        return None

    def _wants_more(self):
        return not self.body_done

    async def send(self, message):
        kind = message["type"]
        if kind == "http.response.start":
            if self.started:
                raise ProtocolError("http.response.start was sent twice")
            status = message["status"]
            if type(status) is not int or not 100 <= status <= 999:
                raise ProtocolError("http.response.start has status %r, not an int from 100 to 999" % (status,))
            headers = _checked_headers(message.get("headers", ()))
            self.started = True
            route = routes.asgi(self.scope)
            if route is not None:
                self.exchange.route(route)
            # Sent together with the body if the whole of it follows at once, as it does from
            # Starlette's Response: one crossing into Java and one whole response for the server.
            self.head = (status, headers)
            self.loop.call_soon(self._send_head)
        elif kind == "http.response.body":
            if not self.started:
                raise ProtocolError("http.response.body was sent before http.response.start")
            if self.finished:
                raise ProtocolError("http.response.body was sent after the last one (more_body False)")
            body = message.get("body", b"")
            if not isinstance(body, (bytes, bytearray, memoryview)):
                raise ProtocolError("http.response.body has a body of type %s, not bytes" % type(body).__name__)
            more = bool(message.get("more_body", False))
            if not more and self.head is not None and not self.disconnected:
                status, headers = self.head
                self.head = None
                self.finished = True
                self.exchange.respond(status, headers, bytes(body))
                self._on_disconnect()
                return
            self._send_head()
            # Once the client is gone, what is sent is dropped, as uvicorn does; receive() says so.
            if body and not self.disconnected and not self.exchange.write(bytes(body)):
                # A slow client: wait until it has taken most of what is buffered for it.
                self.writable = self.loop.create_future()
                await self.writable
            if not more:
                self.finished = True
                self.exchange.complete()
                # After the response, receive() reports the end of the connection.
                self._on_disconnect()
        else:
            raise ProtocolError("unknown message type %r on an http connection" % (kind,))

    def _send_head(self):
        if self.head is not None:
            status, headers = self.head
            self.head = None
            if not self.disconnected:
                self.exchange.start(status, headers)

    def _returned(self):
        self._send_head()
        if not self.finished:
            self.exchange.fail(
                PROTOCOL_ERROR,
                "the app returned before completing the response (an ASGI response ends with an "
                "http.response.body message whose more_body is False)",
                "",
            )


class WebSocketConnection(Connection):
    """One WebSocket: https://asgi.readthedocs.io/en/latest/specs/www.html#websocket"""

    def __init__(self, server, scope, exchange):
        super().__init__(server, scope, exchange)
        self.connect_sent = False
        self.accepted = False
        self.closed = False
        self.gone = False

    # From Java threads
    def feed(self, text, data):
        if text:
            message = {"type": "websocket.receive", "text": data}
        else:
            message = {"type": "websocket.receive", "bytes": data.encode("latin-1")}
        self.loop.call_soon_threadsafe(self._deliver, message)

    def disconnect(self, code):
        self.loop.call_soon_threadsafe(self._on_disconnect, code)

    # On the loop thread
    def _on_disconnect(self, code):
        if not self.gone:
            self.gone = True
            self._on_writable()
            self._deliver({"type": "websocket.disconnect", "code": code})

    def _take(self):
        if not self.connect_sent:
            self.connect_sent = True
            return {"type": "websocket.connect"}
        if self.inbox:
            return self.inbox.popleft()
        if self.gone:
            return {"type": "websocket.disconnect", "code": 1006}
        return None

    def _wants_more(self):
        return self.accepted

    async def send(self, message):
        kind = message["type"]
        if kind == "websocket.accept":
            if self.accepted or self.closed:
                raise ProtocolError("websocket.accept was sent after the connection was accepted or closed")
            self.accepted = True
            self.exchange.accept(message.get("subprotocol") or "")
        elif kind == "websocket.send":
            if not self.accepted:
                raise ProtocolError("websocket.send was sent before websocket.accept")
            if self.closed or self.gone:
                return
            text, data = message.get("text"), message.get("bytes")
            if text is not None:
                more = self.exchange.sendText(text)
            elif data is not None:
                more = self.exchange.sendBytes(bytes(data))
            else:
                raise ProtocolError("websocket.send has neither text nor bytes")
            if not more:
                # A slow client: wait until it has taken most of what is buffered for it.
                self.writable = self.loop.create_future()
                await self.writable
        elif kind == "websocket.close":
            if not self.closed:
                self.closed = True
                self.exchange.close(int(message.get("code", 1000)), message.get("reason") or "")
        else:
            raise ProtocolError("unknown message type %r on a websocket connection" % (kind,))

    def _returned(self):
        self.exchange.finish()

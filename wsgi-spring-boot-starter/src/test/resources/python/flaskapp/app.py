"""A Flask app served by the starter in the end-to-end tests."""

import hashlib
import os
import time

from flask import Flask, Response, jsonify, request

app = Flask(__name__)


@app.get("/")
def index():
    return jsonify(app="flask", script_root=request.script_root, path=request.path)


@app.get("/items/<int:item_id>")
def item(item_id):
    return jsonify(item=item_id)


@app.post("/upload")
def upload():
    digest = hashlib.sha256()
    size = 0
    stream = request.stream
    while True:
        chunk = stream.read(65536)
        if not chunk:
            break
        size += len(chunk)
        digest.update(chunk)
    return jsonify(size=size, sha256=digest.hexdigest())


@app.get("/stream")
def stream():
    """Yields a first chunk, then holds the rest back until the file named by ?gate= exists."""
    gate = request.args["gate"]

    def generate():
        yield b"first\n"
        deadline = time.monotonic() + 60
        while not os.path.exists(gate) and time.monotonic() < deadline:
            time.sleep(0.02)
        for i in range(4):
            yield b"more %d\n" % i

    return Response(generate(), mimetype="text/plain")

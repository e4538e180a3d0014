from flask import Flask, jsonify, request

app = Flask(__name__)


@app.get("/")
def index():
    return "Hello from Flask on GraalPy"


@app.post("/greet")
def greet():
    payload = request.get_json()
    return jsonify(greeting="Hello, %s" % payload["name"], root=request.script_root), 201


@app.get("/url")
def url():
    # Werkzeug builds request.url with the "idna" codec, which needs a native module in every context.
    return jsonify(url=request.url, host_url=request.host_url)

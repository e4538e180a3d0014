from flask import Flask, jsonify, request

app = Flask(__name__)


@app.get("/")
def index():
    return "Hello from Flask on GraalPy"


@app.post("/greet")
def greet():
    payload = request.get_json()
    return jsonify(greeting="Hello, %s" % payload["name"], root=request.script_root), 201

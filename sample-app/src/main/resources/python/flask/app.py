"""An ordinary Flask app; springwsgi mounts it at /flask."""

from flask import Flask, jsonify

app = Flask(__name__)


@app.get("/")
def index():
    return jsonify(message="Hello from Flask", script_root=app.config.get("APPLICATION_ROOT"))

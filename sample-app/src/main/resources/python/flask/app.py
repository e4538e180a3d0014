"""An ordinary Flask app; springwsgi mounts it at /flask.

Run it under gunicorn and it is the same app, except that its data comes from the host Spring
service through ``import spring``: the blog's rules live in the Java ``blogService`` bean, which
every mount shares.
"""

import spring
from flask import Flask, Response, jsonify, request, url_for

app = Flask(__name__)

# The blog service's exceptions, as spring.JavaError names them.
NOT_FOUND = "io.springwsgi.sample.blog.NotFoundException"
INVALID_FIELD = "io.springwsgi.sample.blog.InvalidFieldException"


class InvalidField(Exception):
    """A request field of the wrong type; the rules on values are the blog service's."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.field = field


def error(status, message, field=None):
    body = {"error": message}
    if field:
        body["field"] = field
    return jsonify(body), status


@app.errorhandler(InvalidField)
def invalid_field(exception):
    return error(400, str(exception), exception.field)


@app.errorhandler(spring.JavaError)
def java_error(exception):
    """The blog service's exceptions: unknown ids are 404, broken rules 400 naming the field."""
    if exception.java_class == NOT_FOUND:
        return error(404, exception.message)
    if exception.java_class == INVALID_FIELD:
        field, _, _ = exception.message.partition(":")
        return error(400, exception.message, field)
    raise exception


@app.errorhandler(404)
def not_found(exception):
    return error(404, "not found: " + request.path)


@app.errorhandler(405)
def method_not_allowed(exception):
    return error(405, "method not allowed: " + request.method)


def blog():
    return spring.beans.blogService


def fields():
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise InvalidField("the request body must be a JSON object")
    return data


def text(data, field):
    value = data.get(field)
    if value is not None and not isinstance(value, str):
        raise InvalidField(field + ": must be a string", field)
    return value


def identifier(data, field):
    value = data.get(field)
    if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
        raise InvalidField(field + ": must be an integer", field)
    return value


def created(value, endpoint):
    response = jsonify(value)
    response.status_code = 201
    response.headers["Location"] = url_for(endpoint, id=value["id"])
    return response


@app.get("/")
def index():
    return jsonify(message="Hello from Flask", script_root=request.script_root)


@app.get("/plaintext")
def plaintext():
    return Response("Hello, World!", mimetype="text/plain")


@app.post("/echo")
def echo():
    return jsonify(fields())


@app.get("/posts")
def list_posts():
    return jsonify(blog().listPosts())


@app.post("/posts")
def create_post():
    data = fields()
    return created(blog().createPost(text(data, "title"), text(data, "content")), "get_post")


@app.get("/posts/<int:id>")
def get_post(id):
    return jsonify(blog().getPost(id))


@app.put("/posts/<int:id>")
def update_post(id):
    data = fields()
    return jsonify(blog().updatePost(id, text(data, "title"), text(data, "content")))


@app.delete("/posts/<int:id>")
def delete_post(id):
    blog().deletePost(id)
    return "", 204


@app.get("/comments")
def list_comments():
    return jsonify(blog().listComments())


@app.post("/comments")
def create_comment():
    data = fields()
    return created(blog().createComment(identifier(data, "post_id"), text(data, "content")), "get_comment")


@app.get("/comments/<int:id>")
def get_comment(id):
    return jsonify(blog().getComment(id))


@app.put("/comments/<int:id>")
def update_comment(id):
    data = fields()
    return jsonify(blog().updateComment(id, identifier(data, "post_id"), text(data, "content")))


@app.delete("/comments/<int:id>")
def delete_comment(id):
    blog().deleteComment(id)
    return "", 204


@app.get("/iris")
def iris():
    """The first tables of the database's catalogue, the app's own first; each row a list."""
    return jsonify(spring.sql_rows(
        "SELECT table_schema, table_name, table_type FROM information_schema.tables "
        "ORDER BY table_schema <> 'public', table_schema, table_name LIMIT 10"
    ))


@app.route("/interop", methods=["GET", "POST", "PUT", "DELETE"])
def interop():
    """Send the request as a message to the Java EchoOperation bean and return its answer."""
    message = {
        "method": request.method,
        "url": request.url,
        "headers": dict(request.headers),
        "body": request.get_data(as_text=True),
    }
    return jsonify(spring.beans.echoOperation.handle(message))

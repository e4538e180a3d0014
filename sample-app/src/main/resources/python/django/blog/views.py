"""The blog API's views; the data and its rules are the host's ``blogService`` bean."""

import json

import spring
from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from blog.middleware import InvalidField, error


def blog():
    return spring.beans.blogService


def fields(request):
    try:
        data = json.loads(request.body)
    except ValueError:
        raise InvalidField("the request body is not valid JSON")
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


def created(value, view):
    response = JsonResponse(value, status=201)
    response["Location"] = reverse(view, args=[value["id"]])
    return response


def index(request):
    return JsonResponse({"message": "Hello from Django", "script_name": request.META.get("SCRIPT_NAME", "")})


@require_http_methods(["GET"])
def plaintext(request):
    return HttpResponse("Hello, World!", content_type="text/plain")


@csrf_exempt
@require_http_methods(["POST"])
def echo(request):
    return JsonResponse(fields(request))


@csrf_exempt
@require_http_methods(["GET", "POST"])
def posts(request):
    if request.method == "POST":
        data = fields(request)
        return created(blog().createPost(text(data, "title"), text(data, "content")), "post")
    return JsonResponse(blog().listPosts(), safe=False)


@csrf_exempt
@require_http_methods(["GET", "PUT", "DELETE"])
def post(request, id):
    if request.method == "PUT":
        data = fields(request)
        return JsonResponse(blog().updatePost(id, text(data, "title"), text(data, "content")))
    if request.method == "DELETE":
        blog().deletePost(id)
        return HttpResponse(status=204)
    return JsonResponse(blog().getPost(id))


@csrf_exempt
@require_http_methods(["GET", "POST"])
def comments(request):
    if request.method == "POST":
        data = fields(request)
        return created(blog().createComment(identifier(data, "post_id"), text(data, "content")), "comment")
    return JsonResponse(blog().listComments(), safe=False)


@csrf_exempt
@require_http_methods(["GET", "PUT", "DELETE"])
def comment(request, id):
    if request.method == "PUT":
        data = fields(request)
        return JsonResponse(blog().updateComment(id, identifier(data, "post_id"), text(data, "content")))
    if request.method == "DELETE":
        blog().deleteComment(id)
        return HttpResponse(status=204)
    return JsonResponse(blog().getComment(id))


@require_http_methods(["GET"])
def iris(request):
    """The first tables of the database's catalogue, the app's own first; each row a list."""
    rows = spring.sql_rows(
        "SELECT table_schema, table_name, table_type FROM information_schema.tables "
        "ORDER BY table_schema <> 'public', table_schema, table_name LIMIT 10"
    )
    return JsonResponse(rows, safe=False)


@csrf_exempt
@require_http_methods(["GET", "POST", "PUT", "DELETE"])
def interop(request):
    """Send the request as a message to the Java EchoOperation bean and return its answer."""
    message = {
        "method": request.method,
        "url": request.build_absolute_uri(),
        "headers": dict(request.headers),
        "body": request.body.decode("utf-8", "replace"),
    }
    return JsonResponse(spring.beans.echoOperation.handle(message))


def not_found(request, exception):
    return error(404, "not found: " + request.path)


def server_error(request):
    return error(500, "internal server error")

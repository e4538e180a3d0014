"""An ordinary FastAPI app; springwsgi mounts it at /fastapi as an ASGI app.

Run it under uvicorn and it is the same app, except that its data comes from the host Spring
service through ``import spring``: the blog's rules live in the Java ``blogService`` bean, which
every mount shares. Its OpenAPI docs are at /fastapi/docs.

The endpoints that call beans are plain ``def`` functions: the bean calls block, so FastAPI runs
them in its worker threads and the event loop stays free for other requests. Those that don't
(``/plaintext``, ``/echo``, the docs pages) are ``async def`` and run on the event loop.

FastAPI's docs pages load Swagger UI and ReDoc from a public CDN, which a network without internet
cannot reach. When ``DOCS_ASSETS`` names where the host serves them in the WebJars layout
(``swagger-ui/swagger-ui-bundle.js``, ``redoc/redoc.standalone.js``; the sample's ``application.yml``
points it at the service's own ``/webjars``), /docs and /redoc load every script, stylesheet and
icon from there instead; without it the app keeps FastAPI's defaults.
"""

import os

import spring
from fastapi import Body, FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import JSONResponse, PlainTextResponse
from pydantic import BaseModel, StrictInt, StrictStr

DOCS_ASSETS = os.environ.get("DOCS_ASSETS")

app = FastAPI(
    title="springwsgi blog",
    description="The sample's blog, served by FastAPI inside Spring Boot.",
    docs_url=None if DOCS_ASSETS else "/docs",
    redoc_url=None if DOCS_ASSETS else "/redoc",
)

# The blog service's exceptions, as spring.JavaError names them.
NOT_FOUND = "io.springwsgi.sample.blog.NotFoundException"
INVALID_FIELD = "io.springwsgi.sample.blog.InvalidFieldException"


class PostIn(BaseModel):
    title: StrictStr
    content: StrictStr = ""


class Post(PostIn):
    id: int


class CommentIn(BaseModel):
    post_id: StrictInt
    content: StrictStr = ""


class Comment(CommentIn):
    id: int


class UnknownId(Exception):
    """A path id that is not a number names nothing: 404, like an unknown number."""


def error(status, message, field=None):
    body = {"error": message}
    if field:
        body["field"] = field
    return JSONResponse(body, status_code=status)


@app.exception_handler(RequestValidationError)
def invalid_request(request, exception):
    """The blog contract's 400 {"error", "field"} instead of FastAPI's 422, so all mounts agree."""
    first = exception.errors()[0]
    # ("body", "title") names a field; ("body", 12) is a position in malformed JSON.
    location = [part for part in first["loc"] if part != "body" and isinstance(part, str)]
    field = location[-1] if location else None
    return error(400, "%s: %s" % (field, first["msg"]) if field else first["msg"], field)


@app.exception_handler(UnknownId)
def unknown_id(request, exception):
    return error(404, str(exception))


@app.exception_handler(spring.JavaError)
def java_error(request, exception):
    """The blog service's exceptions: unknown ids are 404, broken rules 400 naming the field."""
    if exception.java_class == NOT_FOUND:
        return error(404, exception.message)
    if exception.java_class == INVALID_FIELD:
        field, _, _ = exception.message.partition(":")
        return error(400, exception.message, field)
    raise exception


def blog():
    return spring.beans.blogService


def known_id(value):
    if not value.isdigit():
        raise UnknownId("no such id: " + value)
    return int(value)


def created(value, request, name):
    location = request.scope.get("root_path", "") + app.url_path_for(name, id=str(value["id"]))
    return JSONResponse(value, status_code=201, headers={"Location": location})


def openapi_url(request):
    return request.scope.get("root_path", "") + app.openapi_url


if DOCS_ASSETS:
    @app.get("/docs", include_in_schema=False)
    async def swagger_ui(request: Request):
        return get_swagger_ui_html(
            openapi_url=openapi_url(request),
            title=app.title + " - Swagger UI",
            swagger_js_url=DOCS_ASSETS + "/swagger-ui/swagger-ui-bundle.js",
            swagger_css_url=DOCS_ASSETS + "/swagger-ui/swagger-ui.css",
            swagger_favicon_url=DOCS_ASSETS + "/swagger-ui/favicon-32x32.png",
        )

    @app.get("/redoc", include_in_schema=False)
    async def redoc(request: Request):
        return get_redoc_html(
            openapi_url=openapi_url(request),
            title=app.title + " - ReDoc",
            redoc_js_url=DOCS_ASSETS + "/redoc/redoc.standalone.js",
            redoc_favicon_url=DOCS_ASSETS + "/swagger-ui/favicon-32x32.png",
            with_google_fonts=False,
        )


@app.get("/")
def index(request: Request):
    return {"message": "Hello from FastAPI", "root_path": request.scope.get("root_path")}


@app.get("/plaintext", response_class=PlainTextResponse)
async def plaintext():
    return "Hello, World!"


@app.post("/echo")
async def echo(data: dict = Body()):
    return data


@app.get("/posts", response_model=list[Post])
def list_posts():
    return blog().listPosts()


@app.post("/posts", response_model=Post, status_code=201)
def create_post(post: PostIn, request: Request):
    return created(blog().createPost(post.title, post.content), request, "get_post")


@app.get("/posts/{id}", response_model=Post)
def get_post(id: str):
    return blog().getPost(known_id(id))


@app.put("/posts/{id}", response_model=Post)
def update_post(id: str, post: PostIn):
    return blog().updatePost(known_id(id), post.title, post.content)


@app.delete("/posts/{id}", status_code=204)
def delete_post(id: str):
    blog().deletePost(known_id(id))
    return Response(status_code=204)


@app.get("/comments", response_model=list[Comment])
def list_comments():
    return blog().listComments()


@app.post("/comments", response_model=Comment, status_code=201)
def create_comment(comment: CommentIn, request: Request):
    return created(blog().createComment(comment.post_id, comment.content), request, "get_comment")


@app.get("/comments/{id}", response_model=Comment)
def get_comment(id: str):
    return blog().getComment(known_id(id))


@app.put("/comments/{id}", response_model=Comment)
def update_comment(id: str, comment: CommentIn):
    return blog().updateComment(known_id(id), comment.post_id, comment.content)


@app.delete("/comments/{id}", status_code=204)
def delete_comment(id: str):
    blog().deleteComment(known_id(id))
    return Response(status_code=204)


@app.get("/iris")
def iris():
    """The first tables of the database's catalogue, the app's own first; each row a list."""
    return spring.sql_rows(
        "SELECT table_schema, table_name, table_type FROM information_schema.tables "
        "ORDER BY table_schema <> 'public', table_schema, table_name LIMIT 10"
    )


@app.api_route("/interop", methods=["GET", "POST", "PUT", "DELETE"])
async def interop(request: Request):
    """Send the request as a message to the Java EchoOperation bean and return its answer."""
    message = {
        "method": request.method,
        "url": str(request.url),
        "headers": dict(request.headers),
        "body": (await request.body()).decode(),
    }
    return spring.beans.echoOperation.handle(message)

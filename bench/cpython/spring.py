"""A stand-in for springwsgi's ``spring`` module, so the sample's Python apps run unchanged on
CPython under gunicorn and uvicorn for the benchmark (bin/benchmark).

It answers what the benchmarked routes use, from the same PostgreSQL database the Spring
service uses, through psycopg2 (Debian's python3-psycopg2): the blog service's reads as plain
dicts and lists, ``sql``/``sql_rows``/``sql_update``, and ``JavaError`` with the Java exception
class the apps look for. The blog's write rules live in Java's ``BlogService``; they are not
copied here, so writes are not offered.

The connection comes from ``BENCH_DATABASE_DSN`` (a libpq connection string). Each thread keeps
one connection in autocommit, opened on first use: gunicorn forks its workers after import, and
gthread workers and FastAPI's threadpool call from many threads, while a psycopg2 connection
serves one query at a time.
"""

import os
import threading

import psycopg2

__all__ = ["JavaError", "beans", "to_python", "sql", "sql_rows", "sql_update"]

NOT_FOUND = "io.springwsgi.sample.blog.NotFoundException"

_local = threading.local()


class JavaError(Exception):
    """What springwsgi raises for a Java exception; ``java_class`` names its class."""

    def __init__(self, java_class, message):
        super().__init__("%s: %s" % (java_class, message) if message else java_class)
        self.java_class = java_class
        self.message = message


def _connection():
    connection = getattr(_local, "connection", None)
    if connection is None or connection.closed:
        connection = psycopg2.connect(os.environ["BENCH_DATABASE_DSN"])
        connection.autocommit = True
        _local.connection = connection
    return connection


def _query(query, parameters):
    with _connection().cursor() as cursor:
        # spring.sql binds with JDBC's "?"; psycopg2 with "%s".
        cursor.execute(query.replace("?", "%s"), parameters)
        columns = [column.name for column in cursor.description]
        return columns, cursor.fetchall()


def to_python(value):
    """Everything here is a Python value already."""
    return value


def sql(query, *parameters):
    columns, rows = _query(query, parameters)
    return [dict(zip(columns, row)) for row in rows]


def sql_rows(query, *parameters):
    return [list(row) for row in _query(query, parameters)[1]]


def sql_update(statement, *parameters):
    with _connection().cursor() as cursor:
        cursor.execute(statement.replace("?", "%s"), parameters)
        return cursor.rowcount


def _one(kind, query, id):
    rows = sql(query, id)
    if not rows:
        raise JavaError(NOT_FOUND, "no %s with id %d" % (kind, id))
    return rows[0]


class BlogService:
    """The reads of Java's BlogService, answered as springwsgi answers them: plain dicts."""

    def listPosts(self):
        return sql("SELECT id, title, content FROM post ORDER BY id")

    def getPost(self, id):
        return _one("post", "SELECT id, title, content FROM post WHERE id = ?", id)

    def listComments(self):
        return sql("SELECT id, post_id, content FROM comment ORDER BY id")

    def getComment(self, id):
        return _one("comment", "SELECT id, post_id, content FROM comment WHERE id = ?", id)


class _Beans:
    blogService = BlogService()


beans = _Beans()

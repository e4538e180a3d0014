"""Turns the blog's exceptions into the contract's JSON errors."""

import spring
from django.http import JsonResponse

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
    return JsonResponse(body, status=status)


class BlogErrorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, InvalidField):
            return error(400, str(exception), exception.field)
        if isinstance(exception, spring.JavaError):
            # The blog service's exceptions: unknown ids are 404, broken rules 400 naming the field.
            if exception.java_class == NOT_FOUND:
                return error(404, exception.message)
            if exception.java_class == INVALID_FIELD:
                field, _, _ = exception.message.partition(":")
                return error(400, exception.message, field)
        return None

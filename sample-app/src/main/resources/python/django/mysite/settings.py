"""Django settings for the sample's blog API; springwsgi mounts it at /django.

Its data comes from the host Spring service through ``import spring``, so Django needs no
database, sessions or templates of its own.
"""

import os

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "springwsgi-sample-not-a-secret")

DEBUG = os.environ.get("DJANGO_DEBUG") == "1"

# The Spring service in front decides who reaches the app.
ALLOWED_HOSTS = ["*"]

INSTALLED_APPS = ["blog"]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "blog.middleware.BlogErrorMiddleware",
]

ROOT_URLCONF = "mysite.urls"

WSGI_APPLICATION = "mysite.wsgi.application"

DATABASES = {}

# A JSON API: /posts is the resource, /posts/ no redirect to it.
APPEND_SLASH = False

USE_TZ = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

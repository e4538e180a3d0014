"""The servers under test: the Spring service on the JVM, and the same Python apps on CPython
under gunicorn and uvicorn, each started and stopped as a process group of its own."""

import os
import signal
import subprocess
import time
import urllib.error
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
PYTHON_APPS = os.path.join(ROOT, "sample-app", "src", "main", "resources", "python")
CPYTHON = "/usr/bin/python3"

# The routes measured on every mount: (name, path under the mount, method).
ROUTES = [
    ("plaintext", "/plaintext", "GET"),
    ("json", "/", "GET"),
    ("echo", "/echo", "POST"),
    ("db", "/posts/1", "GET"),
]
# Java's JSON route is /api/hello; the Python apps' is their root route.
JAVA_PATHS = {"/": "/hello"}

# app -> mount on the Spring service.
MOUNTS = {"flask": "/flask", "django": "/django", "fastapi": "/fastapi", "api": "/api"}


def route_path(app, path):
    return JAVA_PATHS.get(path, path) if app == "api" else path


def http_status(url, timeout=1.0):
    """The status of a GET, or None when nothing answered."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except (OSError, ValueError):
        return None


class Server:
    """A server process: name, the apps it serves and under which prefix, how to start it."""

    def __init__(self, name, apps, command, port, prefixes, env=None, cwd=ROOT):
        self.name = name
        self.apps = apps
        self.command = command
        self.port = port
        self.prefixes = prefixes
        self.env = env or {}
        self.cwd = cwd
        self.process = None
        self.launched_at = None

    def url(self, app, path):
        return "http://127.0.0.1:%d%s%s" % (self.port, self.prefixes[app], route_path(app, path))

    def start(self, log_path):
        env = dict(os.environ)
        # pyenv's python3 is first on PATH here; the CPython servers must not see its variables.
        for key in ("PYTHONPATH", "PYTHONHOME", "PYENV_VERSION", "VIRTUAL_ENV"):
            env.pop(key, None)
        env.update(self.env)
        self.log = open(log_path, "w")
        self.launched_at = time.monotonic()
        self.process = subprocess.Popen(self.command, cwd=self.cwd, env=env, stdout=self.log,
                                        stderr=subprocess.STDOUT, start_new_session=True)
        return self

    @property
    def pid(self):
        return self.process.pid

    def alive(self):
        return self.process is not None and self.process.poll() is None

    def wait_until_ready(self, app, timeout):
        """Seconds from launch until the app's JSON route answered 200."""
        url = self.url(app, "/")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.alive():
                raise RuntimeError("%s exited with %s before answering; see its log %s"
                                   % (self.name, self.process.returncode, self.log.name))
            if http_status(url) == 200:
                return time.monotonic() - self.launched_at
            time.sleep(0.1)
        raise RuntimeError("%s did not answer %s within %ds; see its log %s" % (self.name, url, timeout, self.log.name))

    def stop(self, grace=30):
        if self.process is None:
            return
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
                self.process.wait(grace)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
            except ProcessLookupError:
                pass
        self.log.close()


def springwsgi(java, jvm_options, jar, port, database):
    command = [java] + jvm_options + ["-jar", jar, "--server.port=%d" % port]
    env = {
        "SPRING_DATASOURCE_URL": database.jdbc_url(),
        "SPRING_DATASOURCE_USERNAME": "bench",
        "SPRING_DATASOURCE_PASSWORD": database.password,
    }
    return Server("springwsgi", list(MOUNTS), command, port, MOUNTS, env)


def _cpython_env(app, database):
    env = {
        # The stand-in `spring` first, then the app's own directory, as gunicorn --chdir would.
        "PYTHONPATH": os.pathsep.join([os.path.join(HERE, "cpython"), os.path.join(PYTHON_APPS, app)]),
        "BENCH_DATABASE_DSN": database.dsn(),
    }
    if app == "django":
        env["DJANGO_SETTINGS_MODULE"] = "mysite.settings"
    return env


WSGI_TARGETS = {"flask": "app:app", "django": "mysite.wsgi:application"}

# Configurations a gunicorn user would pick for this machine's cores: the sync worker at the
# docs' (2 x cores) + 1 workers, one request per process at a time; the threaded worker with one
# process per core and a few threads each, which overlap the database round trips.
def gunicorn_configs(cores):
    return {
        "gunicorn-sync": ["--worker-class", "sync", "--workers", str(2 * cores + 1)],
        "gunicorn-gthread": ["--worker-class", "gthread", "--workers", str(cores), "--threads", "4"],
    }


def gunicorn(kind, options, app, port, database):
    command = [CPYTHON, "-m", "gunicorn", "--bind", "127.0.0.1:%d" % port, "--log-level", "warning",
               "--chdir", os.path.join(PYTHON_APPS, app)] + options + [WSGI_TARGETS[app]]
    return Server(kind, [app], command, port, {app: ""}, _cpython_env(app, database))


def uvicorn(cores, port, database):
    command = [CPYTHON, "-m", "uvicorn", "--host", "127.0.0.1", "--port", str(port), "--workers", str(cores),
               "--loop", "uvloop", "--http", "httptools", "--no-access-log", "--log-level", "warning",
               "--app-dir", os.path.join(PYTHON_APPS, "fastapi"), "main:app"]
    return Server("uvicorn", ["fastapi"], command, port, {"fastapi": ""}, _cpython_env("fastapi", database))

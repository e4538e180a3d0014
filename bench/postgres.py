"""A throwaway PostgreSQL cluster from Debian's postgresql package, for one benchmark run.

The Spring service and the CPython stand-in of ``spring`` both use it, so their database reads
cost the same. It lives in a temporary directory, listens on loopback only, on a free port, and
is removed when the run ends (also on failure or Ctrl-C: use it as a context manager).
"""

import glob
import os
import secrets
import shutil
import socket
import subprocess
import tempfile

DATABASE = "springwsgi"
USER = "bench"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _binaries():
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                        key=lambda path: int(path.split("/")[4]))
    if not candidates:
        raise RuntimeError("no PostgreSQL server binaries under /usr/lib/postgresql; apt-get install postgresql")
    return os.path.dirname(candidates[-1])


class Cluster:
    def __init__(self):
        self.bin = _binaries()
        self.version = os.path.basename(os.path.dirname(self.bin))
        self.directory = None
        self.port = None
        self.password = secrets.token_hex(16)
        # PostgreSQL refuses to run as root: as root, the cluster belongs to Debian's postgres user.
        self.as_postgres = os.geteuid() == 0

    def _run(self, *command, **kwargs):
        prefix = ["runuser", "-u", "postgres", "--"] if self.as_postgres else []
        return subprocess.run(prefix + list(command), check=True, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True, **kwargs)

    @property
    def data(self):
        return os.path.join(self.directory, "data")

    @property
    def log(self):
        return os.path.join(self.directory, "postgresql.log")

    def start(self):
        self.directory = tempfile.mkdtemp(prefix="springwsgi-bench-pg-")
        password_file = os.path.join(self.directory, "password")
        with open(password_file, "w") as file:
            file.write(self.password + "\n")
        if self.as_postgres:
            for path in (self.directory, password_file):
                shutil.chown(path, "postgres", "postgres")
        self._run(os.path.join(self.bin, "initdb"), "-D", self.data, "-U", USER, "--pwfile", password_file,
                  "--auth", "scram-sha-256", "-E", "UTF8", "--locale", "C", "--no-sync")
        self.port = free_port()
        options = "-p %d -k %s -c listen_addresses=127.0.0.1 -c max_connections=300" % (self.port, self.directory)
        self._run(os.path.join(self.bin, "pg_ctl"), "-D", self.data, "-l", self.log, "-w", "-o", options, "start")
        self._run(os.path.join(self.bin, "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", USER, DATABASE,
                  env=dict(os.environ, PGPASSWORD=self.password))
        return self

    def stop(self):
        if self.directory is None:
            return
        try:
            if os.path.exists(os.path.join(self.data, "postmaster.pid")):
                self._run(os.path.join(self.bin, "pg_ctl"), "-D", self.data, "-m", "fast", "-w", "stop")
        finally:
            shutil.rmtree(self.directory, ignore_errors=True)
            self.directory = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exception):
        self.stop()

    def jdbc_url(self):
        return "jdbc:postgresql://127.0.0.1:%d/%s" % (self.port, DATABASE)

    def dsn(self):
        return "host=127.0.0.1 port=%d dbname=%s user=%s password=%s" % (self.port, DATABASE, USER, self.password)

"""The sample service as a process of its own, for the fault runs: built jar, free port, log file."""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

from postgres import free_port  # noqa: E402
from servers import MOUNTS, ROOT, Server  # noqa: E402

JAR = os.path.join(ROOT, "sample-app", "target", "wsgi-sample-app.jar")


def add_arguments(parser):
    parser.add_argument("--java", default="java", help="the java launcher (bin/ scripts pass JDK 25's)")
    parser.add_argument("--jvm-option", action="append", default=[], help="a JVM option, repeatable")


def start(arguments, log_path, extra_args=(), env=None, ready_timeout=900):
    """Start the sample jar and wait until every mount answers its root route."""
    port = free_port()
    command = [arguments.java] + arguments.jvm_option + ["-jar", JAR, "--server.port=%d" % port] + list(extra_args)
    server = Server("sample", list(MOUNTS), command, port, MOUNTS, env)
    server.start(log_path)
    try:
        for app in MOUNTS:
            server.wait_until_ready(app, ready_timeout)
    except BaseException:
        server.stop()
        raise
    return server

"""Two instances of the sample service behind nginx on one PostgreSQL, one restarted under load.

What Kubernetes does for a Deployment's rolling restart, done by hand so it runs on one machine:
the instances' /actuator/health/readiness decides which of them nginx sends requests to (the
part of an endpoints controller); restarting one takes it out of nginx first (a terminating pod
leaves the endpoints), waits the preStop pause, sends SIGTERM (Spring Boot's graceful shutdown
drains it), starts it again and lets it back into nginx only when its readiness is UP, which the
service reports once every Python app is loaded and warmed up. A client drives GET and POST
requests through nginx the whole time and counts every answer that is not a 2xx.

bin/rolling-restart runs it; the summary goes to deploy/rolling-restart/latest.md.
"""

import argparse
import collections
import datetime
import http.client
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

import postgres
import procs
import servers

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

# The requests of the load: reads on every mount, and writes that nginx must not retry.
REQUESTS = [
    ("GET", "/flask/posts/1", None),
    ("GET", "/django/posts/1", None),
    ("GET", "/fastapi/posts/1", None),
    ("GET", "/api/posts/1", None),
    ("POST", "/flask/comments", b'{"post_id": 1, "content": "during a rolling restart"}'),
    ("POST", "/fastapi/echo", b'{"hello": "nginx"}'),
]

NGINX_CONF = """\
{user}worker_processes 1;
daemon on;
pid {run}/nginx.pid;
error_log {run}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
    client_body_temp_path {run}/nginx-body;
    proxy_temp_path {run}/nginx-proxy;
    fastcgi_temp_path {run}/nginx-fastcgi;
    uwsgi_temp_path {run}/nginx-uwsgi;
    scgi_temp_path {run}/nginx-scgi;
    log_format upstreams '$msec $request_method $uri $status "$upstream_addr" "$upstream_status" $request_time';
    access_log {run}/nginx-access.log upstreams;
    upstream sample {{
        include {run}/upstream.conf;
        keepalive 16;
    }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://sample;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            # An instance that closes a connection or answers 502/503 while it goes: the request
            # is tried on the other one (nginx never retries a POST that reached an instance).
            proxy_next_upstream error timeout http_502 http_503;
            proxy_next_upstream_tries 2;
            proxy_connect_timeout 2s;
            proxy_read_timeout 60s;
        }}
    }}
}}
"""


# Failed readiness polls in a row that take an instance out of nginx.
READINESS_FAILURE_THRESHOLD = 3

# Seconds allowed for an nginx reload to take effect.
RELOAD_SETTLE = 1.0


def log(message):
    print("rolling-restart: %s" % message, file=sys.stderr, flush=True)


class Instance:
    """One instance of the sample service and whether nginx may send it requests."""

    def __init__(self, name, args, database, run):
        self.name = name
        self.port = postgres.free_port()
        self.args = args
        self.database = database
        self.run = run
        self.terminating = False
        self.server = None
        self.starts = 0
        self.failed_polls = READINESS_FAILURE_THRESHOLD

    @property
    def address(self):
        return "127.0.0.1:%d" % self.port

    def start(self):
        self.starts += 1
        self.server = servers.springwsgi(self.args.java, self.args.jvm_option, self.args.jar, self.port, self.database)
        self.server.command += self.args.spring_option
        self.server.start(os.path.join(self.run, "%s-%d.log" % (self.name, self.starts)))
        self.failed_polls = READINESS_FAILURE_THRESHOLD
        self.terminating = False

    def ready(self):
        """Polls readiness; not ready after READINESS_FAILURE_THRESHOLD failed polls in a row, as
        a Kubernetes readinessProbe's failureThreshold (a slow answer on a busy machine is one)."""
        up = (self.server is not None and self.server.alive()
              and servers.http_status("http://%s/actuator/health/readiness" % self.address, timeout=5) == 200)
        self.failed_polls = 0 if up else self.failed_polls + 1
        return self.failed_polls < READINESS_FAILURE_THRESHOLD


class Balancer:
    """nginx, and the loop that keeps its upstream equal to the ready, not terminating instances."""

    def __init__(self, instances, run, port):
        self.instances = instances
        self.run = run
        self.port = port
        self.conf = os.path.join(run, "nginx.conf")
        self.members = None
        self.events = []
        self.changed = threading.Condition()
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._follow_readiness, name="readiness", daemon=True)

    def start(self):
        for directory in ("nginx-body", "nginx-proxy", "nginx-fastcgi", "nginx-uwsgi", "nginx-scgi"):
            os.makedirs(os.path.join(self.run, directory), exist_ok=True)
        user = "user root root;\n" if os.geteuid() == 0 else ""
        with open(self.conf, "w") as file:
            file.write(NGINX_CONF.format(user=user, run=self.run, port=self.port))
        self._write_upstream(set())
        subprocess.run(["nginx", "-c", self.conf], check=True)
        self.thread.start()

    def stop(self):
        self.stopping.set()
        if os.path.exists(os.path.join(self.run, "nginx.pid")):
            subprocess.run(["nginx", "-c", self.conf, "-s", "quit"], check=False)

    def _write_upstream(self, members):
        lines = []
        for instance in self.instances:
            # An upstream needs a server: a not-ready one is listed as down.
            lines.append("server %s%s;" % (instance.address, "" if instance.name in members else " down"))
        with open(os.path.join(self.run, "upstream.conf"), "w") as file:
            file.write("\n".join(lines) + "\n")

    def _follow_readiness(self):
        while not self.stopping.is_set():
            members = {instance.name for instance in self.instances if not instance.terminating and instance.ready()}
            if members != self.members:
                self._write_upstream(members)
                reloaded_at = time.time()
                # nginx tells "signal process started" on stderr each time: kept for a failure only.
                signal = subprocess.run(["nginx", "-c", self.conf, "-s", "reload"], stderr=subprocess.PIPE, text=True)
                if signal.returncode != 0:
                    raise RuntimeError("nginx -s reload failed: %s" % signal.stderr.strip())
                # The signal returns before the new workers take over; they do within milliseconds.
                time.sleep(RELOAD_SETTLE)
                with self.changed:
                    self.members = members
                    self.events.append((reloaded_at, sorted(members)))
                    self.changed.notify_all()
                log("nginx sends requests to: %s" % (", ".join(sorted(members)) or "no instance"))
            self.stopping.wait(0.5)

    def wait_for(self, predicate, timeout, what):
        """Wait until the upstream satisfies predicate; the time of the reload that made it so."""
        deadline = time.monotonic() + timeout
        with self.changed:
            while not (self.members is not None and predicate(self.members)):
                left = deadline - time.monotonic()
                if left <= 0:
                    raise RuntimeError("%s: not within %ds; see the logs in %s" % (what, timeout, self.run))
                self.changed.wait(min(left, 1.0))
                for instance in self.instances:
                    if instance.server is not None and not instance.terminating and not instance.server.alive():
                        raise RuntimeError("%s exited with %s; see %s" % (
                            instance.name, instance.server.process.returncode, instance.server.log.name))
            return self.events[-1][0]


class Load:
    """Clients that send REQUESTS through nginx in turn and record every answer."""

    def __init__(self, port, clients, pause):
        self.port = port
        self.clients = clients
        self.pause = pause
        self.results = []
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.threads = [threading.Thread(target=self._client, args=(i,), daemon=True) for i in range(clients)]

    def start(self):
        for thread in self.threads:
            thread.start()

    def stop(self):
        self.stopping.set()
        for thread in self.threads:
            thread.join(120)

    def _client(self, index):
        turn = index
        while not self.stopping.is_set():
            method, path, body = REQUESTS[turn % len(REQUESTS)]
            turn += 1
            started = time.time()
            # A connection per request: an nginx reload closes idle keep-alive connections, and a
            # client that sends on one as it closes gets no answer (browsers retry then; this
            # client would count it as a failure of the service, which it is not).
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            try:
                headers = {"Content-Type": "application/json", "Connection": "close"}
                connection.request(method, path, body=body, headers=headers)
                response = connection.getresponse()
                response.read()
                outcome = response.status
            except (OSError, http.client.HTTPException) as error:
                outcome = "%s: %s" % (type(error).__name__, error)
            finally:
                connection.close()
            with self.lock:
                self.results.append((started, time.time() - started, method, path, outcome))
            self.stopping.wait(self.pause)


def percentile(values, share):
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def nginx_log(run):
    """(start time, method, path, status, upstream addresses, upstream statuses, seconds) per request."""
    entries = []
    with open(os.path.join(run, "nginx-access.log")) as file:
        for line in file:
            parts = line.split('"')
            head = parts[0].split()
            seconds = float(parts[4])
            # nginx logs the time a request ended.
            entries.append((float(head[0]) - seconds, head[1], head[2], int(head[3]), parts[1], parts[3], seconds))
    return entries


def summarise(args, instances, balancer, load, marks, started_at, run):
    restarted = instances[0]
    failures = [result for result in load.results if not (isinstance(result[4], int) and 200 <= result[4] < 300)]
    entries = nginx_log(run)
    retried = [entry for entry in entries if "," in entry[4]]
    # Requests nginx sent to the restarted instance from the moment it left the upstream until it was back.
    while_out = [entry for entry in entries
                 if marks["removed"] + RELOAD_SETTLE <= entry[0] < marks["back"] and restarted.address in entry[4]]
    back = [entry[6] * 1000 for entry in entries
            if marks["back"] <= entry[0] <= marks["back"] + 30 and entry[4] == restarted.address]
    before = [entry[6] * 1000 for entry in entries
              if marks["load"] <= entry[0] <= marks["removed"] and entry[4] == restarted.address]
    by_route = collections.Counter("%s %s" % (result[2], result[3]) for result in load.results)
    lines = [
        "# Rolling restart behind nginx: last run",
        "",
        "Run of %s UTC at commit `%s` (`bin/rolling-restart%s`) on %d cores; load average %s at the start." % (
            datetime.datetime.fromtimestamp(started_at, datetime.timezone.utc).strftime("%Y-%m-%d %H:%M"),
            commit(), (" " + " ".join(sys.argv[1:])) if sys.argv[1:] else "", os.cpu_count(), marks["loadavg"]),
        "",
        "Two instances of the sample jar (`java -jar`, GraalPy's JIT on, %s) on one PostgreSQL %s "
        "(Debian's, a throwaway cluster), behind Debian's nginx; %d clients send %s in turn through nginx, "
        "pausing %d ms between requests." % (
            " ".join(args.spring_option), instances[0].database.version, args.clients,
            ", ".join("%s %s" % (method, path) for method, path, _ in REQUESTS), int(args.pause * 1000)),
        "",
        "| step | seconds after launch |",
        "|---|---|",
        "| both instances ready (readiness UP), in nginx | %.1f |" % (marks["both"] - started_at),
        "| `%s` out of nginx (terminating) | %.1f |" % (restarted.name, marks["removed"] - started_at),
        "| SIGTERM after the preStop pause of %ds | %.1f |" % (args.pre_stop, marks["sigterm"] - started_at),
        "| `%s` exited (graceful shutdown: drained, Python contexts closed), exit code %s | %.1f |" % (
            restarted.name, marks["exit_code"], marks["exited"] - started_at),
        "| `%s` started again | %.1f |" % (restarted.name, marks["restarted"] - started_at),
        "| `%s` readiness UP (apps loaded and warmed up), back in nginx | %.1f |" % (
            restarted.name, marks["back"] - started_at),
        "| load stopped | %.1f |" % (marks["end"] - started_at),
        "",
        "- Requests sent: **%d**; failed (not 2xx, or no answer): **%d**." % (len(load.results), len(failures)),
        "- Requests nginx sent to `%s` while it was out (from leaving nginx to readiness UP): **%d**." % (
            restarted.name, len(while_out)),
        "- Requests nginx tried on a second instance after the first failed (`proxy_next_upstream`): **%d**." % (
            len(retried)),
        "- Latency through nginx of requests served by `%s`: p50 %s / p99 %s ms before the restart, "
        "p50 %s / p99 %s ms in its first 30 s back." % (
            restarted.name, fmt(percentile(before, 0.5)), fmt(percentile(before, 0.99)),
            fmt(percentile(back, 0.5)), fmt(percentile(back, 0.99))),
        "- Peak RSS (VmHWM) of the JVMs: %s." % ", ".join(
            "`%s` %.0f MB" % item for item in marks["rss"].items()),
        "- Graceful shutdown in `%s`'s log: %s." % (restarted.name, marks["graceful"]),
        "- Requests per route: %s." % ", ".join("%s %d" % item for item in sorted(by_route.items())),
        "",
    ]
    if failures:
        lines += ["Failed requests (first 20):", "", "```"]
        lines += ["%.3f %s %s -> %s" % (result[0] - started_at, result[2], result[3], result[4])
                  for result in failures[:20]]
        lines += ["```", ""]
    return "\n".join(lines), len(failures)


def fmt(value):
    return "-" if value is None else "%.1f" % value


def commit():
    done = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"], stdout=subprocess.PIPE, text=True)
    return done.stdout.strip() or "unknown"


def graceful_lines(log_path):
    with open(log_path, errors="replace") as file:
        text = file.read()
    found = [phrase for phrase in ("Commencing graceful shutdown", "Graceful shutdown complete") if phrase in text]
    return ", then ".join('"%s"' % phrase for phrase in found) if found else "no graceful shutdown logged"


def main():
    parser = argparse.ArgumentParser(prog="bin/rolling-restart", description=__doc__.split("\n\n")[0])
    parser.add_argument("--java", default=shutil.which("java"), help="the java to run the service with")
    parser.add_argument("--jar", default=os.path.join(ROOT, "sample-app", "target", "wsgi-sample-app.jar"))
    parser.add_argument("--jvm-option", action="append", default=[], help="a JVM option (repeatable)")
    parser.add_argument("--spring-option", action="append",
                        default=["--server.shutdown=graceful", "--spring.lifecycle.timeout-per-shutdown-phase=30s"],
                        help="an argument for both instances (repeatable; default: %(default)s)")
    parser.add_argument("--clients", type=int, default=4, help="concurrent clients (default %(default)s)")
    parser.add_argument("--pause", type=float, default=0.05,
                        help="seconds each client pauses between requests (default %(default)s)")
    parser.add_argument("--before", type=int, default=30, help="seconds of load before the restart")
    parser.add_argument("--after", type=int, default=30, help="seconds of load once the instance is back")
    parser.add_argument("--pre-stop", type=int, default=5,
                        help="seconds between leaving nginx and SIGTERM, Kubernetes' preStop (default %(default)s)")
    parser.add_argument("--startup-timeout", type=int, default=1800,
                        help="longest wait for an instance's readiness, in seconds (default %(default)s)")
    parser.add_argument("--result", default=os.path.join(ROOT, "deploy", "rolling-restart", "latest.md"))
    args = parser.parse_args()

    run = tempfile.mkdtemp(prefix="springwsgi-rolling-restart-")
    os.chmod(run, 0o755)
    log("logs in %s" % run)
    started_at = time.time()
    marks = {"loadavg": "%.1f" % os.getloadavg()[0]}
    instances = []
    balancer = None
    load = None
    with postgres.Cluster() as database:
        try:
            instances = [Instance(name, args, database, run) for name in ("instance-1", "instance-2")]
            # Both at once: Flyway's lock in the database lets one of them migrate, the other wait.
            for instance in instances:
                instance.start()
            balancer = Balancer(instances, run, postgres.free_port())
            balancer.start()
            marks["both"] = balancer.wait_for(lambda members: len(members) == 2, args.startup_timeout,
                                              "both instances ready")
            log("both instances ready after %.0f s; load through nginx on port %d" % (
                marks["both"] - started_at, balancer.port))
            load = Load(balancer.port, args.clients, args.pause)
            marks["load"] = time.time()
            load.start()
            time.sleep(args.before)

            restarted = instances[0]
            restarted.terminating = True
            marks["removed"] = balancer.wait_for(lambda members: restarted.name not in members, 30,
                                                 "%s out of nginx" % restarted.name)
            log("%s is out of nginx; SIGTERM in %d s" % (restarted.name, args.pre_stop))
            time.sleep(args.pre_stop)
            marks["sigterm"] = time.time()
            marks["rss"] = {restarted.name + " (before its restart)": procs.hwm_kb(restarted.server.pid) / 1024}
            os.killpg(restarted.server.pid, signal.SIGTERM)
            marks["exit_code"] = restarted.server.process.wait(120)
            marks["exited"] = time.time()
            restarted.server.log.close()
            marks["graceful"] = graceful_lines(restarted.server.log.name)
            log("%s exited with %s after %.1f s; starting it again" % (
                restarted.name, marks["exit_code"], marks["exited"] - marks["sigterm"]))
            restarted.start()
            marks["restarted"] = time.time()
            marks["back"] = balancer.wait_for(lambda members: restarted.name in members, args.startup_timeout,
                                              "%s ready again" % restarted.name)
            log("%s is back in nginx after %.0f s; %d s more load" % (
                restarted.name, marks["back"] - marks["restarted"], args.after))
            time.sleep(args.after)
            load.stop()
            marks["end"] = time.time()
            for instance in instances:
                marks["rss"]["%s (%s)" % (instance.name, "after its restart" if instance is restarted else "whole run")] = (
                    procs.hwm_kb(instance.server.pid) / 1024)
        finally:
            if load is not None:
                load.stop()
            if balancer is not None:
                balancer.stop()
            for instance in instances:
                if instance.server is not None:
                    instance.server.stop(grace=120)
        summary, failures = summarise(args, instances, balancer, load, marks, started_at, run)
    os.makedirs(os.path.dirname(args.result), exist_ok=True)
    with open(args.result, "w") as file:
        file.write(summary)
    print(summary)
    log("the run took %.0f s; summary in %s, logs in %s" % (time.time() - started_at, args.result, run))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

"""The benchmark behind bin/benchmark: the sample service on GraalPy against the same Python apps
on CPython (gunicorn, uvicorn), one PostgreSQL, one machine, one run. See the README's
"Benchmark" section; run it through bin/benchmark, which builds the jar and passes the JVM options.
"""

import argparse
import datetime
import glob
import json
import os
import shlex
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.request

import load
import postgres
import procs
import provenance
import report
import servers
from servers import HERE, MOUNTS, ROOT, ROUTES

ALL_SERVERS = ["springwsgi", "gunicorn-sync", "gunicorn-gthread", "uvicorn"]
# Which apps each CPython server runs.
CPYTHON_APPS = {"gunicorn-sync": ["flask", "django"], "gunicorn-gthread": ["flask", "django"], "uvicorn": ["fastapi"]}
ECHO_BODY = {"name": "springwsgi", "tags": ["wsgi", "asgi", "graalpy"], "count": 3,
             "nested": {"ok": True, "ratio": 0.5, "note": None}, "text": "Hello, World! " * 4}
WINDOW_S = 5
DEFAULTS = {"duration": 10, "warmup": 15, "cpython_warmup": 3, "curve": 180}
QUICK = {"duration": 3, "warmup": 3, "cpython_warmup": 1, "curve": 60}


def log(message):
    print("benchmark: " + message, file=sys.stderr, flush=True)


def arguments():
    parser = argparse.ArgumentParser(prog="bin/benchmark", description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true",
                        help="short durations for a smoke check (%s)" % ", ".join("%s %ss" % i for i in QUICK.items()))
    parser.add_argument("--duration", type=int, help="seconds measured per route (default %d)" % DEFAULTS["duration"])
    parser.add_argument("--warmup", type=int,
                        help="springwsgi: seconds of load per route before measuring (default %d)" % DEFAULTS["warmup"])
    parser.add_argument("--cpython-warmup", type=int,
                        help="CPython servers: seconds of load per route before measuring (default %d)"
                        % DEFAULTS["cpython_warmup"])
    parser.add_argument("--curve", type=int,
                        help="springwsgi: seconds of load on every mount's JSON route at once from the first answer, "
                        "in %d-s windows: the warm-up curve (default %d; 0: none)"
                        % (WINDOW_S, DEFAULTS["curve"]))
    parser.add_argument("--servers", default=",".join(ALL_SERVERS), help="comma-separated subset of %(default)s")
    parser.add_argument("--mounts", default=",".join(MOUNTS), help="comma-separated subset of %(default)s")
    parser.add_argument("--routes", default=",".join(name for name, _, _ in ROUTES),
                        help="comma-separated subset of %(default)s")
    parser.add_argument("--connections", type=int, default=32, help="wrk connections (default %(default)s)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (default %(default)s)")
    parser.add_argument("--profile", action="store_true",
                        help="record a JFR of the JVM while springwsgi's routes are measured")
    parser.add_argument("--startup-timeout", type=int, default=600, help="seconds to wait for the service")
    parser.add_argument("--results", default=os.path.join(HERE, "results"), help="where results go")
    parser.add_argument("--java", default=shutil.which("java"), help="the java to run the service with")
    parser.add_argument("--jar", default=os.path.join(ROOT, "sample-app", "target", "wsgi-sample-app.jar"))
    parser.add_argument("--jvm-option", action="append", default=[], help="a JVM option (repeatable)")
    parser.add_argument("--command-line", help="the command line to record (bin/benchmark passes its own)")
    args = parser.parse_args()
    for key, default in DEFAULTS.items():
        if getattr(args, key) is None:
            setattr(args, key, QUICK[key] if args.quick else default)
    args.servers = _subset(parser, "--servers", args.servers, ALL_SERVERS)
    args.mounts = _subset(parser, "--mounts", args.mounts, list(MOUNTS))
    args.routes = _subset(parser, "--routes", args.routes, [name for name, _, _ in ROUTES])
    return args


def _subset(parser, option, value, choices):
    chosen = [item.strip().lstrip("/") for item in value.split(",") if item.strip()]
    unknown = [item for item in chosen if item not in choices]
    if unknown or not chosen:
        parser.error("%s: unknown %s; choose from %s" % (option, ", ".join(unknown) or "(none)", ", ".join(choices)))
    return [item for item in choices if item in chosen]


class Run:
    """One benchmark run: its parameters, where its files go, and what it has measured so far."""

    def __init__(self, args, directory, wrk, body_file):
        self.args = args
        self.directory = directory
        self.wrk = wrk
        self.body_file = body_file
        self.routes = [route for route in ROUTES if route[0] in args.routes]
        self.measurements = []
        self.servers = {}
        self.startup = {}

    def check(self, server, app, route):
        """One request before the load, so a broken route fails loudly instead of measuring errors."""
        name, path, method = route
        url = server.url(app, path)
        body = json.dumps(ECHO_BODY).encode() if method == "POST" else None
        request = urllib.request.Request(url, data=body, method=method,
                                                 headers={"Content-Type": "application/json"} if body else {})
        with urllib.request.urlopen(request, timeout=30) as response:
            answer = response.read()
        if name == "echo" and json.loads(answer) != ECHO_BODY:
            raise RuntimeError("%s %s did not echo its body: %r" % (server.name, url, answer[:200]))

    def load(self, server, app, route, seconds):
        name, path, method = route
        return self.wrk.run(server.url(app, path), seconds, self.body_file if method == "POST" else None)

    def warm(self, server, apps, seconds):
        for app in apps:
            for route in self.routes:
                self.check(server, app, route)
                if seconds > 0:
                    result = self.load(server, app, route, seconds)
                    log("  warm %-16s %-9s %-9s %8.0f req/s" % (server.name, MOUNTS[app], route[0], result["rps"]))

    def measure(self, server, apps):
        for app in apps:
            for route in self.routes:
                cpu = procs.CpuMeter(server.pid).start()
                rss = procs.RssSampler(server.pid, 0.5).start()
                result = self.load(server, app, route, self.args.duration)
                result["cpu_cores"] = round(cpu.stop(), 2)
                result["peak_rss_mb"] = round(rss.stop() / 1024, 1)
                result.update(server=server.name, app=app, mount=MOUNTS[app], route=route[0],
                              url=server.url(app, route[1]), method=route[2])
                self.measurements.append(result)
                log("  %-16s %-9s %-9s %8.0f req/s  p50 %6.2f ms  p99 %7.2f ms  %.2f cores  errors %d/%d" % (
                    server.name, MOUNTS[app], route[0], result["rps"], result["latency_ms"]["p50"],
                    result["latency_ms"]["p99"], result["cpu_cores"], result["non_2xx"], result["socket_errors"]))


def probe_startup(server, apps, timeout, answered=None):
    """Poll each mount's JSON route every 100 ms from launch: the first answer of any kind, and
    the first 200 of each mount, in seconds from launch. ``answered`` is set at the first answer."""
    first_any = []
    first_ok = {}
    lock = threading.Lock()

    def poll(app):
        url = server.url(app, "/")
        deadline = server.launched_at + timeout
        while time.monotonic() < deadline and server.alive():
            tick = time.monotonic()
            status = servers.http_status(url, timeout=1.0)
            now = time.monotonic() - server.launched_at
            if status is not None:
                with lock:
                    if not first_any:
                        first_any.append((now, MOUNTS[app], status))
                        if answered is not None:
                            answered.set()
                if status == 200:
                    first_ok[app] = round(now, 2)
                    return
            time.sleep(max(0.0, 0.1 - (time.monotonic() - tick)))

    pollers = [threading.Thread(target=poll, args=(app,), daemon=True) for app in apps]
    for poller in pollers:
        poller.start()
    for poller in pollers:
        poller.join()
    if answered is not None:
        answered.set()
    missing = [MOUNTS[app] for app in apps if app not in first_ok]
    if missing:
        raise RuntimeError("springwsgi: %s did not answer 200 within %ds (alive: %s); see %s"
                           % (", ".join(missing), timeout, server.alive(), server.log.name))
    seconds, mount, status = first_any[0]
    return {"first_answer_s": round(seconds, 2), "first_answer": "%s (%d)" % (mount, status),
            "first_200_s": {MOUNTS[app]: first_ok[app] for app in apps},
            "all_mounts_200_s": max(first_ok.values())}


def warmup_curve(run, server, apps, seconds, answered):
    """Load on every mount's JSON route at once, for ``seconds`` from the service's first answer
    (on a busy machine that may come minutes after launch), in WINDOW_S-second windows: per mount the 2xx answers per second and
    p99, per window the CPU seconds of the JVM's compiler threads (Truffle, C2, C1). The
    connections are split between the mounts; answers before a mount has loaded (503) count
    as errors, not throughput."""
    answered.wait()
    route = next(route for route in ROUTES if route[0] == "json")
    connections = max(1, run.args.connections // len(apps))
    wrk = load.Wrk(connections, 1)
    windows = []
    compilers_before = procs.compiler_threads_cpu(server.pid)
    end = time.monotonic() + seconds
    while time.monotonic() + WINDOW_S <= end and server.alive():
        start = time.monotonic() - server.launched_at
        results = {}

        def drive(app):
            try:
                results[app] = wrk.run(server.url(app, route[1]), WINDOW_S)
            except RuntimeError as error:
                log("  curve: %s" % error)

        drivers = [threading.Thread(target=drive, args=(app,)) for app in apps]
        for driver in drivers:
            driver.start()
        for driver in drivers:
            driver.join()
        compilers = procs.compiler_threads_cpu(server.pid)
        window = {"start_s": round(start, 1), "mounts": {}, "load_average": round(os.getloadavg()[0], 1),
                  "compiler_cpu_s": {kind: round(seconds, 2) for kind, seconds
                                     in procs.compiler_cpu_between(compilers_before, compilers).items()}}
        compilers_before = compilers
        for app in apps:
            result = results.get(app)
            if result is None:
                continue
            ok = max(0, result["requests"] - result["non_2xx"])
            window["mounts"][MOUNTS[app]] = {
                "rps": round(ok / result["seconds"], 1) if result["seconds"] else 0.0,
                "p99_ms": result["latency_ms"]["p99"] if result["requests"] else None,
                "errors": result["non_2xx"] + result["socket_errors"]}
        windows.append(window)
        log("  curve %5.1f s: %s | compilers %s" % (start, "  ".join(
            "%s %s" % (mount, "%.0f" % m["rps"]) for mount, m in window["mounts"].items()),
            " ".join("%s %.1f" % item for item in window["compiler_cpu_s"].items())))
    mounts = {}
    for app in apps:
        series = [{"start_s": w["start_s"], "rps": w["mounts"][MOUNTS[app]]["rps"]} for w in windows
                  if MOUNTS[app] in w["mounts"]]
        if len(series) >= 3:
            mounts[MOUNTS[app]] = steady_from(series)
    totals = {kind: round(sum(w["compiler_cpu_s"][kind] for w in windows), 1) for kind in ("truffle", "c2", "c1")}
    for mount, steady in mounts.items():
        log("  %s: within 20%% of its final %.0f req/s from %s" % (
            mount, steady["final_rps"], "%.1f s" % steady["steady_state_s"] if steady["steady_state_s"] is not None
            else "(not reached)"))
    return {"route": "JSON", "window_s": WINDOW_S, "connections_per_mount": connections, "seconds": seconds,
            "windows": windows, "mounts": mounts, "compiler_cpu_s": totals,
            "compiler_cpu_total_s": procs.compiler_cpu_between({}, procs.compiler_threads_cpu(server.pid))}


def steady_from(windows):
    """The final throughput is the mean of the last three windows; steady state is the start of
    the first window after which every window stays within 20% of it. The last three windows must
    all be within that band and above zero, or steady state was not reached (None)."""
    tail = [window["rps"] for window in windows[-3:]]
    final = sum(tail) / len(tail)
    steady_index = len(windows)
    for index in range(len(windows) - 1, -1, -1):
        if abs(windows[index]["rps"] - final) > 0.2 * final:
            break
        steady_index = index
    # A mount that answered nothing in its last windows (still loading) has no steady state.
    reached = final > 0 and steady_index <= len(windows) - len(tail)
    return {"final_rps": round(final, 1), "steady_state_s": windows[steady_index]["start_s"] if reached else None}


def jcmd(java, pid, *arguments):
    command = [os.path.join(os.path.dirname(os.path.realpath(java)), "jcmd"), str(pid)] + list(arguments)
    done = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if done.returncode != 0:
        raise RuntimeError("%s failed: %s" % (" ".join(command), done.stdout))
    return done.stdout


def run_springwsgi(run, database):
    args = run.args
    apps = [app for app in MOUNTS if app in args.mounts]
    server = servers.springwsgi(args.java, args.jvm_option, args.jar, postgres.free_port(), database)
    log("springwsgi: starting %s" % " ".join(shlex.quote(part) for part in server.command))
    server.start(os.path.join(run.directory, "springwsgi.log"))
    rss = procs.RssSampler(server.pid, 0.5).start()
    try:
        answered = threading.Event()
        curve = {}
        if args.curve > 0:
            curving = threading.Thread(target=lambda: curve.update(warmup_curve(run, server, apps, args.curve,
                                                                                answered)), daemon=True)
            curving.start()
        startup = probe_startup(server, apps, args.startup_timeout, answered)
        log("  first answer %.1f s after launch; 200 on every mount after %.1f s"
            % (startup["first_answer_s"], startup["all_mounts_200_s"]))
        python_apps = [app for app in apps if app != "api"]
        if args.curve > 0:
            curving.join()
            startup["curve"] = curve
        run.warm(server, apps, args.warmup)
        jfr = None
        if args.profile:
            jfr = os.path.join(run.directory, "springwsgi.jfr")
            jcmd(args.java, server.pid, "JFR.start", "name=springwsgi-bench", "settings=profile")
        run.measure(server, apps)
        if jfr:
            jcmd(args.java, server.pid, "JFR.stop", "name=springwsgi-bench", "filename=" + jfr)
            run.profile = {"file": os.path.basename(jfr), "summary": jfr_summary(jfr)}
        startup["jvm_vmhwm_mb"] = round(procs.hwm_kb(server.pid) / 1024, 1)
    finally:
        peak = rss.stop()
        server.stop()
    startup["jvm_peak_rss_mb"] = round(peak / 1024, 1)
    startup["jit"] = provenance.jit_state(server.log.name)
    startup["python_apps"] = [MOUNTS[app] for app in python_apps]
    run.startup = startup
    run.servers["springwsgi"] = {"command": server.command, "peak_rss_mb": startup["jvm_peak_rss_mb"],
                                 "vmhwm_mb": startup["jvm_vmhwm_mb"], "ready_s": startup["all_mounts_200_s"]}


def jfr_summary(path):
    script = os.path.join(HERE, "jfr_summary.py")
    if not os.path.exists(script):
        return None
    done = subprocess.run([servers.CPYTHON, script, path], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True)
    return done.stdout if done.returncode == 0 else "jfr_summary.py failed (exit %d):\n%s" % (done.returncode,
                                                                                            done.stdout)


def run_cpython(run, database):
    args = run.args
    cores = os.cpu_count()
    configs = servers.gunicorn_configs(cores)
    for kind in [name for name in ALL_SERVERS[1:] if name in args.servers]:
        for app in [app for app in CPYTHON_APPS[kind] if app in args.mounts]:
            port = postgres.free_port()
            server = (servers.uvicorn(cores, port, database) if kind == "uvicorn"
                      else servers.gunicorn(kind, configs[kind], app, port, database))
            log("%s: starting %s" % (kind, " ".join(server.command)))
            server.start(os.path.join(run.directory, "%s-%s.log" % (kind, app)))
            rss = procs.RssSampler(server.pid, 0.5).start()
            try:
                ready = server.wait_until_ready(app, 60)
                run.warm(server, [app], args.cpython_warmup)
                run.measure(server, [app])
            finally:
                peak = rss.stop()
                server.stop()
            run.servers["%s %s" % (kind, MOUNTS[app])] = {"command": server.command, "ready_s": round(ready, 2),
                                                           "peak_rss_mb": round(peak / 1024, 1)}


def create_schema(database):
    """The sample's Flyway migrations, for runs without springwsgi (which would apply them)."""
    import psycopg2
    connection = psycopg2.connect(database.dsn())
    connection.autocommit = True
    with connection, connection.cursor() as cursor:
        for path in sorted(glob.glob(os.path.join(ROOT, "sample-app/src/main/resources/db/migration/V*.sql")),
                           key=lambda name: int(os.path.basename(name)[1:].split("__")[0])):
            with open(path) as file:
                cursor.execute(file.read())
    connection.close()


def main():
    args = arguments()
    if "springwsgi" in args.servers and not os.path.exists(args.jar):
        sys.exit("benchmark: %s is missing; build it (bin/benchmark does)" % args.jar)
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    directory = os.path.join(args.results, stamp)
    os.makedirs(directory)
    # Ctrl-C and kill both unwind through the finally blocks that stop servers and PostgreSQL.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    body_file = os.path.join(directory, "echo.json")
    with open(body_file, "w") as file:
        json.dump(ECHO_BODY, file)
    wrk = load.Wrk(args.connections, args.threads)
    run = Run(args, directory, wrk, body_file)
    run.profile = None
    started = time.monotonic()
    log("results go to %s" % directory)
    with postgres.Cluster() as database:
        log("PostgreSQL %s on 127.0.0.1:%d (%s)" % (database.version, database.port, database.directory))
        header = provenance.describe(args.command_line or " ".join(sys.argv), args.java, args.jar,
                                     "%s (Debian, throwaway cluster on loopback)" % database.version)
        if "springwsgi" in args.servers:
            run_springwsgi(run, database)
        else:
            create_schema(database)
        run_cpython(run, database)
    header["wall_time_s"] = round(time.monotonic() - started)
    header["load_average_end"] = [round(value, 2) for value in os.getloadavg()]
    parameters = {"wrk": wrk.describe(), "connections": args.connections, "wrk_threads": args.threads,
                  "duration_s": args.duration, "warmup_s": args.warmup, "cpython_warmup_s": args.cpython_warmup,
                  "curve_s": args.curve, "quick": args.quick, "servers": args.servers,
                  "mounts": [MOUNTS[app] for app in args.mounts], "routes": args.routes,
                  "jvm_options": args.jvm_option, "echo_body_bytes": os.path.getsize(body_file)}
    results = {"header": header, "parameters": parameters, "measurements": run.measurements,
               "servers": run.servers, "startup": run.startup, "profile": run.profile}
    report.write(results, directory)
    for name, latest in (("results.md", "latest.md"), ("results.json", "latest.json"), ("chart.png", "latest.png"),
                         ("curve.png", "latest-curve.png")):
        if os.path.exists(os.path.join(directory, name)):
            shutil.copyfile(os.path.join(directory, name), os.path.join(args.results, latest))
    log("done in %d s: %s (and %s)" % (header["wall_time_s"], os.path.join(directory, "results.md"),
                                      os.path.join(args.results, "latest.md")))


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit("benchmark: interrupted; servers and PostgreSQL stopped")
    except RuntimeError as error:
        sys.exit("benchmark: %s" % error)

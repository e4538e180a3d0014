"""results.json, results.md and chart.png of a benchmark run."""

import json
import os

SERVERS = ["springwsgi", "gunicorn-sync", "gunicorn-gthread", "uvicorn"]
ROUTE_NAMES = {"plaintext": "plaintext", "json": "JSON", "echo": "POST echo", "db": "DB read"}
MOUNT_NAMES = {"/flask": "Flask", "/django": "Django", "/fastapi": "FastAPI", "/api": "Java"}
COLOURS = {"springwsgi": "#2e7d32", "gunicorn-sync": "#90a4ae", "gunicorn-gthread": "#546e7a", "uvicorn": "#ef6c00"}


def write(results, directory):
    with open(os.path.join(directory, "results.json"), "w") as file:
        json.dump(results, file, indent=1)
    with open(os.path.join(directory, "results.md"), "w") as file:
        file.write(markdown(results))
    chart(results, os.path.join(directory, "chart.png"))
    curve_chart(results, os.path.join(directory, "curve.png"))


def _index(results):
    return {(m["route"], m["mount"], m["server"]): m for m in results["measurements"]}


def _rows(results):
    """(route, mount) pairs in the order measured: by route, then mount."""
    measured = {(m["route"], m["mount"]) for m in results["measurements"]}
    routes = [route for route in ROUTE_NAMES if route in results["parameters"]["routes"]]
    return [(route, mount) for route in routes for mount in MOUNT_NAMES if (route, mount) in measured]


def _best_cpython(index, route, mount):
    candidates = [index[(route, mount, server)] for server in SERVERS[1:] if (route, mount, server) in index]
    return max(candidates, key=lambda m: m["rps"]) if candidates else None


def _cell(m):
    if m is None:
        return ""
    errors = m["non_2xx"] + m["socket_errors"]
    if m["requests"] == 0:
        return "**0**<br>no answer within %d s<br>%.2f cores" % (m["seconds"], m["cpu_cores"])
    cell = "**%s**<br>%s / %s ms<br>%.2f cores" % (_thousands(m["rps"]), _ms(m["latency_ms"]["p50"]),
                                                   _ms(m["latency_ms"]["p99"]), m["cpu_cores"])
    if errors:
        cell += "<br>⚠ %d errors" % errors
    return cell


def _thousands(value):
    return "{:,.0f}".format(value).replace(",", " ")


def _ratio(value):
    return "%.2f" % value if value >= 0.1 else "%.3f" % value


def _ms(value):
    return "%.1f" % value if value >= 10 else "%.2f" % value


def markdown(results):
    header, parameters = results["header"], results["parameters"]
    machine = header["machine"]
    index = _index(results)
    servers = [server for server in SERVERS if any(key[2] == server for key in index)]
    lines = [
        "# springwsgi benchmark, %s" % header["date"],
        "",
        "| | |",
        "|---|---|",
        "| commit | `%s`%s |" % (header["commit"], " with uncommitted changes to %s" % ", ".join(header.get("changed_files", [])) if header["dirty"] else ""),
        "| command | `%s` |" % header["command"],
        "| machine | %s, %d cores, %s GiB RAM, %s |" % (machine["cpu"], machine["cores"], machine["memory_gib"],
                                                      machine["kernel"]),
        "| JDK | %s |" % " / ".join(header["java"][:2]),
        "| GraalPy | %s, JIT %s |" % (header["graalpy"], results["startup"].get("jit", "not run")),
        "| CPython | %s (`/usr/bin/python3`) |" % header["cpython"].replace("Python ", ""),
        "| packages (Debian; the jar carries the same) | %s |" % ", ".join(
            "%s %s" % item for item in header["packages"].items()),
        "| PostgreSQL | %s |" % header["postgresql"],
        "| load | `%s`, %d s per route measured after %d s warm-up per route (springwsgi) / %d s (CPython); "
        "POST body %d bytes of JSON |" % (parameters["wrk"], parameters["duration_s"], parameters["warmup_s"],
                                          parameters["cpython_warmup_s"], parameters["echo_body_bytes"]),
        "| wrk | %s |" % header["wrk"].split(" Copyright")[0],
        "| wall time | %d s; load average %s at the start, %s at the end |" % (
            header["wall_time_s"], " ".join(map(str, header["load_average"])),
            " ".join(map(str, header.get("load_average_end", [])))),
        "",
        _busy(header),
        "wrk, the servers and PostgreSQL share the machine's %d cores. springwsgi is the sample service: "
        "Flask and Django (%d contexts each: one per core, at most 8) and FastAPI (%d event loop%s, ASGI: one per "
        "two cores, at most 4) on GraalPy and Java's WebFlux controllers, in one JVM. CPython: gunicorn sync `-w %d` (2 × cores + 1), gunicorn gthread `-w %d --threads 4`, "
        "uvicorn `--workers %d --loop uvloop --http httptools`."
        % (machine["cores"], min(machine["cores"], 8), max(1, min(machine["cores"] // 2, 4)),
           "" if max(1, min(machine["cores"] // 2, 4)) == 1 else "s",
           2 * machine["cores"] + 1, machine["cores"], machine["cores"]),
        "",
        "## Throughput and latency",
        "",
        "Each cell: **requests/s**, p50 / p99 latency, CPU used by the server's processes (cores). "
        "× best: springwsgi's requests/s over the best CPython configuration's, and its p99 over that one's "
        "(lower is better).",
        "",
        "| route | app | %s | × best CPython |" % " | ".join(servers),
        "|---|---|%s---|" % ("---|" * len(servers)),
    ]
    for route, mount in _rows(results):
        spring = index.get((route, mount, "springwsgi"))
        best = _best_cpython(index, route, mount)
        ratio = ""
        if spring and best and best["rps"]:
            ratio = "**%s×** req/s (vs %s)" % (_ratio(spring["rps"] / best["rps"]), best["server"])
            if spring["requests"] and best["latency_ms"]["p99"]:
                ratio += "<br>p99 %s×" % _ratio(spring["latency_ms"]["p99"] / best["latency_ms"]["p99"])
        cells = [_cell(index.get((route, mount, server))) for server in servers]
        lines.append("| %s | %s `%s` | %s | %s |" % (ROUTE_NAMES[route], MOUNT_NAMES[mount], mount,
                                                     " | ".join(cells), ratio))
    lines += _targets(results)
    lines += _startup(results)
    profile = results.get("profile")
    if profile:
        lines += ["", "## Profile", "", "JFR of the JVM while springwsgi's routes were measured: `%s` "
                  "(next to this file)." % profile["file"], ""]
        if profile.get("summary"):
            lines += ["```", profile["summary"].rstrip(), "```"]
    lines += ["", "![requests per second and p99 latency](chart.png)", ""]
    return "\n".join(lines)


def _targets(results):
    """Issue 13's targets against this run's figures: what is met, and by how much the rest is not."""
    index = _index(results)
    rows = []

    def rps(route, mount, server="springwsgi"):
        m = index.get((route, mount, server))
        return m["rps"] if m else None

    def target(name, goal, measured, met):
        rows.append("| %s | %s | %s | %s |" % (name, goal, measured, "yes" if met else "**no**"))

    curve = (results.get("startup") or {}).get("curve") or {}
    for mount in ("/flask", "/django", "/fastapi"):
        steady = curve.get("mounts", {}).get(mount)
        if steady:
            at = steady["steady_state_s"]
            alone = rps("json", mount)
            # A curve shorter than twice the target's 90 s cannot tell a steady mount from a slow one.
            judged = curve["seconds"] >= 180
            target("warm-up %s" % mount, "within 20% of steady ≤ 90 s after launch, all mounts loaded",
                   "%s (steady here: the curve's last 15 s, %s req/s with every mount loaded at once%s)%s"
                   % ("%.0f s" % at if at is not None else "not within the %d s measured" % curve["seconds"],
                      _thousands(steady["final_rps"]),
                      "; its JSON route alone, later: %s req/s" % _thousands(alone) if alone else "",
                      "" if judged else "; not judged: the curve ran %d s, fewer than 180" % curve["seconds"]),
                   judged and at is not None and at <= 90)
    quiet = rps("json", "/api")
    if quiet and curve.get("windows"):
        early = [w["mounts"]["/api"]["rps"] for w in curve["windows"] if w["start_s"] <= 60 and "/api" in w["mounts"]]
        best = max(early) if early else 0
        target("Java `/api` in the first minute", "≥ 80%% of its quiet %s req/s within 60 s" % _thousands(quiet),
               "at most %s req/s (%.0f%%) by 60 s" % (_thousands(best), 100 * best / quiet), best >= 0.8 * quiet)
    for mount in ("/flask", "/django"):
        spring, best = index.get(("json", mount, "springwsgi")), _best_cpython(index, "json", mount)
        if spring and best and best["rps"]:
            ratio = spring["rps"] / best["rps"]
            target("JSON %s" % mount, "≥ 2× the best gunicorn", "%s× (vs %s)" % (_ratio(ratio), best["server"]),
                   ratio >= 2)
    async_rps, uvicorn = rps("plaintext", "/fastapi"), rps("plaintext", "/fastapi", "uvicorn")
    if async_rps and uvicorn:
        target("FastAPI `async def` (`/plaintext`)", "≥ 0.5× uvicorn", "%s×" % _ratio(async_rps / uvicorn),
               async_rps / uvicorn >= 0.5)
    sync_rps = rps("json", "/fastapi")
    if sync_rps and async_rps:
        target("FastAPI `def` (JSON `/`) against `async def` (`/plaintext`)", "≥ 50%",
               "%.0f%%" % (100 * sync_rps / async_rps), sync_rps >= 0.5 * async_rps)
    worse = []
    compared = 0
    for route, mount in _rows(results):
        spring, best = index.get((route, mount, "springwsgi")), _best_cpython(index, route, mount)
        if spring and best and spring["requests"] and best["latency_ms"]["p99"]:
            compared += 1
            if spring["latency_ms"]["p99"] > best["latency_ms"]["p99"]:
                worse.append("%s %s" % (ROUTE_NAMES[route], mount))
    if compared:
        target("p99 at %d connections" % results["parameters"]["connections"], "no worse than the best CPython server's",
               "worse on %d of %d routes" % (len(worse), compared), not worse)
    first = (results.get("startup") or {}).get("first_200_s") or {}
    python_first = [seconds for mount, seconds in first.items() if mount != "/api"]
    if python_first:
        target("start-up", "first answer from a Python mount ≤ 20 s after launch", "%.1f s" % min(python_first),
               min(python_first) <= 20)
    if not rows:
        return []
    return ["", "## Issue 13's targets", "", "| target | goal | this run | met |", "|---|---|---|---|"] + rows


def _starting_load(header):
    """The 1-minute load average before the run: what other work there was. The load at the
    end counts the benchmark's own servers and wrk, so it says nothing about other work."""
    return header["load_average"][0]


def _busy(header):
    """A warning when other work ran on the machine, which skews every figure of the run."""
    cores = header["machine"]["cores"]
    load = _starting_load(header)
    if load <= cores:
        return ""
    return ("**The machine was busy with other work when this run started (load average %.1f on %d cores): the "
            "figures are skewed, the JVM's most of all: its JIT compiles on the same starved cores.**\n" % (load, cores))


def _startup(results):
    startup = results["startup"]
    lines = ["", "## Start-up and memory", ""]
    if startup:
        first = startup["first_200_s"]
        lines += [
            "springwsgi, from JVM launch (polled every 100 ms): first answer of any kind after **%.1f s** (%s); "
            "first 200 per mount: %s." % (startup["first_answer_s"], startup["first_answer"],
                                          ", ".join("`%s` %.1f s" % item for item in first.items())),
        ]
        lines += _curve(startup.get("curve"))
        lines += ["", "JVM peak RSS over the whole run: **%s MB** sampled (VmHWM %s MB)."
                  % (_thousands(startup["jvm_peak_rss_mb"]), _thousands(startup["jvm_vmhwm_mb"])), ""]
    lines += ["| server | ready (s from launch to first 200) | peak RSS of its processes (MB) |", "|---|---|---|"]
    for name, server in results["servers"].items():
        lines.append("| %s | %.1f | %s |" % (name, server["ready_s"], _thousands(server["peak_rss_mb"])))
    return lines


def _curve(curve):
    """The warm-up curve: every mount under load at once from the first answer."""
    if not curve or not curve.get("windows"):
        return []
    mounts = [mount for mount in MOUNT_NAMES if any(mount in w["mounts"] for w in curve["windows"])]
    totals = curve["compiler_cpu_s"]
    reached = []
    for mount in mounts:
        steady = curve["mounts"].get(mount)
        if steady:
            reached.append("`%s` %s (final %s req/s)" % (
                mount, "**%.1f s**" % steady["steady_state_s"] if steady["steady_state_s"] is not None
                else "**not within the %d s measured**" % curve["seconds"], _thousands(steady["final_rps"])))
    lines = ["", "### Warm-up curve", "",
             "Load on every mount's %s route at once (`wrk -t1 -c%d` each) for %d s from the first answer, in %d-s windows. "
             "Each mount stays within 20%% of its final throughput (the mean of its last three windows) from: %s. "
             "The JVM's compiler threads used %.1f s of CPU (Truffle %.1f, C2 %.1f, C1 %.1f) during the curve."
             % (curve["route"], curve["connections_per_mount"], curve["seconds"], curve["window_s"], ", ".join(reached),
                sum(totals.values()), totals["truffle"], totals["c2"], totals["c1"]), "",
             "| s after launch | " + " | ".join("%s req/s, p99 ms" % mount for mount in mounts)
             + " | compiler CPU s (Truffle / C2 / C1) | load |",
             "|---:|" + "---:|" * len(mounts) + "---|---:|"]
    for window in curve["windows"]:
        cells = []
        for mount in mounts:
            m = window["mounts"].get(mount)
            cells.append("" if m is None else "%s, %s%s" % (
                _thousands(m["rps"]), _ms(m["p99_ms"]) if m["p99_ms"] is not None else "-",
                " (%d errors)" % m["errors"] if m["errors"] else ""))
        compilers = window["compiler_cpu_s"]
        lines.append("| %.0f | %s | %.1f / %.1f / %.1f | %.1f |" % (
            window["start_s"], " | ".join(cells), compilers["truffle"], compilers["c2"], compilers["c1"],
            window["load_average"]))
    lines += ["", "![warm-up curve: requests/s and p99 per mount, compiler CPU per window](curve.png)"]
    return lines


def curve_chart(results, path):
    """requests/s and p99 per mount and the compilers' CPU per window, from launch."""
    curve = (results.get("startup") or {}).get("curve")
    if not curve or not curve.get("windows"):
        return False
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    windows = curve["windows"]
    x = [w["start_s"] for w in windows]
    figure, (throughput, latency, compilers) = plt.subplots(3, 1, figsize=(10, 10), sharex=True)
    for mount in MOUNT_NAMES:
        if not any(mount in w["mounts"] for w in windows):
            continue
        points = [(w["start_s"], w["mounts"][mount]) for w in windows if mount in w["mounts"]]
        throughput.plot([p[0] for p in points], [p[1]["rps"] for p in points], marker=".", label=MOUNT_NAMES[mount])
        latency.plot([p[0] for p in points if p[1]["p99_ms"] is not None],
                     [p[1]["p99_ms"] for p in points if p[1]["p99_ms"] is not None], marker=".",
                     label=MOUNT_NAMES[mount])
    bottom = [0.0] * len(windows)
    for kind, label in (("truffle", "Truffle (Python)"), ("c2", "C2"), ("c1", "C1")):
        values = [w["compiler_cpu_s"][kind] / curve["window_s"] for w in windows]
        compilers.bar(x, values, curve["window_s"] * 0.9, bottom=bottom, align="edge", label=label)
        bottom = [b + v for b, v in zip(bottom, values)]
    throughput.set_ylabel("2xx requests/s")
    latency.set_ylabel("p99 latency (ms)")
    latency.set_yscale("log")
    compilers.set_ylabel("compiler threads (cores)")
    compilers.set_xlabel("seconds after JVM launch")
    for axis in (throughput, latency, compilers):
        axis.grid(alpha=0.3)
        axis.legend(fontsize=9, loc="upper left")
    header = results["header"]
    figure.suptitle("springwsgi warm-up under load on every mount at once — %d cores, load average %.1f at the start, %s"
                    % (header["machine"]["cores"], _starting_load(header), header["date"][:10]), fontsize=12)
    figure.tight_layout(rect=(0, 0, 1, 0.96))
    figure.savefig(path, dpi=100)
    plt.close(figure)
    return True


def chart(results, path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    index = _index(results)
    routes = [route for route in ROUTE_NAMES if route in results["parameters"]["routes"]]
    mounts = [mount for mount in MOUNT_NAMES if any(key[1] == mount for key in index)]
    servers = [server for server in SERVERS if any(key[2] == server for key in index)]
    figure, axes = plt.subplots(2, len(routes), figsize=(4.2 * len(routes), 8), squeeze=False)
    width = 0.8 / max(1, len(servers))
    for column, route in enumerate(routes):
        for row, (metric, label) in enumerate([("rps", "requests/s"), ("p99", "p99 latency (ms)")]):
            axis = axes[row][column]
            for position, mount in enumerate(mounts):
                present = [server for server in servers if (route, mount, server) in index]
                for slot, server in enumerate(present):
                    m = index[(route, mount, server)]
                    if metric == "p99" and not m["requests"]:
                        continue  # no request finished: no latency to show
                    value = m["rps"] if metric == "rps" else m["latency_ms"]["p99"]
                    x = position + (slot - (len(present) - 1) / 2) * width
                    axis.bar(x, value, width * 0.95, color=COLOURS[server])
                    text = ("%.1fk" % (value / 1000) if value >= 1000 else "%.0f" % value) if metric == "rps" \
                        else _ms(value)
                    axis.annotate(text, (x, value), ha="center", va="bottom", fontsize=7, rotation=90,
                                  xytext=(0, 2), textcoords="offset points")
            axis.set_xticks(range(len(mounts)))
            axis.set_xticklabels([MOUNT_NAMES[mount] for mount in mounts])
            axis.margins(y=0.25)
            axis.grid(axis="y", alpha=0.3)
            axis.set_axisbelow(True)
            if row == 0:
                axis.set_title(ROUTE_NAMES[route], fontweight="bold")
            if column == 0:
                axis.set_ylabel(label)
    handles = [plt.Rectangle((0, 0), 1, 1, color=COLOURS[server]) for server in servers]
    figure.legend(handles, servers, loc="upper center", ncol=len(servers), frameon=False, fontsize=11,
                  bbox_to_anchor=(0.5, 0.955))
    header = results["header"]
    load = _starting_load(header)
    figure.suptitle("springwsgi (GraalPy %s, JIT %s) vs CPython %s — %d cores, wrk %d connections, %s%s"
                    % (header["graalpy"], results["startup"].get("jit", "?").split(" ")[0],
                       header["cpython"].replace("Python ", ""), header["machine"]["cores"],
                       results["parameters"]["connections"], header["date"][:10],
                       " — busy machine (load %.0f)" % load if load > header["machine"]["cores"] else ""),
                    fontsize=12)
    figure.tight_layout(rect=(0, 0, 1, 0.92))
    figure.savefig(path, dpi=110)
    plt.close(figure)

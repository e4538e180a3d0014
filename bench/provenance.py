"""What ran, on what and when: the header of a benchmark's results."""

import datetime
import os
import platform
import re
import subprocess
import zipfile

from servers import CPYTHON, ROOT

PACKAGES = ["flask", "django", "fastapi", "starlette", "pydantic", "gunicorn", "uvicorn", "uvloop", "httptools",
            "psycopg2"]


def _output(command, strip=True, **kwargs):
    try:
        done = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=ROOT,
                              **kwargs)
        return done.stdout.strip() if strip else done.stdout
    except OSError as error:
        return "unavailable (%s)" % error


def _cpu_model():
    with open("/proc/cpuinfo") as file:
        for line in file:
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def _memory_gib():
    with open("/proc/meminfo") as file:
        for line in file:
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024 / 1024, 1)
    return None


def _graalpy_version(jar):
    if not os.path.exists(jar):
        return "unknown (%s not built)" % os.path.relpath(jar, ROOT)
    with zipfile.ZipFile(jar) as archive:
        names = archive.namelist()
    # An extracted jar (bin/aot-cache) has its libraries in lib/ next to it instead of inside.
    lib = os.path.join(os.path.dirname(jar), "lib")
    if os.path.isdir(lib):
        names += os.listdir(lib)
    for name in names:
        found = re.search(r"(?:^|/)python-language-([\w.]+)\.jar$", name)
        if found:
            return found.group(1)
    return "unknown"


def _python_packages():
    script = ("import importlib.metadata as m\n"
              "for name in %r:\n"
              "    try: print(name, m.version(name))\n"
              "    except m.PackageNotFoundError: print(name, '-')\n" % (PACKAGES,))
    lines = _output([CPYTHON, "-c", script]).splitlines()
    return dict(line.split(" ", 1) for line in lines if " " in line)


def describe(command_line, java, jar, postgres_version):
    # Each line is "XY path": two status columns and a space; the first column may be a space.
    changed = [line[3:] for line in _output(["git", "status", "--porcelain", "--untracked-files=no"],
                                            strip=False).splitlines() if line.strip()]
    return {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC"),
        "commit": _output(["git", "rev-parse", "--short=12", "HEAD"]),
        "dirty": bool(changed),
        "changed_files": changed,
        "command": command_line,
        "machine": {
            "cpu": _cpu_model(),
            "cores": os.cpu_count(),
            "memory_gib": _memory_gib(),
            "kernel": "%s %s" % (platform.system(), platform.release()),
        },
        "java": _output([java, "-version"]).splitlines() if java else ["no java"],
        "graalpy": _graalpy_version(jar),
        "cpython": _output([CPYTHON, "--version"]),
        "packages": _python_packages(),
        "wrk": _output(["wrk", "-v"]).splitlines()[0],
        # Other work on the machine skews the figures; this says how busy it was as the run began.
        "load_average": [round(value, 2) for value in os.getloadavg()],
        "postgresql": postgres_version,
    }


def jit_state(log_path):
    """What the service logged about GraalPy's JIT."""
    with open(log_path, errors="replace") as file:
        for line in file:
            if "GraalPy runs Python" in line:
                return "on" if "compiled by the Graal JIT" in line else "off (interpreter-only)"
    return "unknown (no GraalPy line in the log)"

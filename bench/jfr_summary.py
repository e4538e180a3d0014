#!/usr/bin/python3
"""Where a warmed springwsgi service spends its CPU, from a JFR recording.

Usage: jfr_summary.py RECORDING.jfr

Reads the recording's execution samples through the JDK's ``jfr`` tool (``jfr print --json``,
found next to the running ``java``, in $JAVA_HOME/bin, or on the PATH) and sorts every sample
into one category by its stack, walked from the leaf down to the first frame that belongs to a
known part of the service:

  Python, compiled     the leaf runs inside code Truffle compiled from Python: its physical
                       frame is OptimizedCallTarget.profiledPERoot, "JIT compiled", with the
                       GraalPy nodes shown as frames inlined into it
  Python, runtime      GraalPy's builtins, interpreter and Truffle runtime (com.oracle.graal.*,
                       com.oracle.truffle.* outside the polyglot boundary) running as ordinary
                       Java: bytecode loops not yet compiled, codec and hashing helpers
  polyglot boundary    Truffle's host interop and polyglot API (com.oracle.truffle.host,
                       com.oracle.truffle.polyglot, org.graalvm.polyglot): converting
                       arguments and results when Python and Java call each other
  bridge               the starter's own code (io.springwsgi, the sample's classes aside):
                       routing to an app, environ building, wsgi.input, the response hand-off
  Netty/Reactor/web    io.netty, reactor, org.springframework, io.micrometer, Jackson: HTTP
                       parsing, routing, writing responses, metrics, Java endpoints' JSON
  JIT compiler         threads compiling code (Truffle's compiler threads, JVMCI/C1/C2)
  GC                   garbage-collector threads, if the recording sampled any
  other                everything else (the sample's own Java, JFR, timers, idle JDK code)

JDK frames (java.*, jdk.internal.*, sun.*) count for the part of the service that called them,
so a HashMap.put in the environ builder is bridge time, and a String copy under a polyglot call
is boundary time.

"Java-side cost" is what the bridge adds to a Python request: bridge + polyglot boundary, as a
share of the request work (every sample outside the JIT compiler and GC). The table also shows
the share with Netty/Reactor/web added, which is the whole Java half of serving the request
(HTTP included, which a Python server such as gunicorn pays in Python or C instead).
"""

import json
import os
import shutil
import subprocess
import sys
from collections import Counter

CATEGORIES = (
    "Python, compiled",
    "Python, runtime",
    "polyglot boundary",
    "bridge",
    "Netty/Reactor/web",
    "JIT compiler",
    "GC",
    "other",
)

BOUNDARY_PREFIXES = ("com.oracle.truffle.host.", "com.oracle.truffle.polyglot.", "org.graalvm.polyglot.")
PYTHON_PREFIXES = ("com.oracle.graal.python.", "com.oracle.truffle.", "org.graalvm.shadowed.",
                   "org.graalvm.collections.", "org.graalvm.nativeimage.")
WEB_PREFIXES = ("io.netty.", "reactor.", "org.springframework.", "io.micrometer.", "org.reactivestreams.",
                "tools.jackson.", "com.fasterxml.jackson.")
COMPILER_PREFIXES = ("jdk.graal.compiler.", "org.graalvm.compiler.", "jdk.vm.ci.", "com.oracle.truffle.compiler.",
                     "com.oracle.truffle.runtime.hotspot.libgraal.")
NEUTRAL_PREFIXES = ("java.", "javax.", "jdk.", "sun.", "com.sun.")
COMPILER_THREADS = ("TruffleCompilerThread", "JVMCI", "C1 CompilerThread", "C2 CompilerThread", "CompilerThread")
GC_THREADS = ("GC Thread", "G1 ", "VM Thread", "ZGC", "Shenandoah")
COMPILED_ROOT = "com.oracle.truffle.runtime.OptimizedCallTarget.profiledPERoot"


def jfr_tool():
    candidates = []
    if os.environ.get("JAVA_HOME"):
        candidates.append(os.path.join(os.environ["JAVA_HOME"], "bin", "jfr"))
    java = shutil.which("java")
    if java:
        candidates.append(os.path.join(os.path.dirname(os.path.realpath(java)), "jfr"))
    candidates.append(shutil.which("jfr"))
    for candidate in candidates:
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    sys.exit("jfr_summary: no 'jfr' tool found; set JAVA_HOME to a JDK 25")


def events(recording, event_type, stack_depth=64):
    """Yield the events of one type, decoding jfr's JSON one event at a time.

    A minute of samples is hundreds of megabytes of JSON, too much to load at once.
    """
    command = [jfr_tool(), "print", "--json", "--stack-depth", str(stack_depth), "--events", event_type, recording]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, encoding="utf-8")
    decoder = json.JSONDecoder()
    buffer = ""
    position = 0
    eof = False
    started = False

    def more():
        nonlocal buffer, position, eof
        chunk = process.stdout.read(1 << 22)
        if not chunk:
            eof = True
        buffer = buffer[position:] + chunk
        position = 0

    while True:
        if not started:
            marker = buffer.find('"events": [')
            if marker < 0:
                if eof:
                    break
                more()
                continue
            position = marker + len('"events": [')
            started = True
        while position < len(buffer) and buffer[position] in " \t\r\n,":
            position += 1
        if position >= len(buffer):
            if eof:
                break
            more()
            continue
        if buffer[position] == "]":
            break
        try:
            event, end = decoder.raw_decode(buffer, position)
        except json.JSONDecodeError:
            if eof:
                raise
            more()
            continue
        position = end
        yield event
    process.stdout.close()
    if process.wait() != 0:
        sys.exit("jfr_summary: '%s' failed" % " ".join(command))


def frame_name(frame):
    method = frame["method"]
    return method["type"]["name"].replace("/", ".") + "." + method["name"]


def classify(thread, frames):
    """The category of one sample, and the bridge method it ran in (or None)."""
    if thread.startswith(COMPILER_THREADS):
        return "JIT compiler", None
    if thread.startswith(GC_THREADS):
        return "GC", None
    names = [frame_name(frame) for frame in frames]
    for index, name in enumerate(names):
        if name.startswith(COMPILER_PREFIXES):
            return "JIT compiler", None
        if name.startswith("io.springwsgi.") and not name.startswith("io.springwsgi.sample."):
            return "bridge", name
        if name.startswith(BOUNDARY_PREFIXES):
            return "polyglot boundary", None
        if name.startswith(PYTHON_PREFIXES):
            return ("Python, compiled" if runs_compiled(frames, index) else "Python, runtime"), None
        if name.startswith(WEB_PREFIXES):
            return "Netty/Reactor/web", None
        if name.startswith(NEUTRAL_PREFIXES):
            continue
        return "other", None
    if thread.startswith("reactor-http"):
        return "Netty/Reactor/web", None
    return "other", None


def runs_compiled(frames, index):
    """Whether frame ``index`` sits inside a Truffle-compiled call target: the first physical
    (not inlined) frame at or below it is the compiled root."""
    for frame in frames[index:]:
        if frame.get("type") != "Inlined":
            return frame.get("type") == "JIT compiled" and frame_name(frame) == COMPILED_ROOT
    return False


def thread_group(thread):
    if thread.startswith("python-"):
        return "python-* (app contexts)"
    if thread.startswith("reactor-http"):
        return "reactor-http-* (event loops)"
    if thread.startswith("parallel-"):
        return "parallel-* (Reactor)"
    if thread.startswith(COMPILER_THREADS):
        return "compiler threads"
    return "other threads"


def gc_pause_seconds(recording):
    total = 0.0
    for event in events(recording, "jdk.GarbageCollection", stack_depth=1):
        total += duration_seconds(event["values"].get("sumOfPauses", "0 s"))
    return total


def duration_seconds(value):
    """jfr's JSON writes durations as ISO-8601 (PT0.0012S) or as numbers of nanoseconds."""
    if isinstance(value, (int, float)):
        return value / 1e9
    text = str(value)
    if text.startswith("PT") and text.endswith("S"):
        text = text[2:-1]
        minutes = 0.0
        if "M" in text:
            minute_part, text = text.split("M", 1)
            minutes = float(minute_part)
        return minutes * 60 + (float(text) if text else 0.0)
    try:
        return float(text.split()[0])
    except (ValueError, IndexError):
        return 0.0


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: jfr_summary.py RECORDING.jfr")
    recording = sys.argv[1]
    categories = Counter()
    threads = Counter()
    bridge_methods = Counter()
    bridge_leaves = Counter()
    leaves = {"Python, runtime": Counter(), "Netty/Reactor/web": Counter(), "polyglot boundary": Counter(),
              "other": Counter()}
    first = last = None
    for event in events(recording, "jdk.ExecutionSample"):
        values = event["values"]
        thread = (values.get("sampledThread") or {}).get("javaName") or ""
        frames = (values.get("stackTrace") or {}).get("frames") or []
        category, bridge_method = classify(thread, frames)
        categories[category] += 1
        threads[thread_group(thread)] += 1
        if bridge_method:
            bridge_methods[bridge_method] += 1
            bridge_leaves[frame_name(frames[0])] += 1
        if category in leaves and frames:
            leaves[category][frame_name(frames[0])] += 1
        stamp = values.get("startTime")
        first = stamp if first is None or stamp < first else first
        last = stamp if last is None or stamp > last else last
    total = sum(categories.values())
    if total == 0:
        sys.exit("jfr_summary: %s holds no jdk.ExecutionSample events (record with settings=profile)" % recording)
    work = total - categories["JIT compiler"] - categories["GC"]

    print("JFR execution samples in %s: %d (%s .. %s)" % (recording, total, first, last))
    print()
    print("%-22s %8s %8s %13s" % ("category", "samples", "share", "of req. work"))
    for category in CATEGORIES:
        count = categories[category]
        of_work = "" if category in ("JIT compiler", "GC") else "%12.1f%%" % percent(count, work)
        print("%-22s %8d %7.1f%% %13s" % (category, count, percent(count, total), of_work))
    python = categories["Python, compiled"] + categories["Python, runtime"]
    bridge_side = categories["bridge"] + categories["polyglot boundary"]
    print()
    print("Python (compiled + runtime):                   %5.1f%% of request work" % percent(python, work))
    print("Java-side cost (bridge + polyglot boundary):   %5.1f%% of request work" % percent(bridge_side, work))
    print("Java half incl. HTTP (+ Netty/Reactor/web):    %5.1f%% of request work"
          % percent(bridge_side + categories["Netty/Reactor/web"], work))
    pauses = gc_pause_seconds(recording)
    print("GC pauses: %.2f s in the recording" % pauses)
    print()
    print("samples by thread")
    for group, count in threads.most_common():
        print("  %-32s %7d %6.1f%%" % (group, count, percent(count, total)))
    print()
    print("bridge: innermost io.springwsgi method (JDK callees included)")
    for name, count in bridge_methods.most_common(15):
        print("  %6d %5.1f%%  %s" % (count, percent(count, total), name))
    print()
    print("bridge: leaf frames")
    for name, count in bridge_leaves.most_common(15):
        print("  %6d %5.1f%%  %s" % (count, percent(count, total), name))
    for category, counter in leaves.items():
        print()
        print("%s: leaf frames" % category)
        for name, count in counter.most_common(10):
            print("  %6d %5.1f%%  %s" % (count, percent(count, total), name))


def percent(part, whole):
    return 100.0 * part / whole if whole else 0.0


if __name__ == "__main__":
    main()

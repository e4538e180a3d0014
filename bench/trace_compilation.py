"""Summarises a Truffle compilation trace: which Python functions (call targets) were compiled,
invalidated and compiled again, to find compile/invalidate loops across the shared Engine.

Record one by passing the service -Dpolyglot.engine.TraceCompilation=true (and, to keep it out of
the service's log, -Dpolyglot.log.file=<file>), for instance through bin/benchmark:

    bin/benchmark --servers springwsgi --jvm-option=-Dpolyglot.engine.TraceCompilation=true \\
        --jvm-option=-Dpolyglot.log.file=/tmp/trace.log
    /usr/bin/python3 bench/trace_compilation.py /tmp/trace.log
"""

import collections
import re
import sys

# [engine] opt done   engine=1  id=1234  <bytecode name at 1a2b>  |Tier 2|Time ...   (Truffle's
# TraceCompilation lines as 25.0.3 writes them: an engine number, names with spaces)
LINE = re.compile(r"\[engine\] opt (done|inv\.|deopt|failed|unque\.)\s+(?:engine=\d+\s+)?(?:id=(\d+)\s+)?"
                  r"(.+?)\s*(\|.*)$")
TIME = re.compile(r"\|Time\s+(\d+)")
TIER = re.compile(r"\|Tier (\d)")
REASON = re.compile(r"\|Reason (.*?)(?:\||$)")


def summarise(lines):
    events = collections.Counter()
    targets = collections.defaultdict(collections.Counter)
    reasons = collections.Counter()
    compile_ms = []
    for line in lines:
        match = LINE.search(line)
        if not match:
            continue
        kind, _, name, rest = match.groups()
        tier = TIER.search(rest)
        key = "%s tier %s" % (kind, tier.group(1)) if kind == "done" and tier else kind
        events[key] += 1
        spent = TIME.search(rest)
        if kind == "done" and spent:
            compile_ms.append(int(spent.group(1)))
        targets[name][key] += 1
        if kind == "inv.":
            reason = REASON.search(rest)
            reasons[reason.group(1).strip() if reason else "?"] += 1
    return events, targets, reasons, compile_ms


def main(path):
    with open(path, errors="replace") as file:
        events, targets, reasons, compile_ms = summarise(file)
    print("events: " + ", ".join("%s %d" % item for item in sorted(events.items())))
    if compile_ms:
        compile_ms.sort()
        print("time per compilation (wall, ms): median %d, p90 %d, max %d, total %.1f s"
              % (compile_ms[len(compile_ms) // 2], compile_ms[len(compile_ms) * 9 // 10], compile_ms[-1],
                 sum(compile_ms) / 1000))
    print("call targets compiled: %d" % sum(1 for counts in targets.values()
                                            if any(k.startswith("done") for k in counts)))
    again = sorted(((sum(v for k, v in counts.items() if k.startswith("done")), name, counts)
                    for name, counts in targets.items()), reverse=True)
    looping = [(done, name, counts) for done, name, counts in again if done >= 3]
    print("compiled 3 times or more: %d" % len(looping))
    for done, name, counts in looping[:25]:
        print("  %3d  %-50s %s" % (done, name[:50], ", ".join("%s %d" % item for item in sorted(counts.items()))))
    if reasons:
        print("invalidation reasons:")
        for reason, count in reasons.most_common(10):
            print("  %5d  %s" % (count, reason[:120]))


if __name__ == "__main__":
    main(sys.argv[1])

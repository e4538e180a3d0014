"""CPU and memory of a server's process tree, read from /proc."""

import os
import threading
import time

TICKS_PER_SECOND = os.sysconf("SC_CLK_TCK")


def _stat_fields(pid):
    return _stat_fields_of("/proc/%d/stat" % pid)


def _stat_fields_of(path):
    with open(path) as file:
        text = file.read()
    # The command name may hold spaces and parentheses; the fields that follow it start at "state".
    return text[text.rindex(")") + 2:].split()


def tree(root):
    """The pids of root and all its descendants."""
    children = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                parent = int(_stat_fields(int(entry))[1])
            except (OSError, ValueError, IndexError):
                continue
            children.setdefault(parent, []).append(int(entry))
    pids, pending = [], [root]
    while pending:
        pid = pending.pop()
        pids.append(pid)
        pending.extend(children.get(pid, ()))
    return pids


def cpu_seconds(root):
    """CPU time used so far by the tree: user + system, with that of its reaped children."""
    ticks = 0
    for pid in tree(root):
        try:
            fields = _stat_fields(pid)
        except OSError:
            continue
        # utime, stime, cutime, cstime: fields 14-17 of proc(5), counted here from "state" (3).
        ticks += sum(int(value) for value in fields[11:15])
    return ticks / TICKS_PER_SECOND


def _status_kb(pid, key):
    try:
        with open("/proc/%d/status" % pid) as file:
            for line in file:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def hwm_kb(pid):
    """The process's own peak RSS (VmHWM), as the kernel kept it."""
    return _status_kb(pid, "VmHWM")


class RssSampler:
    """Samples the tree's RSS in the background and keeps the peak."""

    def __init__(self, root, interval=0.5):
        self.root = root
        self.interval = interval
        self.peak_kb = 0
        self._pids = []
        self._samples = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.interval)

    def sample(self):
        # Walking /proc costs CPU the servers compete for: find the tree's members every 2 s only.
        if self._samples % max(1, int(2 / self.interval)) == 0:
            self._pids = tree(self.root)
        self._samples += 1
        self.peak_kb = max(self.peak_kb, sum(_status_kb(pid, "VmRSS") for pid in self._pids))
        return self.peak_kb

    def start(self):
        self._thread.start()
        return self

    def stop(self):
        self._stop.set()
        self._thread.join()
        return self.sample()


class CpuMeter:
    """CPU cores the tree used between start() and stop(), on average."""

    def __init__(self, root):
        self.root = root

    def start(self):
        self._cpu, self._wall = cpu_seconds(self.root), time.monotonic()
        return self

    def stop(self):
        return (cpu_seconds(self.root) - self._cpu) / (time.monotonic() - self._wall)


def compiler_threads_cpu(pid):
    """CPU seconds used so far by each of the JVM's compiler threads, as {(kind, tid): seconds}:
    the Truffle compiler threads that compile Python (Graal, as bytecode on a stock JDK), and
    HotSpot's C2 and C1 (which, on a stock JDK, also compile the Graal compiler itself). Thread
    names are cut to 15 characters by the kernel: "TruffleCompiler", "C2 CompilerThre", "C1
    CompilerThre". Truffle ends its compiler threads when they idle and starts new ones, so a sum
    over the threads alive now can fall: compare two readings with compiler_cpu_between."""
    used = {}
    try:
        tasks = os.listdir("/proc/%d/task" % pid)
    except OSError:
        return used
    for task in tasks:
        try:
            with open("/proc/%d/task/%s/comm" % (pid, task)) as file:
                name = file.read().strip()
            fields = _stat_fields_of("/proc/%d/task/%s/stat" % (pid, task))
        except OSError:
            continue
        kind = "truffle" if "Truffle" in name or name.startswith("JVMCI") else \
            "c2" if name.startswith("C2 ") else "c1" if name.startswith("C1 ") else None
        if kind:
            used[(kind, task)] = (int(fields[11]) + int(fields[12])) / TICKS_PER_SECOND
    return used


def compiler_cpu_between(before, after):
    """CPU seconds the compiler threads used, by kind, from one compiler_threads_cpu reading to a
    later one: what each thread alive at the later one used since the earlier one (or since it
    started). A thread that ended in between loses its last part, at most one window's worth."""
    used = {"truffle": 0.0, "c2": 0.0, "c1": 0.0}
    for (kind, task), seconds in after.items():
        used[kind] += seconds - before.get((kind, task), 0.0)
    return used

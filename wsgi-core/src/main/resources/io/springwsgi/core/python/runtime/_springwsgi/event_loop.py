"""The asyncio event loop an ASGI context runs: asyncio's selector loop, woken from other threads
through a lock instead of its self-pipe while it watches no file of its own.

Java owns the sockets, so the loop usually waits for nothing but ``call_soon_threadsafe`` from
the feeder and from worker threads (anyio's, which run FastAPI's ``def`` endpoints). asyncio
wakes a sleeping loop by writing to a socket pair that ``select()`` watches; in GraalPy that
wake-up costs several times a lock hand-off between two threads, and a ``def`` endpoint pays it
on every request. Once the app registers a file of its own (a database driver's socket, say)
the loop selects on its files and the self-pipe as asyncio does.
"""

import _thread
import asyncio
import selectors


class WakeableSelector(selectors.BaseSelector):
    """A selector that waits on a lock while it holds only the loop's self-pipe."""

    def __init__(self):
        self._files = selectors.DefaultSelector()
        self._wake = _thread.allocate_lock()
        self._wake.acquire()

    def register(self, fileobj, events, data=None):
        return self._files.register(fileobj, events, data)

    def unregister(self, fileobj):
        return self._files.unregister(fileobj)

    def modify(self, fileobj, events, data=None):
        return self._files.modify(fileobj, events, data)

    def get_map(self):
        return self._files.get_map()

    def close(self):
        self._files.close()

    def watches_files(self):
        """Whether the app has registered a file besides the self-pipe asyncio registers first."""
        return len(self._files.get_map()) > 1

    def wake(self):
        """From any thread: end the current or next wait. Releasing an unlocked lock raises, so
        a wake-up that finds one pending already is dropped."""
        try:
            self._wake.release()
        except RuntimeError:
            pass

    def select(self, timeout=None):
        if self.watches_files():
            return self._files.select(timeout)
        if timeout is None:
            self._wake.acquire()
        elif timeout > 0:
            self._wake.acquire(True, timeout)
        else:
            self._wake.acquire(False)
        return []


class EventLoop(asyncio.SelectorEventLoop):
    """asyncio's selector loop over a :class:`WakeableSelector`."""

    def __init__(self):
        super().__init__(WakeableSelector())

    def _write_to_self(self):
        # asyncio's hook for call_soon_threadsafe and signals: wake the loop the cheap way, and
        # also through the self-pipe when the loop selects on files.
        self._selector.wake()
        if self._selector.watches_files():
            super()._write_to_self()

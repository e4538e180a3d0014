"""How many hops per second from an asyncio event loop to a worker thread and back a GraalPy
context makes: the way Starlette runs a FastAPI ``def`` endpoint (anyio.to_thread.run_sync) and
asyncio's own executor, on asyncio's default loop and on the loop springwsgi's ASGI contexts
run (_springwsgi.event_loop). Run by ThreadHandoff.java (see README.md here); prints one line
per round, loop, hop and shape (one at a time, or 32 at once).
"""

import asyncio
import sys
import time

import anyio.to_thread

from _springwsgi.event_loop import EventLoop


def work():
    return 1


async def sequential(hop, count):
    for _ in range(count):
        await hop()


async def concurrent(hop, count, width=32):
    async def lane():
        for _ in range(count // width):
            await hop()
    await asyncio.gather(*(lane() for _ in range(width)))


async def anyio_hop():
    return await anyio.to_thread.run_sync(work)


async def executor_hop():
    return await asyncio.get_running_loop().run_in_executor(None, work)


HOPS = {"anyio.to_thread": anyio_hop, "loop.run_in_executor": executor_hop}
LOOPS = {"asyncio default": asyncio.new_event_loop, "springwsgi": EventLoop}


async def measure(loop_name, seconds):
    for name, hop in HOPS.items():
        for shape in (sequential, concurrent):
            count, spent = 64, 0.0
            while spent < seconds:
                start = time.perf_counter()
                await shape(hop, count)
                spent = time.perf_counter() - start
                if spent < seconds:
                    count *= 2
            print("%-16s %-21s %-10s %9.0f hops/s (%d in %.2f s)"
                  % (loop_name, name, shape.__name__, count / spent, count, spent), flush=True)


def main(rounds=3, seconds=1.0):
    for round_ in range(rounds):
        print("round %d" % (round_ + 1), flush=True)
        for loop_name, factory in LOOPS.items():
            with asyncio.Runner(loop_factory=factory) as runner:
                runner.run(measure(loop_name, seconds))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)

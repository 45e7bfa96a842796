"""A small pool of worker processes with a hard time limit per job.

pyoxigraph cannot cancel a running query from another thread, so every store access of
the web app runs in a worker process (:mod:`kg.serve.jobs`). A job that outlives its time
limit gets its worker killed (SIGKILL) and replaced; the event loop only ever waits on a
thread that polls the worker's pipe, so it keeps serving other clients meanwhile.

Workers are started from a ``forkserver`` that has imported the job code once, so a
replacement is ready in a few tens of milliseconds.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

__all__ = ["JobError", "WorkerPool", "store_fingerprint"]

_CTX: Any = None
_CTX_LOCK = threading.Lock()


def _context() -> Any:
    global _CTX
    with _CTX_LOCK:
        if _CTX is None:
            method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
            ctx = multiprocessing.get_context(method)
            if method == "forkserver":
                ctx.set_forkserver_preload(["kg.serve.jobs", "kg.serve.data"])
            _CTX = ctx
        return _CTX


class JobError(Exception):
    """A job that failed; ``status`` is the HTTP status to answer."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(status, message)
        self.status = status
        self.message = message

    def __str__(self) -> str:
        return self.message


def store_fingerprint(location: str) -> tuple[str, ...]:
    """Names of the store's files: they change when data is flushed or compacted.

    RocksDB writes new table files (and a new write-ahead log) when a writer flushes, so
    a change of names means readers should re-open. The growing log of a writer that has
    not flushed yet is deliberately ignored: re-opening would replay it every time.
    """
    try:
        return tuple(sorted(e.name for e in os.scandir(location) if not e.name.startswith(("LOG", "LOCK"))))
    except OSError:
        return ()


class _Worker:
    def __init__(self, location: str) -> None:
        from kg.serve.jobs import worker_main

        ctx = _context()
        self.conn, child = ctx.Pipe(duplex=True)
        self.process = ctx.Process(target=worker_main, args=(child, location), daemon=True, name="kg-serve-worker")
        self.process.start()
        child.close()

    def kill(self) -> None:
        try:
            self.process.kill()
            self.process.join(5)
        except (OSError, ValueError, AssertionError):
            pass
        try:
            self.conn.close()
        except OSError:
            pass


class _Timeout(Exception):
    pass


class WorkerPool:
    """``size`` worker processes over the store at ``location``; :meth:`run` a job in one."""

    def __init__(self, location: str, size: int, name: str = "pool") -> None:
        self.location = location
        self.size = max(1, size)
        self.name = name
        self._threads = ThreadPoolExecutor(max_workers=self.size + 2, thread_name_prefix=f"kg-{name}")
        self._idle: asyncio.Queue[_Worker] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._all: set[_Worker] = set()
        self._closed = False
        self.killed = 0  # jobs stopped at their time limit

    async def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._idle = asyncio.Queue()
        workers = await asyncio.gather(*(self._loop.run_in_executor(self._threads, self._spawn) for _ in range(self.size)))
        for w in workers:
            self._idle.put_nowait(w)

    def _spawn(self) -> _Worker:
        w = _Worker(self.location)
        self._all.add(w)
        return w

    def _give_back(self, w: _Worker) -> None:
        assert self._loop is not None and self._idle is not None
        if self._closed:
            w.kill()
            return
        self._loop.call_soon_threadsafe(self._idle.put_nowait, w)

    def _execute(self, w: _Worker, message: tuple[Any, ...], timeout: float) -> tuple[Any, ...]:
        """In a thread: send the job, wait at most ``timeout`` s, kill and replace the worker on overrun."""
        try:
            w.conn.send(message)
            if not w.conn.poll(timeout):
                raise _Timeout()
            reply = w.conn.recv()
        except _Timeout:
            self.killed += 1
            self._replace(w)
            raise
        except (EOFError, OSError, BrokenPipeError) as e:
            self._replace(w)
            return ("error", 500, f"the worker process died ({type(e).__name__}); it has been replaced")
        self._give_back(w)
        return reply

    def _replace(self, w: _Worker) -> None:
        w.kill()
        self._all.discard(w)
        if self._closed:
            return
        try:
            self._give_back(self._spawn())
        except Exception:  # noqa: BLE001 - retry once, a moment later
            time.sleep(0.5)
            self._give_back(self._spawn())

    async def run(self, job: str, args: tuple[Any, ...], *, timeout: float, fingerprint: Any = None,
                  what: str = "query") -> Any:
        """Run ``job(*args)`` in a worker; raise :class:`JobError` on failure or overrun."""
        if self._idle is None or self._loop is None:
            raise JobError(503, "the server is not started")
        # waiting for a free worker is bounded too, but does not eat into the job's own time limit
        try:
            w = await asyncio.wait_for(self._idle.get(), timeout)
        except (asyncio.TimeoutError, TimeoutError):
            raise JobError(503, f"every worker stayed busy for {timeout:g} s; try again later") from None
        try:
            reply = await self._loop.run_in_executor(self._threads, self._execute, w, (job, fingerprint, args), timeout)
        except _Timeout:
            raise JobError(
                503, f"the {what} was stopped: it ran longer than the time limit of {timeout:g} s"
            ) from None
        if reply[0] == "ok":
            return reply[1]
        raise JobError(reply[1], reply[2])

    async def close(self) -> None:
        self._closed = True
        for w in list(self._all):
            w.kill()
        self._all.clear()
        self._threads.shutdown(wait=False, cancel_futures=True)

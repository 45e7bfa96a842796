"""A small pool of worker processes with a hard time limit and a memory limit per job.

pyoxigraph cannot cancel a running query from another thread, so every store access of
the web app runs in a worker process (:mod:`kg.serve.jobs`). A job that outlives its time
limit gets its worker killed (SIGKILL) and replaced; the event loop only ever waits on a
thread that polls the worker's pipe, so it keeps serving other clients meanwhile.

A worker may also be given a memory limit (``setrlimit(RLIMIT_DATA)`` in the worker): a
query that needs more fails there (the engine aborts the process, or Python raises
``MemoryError``), the client gets a plain 503 and the worker is replaced. A job still
running after ``slow_after`` seconds has its worker's CPU priority lowered (``nice``), so
that a few runaway queries leave the CPU to the quick ones.

Fairness between clients: :class:`ClientLedger` counts each client address's queries in
flight; an address holding its quota of slow ones gets 429 with ``Retry-After``. The pool
keeps ``reserve`` workers for clients in good standing (no slow query in flight, none
stopped at a limit lately) and for quick queries: at most ``size - reserve`` jobs may run
past ``slow_after`` at once, a further one is stopped there. So runaway queries, from
however many addresses, cannot hold every worker.

Workers are started from a ``forkserver`` that has imported the job code once, so a
replacement is ready in a few tens of milliseconds.
"""

from __future__ import annotations

import asyncio
import collections
import itertools
import logging
import math
import multiprocessing
import os
import signal
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

__all__ = ["JobError", "WorkerPool", "ClientLedger", "store_fingerprint"]

log = logging.getLogger("kg.serve")

_CTX: Any = None
_CTX_LOCK = threading.Lock()
#: CPU priority of a worker whose job has run longer than ``slow_after`` seconds
SLOW_NICE = 19


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
    """A job that failed; ``status`` is the HTTP status to answer, ``headers`` go with it.

    ``stopped`` says the job was stopped at the time or memory limit (the client is then
    watched more closely for a while, see :class:`ClientLedger`).
    """

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None, *,
                 stopped: bool = False) -> None:
        super().__init__(status, message)
        self.status = status
        self.message = message
        self.headers = headers or {}
        self.stopped = stopped

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


class ClientLedger:
    """Queries in flight per client address, and which addresses are watched.

    A query is *slow* once it has been in flight for ``slow_after`` seconds. An address
    is *watched* while it has a slow query in flight or had one stopped at a limit less
    than ``watch_seconds`` ago. :meth:`admit` refuses (429) a new query from an address
    holding ``max_slow`` slow queries, and from a watched address already holding
    ``max_slow`` queries of any kind.

    >>> ledger = ClientLedger(max_slow=1, slow_after=1.0, timeout=10.0)
    >>> ticket = ledger.admit("192.0.2.1", now=100.0)
    >>> ledger.watched("192.0.2.1", now=100.5), ledger.watched("192.0.2.1", now=101.5)
    (False, True)
    >>> ledger.admit("192.0.2.1", now=102.0)
    Traceback (most recent call last):
    ...
    kg.serve.pool.JobError: this client already has 1 slow query running (the limit per client address); try again in 8 s
    >>> ledger.release("192.0.2.1", ticket, stopped=True, now=110.0)
    >>> ledger.watched("192.0.2.1", now=111.0), ledger.watched("192.0.2.2", now=111.0)
    (True, False)
    """

    def __init__(self, max_slow: int, slow_after: float, timeout: float, watch_seconds: float = 60.0) -> None:
        self.max_slow = max(1, int(max_slow))
        self.slow_after = slow_after
        self.timeout = timeout
        self.watch_seconds = watch_seconds
        self._inflight: dict[str, dict[int, float]] = {}
        self._stopped: dict[str, float] = {}
        self._tickets = itertools.count()
        self.refused = 0

    def watched(self, client: str | None, now: float | None = None) -> bool:
        """Whether ``client`` has a slow query in flight or had one stopped lately."""
        if client is None:
            return False
        now = time.monotonic() if now is None else now
        stopped = self._stopped.get(client)
        if stopped is not None and now - stopped < self.watch_seconds:
            return True
        return any(now - start >= self.slow_after for start in self._inflight.get(client, {}).values())

    def admit(self, client: str | None, now: float | None = None) -> int:
        """A ticket for a new query of ``client``, or :class:`JobError` 429 with ``Retry-After``."""
        now = time.monotonic() if now is None else now
        ticket = next(self._tickets)
        if client is None:
            return ticket
        starts = self._inflight.setdefault(client, {})
        slow = [s for s in starts.values() if now - s >= self.slow_after]
        if len(slow) >= self.max_slow or (starts and len(starts) >= self.max_slow and self.watched(client, now)):
            self.refused += 1
            # the oldest query in flight ends by its time limit at the latest
            wait = max(1, math.ceil(self.timeout - (now - min(starts.values()))))
            what = "slow query" if self.max_slow == 1 else "slow queries"
            if len(slow) >= self.max_slow:
                message = f"this client already has {len(slow)} {what} running (the limit per client address)"
            else:
                message = (f"this client had a query stopped at a limit lately, and already has {len(starts)} "
                           f"{'query' if len(starts) == 1 else 'queries'} running (the limit per client address)")
            raise JobError(429, f"{message}; try again in {wait} s", {"Retry-After": str(wait)})
        starts[ticket] = now
        return ticket

    def release(self, client: str | None, ticket: int, *, stopped: bool = False, now: float | None = None) -> None:
        """The query of ``ticket`` is over; ``stopped``: it was stopped at the time or memory limit."""
        if client is None:
            return
        now = time.monotonic() if now is None else now
        starts = self._inflight.get(client)
        if starts is not None:
            starts.pop(ticket, None)
            if not starts:
                del self._inflight[client]
        if stopped:
            self._stopped[client] = now
        if len(self._stopped) > 4096:  # forget addresses whose watch is over
            self._stopped = {c: t for c, t in self._stopped.items() if now - t < self.watch_seconds}


class _Worker:
    def __init__(self, location: str, memory_mb: int | None) -> None:
        from kg.serve.jobs import worker_main

        ctx = _context()
        self.conn, child = ctx.Pipe(duplex=True)
        self.process = ctx.Process(target=worker_main, args=(child, location, memory_mb), daemon=True,
                                   name="kg-serve-worker")
        self.process.start()
        child.close()
        self.niced = False

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

    def renice(self, value: int) -> bool:
        """Set the worker's CPU priority; False if the system does not allow it."""
        try:
            os.setpriority(os.PRIO_PROCESS, self.process.pid, value)
        except (OSError, AttributeError, TypeError):
            return False
        self.niced = value != 0
        return True


class _Timeout(Exception):
    pass


class WorkerPool:
    """``size`` worker processes over the store at ``location``; :meth:`run` a job in one.

    ``memory_mb`` limits what a job may allocate in its worker (None: no limit);
    ``reserve`` workers are kept for callers that are not ``watched`` (see :meth:`run`) and
    for quick jobs: a job running longer than ``slow_after`` seconds gets its worker's
    priority lowered, and is stopped (503) if ``size - reserve`` slow jobs already run.
    """

    def __init__(self, location: str, size: int, name: str = "pool", *, memory_mb: int | None = None,
                 reserve: int = 0, slow_after: float | None = None) -> None:
        self.location = location
        self.size = max(1, size)
        self.name = name
        self.memory_mb = memory_mb
        self.reserve = max(0, min(reserve, self.size - 1))
        self.slow_after = slow_after
        self._threads = ThreadPoolExecutor(max_workers=self.size + 2, thread_name_prefix=f"kg-{name}")
        self._idle: list[_Worker] = []
        self._waiters: collections.deque[tuple[bool, asyncio.Future[_Worker]]] = collections.deque()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._all: set[_Worker] = set()
        self._closed = False
        self.killed = 0  # jobs stopped at their time limit
        self.out_of_memory = 0  # jobs stopped at the memory limit
        self.crowded_out = 0  # jobs stopped because every worker but the reserve held a slow job
        self._slow_running = 0
        self._slow_lock = threading.Lock()

    async def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        workers = await asyncio.gather(*(self._loop.run_in_executor(self._threads, self._spawn) for _ in range(self.size)))
        self._idle.extend(workers)

    def _spawn(self) -> _Worker:
        w = _Worker(self.location, self.memory_mb)
        self._all.add(w)
        return w

    # -- handing out workers (on the event loop) ---------------------------------------
    def _release(self, w: _Worker) -> None:
        self._idle.append(w)
        self._dispatch()

    def _dispatch(self) -> None:
        """Hand idle workers to waiters: callers in good standing first, watched ones only above the reserve."""
        while self._idle and self._waiters:
            chosen = next((i for i, (watched, f) in enumerate(self._waiters) if not watched and not f.done()), None)
            if chosen is None:
                if len(self._idle) <= self.reserve:
                    break
                chosen = next((i for i, (_, f) in enumerate(self._waiters) if not f.done()), None)
            if chosen is None:
                self._waiters.clear()
                break
            _, fut = self._waiters[chosen]
            del self._waiters[chosen]
            fut.set_result(self._idle.pop())
        while self._waiters and self._waiters[0][1].done():
            self._waiters.popleft()

    async def _acquire(self, watched: bool, timeout: float) -> _Worker:
        assert self._loop is not None
        fut: asyncio.Future[_Worker] = self._loop.create_future()
        self._waiters.append((watched, fut))
        self._dispatch()
        if fut.done():
            return fut.result()
        try:
            return await asyncio.wait_for(asyncio.shield(fut), timeout)
        except (asyncio.TimeoutError, TimeoutError, asyncio.CancelledError):
            if fut.done() and not fut.cancelled():
                self._release(fut.result())  # handed over just as we gave up: give it back
            else:
                fut.cancel()
            raise

    def _give_back(self, w: _Worker) -> None:
        assert self._loop is not None
        if self._closed:
            w.kill()
            return
        self._loop.call_soon_threadsafe(self._release, w)

    # -- running a job (in a thread) ------------------------------------------------------
    def _execute(self, w: _Worker, message: tuple[Any, ...], timeout: float) -> tuple[Any, ...]:
        """In a thread: send the job, wait at most ``timeout`` s, kill and replace the worker on overrun."""
        start = time.monotonic()
        slow = False
        try:
            w.conn.send(message)
            ready = False
            if self.slow_after is not None and self.slow_after < timeout:
                ready = w.conn.poll(self.slow_after)
                if not ready:
                    with self._slow_lock:
                        # only size - reserve jobs may run long at once: the reserve is for quick ones
                        slow = self._slow_running < self.size - self.reserve
                        self._slow_running += slow
                    if not slow:
                        self.crowded_out += 1
                        self._replace(w)
                        return ("error", 503, f"the query was stopped after {self.slow_after:g} s: the server is "
                                              f"already running {self.size - self.reserve} long queries; try again "
                                              "later", True)
                    w.renice(SLOW_NICE)  # a slow job yields the CPU to quick ones
            if not ready and not w.conn.poll(max(0.0, timeout - (time.monotonic() - start))):
                raise _Timeout()
            reply = w.conn.recv()
        except _Timeout:
            self.killed += 1
            self._replace(w)
            raise
        except (EOFError, OSError, BrokenPipeError) as e:
            return self._died(w, e)
        finally:
            if slow:
                with self._slow_lock:
                    self._slow_running -= 1
        if reply[0] == "error" and len(reply) > 3:
            _, status, text, detail, retire = reply
            if detail:
                log.error("%s worker: %s", self.name, detail)
            if retire:
                self.out_of_memory += status == 503
                self._replace(w)
                return ("error", status, text, True)
            reply = ("error", status, text, False)
        if w.niced and not w.renice(0):
            self._replace(w)  # cannot raise its priority back: start a fresh one
        else:
            self._give_back(w)
        return reply

    def _died(self, w: _Worker, error: BaseException) -> tuple[Any, ...]:
        """The worker exited in the middle of a job: say why, plainly, and replace it."""
        try:
            w.process.join(2)
        except (OSError, ValueError, AssertionError):
            pass
        code = w.process.exitcode
        self._replace(w)
        # the query engine aborts the process when an allocation fails under the memory limit
        if self.memory_mb is not None and code == -signal.SIGABRT:
            self.out_of_memory += 1
            log.warning("%s worker stopped at the memory limit of %d MiB", self.name, self.memory_mb)
            return ("error", 503, f"the query was stopped: it needed more than the memory limit of "
                                  f"{self.memory_mb} MiB per query", True)
        log.error("%s worker exited during a job (exit code %s, %s)", self.name, code, type(error).__name__)
        return ("error", 500, "the worker process stopped unexpectedly; it has been replaced", False)

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
                  what: str = "query", watched: bool = False) -> Any:
        """Run ``job(*args)`` in a worker; raise :class:`JobError` on failure or overrun.

        ``watched``: the caller is watched (:class:`ClientLedger`); it waits behind the
        others and never gets the ``reserve`` workers.
        """
        if self._loop is None:
            raise JobError(503, "the server is not started")
        # waiting for a free worker is bounded too, but does not eat into the job's own time limit
        try:
            w = await self._acquire(watched, timeout)
        except (asyncio.TimeoutError, TimeoutError):
            raise JobError(503, f"every worker stayed busy for {timeout:g} s; try again later",
                           {"Retry-After": str(max(1, math.ceil(timeout / 2)))}) from None
        try:
            reply = await self._loop.run_in_executor(self._threads, self._execute, w, (job, fingerprint, args), timeout)
        except _Timeout:
            raise JobError(
                503, f"the {what} was stopped: it ran longer than the time limit of {timeout:g} s", stopped=True
            ) from None
        if reply[0] == "ok":
            return reply[1]
        raise JobError(reply[1], reply[2], stopped=bool(reply[3]))

    async def close(self) -> None:
        self._closed = True
        for w in list(self._all):
            w.kill()
        self._all.clear()
        for _, fut in self._waiters:
            fut.cancel()
        self._threads.shutdown(wait=False, cancel_futures=True)

"""Executors: where page jobs run — in this process, in a local process pool, or on a Dask cluster.

All three share one protocol (`Executor.map`): jobs go in lazily, results come out as they finish,
and a job whose worker process died (twice) comes out as `crashed(job)`. Each keeps only a small
window of jobs in flight, so an archive of 100,000 pages never sits queued in memory; the runner
never learns which executor it has (issue 13).

Pool workers end with their parent: each is its own process group (so Tesseract and pdftoppm
children go with it), asks Linux to signal it when the parent dies (prctl PR_SET_PDEATHSIG) and
also watches its parent's pid, for systems without prctl.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import signal
import sys
import threading
from collections.abc import Callable, Generator, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from multiprocessing import get_context
from typing import Any, Generic, Protocol, TypeVar

J = TypeVar("J")
R = TypeVar("R")

_PR_SET_PDEATHSIG = 1
_PARENT_POLL_S = 1.0
IN_FLIGHT_PER_WORKER = 2  # enough to keep a worker busy while its next job travels


def usable_cores() -> int:
    """Cores this process may run on (CPU affinity), the default worker count."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


class Executor(Protocol):
    """Runs `fn` over jobs; yields each result as it finishes, in any order."""

    name: str

    def map(
        self, fn: Callable[[J], R], jobs: Iterable[J], crashed: Callable[[J], R]
    ) -> Iterator[R]: ...

    def close(self) -> None: ...


# --- in this process -------------------------------------------------------------------------


class SerialExecutor:
    """One job after another in this process: tests, one core, debugging."""

    name = "serial"

    def __init__(self, initializer: Callable[[], None] | None = None) -> None:
        self.initializer = initializer

    def map(
        self, fn: Callable[[J], R], jobs: Iterable[J], crashed: Callable[[J], R]
    ) -> Iterator[R]:
        if self.initializer is not None:
            self.initializer()
        for job in jobs:
            yield fn(job)

    def close(self) -> None:
        pass


# --- worker processes that die with their parent ---------------------------------------------


def _kill_own_group(signum: int = 0, frame: Any = None) -> None:
    with contextlib.suppress(OSError):
        os.killpg(os.getpgid(0), signal.SIGKILL)
    os._exit(1)


def _watch_parent(parent: int) -> None:
    while True:
        threading.Event().wait(_PARENT_POLL_S)
        if os.getppid() != parent:
            _kill_own_group()


def bind_to_parent() -> None:
    """Make this worker process (and whatever it starts) end when its parent process ends."""
    parent = os.getppid()
    if hasattr(os, "setpgid"):
        with contextlib.suppress(OSError):
            os.setpgid(0, 0)  # own group: killing it takes Tesseract/pdftoppm children along
    signal.signal(signal.SIGTERM, _kill_own_group)
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    if os.getppid() != parent:  # the parent died before the prctl took hold
        _kill_own_group()
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()


class _WorkerInit:
    """Pool initializer: bind to the parent, then the caller's own set-up."""

    def __init__(self, extra: Callable[[], None] | None) -> None:
        self.extra = extra

    def __call__(self) -> None:
        bind_to_parent()
        if self.extra is not None:
            self.extra()


class PoolExecutor:
    """Page-parallel processes on this machine.

    When a worker dies (a segfault, the OOM killer) every job in flight is lost with it; the
    pool is restarted for the jobs not yet sent, and each lost job is retried alone, so only the
    job that kills its worker again comes out as `crashed(job)`.
    """

    name = "pool"

    def __init__(self, workers: int, initializer: Callable[[], None] | None = None) -> None:
        self.workers = max(1, workers)
        self.initializer = _WorkerInit(initializer)

    def map(
        self, fn: Callable[[J], R], jobs: Iterable[J], crashed: Callable[[J], R]
    ) -> Iterator[R]:
        pending = iter(jobs)
        lost: list[J] = []
        while True:
            more = yield from self._run(fn, pending, self.workers, lost)
            if not more:
                break
        for job in lost:
            again: list[J] = []
            yield from self._run(fn, iter([job]), 1, again)
            if again:
                yield crashed(job)

    def _run(
        self, fn: Callable[[J], R], pending: Iterator[J], workers: int, lost: list[J]
    ) -> Generator[R, None, bool]:
        """Run jobs from `pending` in one pool until they run out (False) or it breaks (True)."""
        pool = ProcessPoolExecutor(
            workers, mp_context=get_context("spawn"), initializer=self.initializer
        )
        window = workers * IN_FLIGHT_PER_WORKER
        in_flight: dict[Future[R], J] = {}
        broken = False

        def fill() -> None:
            while not broken and len(in_flight) < window:
                job = next(pending, None)
                if job is None:
                    return
                try:
                    in_flight[pool.submit(fn, job)] = job
                except BrokenProcessPool:  # a worker died since the last look
                    lost.append(job)
                    return

        try:
            fill()
            while in_flight:
                done, _ = wait(in_flight, return_when=FIRST_COMPLETED)
                results = []
                for fut in done:
                    job = in_flight.pop(fut)
                    try:
                        results.append(fut.result())
                    except BrokenProcessPool:
                        lost.append(job)
                        broken = True
                fill()  # before the caller takes its time over the results
                if not in_flight:  # the last results: free the workers' memory before the
                    _stop_pool(pool)  # caller assembles what may be an 800-page volume
                yield from results
            return broken
        finally:
            _stop_pool(pool)

    def close(self) -> None:
        pass


def _stop_pool(pool: ProcessPoolExecutor) -> None:
    """Shut the pool without running what is queued; on an interrupt, kill its workers."""
    interrupted = sys.exc_info()[0] is not None
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=not interrupted, cancel_futures=True)
    if interrupted:
        for proc in processes:
            with contextlib.suppress(OSError, AttributeError):
                os.killpg(proc.pid, signal.SIGKILL)  # the worker and its Tesseract


# --- Dask distributed ------------------------------------------------------------------------


class _Initialized(Generic[J, R]):
    """`fn` that runs a set-up once per worker process first (Dask has no pool initializer)."""

    _done = False

    def __init__(self, fn: Callable[[J], R], setup: Callable[[], None] | None) -> None:
        self.fn, self.setup = fn, setup

    def __call__(self, job: J) -> R:
        if not _Initialized._done:
            if self.setup is not None:
                self.setup()
            _Initialized._done = True
        return self.fn(job)


class DaskExecutor:
    """Jobs as Dask distributed tasks: on a cluster (`tcp://HOST:8786`) or a `LocalCluster`
    started here (`local`). Workers need this project installed and the inputs and output folder
    on shared storage at the same paths. A task whose worker dies is rescheduled by Dask on
    another worker (`distributed.scheduler.allowed-failures`, 3 by default); after that it comes
    out as `crashed(job)`."""

    name = "dask"

    def __init__(
        self,
        address: str,
        workers: int | None = None,
        initializer: Callable[[], None] | None = None,
    ) -> None:
        from distributed import Client, LocalCluster

        self.address, self.setup = address, initializer
        self.cluster: Any = None
        if address == "local":
            self.cluster = LocalCluster(
                n_workers=workers or usable_cores(),
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                silence_logs=logging.ERROR,
            )
            self.client: Any = Client(self.cluster)
        else:
            self.client = Client(address, timeout="30s")

    def slots(self) -> int:
        return max(1, sum(self.client.nthreads().values()))

    def map(
        self, fn: Callable[[J], R], jobs: Iterable[J], crashed: Callable[[J], R]
    ) -> Iterator[R]:
        from distributed import as_completed

        task = _Initialized(fn, self.setup)
        pending = iter(jobs)
        in_flight: dict[Any, J] = {}
        finished = as_completed()

        def submit(n: int) -> None:
            for _ in range(n):
                job = next(pending, None)
                if job is None:
                    return
                fut = self.client.submit(task, job, pure=False)
                in_flight[fut] = job
                finished.add(fut)

        lost: list[J] = []
        window = self.slots() * IN_FLIGHT_PER_WORKER
        submit(window)
        try:
            for count, fut in enumerate(finished, 1):
                job = in_flight.pop(fut)
                try:
                    results = [fut.result()]
                except Exception:  # KilledWorker: it was on a worker that died, too often
                    lost.append(job)
                    results = []
                fut.release()
                if count % 32 == 0:  # workers may join or leave a cluster during a batch
                    window = self.slots() * IN_FLIGHT_PER_WORKER
                submit(max(1, window - len(in_flight)))  # before the caller takes its time
                yield from results
        finally:
            for fut in in_flight:
                fut.cancel()
        # A dying worker takes the blame for every task it held: each is tried again alone,
        # so only the job that kills its worker by itself is reported.
        for job in lost:
            fut = self.client.submit(task, job, pure=False)
            try:
                yield fut.result()
            except Exception:
                yield crashed(job)
            finally:
                fut.release()

    def close(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


def make_executor(
    workers: int, scheduler: str | None = None, initializer: Callable[[], None] | None = None
) -> Executor:
    """The executor a run asks for: Dask when `scheduler` is given (`local` or an address),
    else a process pool for more than one worker, else serial."""
    if scheduler:
        return DaskExecutor(scheduler, workers, initializer)
    if workers > 1:
        return PoolExecutor(workers, initializer)
    return SerialExecutor(initializer)

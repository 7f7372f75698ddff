"""The worker processes this process keeps: one pool, started on first use and reused.

The discrete-event engine's replications (``workers``) and the ``processes`` executor of
sweeps run on :func:`pool`, a ``concurrent.futures.ProcessPoolExecutor`` kept per process:
the first run starts it and pays the workers' start-up (a Python process importing routesim,
numpy, SimPy, pandas, SciPy: about 1.2-1.9 s on the benchmark machine); later runs and sweeps
in the same process (a notebook, a script running several scenarios, a benchmark) find it
ready. It is shut down when the interpreter exits, or by :func:`shutdown`.

Workers start from a ``forkserver`` where the platform has one (Linux, macOS): a clean
server process, started fresh (not forked from this process, whatever threads this one has),
imports the first caller's modules once (``preload`` of :func:`pool`) and forks each worker
from there, so a worker starts in milliseconds with them imported. Elsewhere (Windows) workers are ``spawn``-ed.
Either way a worker runs this process's ``__main__`` again as ``__mp_main__``: scripts that
run routesim need ``if __name__ == "__main__":``. (The ``forkserver`` and its preload list
are shared by the whole process: routesim sets the list only if no forkserver runs yet.)

A pool whose worker died (killed, out of memory) is broken: the next :func:`pool` call
starts a new one (:func:`discard` forgets it at once). A call for a different number of
workers replaces the pool too. Workers exit by themselves when the process that started them
is gone, even killed by a signal.

>>> start_method() in ("forkserver", "spawn")
True
"""

from __future__ import annotations

import atexit
import multiprocessing
import os
import threading
import time

__all__ = ["count", "warm", "pool", "discard", "shutdown", "start_method"]


_lock = threading.Lock()
_pool = None
_size = 0
_registered = False


def start_method() -> str:
    """How workers start: ``"forkserver"`` where the platform has it, else ``"spawn"``."""
    return "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"


def _context(preload):
    method = start_method()
    ctx = multiprocessing.get_context(method)
    if method == "forkserver":
        from multiprocessing import forkserver

        if getattr(forkserver._forkserver, "_forkserver_pid", None) is None:  # not started yet
            ctx.set_forkserver_preload(list(preload))
    return ctx


def _watch(parent: int, every: float = 1.0) -> None:
    """In a worker: exit once ``parent`` (the process that started the pool) is gone.

    A pool's workers block reading their task queue, whose write end each of them holds too, so
    a parent killed by a signal (no ``atexit``) would leave them idle for ever; this daemon
    thread checks every ``every`` seconds."""
    def check():
        while True:
            time.sleep(every)
            try:
                os.kill(parent, 0)
            except ProcessLookupError:
                os._exit(0)
            except PermissionError:  # a process of another user took the number: ours is gone
                os._exit(0)

    threading.Thread(target=check, name="routesim-parent-watch", daemon=True).start()


def count(workers: int | None, tasks: int) -> int:
    """Worker processes for ``tasks`` tasks: 1 (the calling process itself) for a single task, else
    ``workers`` (default: the CPUs). Not capped by ``tasks``: a pool starts only the processes
    its tasks need, and runs of fewer tasks then reuse the same pool.

    >>> count(None, 1), count(3, 2), count(1, 10)
    (1, 3, 1)
    """
    return 1 if tasks <= 1 else (workers or os.cpu_count() or 1)


def warm(preload: tuple[str, ...]) -> None:
    """Start the forkserver now, if the platform has one and it is not running, so that it imports
    ``preload`` while this process goes on (compiling the plan) instead of when the first worker
    is asked for. Returns at once."""
    if start_method() == "forkserver":
        from multiprocessing import forkserver

        _context(preload)
        forkserver.ensure_running()


def pool(workers: int, preload: tuple[str, ...] = ()):
    """This process's pool of ``workers`` worker processes (started now if there is none, or if
    the one there has another number of workers or is broken).

    ``preload``: modules (names) the forkserver imports before it forks workers, if this call
    starts it; the caller's task function's module, so that workers start with it imported.
    Workers of a later caller import what else they need on their first task.
    """
    from concurrent.futures import ProcessPoolExecutor

    global _pool, _size, _registered
    with _lock:
        if _pool is not None and (_size != workers or getattr(_pool, "_broken", False)):
            _pool.shutdown(wait=False, cancel_futures=True)
            _pool = None
        if _pool is None:
            _pool = ProcessPoolExecutor(max_workers=workers, mp_context=_context(preload), initializer=_watch,
                                        initargs=(os.getpid(),))
            _size = workers
            if not _registered:
                atexit.register(shutdown)
                _registered = True
        return _pool


def discard(executor) -> None:
    """Forget ``executor`` if it is this process's pool (broken, or interrupted mid-run): the
    next :func:`pool` starts a new one. Tasks still running finish in the background."""
    global _pool
    with _lock:
        if executor is _pool:
            _pool = None
    executor.shutdown(wait=False, cancel_futures=True)


def shutdown() -> None:
    """Stop this process's workers (waits for running tasks); the next :func:`pool` starts new ones."""
    global _pool
    with _lock:
        executor, _pool = _pool, None
    if executor is not None:
        executor.shutdown(wait=True, cancel_futures=True)

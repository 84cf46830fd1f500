"""One clock and one memory budget for a whole command-line run (docs/cli.md, "Limits").

``--time-limit S`` counts from the start of the process, not from the moment the inputs
are read, and holds in every phase: reading, domain preprocessing, the engines, volumes,
homology, the analyses and writing. Three layers enforce it:

1. the computations check their own :class:`~polytopo.runtime.progress.Deadline` where they loop;
2. a ``SIGALRM`` timer raises :class:`~polytopo.exceptions.LimitExceeded` in the main
   thread when the time is up, wherever Python code is running;
3. the command runs in a forked child process watched by the parent (:func:`supervise`),
   which holds no lock the child could hold: if a single call into C (cddlib, a large
   numpy or big-integer operation) keeps the child past the limit, the parent kills it and
   its worker processes 1.5 s after the limit, removes its temporary output files, and
   exits with status 3 itself.

``--max-memory`` caps the address space of the process (and of its workers, which
inherit the cap), so a large allocation fails with :class:`MemoryError`, reported as a
limit with the phase it happened in.

The phase is a short name set by :func:`phase` ("reading the network", "cell complex",
"homology" …) and named in the messages.
"""

__all__ = ["RunBudget", "phase", "current_phase", "elapsed_since_process_start",
           "parse_memory", "default_memory_limit", "register_temp", "unregister_temp",
           "remove_temps", "supervise", "temp_prefix", "GRACE_SECONDS", "memory_cap",
           "check_allocation"]

import contextlib
import math
import os
import re
import signal
import sys
import threading
import time

from ..exceptions import InputError, LimitExceeded

#: seconds past the time limit after which the watchdog ends the process
GRACE_SECONDS = 1.5

_phase = ["starting"]
_temps = set()
_temps_lock = threading.Lock()


_phase_fd = [None]  # where a supervised child tells its parent the phase


def phase(name):
    """Name the phase the run is in (shown in limit messages); returns the previous name."""
    previous, _phase[0] = _phase[0], name
    if _phase_fd[0] is not None:
        with contextlib.suppress(OSError):
            os.write(_phase_fd[0], (name.replace("\n", " ")[:200] + "\n").encode())
    return previous


def current_phase():
    """The name of the phase the run is in."""
    return _phase[0]


def register_temp(path):
    """Record a temporary output file, removed if the run is stopped (see :func:`remove_temps`)."""
    with _temps_lock:
        _temps.add(os.fspath(path))


def unregister_temp(path):
    with _temps_lock:
        _temps.discard(os.fspath(path))


def remove_temps():
    """Remove every registered temporary output file (after a limit or a signal)."""
    with _temps_lock:
        paths = list(_temps)
        _temps.clear()
    for p in paths:
        with contextlib.suppress(OSError):
            os.unlink(p)


def temp_prefix():
    """The name prefix of this process's temporary output files (the supervising parent
    removes a killed child's files by it)."""
    return f".polytopo-{os.getpid()}-"


def _descendants(pid):
    """The process ids below ``pid`` (from ``/proc``), deepest last."""
    children = {}
    with contextlib.suppress(OSError):
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    with open(f"/proc/{entry}/stat", "rb") as fh:
                        stat = fh.read().decode("ascii", "replace")
                    ppid = int(stat[stat.rindex(")") + 2:].split()[1])
                except (OSError, ValueError, IndexError):
                    continue
                children.setdefault(ppid, []).append(int(entry))
    out, todo = [], [pid]
    while todo:
        for c in children.get(todo.pop(), []):
            out.append(c)
            todo.append(c)
    return out


def supervise(work, time_limit, folders=()):
    """Run ``work()`` (returning an exit status) in a forked child within ``time_limit``.

    The child enforces the limit itself (:class:`RunBudget`); should it still run
    :data:`GRACE_SECONDS` after the limit, held in one call into C, the parent kills it and
    the processes it started, removes its temporary files from ``folders``, prints the
    limit on stderr and returns 3. Signals: SIGTERM and SIGHUP sent to the parent are passed
    on; SIGINT reaches the child from the terminal. Without ``fork`` (or without a limit)
    ``work()`` runs in this process.
    """
    if time_limit is None or not hasattr(os, "fork"):
        return work()
    end = time.monotonic() + time_limit - elapsed_since_process_start()
    read_fd, write_fd = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:  # the child: run, flush, leave without running the parent's clean-up
        status = 1
        try:
            os.close(read_fd)
            _phase_fd[0] = write_fd
            status = work()
        except SystemExit as e:
            status = e.code if isinstance(e.code, int) else (0 if e.code is None else 2)
        finally:
            with contextlib.suppress(Exception):
                sys.stdout.flush()
            with contextlib.suppress(Exception):
                sys.stderr.flush()
            os._exit(status if isinstance(status, int) else 1)
    os.close(write_fd)
    os.set_blocking(read_fd, False)
    forward = lambda signum, frame: os.kill(pid, signum)  # noqa: E731
    old = {sig: signal.signal(sig, forward) for sig in (signal.SIGTERM, signal.SIGHUP)}
    old[signal.SIGINT] = signal.signal(signal.SIGINT, signal.SIG_IGN)
    last, buf = "starting", b""
    try:
        while True:
            try:
                done, status = os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                return 1
            if done:
                return os.waitstatus_to_exitcode(status) if os.WIFEXITED(status) else \
                    128 + os.WTERMSIG(status)
            with contextlib.suppress(BlockingIOError, OSError):
                buf += os.read(read_fd, 65536)
                lines = buf.split(b"\n")
                buf = lines[-1]
                if len(lines) > 1:
                    last = lines[-2].decode("utf-8", "replace")
            if time.monotonic() > end + GRACE_SECONDS:
                for p in [pid, *_descendants(pid)]:
                    with contextlib.suppress(OSError):
                        os.kill(p, signal.SIGKILL)
                with contextlib.suppress(ChildProcessError):
                    os.waitpid(pid, 0)
                prefix = f".polytopo-{pid}-"
                for folder in set(folders):
                    with contextlib.suppress(OSError):
                        for name in os.listdir(folder):
                            if name.startswith(prefix) and name.endswith(".tmp"):
                                with contextlib.suppress(OSError):
                                    os.unlink(os.path.join(folder, name))
                sys.stderr.write(f"polytopo: stopped: time limit of {time_limit:g} s "
                                 f"exceeded ({last})\n")
                sys.stderr.flush()
                return 3
            time.sleep(0.02)
    finally:
        os.close(read_fd)
        for sig, handler in old.items():
            signal.signal(sig, handler)


def elapsed_since_process_start():
    """Seconds since this process started (from ``/proc``; 0 where that is not readable).

    >>> 0 <= elapsed_since_process_start() < 10**6
    True
    """
    try:
        with open("/proc/self/stat", "rb") as fh:
            stat = fh.read().decode("ascii", "replace")
        fields = stat[stat.rindex(")") + 2:].split()
        start_ticks = int(fields[19])  # field 22 of proc(5), counted after the name
        with open("/proc/uptime", "rb") as fh:
            uptime = float(fh.read().split()[0])
        return max(0.0, uptime - start_ticks / os.sysconf("SC_CLK_TCK"))
    except (OSError, ValueError, IndexError, AttributeError):
        return 0.0


_UNITS = {"": 1, "B": 1, "K": 2**10, "KB": 2**10, "KIB": 2**10, "M": 2**20, "MB": 2**20,
          "MIB": 2**20, "G": 2**30, "GB": 2**30, "GIB": 2**30, "T": 2**40, "TB": 2**40,
          "TIB": 2**40}


def parse_memory(text):
    """Bytes from ``"512M"``, ``"4G"``, ``"1.5GiB"`` or a plain byte count (powers of 1024).

    >>> parse_memory("4G"), parse_memory("512m"), parse_memory("2000000")
    (4294967296, 536870912, 2000000)
    >>> parse_memory("-1G")
    Traceback (most recent call last):
    ...
    polytopo.exceptions.InputError: --max-memory must be a positive size such as 512M or 4G, got '-1G'
    """
    m = re.fullmatch(r"\s*([0-9]+(?:\.[0-9]+)?)\s*([A-Za-z]*)\s*", str(text))
    unit = m.group(2).upper() if m else None
    if not m or unit not in _UNITS or not float(m.group(1)) > 0:
        raise InputError(f"--max-memory must be a positive size such as 512M or 4G, got {text!r}")
    n = int(float(m.group(1)) * _UNITS[unit])
    if n < 2**20:
        raise InputError(f"--max-memory must be at least 1M, got {text!r}")
    return n


def default_memory_limit():
    """Three quarters of the machine's physical memory (None where it cannot be read)."""
    try:
        return int(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") * 3 // 4)
    except (OSError, ValueError, AttributeError):
        return None


def _format_bytes(n):
    for unit, size in (("GiB", 2**30), ("MiB", 2**20)):
        if n >= size:
            return f"{n / size:.3g} {unit}"
    return f"{n} bytes"


def memory_cap():
    """The address-space limit in force (``RLIMIT_AS``, as :class:`RunBudget` sets it from
    ``--max-memory``), in bytes; None when unlimited or unknown."""
    try:
        import resource

        soft, _ = resource.getrlimit(resource.RLIMIT_AS)
    except (ImportError, ValueError, OSError):
        return None
    return None if soft == resource.RLIM_INFINITY else soft


def check_allocation(n_bytes, what):
    """Stop with :class:`LimitExceeded` before ``what`` allocates about ``n_bytes`` when
    that alone exceeds the memory limit in force (a clear message instead of a
    MemoryError deep inside the work).

    >>> check_allocation(10, "a tiny array")
    """
    cap = memory_cap()
    if cap is not None and n_bytes > cap:
        raise LimitExceeded(f"{what} would need about {_format_bytes(int(n_bytes))}, more than "
                            f"the memory limit of {_format_bytes(cap)} (--max-memory)")


class RunBudget:
    """The limits of one run: install with ``with RunBudget(...):`` around the command.

    Parameters
    ----------
    time_limit : float, optional
        Seconds from the start of the process.
    max_memory : int, optional
        Bytes of address space (``RLIMIT_AS``); None leaves the limit as it is.
    from_process_start : bool
        Count the time from the start of the process (the command line), not from
        entering the block (a call of :func:`polytopo.cli.main` from Python).
    """

    def __init__(self, time_limit=None, max_memory=None, *, from_process_start=True):
        self.time_limit = time_limit
        self.max_memory = max_memory
        self.from_process_start = from_process_start
        self.expired = False
        self.end = None
        self._old_alarm = None
        self._old_unraisable = None
        self._old_rlimit = None

    # -- time -------------------------------------------------------------------------
    def message(self):
        return f"time limit of {self.time_limit:g} s exceeded ({current_phase()})"

    def memory_message(self):
        what = (f"memory limit of {_format_bytes(self.max_memory)}" if self.max_memory
                else "out of memory")
        return f"{what} exceeded ({current_phase()})"

    def remaining(self):
        """Seconds left (None without a time limit)."""
        return None if self.end is None else max(0.0, self.end - time.monotonic())

    def _on_alarm(self, signum, frame):
        self.expired = True
        raise LimitExceeded(self.message())

    def _on_unraisable(self, unraisable):
        """Python swallows an exception raised where it cannot propagate (a ``gc``
        callback, a ``__del__``): if that was the alarm's, fire the alarm again at once,
        so that it is raised in the code that runs next."""
        if self.expired and isinstance(unraisable.exc_value, LimitExceeded) \
                and self._old_alarm is not None:
            signal.setitimer(signal.ITIMER_REAL, 1e-3)
            return
        self._old_unraisable(unraisable)

    def __enter__(self):
        if self.time_limit is not None:
            self.end = time.monotonic() + self.time_limit - (
                elapsed_since_process_start() if self.from_process_start else 0.0)
            in_main = threading.current_thread() is threading.main_thread()
            if in_main and hasattr(signal, "setitimer"):
                self._old_alarm = signal.signal(signal.SIGALRM, self._on_alarm)
                self._old_unraisable, sys.unraisablehook = sys.unraisablehook, \
                    self._on_unraisable
                signal.setitimer(signal.ITIMER_REAL, max(self.remaining(), 1e-3))
        if self.max_memory is not None:
            try:
                import resource

                soft, hard = resource.getrlimit(resource.RLIMIT_AS)
                cap = self.max_memory if hard == resource.RLIM_INFINITY else min(self.max_memory, hard)
                resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
                self._old_rlimit = (soft, hard)
            except (ImportError, ValueError, OSError):
                self._old_rlimit = None
        return self

    def __exit__(self, *exc):
        if self._old_alarm is not None:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self._old_alarm)
            self._old_alarm = None
            sys.unraisablehook = self._old_unraisable
        if self._old_rlimit is not None:
            import resource

            with contextlib.suppress(ValueError, OSError):
                resource.setrlimit(resource.RLIMIT_AS, self._old_rlimit)
            self._old_rlimit = None
        return False


def positive_seconds(text):
    """``--time-limit``'s value: a positive, finite number of seconds.

    >>> positive_seconds("2.5")
    2.5
    >>> positive_seconds("nan")
    Traceback (most recent call last):
    ...
    polytopo.exceptions.InputError: --time-limit must be a positive number of seconds, got 'nan'
    """
    from .checks import check_time_limit

    try:
        value = float(text) if str(text).strip().isascii() else math.nan
    except (TypeError, ValueError):
        value = math.nan
    try:
        return check_time_limit(value, "--time-limit")
    except InputError:  # the message names what was typed, not the float it became
        raise InputError(f"--time-limit must be a positive number of seconds, got {text!r}") from None

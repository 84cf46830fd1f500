"""Progress on stderr for long runs, and wall-clock limits (docs/cli.md, "Limits")."""

__all__ = ["Progress", "Deadline"]

import sys
import time

from ..exceptions import LimitExceeded


class Deadline:
    """A wall-clock limit: :meth:`check` raises :class:`LimitExceeded` once it has passed.

    Examples
    --------
    >>> Deadline(None).check()  # no limit
    >>> Deadline(0).check()
    Traceback (most recent call last):
    ...
    polytopo.exceptions.LimitExceeded: time limit of 0 s exceeded
    """

    def __init__(self, seconds):
        self.seconds = seconds
        self.end = None if seconds is None else time.monotonic() + seconds

    def check(self, what=""):
        if self.end is not None and time.monotonic() >= self.end:
            raise LimitExceeded(f"time limit of {self.seconds:g} s exceeded" +
                                (f" ({what})" if what else ""))


class Progress:
    """A one-line progress bar on stderr, redrawn at most every 0.1 s.

    Silent unless stderr is a terminal or ``force=True``; never writes to stdout.

    Parameters
    ----------
    label : str
    total : int, optional
        Number of steps (a bar is drawn when known).
    stream : file, optional
        Default ``sys.stderr``.
    """

    def __init__(self, label, total=None, *, stream=None, force=False):
        self.stream = stream or sys.stderr
        self.enabled = force or getattr(self.stream, "isatty", lambda: False)()
        self.label, self.total = label, total
        self.start = self.last = time.monotonic()
        self.drawn = False

    def update(self, done, info="", *, always=False, total=None):
        """Redraw (at most every 0.1 s unless ``always``: a new stage must show); ``total``
        replaces the total when given."""
        if total is not None:
            self.total = total
        if not self.enabled:
            return
        now = time.monotonic()
        if not always and now - self.last < 0.1 and (self.total is None or done < self.total):
            return
        self.last = now
        if self.total:
            width = 30
            fill = int(width * min(done, self.total) / self.total)
            bar = f"[{'#' * fill}{'.' * (width - fill)}] {done}/{self.total}"
        else:
            bar = str(done)
        self.stream.write(f"\r{self.label} {bar} {info} {now - self.start:6.1f}s\x1b[K")
        self.stream.flush()
        self.drawn = True

    def close(self):
        """End the line (once; closing again does nothing)."""
        if self.enabled and self.drawn:
            self.stream.write("\n")
            self.stream.flush()
            self.drawn = False

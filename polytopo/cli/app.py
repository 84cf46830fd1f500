"""The ``polytopo`` command line: parse, call the public API, print (docs/cli.md).

One module per command (:mod:`polytopo.cli.analyze`, :mod:`polytopo.cli.regions` …), each
with ``add(subparsers)`` (argparse declarations only, so that building the parser and
``polytopo --help`` stay fast) and ``run(args)`` (imports the API when the command runs,
prints, writes the files). This module builds the parser from them and runs a command
under its limits (:func:`main`).
"""

__all__ = ["main", "parse_args", "COMMANDS"]

import argparse
import sys

from . import (analyze, bounds, compare, convert, dual_graph, experiment, layers, plot,
               reference, regions, track, verify)
from .options import add_assume, add_run_limits, add_strip_output_activation
from ..exceptions import InputError, LimitExceeded, PolytopoError

#: the commands in the order of ``polytopo --help``: name -> module (``add``, ``run``)
COMMANDS = {
    "analyze": analyze,
    "regions": regions,
    "plot": plot,
    "convert": convert,
    "reference": reference,
    "compare": compare,
    "verify": verify,
    "layers": layers,
    "dual-graph": dual_graph,
    "track": track,
    "bounds": bounds,
    "experiment": experiment,
}


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, exit status 2 (docs/cli.md, Bad input)
        import re

        # "argument --max-regions: must be ..." -> "--max-regions must be ..."
        message = re.sub(r"^argument (--[\w-]+): must ", r"\1 must ", message)
        print(f"polytopo: error: {message}", file=sys.stderr)
        raise SystemExit(2)


def _parser():
    """The ``polytopo`` parser: every command module's ``add``, in :data:`COMMANDS` order,
    then the run's limits for every command, ``--assume`` and ``--strip-output-activation``
    where a network is read."""
    parser = _Parser(prog="polytopo", description="Exact geometry and topology of ReLU networks.")
    from .. import __version__

    parser.add_argument("--version", action="version", version=f"polytopo {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    for command in COMMANDS.values():
        command.add(sub)
    for name, cmd in sub.choices.items():  # every command: the run's limits; --assume where a network is read
        options = {s for a in cmd._actions for s in a.option_strings}
        if "--time-limit" not in options:
            add_run_limits(cmd)
        if any(a.dest in ("network", "checkpoints") for a in cmd._actions):
            add_assume(cmd)
            add_strip_output_activation(cmd)
    return parser


def parse_args(argv):
    """Parse a ``polytopo`` command line (without running it), for examples and tests.

    ``COMMANDS[args.command].run(args)`` then runs it as ``polytopo`` would, without the
    limits and the all-or-nothing outputs of :func:`main`.

    Examples
    --------
    >>> args = parse_args(["bounds", "2-4-4-1", "--verify"])
    >>> args.command, args.verify, args.time_limit
    ('bounds', True, None)
    """
    return _parser().parse_args(argv)


def _run(args):
    from ..runtime import budget

    budget.phase("reading the inputs" if args.command in ("analyze", "regions") else args.command)
    return COMMANDS[args.command].run(args)


#: the options whose values are output files, checked before anything is computed
OUTPUT_OPTIONS = ("json", "jsonl", "plot", "out", "graphml", "csv")


def _check_outputs(args):
    """Every output path is writable and none is given twice (before computing)."""
    import os

    from ..runtime.outputs import check_output_path

    seen = {}
    for dest in OUTPUT_OPTIONS:
        path = getattr(args, dest, None)
        if not path:
            continue
        option = "--" + dest
        check_output_path(path, option)
        real = os.path.realpath(path)
        if real in seen:
            raise InputError(f"{option} and {seen[real]} name the same file {path}")
        seen[real] = option


class _Terminated(BaseException):
    """SIGTERM or SIGHUP: unwinds the run so that no temporary file is left."""

    def __init__(self, signum):
        super().__init__(signum)
        self.signum = signum


def _on_signal(signum, frame):
    raise _Terminated(signum)


class _Stdout:
    """stdout that survives a closed pipe (``polytopo ... | head``): the rest is dropped."""

    def __init__(self, stream):
        self.stream, self.broken = stream, False

    def write(self, text):
        if not self.broken:
            try:
                return self.stream.write(text)
            except BrokenPipeError:
                self._break()
        return len(text)

    def flush(self):
        if not self.broken:
            try:
                self.stream.flush()
            except BrokenPipeError:
                self._break()

    def _break(self):
        import os

        self.broken = True
        try:  # Python's own flush at exit must not report the pipe either
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, self.stream.fileno())
            os.close(devnull)
        except (OSError, ValueError, AttributeError):
            pass

    def __getattr__(self, name):
        return getattr(self.stream, name)


def main(argv=None):
    """Entry point of the ``polytopo`` command; returns the exit status.

    Bad input: one line on stderr, status 2. A limit (``--time-limit``, ``--max-regions``,
    ``--max-memory``): one line, status 3. SIGINT: 130; SIGTERM/SIGHUP: 128 + the signal.
    In every case no output file is left partly written, and the outputs of a command
    appear together or not at all (:func:`polytopo.runtime.outputs.transaction`).
    """
    import os

    from ..runtime import budget

    as_process = argv is None  # the real command: the watchdog may end the process
    argv = list(sys.argv[1:] if argv is None else argv)
    for i, tok in enumerate(argv[:-2]):  # let "--box -1/2 1" through: argparse takes "-1/2" for an option
        if tok == "--box":
            argv[i + 1: i + 3] = [" " + t if t.startswith("-") else t for t in argv[i + 1: i + 3]]
    args = _parser().parse_args(argv)
    if not as_process:
        return _execute(args, as_process)
    folders = [os.path.dirname(os.path.realpath(p)) for p in
               (getattr(args, dest, None) for dest in OUTPUT_OPTIONS) if p]
    return budget.supervise(lambda: _execute(args, as_process), getattr(args, "time_limit", None),
                            folders)


def _execute(args, as_process):
    """Run the parsed command under its limits; returns the exit status (see :func:`main`)."""
    import os
    import signal

    from ..runtime import budget
    from ..runtime.outputs import transaction

    max_memory = getattr(args, "max_memory", None)
    if max_memory is None and as_process:
        max_memory = budget.default_memory_limit()
    run = budget.RunBudget(getattr(args, "time_limit", None), max_memory,
                           from_process_start=as_process)
    old_handlers = {}
    in_main = __import__("threading").current_thread() is __import__("threading").main_thread()
    if in_main:
        for sig in (signal.SIGTERM, signal.SIGHUP):
            old_handlers[sig] = signal.signal(sig, _on_signal)
    stdout, sys.stdout = sys.stdout, _Stdout(sys.stdout)
    budget.phase("checking the options")
    try:
        with run:
            _check_outputs(args)
            with transaction():
                return _run(args)
    except InputError as e:
        if run.expired:
            print(f"polytopo: stopped: {run.message()}", file=sys.stderr)
            return 3
        print(f"polytopo: error: {e}", file=sys.stderr)
        return 2
    except LimitExceeded as e:
        print(f"polytopo: stopped: {e}", file=sys.stderr)
        return 3
    except MemoryError:
        print(f"polytopo: stopped: {run.memory_message()}", file=sys.stderr)
        return 3
    except PolytopoError as e:
        if run.expired:
            print(f"polytopo: stopped: {run.message()}", file=sys.stderr)
            return 3
        print(f"polytopo: error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("polytopo: interrupted", file=sys.stderr)
        return 130
    except _Terminated as e:
        print(f"polytopo: terminated by signal {e.signum}", file=sys.stderr)
        return 128 + e.signum
    except RecursionError:
        print(f"polytopo: error: input nested too deeply ({budget.current_phase()})",
              file=sys.stderr)
        return 2
    except Exception as e:  # noqa: BLE001 - a bug: one line, not a traceback
        if run.expired:
            print(f"polytopo: stopped: {run.message()}", file=sys.stderr)
            return 3
        if os.environ.get("POLYTOPO_DEBUG"):
            raise
        from ..exceptions import first_line

        print(f"polytopo: internal error ({budget.current_phase()}): {type(e).__name__}: "
              f"{first_line(e)} (please report it; POLYTOPO_DEBUG=1 shows the traceback)",
              file=sys.stderr)
        return 1
    finally:
        budget.remove_temps()
        sys.stdout = stdout
        for sig, handler in old_handlers.items():
            signal.signal(sig, handler)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

"""The ``polytopo`` command line: parse, call the public API, print (SPEC §3, §5)."""

__all__ = ["main"]

import argparse
import sys

from .options import (add_analysis_commands, add_assume, add_domain, add_json, add_limits,
                      add_max_denominator, add_plot, add_run_limits, domain_from_args,
                      require_positive)
from ..exceptions import InputError, LimitExceeded, PolytopoError

EXAMPLE = "example.json"


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, exit status 2 (SPEC §5)
        import re

        # "argument --max-regions: must be ..." -> "--max-regions must be ..."
        message = re.sub(r"^argument (--[\w-]+): must ", r"\1 must ", message)
        print(f"polytopo: error: {message}", file=sys.stderr)
        raise SystemExit(2)


def _parser():
    """The ``polytopo`` parser: argparse declarations only, so building it is fast (the
    options shared by several commands live in :mod:`polytopo.cli.options`)."""
    parser = _Parser(prog="polytopo", description="Exact geometry and topology of ReLU networks.")
    from .. import __version__

    parser.add_argument("--version", action="version", version=f"polytopo {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    a = sub.add_parser("analyze", help="the report of a network on a domain (SPEC §4)")
    a.add_argument("network", nargs="?", help="network file (JSON, or .pt state dict); "
                   "omitted: a bundled example")
    add_domain(a)
    add_json(a)
    add_plot(a, "the regions (1- or 2-input networks)")
    a.add_argument("--manifold", metavar="M.json", help="data manifold: a list of polytopes "
                   '[{"A": [[...]], "b": [...]}, ...] inside the domain (default: the domain)')
    a.add_argument("--layer", type=int, metavar="L", help="hidden layer whose map's rank "
                   "defines the low-rank set (from 1; default the last hidden layer)")
    a.add_argument("--threshold", type=int, metavar="R", help="a region is low-rank when "
                   "the rank is below R (default: the input dimension)")
    a.add_argument("--check-exactness", choices=["auto", "always", "never"], default="auto",
                   help="check the long exact sequence of (M, A ∩ M) with explicit linear "
                        "algebra (auto: when M has at most 250000 cells)")
    add_limits(a)

    r = sub.add_parser("regions", help="every activation region, exactly")
    r.add_argument("network", help="network file (JSON, or .pt state dict)")
    add_domain(r)
    out = r.add_mutually_exclusive_group(required=True)
    add_json(out, help="write the regions here", metavar="OUT.json")
    out.add_argument("--jsonl", metavar="OUT.jsonl", help="stream the regions as JSON lines "
                     "(a header, one region per line, a closing count): with --engine lp the "
                     "output need not fit in memory")
    r.add_argument("--no-volumes", action="store_true", help="skip exact volumes")
    r.add_argument("--engine", choices=["complex", "lp"], default="complex",
                   help="complex: read off the exact cell complex (fast, default); lp: the "
                        "reference traversal with one exact LP per undecided cut")
    add_limits(r)
    pl = sub.add_parser("plot", help="draw the regions of a 1- or 2-input network")
    pl.add_argument("network", help="network file")
    add_domain(pl)
    pl.add_argument("--out", metavar="PICTURE.png", required=True, help="the picture (png, svg, pdf)")

    cv = sub.add_parser("convert", help="write a network (e.g. a PyTorch state dict) as polytopo JSON")
    cv.add_argument("network", help="network file (.pt/.pth state dict, or JSON)")
    cv.add_argument("--out", metavar="NETWORK.json", required=True)
    add_max_denominator(cv)
    rf = sub.add_parser("reference", help="exact reference answers (schema polytopo.reference/1)")
    rf.add_argument("network", help="network file")
    add_domain(rf)
    add_json(rf, help="write the reference answers here", metavar="REFERENCE.json", required=True)

    cp = sub.add_parser("compare", help="check a tool's region list against a reference")
    cp.add_argument("reference", help="a file written by 'polytopo reference'")
    cp.add_argument("tool", help="the tool's regions: a JSON list of {pattern, point, inequalities}")
    add_json(cp, help="write the comparison here", metavar="RESULT.json")

    add_analysis_commands(sub)  # their code is imported only when one of them runs (_run)

    ex = sub.add_parser("experiment", help="reproducible experiments (tables and plots)")
    ex.add_argument("name", choices=["low-rank"], help="low-rank: low-rank fraction against "
                    "width and mean weight for random nets, and Dale's-principle nets")
    ex.add_argument("--dims", default="2", help="input dimensions, comma-separated (default 2)")
    ex.add_argument("--widths", default="2,3,4,6,8", help="hidden widths (default 2,3,4,6,8)")
    ex.add_argument("--means", default="-0.5,0,0.5", help="means of the weight distribution")
    ex.add_argument("--depth", type=int, default=1, help="hidden layers of the random nets")
    ex.add_argument("--seeds", type=int, default=3, help="networks per setting (seeds 0..N-1)")
    ex.add_argument("--denominator", type=int, default=16,
                    help="weights are rounded to k/DENOMINATOR (default 16)")
    ex.add_argument("--out", metavar="TABLE.csv", required=True)
    add_plot(ex, "the low-rank fractions against width (png)")
    for name, cmd in sub.choices.items():  # every command: the run's limits; --assume where a network is read
        options = {s for a in cmd._actions for s in a.option_strings}
        if "--time-limit" not in options:
            add_run_limits(cmd)
        if any(a.dest in ("network", "checkpoints") for a in cmd._actions):
            add_assume(cmd)
    return parser


def _ints(text, name):
    try:
        vals = [int(t) for t in text.split(",") if t.strip()]
    except ValueError:
        raise InputError(f"{name} must be comma-separated integers, got {text!r}") from None
    if not vals or min(vals) < 1:
        raise InputError(f"{name} must be positive integers, got {text!r}")
    return vals


def _experiment(args):
    from ..analysis import experiments as E

    dims, widths = _ints(args.dims, "--dims"), _ints(args.widths, "--widths")
    try:
        means = [float(t) for t in args.means.split(",")]
    except ValueError:
        raise InputError(f"--means must be comma-separated numbers, got {args.means!r}") from None
    if args.seeds < 1 or args.depth < 1 or args.denominator < 1:
        raise InputError("--seeds, --depth and --denominator must be positive")

    def show(row):
        print(f"  d={row['input_dim']} width={row['width']} mean={row['mean']}: "
              f"low-rank regions {float(row['low_rank_region_fraction']):.3f}, "
              f"volume {float(row['low_rank_volume_fraction']):.3f}", flush=True)

    rows = E.low_rank_experiment(input_dims=dims, widths=widths, means=means, depth=args.depth,
                                 seeds=range(args.seeds), denominator=args.denominator,
                                 progress=show)
    rows += E.dale_experiment(input_dims=dims, widths=widths, depth=max(2, args.depth),
                              progress=show)
    E.write_table(rows, args.out)
    print(f"table written to {args.out}")
    if args.plot:
        E.plot_experiment(rows, args.plot)
        print(f"picture written to {args.plot}")
    return 0


def _compare(args):
    from ..network import io
    from ..analysis.reference import SCHEMA, compare, load_tool_regions

    ref = io.read_json(args.reference)
    if not isinstance(ref, dict) or ref.get("schema") != SCHEMA:
        raise InputError(f"not a reference file (expected schema {SCHEMA})", source=args.reference)
    tool = load_tool_regions(io.read_json(args.tool), source=args.tool)
    res = compare(ref, tool)
    print(f"reference: {res['n_reference']} regions; tool: {res['n_tool']} regions")
    for key in ("missing", "spurious", "merged", "duplicated", "on_boundary", "wrong_pattern"):
        if res[key]:
            print(f"  {key}: {len(res[key])}")
    print("  the tool agrees with the exact answer" if res["agrees"] else
          "  the tool DISAGREES with the exact answer")
    if args.json:
        io.write_json(args.json, res)
    return 0 if res["agrees"] else 1


def _executor(jobs):
    if jobs is not None and jobs < 1:
        raise InputError(f"--jobs must be a positive number of processes, got {jobs}")
    if jobs is None or jobs == 1:
        return None
    from concurrent.futures import ProcessPoolExecutor

    return ProcessPoolExecutor(max_workers=jobs)


def _shutdown(executor, *, abort):
    """Shut a worker pool down; after a limit or an interrupt, drop the queued tasks
    (only the running ones, at most one per worker, are waited for)."""
    if executor is not None:
        executor.shutdown(wait=True, cancel_futures=abort)


def _run(args):
    from ..runtime import budget
    from ..network import io
    from ..analysis import summary as report

    budget.phase("reading the inputs" if args.command in ("analyze", "regions") else args.command)

    if args.command == "analyze":
        if args.network:
            net, source = io.load_network(args.network, assume=args.assume), args.network
        else:
            from importlib import resources

            path = resources.files("polytopo") / "data" / EXAMPLE
            net = io.load_network(path)
            source = "bundled example (f = 1/4 - | |x|+|y| - 1/2 |, an annulus)"
            print(f"No network given: analysing the bundled example {EXAMPLE}.")
        domain = domain_from_args(args, net.input_dim)
        manifold = io.load_manifold(args.manifold, domain) if args.manifold else None
        n_layers = len(net.widths)
        if args.layer is not None and not 1 <= args.layer <= n_layers:
            raise InputError(f"--layer must be a hidden layer between 1 and {n_layers}, "
                             f"got {args.layer}" if n_layers else
                             "--layer: the network has no hidden layer")
        if args.threshold is not None and args.threshold < 0:
            raise InputError(f"--threshold must be non-negative, got {args.threshold}")
        from ..runtime.progress import Progress

        bar = Progress("cell complex: neurons", total=net.n_hidden)
        after = Progress("analysis: stage")

        def stage(i, n, what):
            budget.phase(what)
            if i == 0:
                bar.close()
                after.total = n
            after.update(i + 1, what, always=True)

        executor, done = _executor(args.jobs), False
        budget.phase("cell complex")
        try:
            rep = report.analyze(net, domain, max_regions=args.max_regions,
                                 progress=lambda done, total, n: bar.update(done, f"{n} regions"),
                                 time_limit=args.time_limit, layer=args.layer,
                                 threshold=args.threshold, manifold=manifold,
                                 exactness=args.check_exactness, executor=executor,
                                 stages=stage)
            done = True
        finally:
            bar.close()
            after.close()
            _shutdown(executor, abort=not done)
        budget.phase("writing the outputs")
        print(report.summary(rep, source=source))
        if args.plot:
            from ..figures.network_plot import plot_network

            plot_network(net, domain, args.plot)
            print(f"  picture written to {args.plot}")
        if args.json:
            io.write_json(args.json, rep)
            print(f"  report written to {args.json}")
        return 0
    if args.command == "plot":
        from ..figures.network_plot import plot_network

        net = io.load_network(args.network, assume=args.assume)
        plot_network(net, domain_from_args(args, net.input_dim), args.out)
        print(f"picture written to {args.out}")
        return 0
    if args.command == "reference":
        from ..analysis.reference import reference

        net = io.load_network(args.network, assume=args.assume)
        ref = reference(net, domain_from_args(args, net.input_dim))
        io.write_json(args.json, ref)
        print(f"reference ({ref['n_regions']} regions, schema {ref['schema']}) written to {args.json}")
        return 0
    if args.command == "compare":
        return _compare(args)
    if args.command == "experiment":
        return _experiment(args)
    if args.command == "layers":
        from ..analysis.layers import run_layers

        return run_layers(args)
    if args.command == "dual-graph":
        from ..analysis.dual_graph import run_dual_graph

        return run_dual_graph(args)
    if args.command == "track":
        from ..analysis.training import run_track

        return run_track(args)
    if args.command == "bounds":
        from ..analysis.expressivity import run_bounds

        return run_bounds(args)
    if args.command == "convert":
        require_positive(args, "max_denominator")
        net = io.load_network(args.network, max_denominator=args.max_denominator,
                              assume=args.assume)
        io.write_json(args.out, net.to_json())
        print(f"{net!r} written to {args.out}")
        return 0
    if args.command == "regions":
        net = io.load_network(args.network, assume=args.assume)
        domain = domain_from_args(args, net.input_dim)
        executor = _executor(args.jobs)
        from ..runtime.progress import Progress

        if args.engine == "lp":
            bar = Progress("regions: layer", total=len(net.widths))
            progress = lambda layer, n: bar.update(layer, f"{n} regions")  # noqa: E731
        else:
            bar = Progress("cell complex: neurons", total=net.n_hidden)
            progress = lambda done, total, n: bar.update(done, f"{n} regions")  # noqa: E731
        options = dict(engine=args.engine, volumes=not args.no_volumes, executor=executor,
                       max_regions=args.max_regions, progress=progress, time_limit=args.time_limit)
        done = False
        budget.phase("regions")
        try:
            if args.jsonl:
                n, target = report.write_regions_jsonl(args.jsonl, net, domain, **options), args.jsonl
            else:
                rep = report.regions_report(net, domain, **options)
                io.write_json(args.json, rep)
                n, target = rep["n_regions"], args.json
            done = True
        finally:
            bar.close()
            _shutdown(executor, abort=not done)
        print(f"{n} regions written to {target}")
        return 0
    raise AssertionError(args.command)  # pragma: no cover


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

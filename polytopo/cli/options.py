"""Command-line options shared by the ``polytopo`` commands (docs/cli.md).

Declaring options needs nothing but :mod:`argparse`, so this module imports nothing heavy:
building the parser (``polytopo --help``) does not import the analyses. Each common option
is declared here once; each command's module (:mod:`polytopo.cli.analyze`,
:mod:`polytopo.cli.layers` …) declares its command with them in ``add(subparsers)``, and
imports the API only in ``run(args)``, when that command runs.
"""

__all__ = [
    "add_domain",
    "add_limits",
    "add_json",
    "add_plot",
    "add_max_denominator",
    "add_run_limits",
    "add_assume",
    "positive_int",
    "seconds",
    "memory_size",
    "domain_from_args",
    "inputs_from_args",
    "slice_report",
    "require_positive",
    "make_executor",
    "shutdown_executor",
    "RICCI_CONVENTIONS",
]

import argparse

#: graphs of the Ricci flow coefficient, as in :data:`polytopo.analysis.curvature.CONVENTIONS`
#: (repeated so that declaring ``--ricci-convention`` does not import SciPy; a test keeps
#: the two equal)
RICCI_CONVENTIONS = ("symmetric", "directed")


# ---------------------------------------------------------------------------------------
# options shared by several commands
# ---------------------------------------------------------------------------------------
def add_domain(p):
    """``--box LO HI`` / ``--domain POLYTOPE.json`` / ``--through POINTS [--margin M]``, read
    by :func:`inputs_from_args` (docs/cli.md): the three are mutually exclusive, and
    ``--margin`` needs ``--through``.

    Examples
    --------
    >>> p = argparse.ArgumentParser()
    >>> add_domain(p)
    >>> p.parse_args(["--box", "0", "1/2"])
    Namespace(box=['0', '1/2'], domain=None, through=None, margin=None)
    """
    g = p.add_mutually_exclusive_group()
    g.add_argument("--box", nargs=2, metavar=("LO", "HI"), help="the domain [LO, HI]^d "
                   "(exact: integers, p/q or decimals; default -1 1)")
    g.add_argument("--domain", metavar="POLYTOPE.json", help='{"A": [[...]], "b": [...]} meaning '
                   'A x <= b, or a slice {"origin", "directions", "A", "b"} (A t <= b)')
    g.add_argument("--through", metavar="POINTS.npy|POINTS.json",
                   help="k+1 affinely independent input points: analyse the k-dimensional "
                        "slice they span (the simplex t >= 0, sum t <= 1, coordinates t)")
    p.add_argument("--margin", metavar="M",
                   help="with --through: widen the simplex to t >= -M, sum t <= 1 + M "
                        "(M >= 0, exact; default 0)")


def add_limits(p, *, jobs=True, time_limit=True, regions="there are more regions than N"):
    """``--max-regions N`` (exit status 3 when ``regions``), ``--jobs N``, ``--time-limit SECONDS``.

    Examples
    --------
    >>> p = argparse.ArgumentParser()
    >>> add_limits(p, jobs=False)
    >>> p.parse_args(["--max-regions", "100"])
    Namespace(max_regions=100, time_limit=None, max_memory=None)
    """
    p.add_argument("--max-regions", type=positive_int, metavar="N",
                   help=f"stop with exit status 3 when {regions}")
    if jobs:
        p.add_argument("--jobs", type=positive_int, default=1, metavar="N",
                       help="build in N worker processes (default 1); the result is identical")
    if time_limit:
        add_run_limits(p)


def positive_int(text):
    """An option's value that must be a positive integer (argparse ``type``).

    >>> positive_int("3")
    3
    >>> positive_int("0")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: must be a positive integer, got '0'
    """
    try:
        value = int(str(text).strip()) if str(text).strip().isascii() else 0
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a positive integer, got {text!r}")
    return value


def seconds(text):
    """``--time-limit``'s value: a positive, finite number of seconds (argparse ``type``)."""
    from ..runtime.budget import positive_seconds
    from ..exceptions import InputError

    try:
        return positive_seconds(text)
    except InputError:
        raise argparse.ArgumentTypeError(f"must be a positive number of seconds, got {text!r}") from None


def memory_size(text):
    """``--max-memory``'s value in bytes (argparse ``type``)."""
    from ..runtime.budget import parse_memory
    from ..exceptions import InputError

    try:
        return parse_memory(text)
    except InputError:
        raise argparse.ArgumentTypeError(f"must be a size such as 512M or 4G (at least 1M), "
                                         f"got {text!r}") from None


def add_run_limits(p):
    """``--time-limit SECONDS`` (counted from the start of the process) and ``--max-memory SIZE``:
    every command has both (:mod:`polytopo.runtime.budget` enforces them in every phase)."""
    p.add_argument("--time-limit", type=seconds, metavar="SECONDS",
                   help="stop with exit status 3 this many seconds after the start "
                        "(in every phase, within about a second)")
    p.add_argument("--max-memory", type=memory_size, metavar="SIZE",
                   help="stop with exit status 3 when the process needs more memory than "
                        "SIZE (e.g. 4G; default three quarters of the machine's memory)")


def add_assume(p):
    """``--assume linear-relu-chain``: what a bare PyTorch state dict means."""
    p.add_argument("--assume", choices=["linear-relu-chain"], metavar="ARCHITECTURE",
                   help="read a bare .pt/.pth state dict as this architecture (a state dict "
                        "does not say its activations): linear-relu-chain, Linear layers "
                        "with ReLU between them")


def add_strip_output_activation(p):
    """``--strip-output-activation``: drop a model file's final Softmax, LogSoftmax,
    Sigmoid or Tanh (the report says so) and analyse the logits."""
    p.add_argument("--strip-output-activation", action="store_true",
                   help="drop the final Softmax, LogSoftmax, Sigmoid or Tanh of an .onnx or "
                        ".pt2 model (said in the report) and analyse the logits")


def network_options(args):
    """The keyword arguments of :func:`polytopo.network.io.load_network` chosen on the
    command line (``--assume``, ``--strip-output-activation``)."""
    return {"assume": getattr(args, "assume", None),
            "strip_output_activation": bool(getattr(args, "strip_output_activation", False))}


def add_json(p, help="write the full report here", metavar="REPORT.json", **kwargs):
    """``--json FILE``: where the command writes its JSON output."""
    p.add_argument("--json", metavar=metavar, help=help, **kwargs)


def add_plot(p, what):
    """``--plot PICTURE.png``: where the command draws ``what``."""
    p.add_argument("--plot", metavar="PICTURE.png", help=f"draw {what}")


def add_max_denominator(p):
    """``--max-denominator Q``: how float weights (e.g. of a PyTorch state dict) are read."""
    p.add_argument("--max-denominator", type=int, metavar="Q",
                   help="round float weights to the nearest fraction with denominator <= Q "
                        "(default: exact binary values)")


def domain_from_args(args, dim):
    """The domain chosen by :func:`add_domain` for input dimension ``dim`` (default ``[-1, 1]^dim``).

    Raises
    ------
    InputError
        For a malformed ``--box`` or ``--domain`` (see :func:`polytopo.network.io.load_polytope`).

    Examples
    --------
    >>> domain_from_args(argparse.Namespace(box=["0", "1/2"], domain=None), 2).to_json()
    {'A': [[-1, 0], [1, 0], [0, -1], [0, 1]], 'b': [0, '1/2', 0, '1/2']}
    """
    from ..network import io

    if getattr(args, "domain", None):
        return io.load_polytope(args.domain, dim=dim)
    lo, hi = args.box if getattr(args, "box", None) else ("-1", "1")
    return io.box_domain(str(lo).strip(), str(hi).strip(), dim)


def inputs_from_args(args, network):
    """The network and domain a command analyses: ``(network, domain, slice)``.

    Without a slice, ``network`` as given, the domain of :func:`domain_from_args` and
    ``None``. On a slice (``--through POINTS [--margin M]``, or a slice ``--domain`` file),
    the network composed with the slice (:meth:`polytopo.geometry.slice.Slice.compose`:
    ``k`` inputs, whatever the network's input dimension), the slice's polytope ``P`` in
    slice coordinates, and the :class:`~polytopo.geometry.slice.Slice`. Every command
    that takes a domain calls this.

    Raises
    ------
    InputError
        One line naming the file and the field: a malformed ``--box``, ``--domain`` or
        points file, ``--margin`` without ``--through``, a slice of the wrong dimension.

    Examples
    --------
    >>> import json, os, tempfile
    >>> from polytopo.network.model import Network
    >>> d = tempfile.mkdtemp()
    >>> with open(os.path.join(d, "p.json"), "w") as fh:
    ...     json.dump([[0, 0, 0], [1, 0, 0], [0, 1, 0]], fh)
    >>> net = Network.from_lists([([[1, 1, 1]], [0]), ([[1]], [0])])
    >>> args = argparse.Namespace(box=None, domain=None, margin="1/2",
    ...                           through=os.path.join(d, "p.json"))
    >>> g, P, s = inputs_from_args(args, net)
    >>> g.input_dim, P.volume(), s.dim
    (2, Fraction(25, 8), 2)
    """
    from ..exceptions import InputError
    from ..geometry.exact import to_fraction
    from ..geometry.slice import Slice
    from ..network import io

    through = getattr(args, "through", None)
    margin = getattr(args, "margin", None)
    if through:
        m = to_fraction("0" if margin is None else str(margin).strip(), field="--margin")
        if m < 0:
            raise InputError(f"must be at least 0, got {margin}", field="--margin")
        s = Slice.through(io.load_points(through), m, dim=network.input_dim,
                          source=str(through))
    else:
        if margin is not None:
            raise InputError("--margin needs --through POINTS (it widens the simplex they "
                             "span)")
        if not getattr(args, "domain", None):
            return network, domain_from_args(args, network.input_dim), None
        s = io.load_domain(args.domain, dim=network.input_dim)
        if not isinstance(s, Slice):
            return network, s, None
    return s.compose(network), s.polytope, s


def slice_report(report, s):
    """``report`` with the slice it was computed on (``"coordinates": "slice"`` and
    ``"slice"``: :meth:`polytopo.geometry.slice.Slice.report_fields`); as it is when ``s``
    is ``None``.

    >>> from polytopo.geometry.slice import Slice
    >>> slice_report({"n_regions": 1}, Slice.through([[0], [2]]))["slice"]["directions"]
    [[2]]
    """
    if s is not None:
        report.update(s.report_fields())
    return report


def require_positive(args, *names):
    """Check that the options ``names`` (argparse destinations) are unset or at least 1.

    Raises
    ------
    InputError
        ``--NAME must be a positive integer``, for the first one that is not.

    Examples
    --------
    >>> require_positive(argparse.Namespace(max_denominator=0), "max_denominator")
    Traceback (most recent call last):
    ...
    polytopo.exceptions.InputError: --max-denominator must be a positive integer
    """
    from ..exceptions import InputError

    for name in names:
        value = getattr(args, name)
        if value is not None and value < 1:
            raise InputError(f"--{name.replace('_', '-')} must be a positive integer")


def make_executor(jobs):
    """The worker pool of ``--jobs N``: ``None`` (work in this process) for 1 or unset.

    Raises
    ------
    InputError
        For fewer than one process.

    Examples
    --------
    >>> make_executor(1) is None
    True
    >>> pool = make_executor(2); pool.max_workers
    2
    >>> pool.shutdown()
    """
    if jobs is not None and jobs < 1:
        from ..exceptions import InputError

        raise InputError(f"--jobs must be a positive number of processes, got {jobs}")
    if jobs is None or jobs == 1:
        return None
    from concurrent.futures import ProcessPoolExecutor

    pool = ProcessPoolExecutor(max_workers=jobs)
    pool.max_workers = jobs  # public: the engine splits the work into four tasks per worker
    return pool


def shutdown_executor(executor, *, abort):
    """Shut a worker pool of :func:`make_executor` down (``None``: nothing to do); after a
    limit or an interrupt (``abort``), drop the queued tasks (only the running ones, at
    most one per worker, are waited for)."""
    if executor is not None:
        executor.shutdown(wait=True, cancel_futures=abort)

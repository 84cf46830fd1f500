"""Command-line options shared by the ``polytopo`` commands, and the analysis commands' options.

Declaring options needs nothing but :mod:`argparse`, so this module imports nothing heavy:
building the parser (``polytopo --help``) does not import the analyses, and each command's
code is imported only when that command runs (:mod:`polytopo.cli`). Each common option is
declared here once; the analysis modules re-export their command's declaration
(``add_dual_graph_command`` …) next to the ``run_*`` function that runs it.
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
    "require_positive",
    "add_layers_command",
    "add_dual_graph_command",
    "add_track_command",
    "add_bounds_command",
    "add_analysis_commands",
    "parse_args",
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
    """``--box LO HI`` / ``--domain POLYTOPE.json``, read by :func:`domain_from_args` (SPEC §3).

    Examples
    --------
    >>> p = argparse.ArgumentParser()
    >>> add_domain(p)
    >>> p.parse_args(["--box", "0", "1/2"])
    Namespace(box=['0', '1/2'], domain=None)
    """
    g = p.add_mutually_exclusive_group()
    g.add_argument("--box", nargs=2, metavar=("LO", "HI"), help="the domain [LO, HI]^d "
                   "(exact: integers, p/q or decimals; default -1 1)")
    g.add_argument("--domain", metavar="POLYTOPE.json", help='{"A": [[...]], "b": [...]} meaning A x <= b')


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
    >>> domain_from_args(parse_args(["dual-graph", "net.json", "--box", "0", "1/2"]), 2).to_json()
    {'A': [[-1, 0], [1, 0], [0, -1], [0, 1]], 'b': [0, '1/2', 0, '1/2']}
    """
    from ..network import io

    if getattr(args, "domain", None):
        return io.load_polytope(args.domain, dim=dim)
    lo, hi = args.box if getattr(args, "box", None) else ("-1", "1")
    return io.box_domain(str(lo).strip(), str(hi).strip(), dim)


def require_positive(args, *names):
    """Check that the options ``names`` (argparse destinations) are unset or at least 1.

    Raises
    ------
    InputError
        ``--NAME must be a positive integer``, for the first one that is not.

    Examples
    --------
    >>> require_positive(parse_args(["track", "a.json", "--max-denominator", "0"]),
    ...                  "max_denominator")
    Traceback (most recent call last):
    ...
    polytopo.exceptions.InputError: --max-denominator must be a positive integer
    """
    from ..exceptions import InputError

    for name in names:
        value = getattr(args, name)
        if value is not None and value < 1:
            raise InputError(f"--{name.replace('_', '-')} must be a positive integer")


# ---------------------------------------------------------------------------------------
# the analysis commands (run by the run_* function of each analysis module)
# ---------------------------------------------------------------------------------------
def add_layers_command(subparsers):
    """Add ``polytopo layers NET DATA.npy [--labels y.npy] …`` to argparse subparsers.

    Returns the new subparser; :func:`polytopo.analysis.layers.run_layers` runs the parsed
    arguments.

    Examples
    --------
    >>> import argparse
    >>> parser = argparse.ArgumentParser(prog="polytopo")
    >>> _ = add_layers_command(parser.add_subparsers(dest="command"))
    >>> args = parser.parse_args(["layers", "net.json", "x.npy", "--k", "5"])
    >>> args.k, args.resolution, args.labels
    ('5', 16, None)
    """
    p = subparsers.add_parser(
        "layers", help="Betti numbers and Ricci curvature of a data set through the layers",
        description="Per-layer Betti numbers (cubical homology of the voxelised embedding, "
                    "exact over Z) and Ricci curvature of k-NN graphs, the decay of "
                    "topological complexity and the Ricci flow coefficient.")
    p.add_argument("network", help="network file (JSON, or .pt state dict)")
    p.add_argument("data", metavar="DATA.npy", help="data matrix, one row per point")
    p.add_argument("--labels", metavar="LABELS.npy", help="class labels, one per point")
    p.add_argument("--resolution", type=int, default=16,
                   help="cubes along the longest axis of each layer's grid (default 16)")
    p.add_argument("--threshold", type=int, default=1,
                   help="a cube is occupied with at least this many points (default 1)")
    p.add_argument("--max-dim", type=int, default=3,
                   help="project each layer onto at most this many principal axes (default 3)")
    p.add_argument("--k", default="10,50",
                   help="neighbours of the k-NN graphs, comma-separated scales (default 10,50)")
    p.add_argument("--ollivier", action="store_true",
                   help="also Ollivier-Ricci curvature at the first scale (slower)")
    p.add_argument("--no-output-layer", action="store_true",
                   help="leave out the output layer (Baptista et al.'s convention)")
    p.add_argument("--ricci-convention", choices=RICCI_CONVENTIONS, default="symmetric",
                   help="graphs of the Ricci flow coefficient: symmetric k-NN graphs over all "
                        "layers (default), or directed ones over the input and hidden layers "
                        "as in the paper's published analysis code")
    p.add_argument("--max-points", type=int, default=2000,
                   help="analyse a seeded random sample of at most N points (default 2000)")
    p.add_argument("--seed", type=int, default=0, help="seed of the sample (default 0)")
    add_json(p)
    add_plot(p, "the layers (png, svg, pdf)")
    return p


def add_dual_graph_command(subparsers):
    """Add ``polytopo dual-graph NETWORK …`` to argparse subparsers; return the subparser.

    :func:`polytopo.analysis.dual_graph.run_dual_graph` runs the parsed arguments.

    Examples
    --------
    >>> import argparse
    >>> parser = argparse.ArgumentParser(prog="polytopo")
    >>> _ = add_dual_graph_command(parser.add_subparsers(dest="command"))
    >>> args = parser.parse_args(["dual-graph", "net.json", "--weight", "measure"])
    >>> args.weight, args.json, args.graphml
    ('measure', None, None)
    """
    p = subparsers.add_parser(
        "dual-graph", help="dual graph of the regions, Fiedler partition, decision boundary",
        description="The dual graph of the activation regions (exact volumes and facet "
                    "measures), the Fiedler partition of its Laplacian (floating point) and "
                    "its agreement with the decision boundary f = 0.")
    p.add_argument("network", help="network file (JSON, or .pt state dict)")
    add_domain(p)
    p.add_argument("--weight", choices=["none", "measure"], default="none",
                   help="Laplacian edge weights: none (default) or the facet measure")
    add_json(p)
    p.add_argument("--graphml", metavar="OUT.graphml", help="write the graph as GraphML")
    add_plot(p, "the dual graph (2-input networks)")
    add_limits(p, jobs=False, time_limit=False)
    return p


def add_track_command(subparsers):
    """Add ``polytopo track [CHECKPOINT …] …`` to argparse subparsers; return the subparser.

    :func:`polytopo.analysis.training.run_track` runs the parsed arguments.

    Examples
    --------
    >>> import argparse
    >>> parser = argparse.ArgumentParser(prog="polytopo")
    >>> _ = add_track_command(parser.add_subparsers(dest="command"))
    >>> args = parser.parse_args(["track", "a.json", "b.pt", "--loss", "l.csv"])
    >>> args.checkpoints, args.loss, args.loss_column
    (['a.json', 'b.pt'], 'l.csv', 'loss')
    """
    p = subparsers.add_parser(
        "track", help="regions, f-vector and homology per training checkpoint",
        description="Analyse a sequence of checkpoints exactly (regions, f-vector, Euler "
                    "characteristic, homology of the complex and of the decision sets) and "
                    "set them against a loss column.")
    p.add_argument("checkpoints", nargs="*", metavar="CHECKPOINT",
                   help="network files in training order (JSON, or .pt state dicts); "
                        "omitted: the 'checkpoint' column of --loss, relative to its folder")
    p.add_argument("--loss", metavar="LOSSES.csv",
                   help="CSV with a header: a loss column, optionally 'checkpoint' (file "
                        "names) and 'epoch'/'step'")
    p.add_argument("--loss-column", default="loss", help="name of the loss column (loss)")
    p.add_argument("--x-column", help="x-axis column (default epoch, step or iteration)")
    add_domain(p)
    p.add_argument("--csv", metavar="TABLE.csv", help="write the table here")
    add_json(p)
    add_plot(p, "the dynamics (png, svg, pdf)")
    add_limits(p, jobs=False, time_limit=False, regions="a checkpoint has more regions than N")
    add_max_denominator(p)
    return p


def add_bounds_command(subparsers):
    """Add ``polytopo bounds ARCH …`` to argparse subparsers; return the subparser.

    :func:`polytopo.analysis.expressivity.run_bounds` runs the parsed arguments.

    Examples
    --------
    >>> import argparse
    >>> parser = argparse.ArgumentParser(prog="polytopo")
    >>> _ = add_bounds_command(parser.add_subparsers(dest="command"))
    >>> args = parser.parse_args(["bounds", "2-4-4-1", "--build", "1", "--out", "n.json"])
    >>> args.arch, args.build, args.out, args.verify
    ('2-4-4-1', 1, 'n.json', False)
    """
    p = subparsers.add_parser(
        "bounds", help="bounds on Betti numbers of decision regions of an architecture",
        description="Lower bounds (realised by explicit networks) and upper bounds on the "
                    "Betti numbers of the decision region {f <= 0} of ReLU networks of an "
                    "architecture; optionally build the network realising the lower bound.")
    p.add_argument("arch", metavar="ARCH", help="architecture n0-n1-...-nL-1, e.g. 2-4-4-1")
    p.add_argument("--build", type=int, metavar="K",
                   help="build the network realising the lower bound for beta_K")
    p.add_argument("--out", metavar="NETWORK.json", help="where --build writes the network")
    p.add_argument("--verify", action="store_true",
                   help="with --build: compute its homology exactly and compare")
    p.add_argument("--domain-facets", type=int, metavar="F",
                   help="facets of the domain in the upper bound (default 2*n0, a box)")
    add_json(p, help="write the bounds (and construction) here", metavar="OUT.json")
    add_limits(p, jobs=False, time_limit=False, regions="--verify meets more than N regions")
    return p


def add_analysis_commands(subparsers):
    """Add ``layers``, ``dual-graph``, ``track`` and ``bounds`` to argparse subparsers."""
    for add in (add_layers_command, add_dual_graph_command, add_track_command,
                add_bounds_command):
        add(subparsers)


def parse_args(argv):
    """Parse the command line ``argv`` of an analysis command, for examples and tests.

    The options are those of ``polytopo``; a ``run_*`` function of an analysis module runs
    the result, as the ``polytopo`` command does.

    Examples
    --------
    >>> parse_args(["bounds", "2-4-4-1", "--verify"]).verify
    True
    """
    parser = argparse.ArgumentParser(prog="polytopo")
    add_analysis_commands(parser.add_subparsers(dest="command", required=True))
    return parser.parse_args(argv)

"""``polytopo analyze``: the report of a network on a domain (docs/formats.md, Report)."""

__all__ = ["add", "run", "EXAMPLE"]

from .options import (add_domain, add_json, add_limits, add_plot, inputs_from_args,
                      network_options, slice_report)

#: the bundled network analysed when none is given (in ``polytopo/data``)
EXAMPLE = "example.json"


def add(subparsers):
    """Declare ``polytopo analyze [NETWORK] …``; return the subparser.

    Examples
    --------
    >>> import argparse
    >>> parser = argparse.ArgumentParser(prog="polytopo")
    >>> _ = add(parser.add_subparsers(dest="command"))
    >>> args = parser.parse_args(["analyze", "--layer", "2"])
    >>> args.network, args.layer, args.check_exactness
    (None, 2, 'auto')
    """
    a = subparsers.add_parser("analyze", help="the report of a network on a domain "
                              "(docs/formats.md, Report)")
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
    a.add_argument("--generators", action="store_true",
                   help="also compute an explicit basis of every homology group (integer "
                        "cycles with exact vertices, torsion with its order; every generator "
                        "checked) into the report's \"generators\" (docs/generators.md)")
    a.add_argument("--no-volumes", action="store_true",
                   help="skip the exact volume fractions (low-rank set, manifold, classes): "
                        "null in the report")
    add_limits(a)
    return a


def run(args):
    """Run ``polytopo analyze``: print the summary, write the report and the picture.

    Returns the exit status (0). Bad input raises
    :class:`~polytopo.exceptions.InputError`; a limit
    :class:`~polytopo.exceptions.LimitExceeded`.
    """
    from ..analysis import summary as report
    from ..exceptions import InputError
    from ..network import io
    from ..runtime import budget
    from ..runtime.progress import Progress
    from .options import make_executor, shutdown_executor

    if args.network:
        net, source = io.load_network(args.network, **network_options(args)), args.network
    else:
        from importlib import resources

        path = resources.files("polytopo") / "data" / EXAMPLE
        net = io.load_network(path)
        source = "bundled example (f = 1/4 - | |x|+|y| - 1/2 |, an annulus)"
        print(f"No network given: analysing the bundled example {EXAMPLE}.")
    full = net
    net, domain, sl = inputs_from_args(args, net)
    manifold = io.load_manifold(args.manifold, domain) if args.manifold else None
    if args.layer is not None:
        net.check_layer(args.layer, name="--layer")
    if args.threshold is not None and args.threshold < 0:
        raise InputError(f"--threshold must be non-negative, got {args.threshold}")

    bar = Progress("cell complex: " + ("neurons" if net.is_relu else "functions"),
                   total=net.n_hidden)
    after = Progress("analysis: stage")

    def stage(i, n, what):
        budget.phase(what)
        if i == 0:
            bar.close()
            after.total = n
        after.update(i + 1, what, always=True)

    executor, done = make_executor(args.jobs), False
    budget.phase("cell complex")
    try:
        rep = report.analyze(net, domain, max_regions=args.max_regions,
                             progress=lambda done, total, n: bar.update(done, f"{n} regions", total=total),
                             time_limit=args.time_limit, layer=args.layer,
                             threshold=args.threshold, manifold=manifold,
                             exactness=args.check_exactness, executor=executor,
                             stages=stage, **({"generators": True} if args.generators else {}),
                             **({"volumes": False} if args.no_volumes else {}))
        done = True
    finally:
        bar.close()
        after.close()
        shutdown_executor(executor, abort=not done)
    budget.phase("writing the outputs")
    slice_report(rep, sl)
    print(report.summary(rep, source=source))
    if sl is not None:
        print(f"  on {sl.describe()}; the report gives the embedding (\"slice\")")
    if args.plot:
        if sl is not None:
            from ..figures.points import plot_slice

            plot_slice(full, sl, args.plot)
        else:
            from ..figures.network_plot import plot_network

            plot_network(net, domain, args.plot)
        print(f"  picture written to {args.plot}")
    if args.json:
        io.write_json(args.json, rep)
        print(f"  report written to {args.json}")
    return 0

"""``polytopo plot``: draw the regions of a 1- or 2-input network."""

__all__ = ["add", "run"]

from .options import add_domain, add_limits, inputs_from_args, network_options


def add(subparsers):
    """Declare ``polytopo plot NETWORK --out PICTURE.png [--max-regions N] …``.

    Examples
    --------
    >>> import argparse
    >>> parser = argparse.ArgumentParser(prog="polytopo")
    >>> _ = add(parser.add_subparsers(dest="command"))
    >>> args = parser.parse_args(["plot", "net.json", "--out", "p.svg", "--max-regions", "9"])
    >>> args.out, args.max_regions
    ('p.svg', 9)
    """
    pl = subparsers.add_parser("plot", help="draw the regions of a 1- or 2-input network")
    pl.add_argument("network", help="network file")
    add_domain(pl)
    pl.add_argument("--out", metavar="PICTURE.png", required=True, help="the picture (png, svg, pdf)")
    pl.add_argument("--points", metavar="X.npy", help="data points to draw (one row per input "
                    "point; on a slice, projected orthogonally onto its plane)")
    pl.add_argument("--labels", metavar="y.npy", help="with --points: a label per point "
                    "(colours)")
    pl.add_argument("--generators", metavar="SET", nargs="?", const="auto",
                    help="draw the 1-cycles generating H_1 of a set (positive, negative, "
                         "zero, class_0, …, class_boundary, low_rank, pair, domain; "
                         "default: positive, or every class region), one colour each "
                         "(docs/generators.md)")
    add_limits(pl, jobs=False, time_limit=False)
    return pl


def run(args):
    """Run ``polytopo plot``: draw and write the picture; return the exit status (0)."""
    from ..figures.network_plot import plot_network
    from ..network import io

    from ..exceptions import InputError
    from ..runtime.outputs import save_figure

    full = io.load_network(args.network, **network_options(args))
    net, domain, sl = inputs_from_args(args, full)
    if args.labels and not args.points:
        raise InputError("--labels needs --points")
    pts = labels = None
    if args.points:
        from ..analysis.layers import load_data, load_labels

        X = load_data(args.points, full.input_dim)
        pts = [sl.coordinates(x.tolist()) for x in X] if sl is not None else X.tolist()
        labels = load_labels(args.labels, len(X)).tolist() if args.labels else None
    if sl is not None and args.generators:
        raise InputError("--generators draws on the network's own 2-input picture, not on "
                         "a slice")
    if sl is not None:
        from ..figures.points import plot_slice

        fig = plot_slice(full, sl, None, max_regions=args.max_regions)
    else:
        fig = plot_network(net, domain, None, max_regions=args.max_regions,
                           **({"generators": args.generators} if args.generators else {}))
    if pts is not None:
        from ..figures.points import mark_points

        if net.input_dim != 2:
            raise InputError("--points draws on 2-dimensional pictures (2 inputs, or a "
                             "2-dimensional slice)")
        mark_points(fig.axes[0], pts, labels, size=12)
    save_figure(fig, args.out, dpi=150)
    where = "" if sl is None else f" (on {sl.describe()})"
    print(f"picture written to {args.out}{where}")
    return 0

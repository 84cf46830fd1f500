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
    add_limits(pl, jobs=False, time_limit=False)
    return pl


def run(args):
    """Run ``polytopo plot``: draw and write the picture; return the exit status (0)."""
    from ..figures.network_plot import plot_network
    from ..network import io

    full = io.load_network(args.network, **network_options(args))
    net, domain, sl = inputs_from_args(args, full)
    if sl is not None:
        from ..figures.points import plot_slice

        plot_slice(full, sl, args.out, max_regions=args.max_regions)
    else:
        plot_network(net, domain, args.out, max_regions=args.max_regions)
    print(f"picture written to {args.out}")
    return 0

"""``polytopo convert``: write a network (e.g. a PyTorch state dict) as polytopo JSON
(docs/formats.md, Network)."""

__all__ = ["add", "run"]

from .options import add_max_denominator, network_options, require_positive


def add(subparsers):
    """Declare ``polytopo convert NETWORK --out NETWORK.json [--max-denominator Q]``.

    Examples
    --------
    >>> import argparse
    >>> parser = argparse.ArgumentParser(prog="polytopo")
    >>> _ = add(parser.add_subparsers(dest="command"))
    >>> args = parser.parse_args(["convert", "net.pt", "--out", "net.json"])
    >>> args.out, args.max_denominator
    ('net.json', None)
    """
    cv = subparsers.add_parser("convert", help="write a network (e.g. a PyTorch state dict) "
                               "as polytopo JSON")
    cv.add_argument("network", help="network file (.pt/.pth state dict, or JSON)")
    cv.add_argument("--out", metavar="NETWORK.json", required=True)
    add_max_denominator(cv)
    return cv


def run(args):
    """Run ``polytopo convert``: read the network, write its JSON; return 0."""
    from ..network import io

    require_positive(args, "max_denominator")
    net = io.load_network(args.network, max_denominator=args.max_denominator,
                          **network_options(args))
    io.write_json(args.out, net.to_json())
    print(f"{net!r} written to {args.out}")
    return 0

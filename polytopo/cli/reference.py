"""``polytopo reference``: exact reference answers (schema ``polytopo.reference/1``,
docs/reference.md)."""

__all__ = ["add", "run"]

from .options import add_domain, add_json, add_limits, inputs_from_args, network_options, slice_report


def add(subparsers):
    """Declare ``polytopo reference NETWORK --json REFERENCE.json [--max-regions N] …``.

    Examples
    --------
    >>> import argparse
    >>> parser = argparse.ArgumentParser(prog="polytopo")
    >>> _ = add(parser.add_subparsers(dest="command"))
    >>> args = parser.parse_args(["reference", "net.json", "--json", "ref.json"])
    >>> args.json, args.max_regions
    ('ref.json', None)
    """
    rf = subparsers.add_parser("reference", help="exact reference answers "
                               "(schema polytopo.reference/1)")
    rf.add_argument("network", help="network file")
    add_domain(rf)
    add_json(rf, help="write the reference answers here", metavar="REFERENCE.json",
             required=True)
    add_limits(rf, jobs=False, time_limit=False)
    return rf


def run(args):
    """Run ``polytopo reference``: write the reference answers; return 0."""
    from ..analysis.reference import reference
    from ..network import io

    net, domain, sl = inputs_from_args(args, io.load_network(args.network, **network_options(args)))
    ref = slice_report(reference(net, domain, max_regions=args.max_regions), sl)
    io.write_json(args.json, ref)
    where = "" if sl is None else f" on {sl.describe()}"
    print(f"reference ({ref['n_regions']} regions{where}, schema {ref['schema']}) written to "
          f"{args.json}")
    return 0

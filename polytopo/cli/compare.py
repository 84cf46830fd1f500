"""``polytopo compare``: check a tool's region list against a reference (docs/reference.md)."""

__all__ = ["add", "run"]

from .options import add_json


def add(subparsers):
    """Declare ``polytopo compare REFERENCE.json TOOL.json [--json RESULT.json]``.

    Examples
    --------
    >>> import argparse
    >>> parser = argparse.ArgumentParser(prog="polytopo")
    >>> _ = add(parser.add_subparsers(dest="command"))
    >>> args = parser.parse_args(["compare", "ref.json", "tool.json"])
    >>> args.reference, args.tool, args.json
    ('ref.json', 'tool.json', None)
    """
    cp = subparsers.add_parser("compare", help="check a tool's region list against a reference")
    cp.add_argument("reference", help="a file written by 'polytopo reference'")
    cp.add_argument("tool", help="the tool's regions: a JSON list of {pattern, point, inequalities}")
    add_json(cp, help="write the comparison here", metavar="RESULT.json")
    return cp


def run(args):
    """Run ``polytopo compare``; return 0 when the tool agrees with the reference, else 1."""
    from ..analysis.reference import SCHEMA, compare, load_tool_regions
    from ..exceptions import InputError
    from ..network import io

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

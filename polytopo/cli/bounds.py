"""``polytopo bounds``: bounds on the Betti numbers of decision regions of an architecture
(docs/expressivity.md)."""

__all__ = ["add", "run"]

from .options import add_json, add_limits


def add(subparsers):
    """Declare ``polytopo bounds ARCH …``; return the subparser.

    Examples
    --------
    >>> import argparse
    >>> parser = argparse.ArgumentParser(prog="polytopo")
    >>> _ = add(parser.add_subparsers(dest="command"))
    >>> args = parser.parse_args(["bounds", "2-4-4-1", "--build", "1", "--out", "n.json"])
    >>> args.arch, args.build, args.out, args.verify, args.construction
    ('2-4-4-1', 1, 'n.json', False, 'polytopo')
    >>> args = parser.parse_args(["bounds", "3-12-8-1", "--build", "2", "--construction",
    ...                           "paper", "--carve", "2,2", "--verify"])
    >>> args.construction, args.carve
    ('paper', '2,2')
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
    p.add_argument("--construction", choices=("polytopo", "paper"), default="polytopo",
                   help="with --build: polytopo's folding construction (default) or the "
                        "paper's (Ergen & Grillo, Theorem 13: folding layers, then a carving "
                        "layer)")
    p.add_argument("--carve", metavar="W1,...",
                   help="with --construction paper: the carving numbers w_1,...,w_(n0-1), "
                        "sum(w_k + 2) = last hidden width (default: all but w_K are 1)")
    p.add_argument("--domain-facets", type=int, metavar="F",
                   help="facets of the domain in the upper bound (default 2*n0, a box)")
    add_json(p, help="write the bounds (and construction) here", metavar="OUT.json")
    add_limits(p, jobs=False, time_limit=False, regions="--verify meets more than N regions")
    return p


def run(args):
    """Run ``polytopo bounds`` from parsed arguments; return the exit status.

    0, or 1 when ``--verify`` finds a disagreement (which would be a bug). With
    ``--construction paper`` the network built is Theorem 13's of Ergen and Grillo
    (:func:`polytopo.analysis.expressivity.paper_construction`); an architecture it does
    not cover, or a bad ``--carve``, is bad input (status 2).

    Examples
    --------
    >>> from polytopo.cli.app import parse_args
    >>> run(parse_args(["bounds", "1-2-2-1"]))
    architecture 1-2-2-1: input dimension 1, hidden widths 2, 2, scalar output
      activation regions: at most 9
    ...
    0
    """
    from ..analysis.expressivity import (bounds_report, construction, paper_construction,
                                         parse_architecture, verify_construction)
    from ..exceptions import InputError
    from ..network import io

    a = parse_architecture(args.arch)
    construction_name = getattr(args, "construction", "polytopo")
    carve = getattr(args, "carve", None)
    if args.out and args.build is None:
        raise InputError("--out needs --build K")
    if args.verify and args.build is None:
        raise InputError("--verify needs --build K")
    if construction_name != "polytopo" and args.build is None:
        raise InputError("--construction needs --build K")
    if carve is not None:
        if construction_name != "paper":
            raise InputError("--carve needs --construction paper")
        try:
            carve = tuple(int(t) for t in carve.split(","))
        except ValueError:
            raise InputError(f"--carve must be n0 - 1 integers like 2,2, got {carve!r}") from None
    if args.build is not None and not args.out and not args.verify and not args.json:
        raise InputError("--build needs --out NETWORK.json (or --verify, --json)")
    c = None
    if args.build is not None and construction_name == "paper":   # bad input before output
        c = paper_construction(a, args.build, carve=carve)
    rep = bounds_report(a, domain_facets=args.domain_facets)
    widths = ", ".join(map(str, a[1:-1])) or "none"
    print(f"architecture {'-'.join(map(str, a))}: input dimension {a[0]}, hidden widths "
          f"{widths}, scalar output")
    print(f"  activation regions: at most {rep['max_regions']}")
    print(f"  Serra et al.'s region bound R (in Proposition 18 of Ergen & Grillo): "
          f"{rep['regions_prop18']}")
    print(f"  Betti numbers of the decision region {{f <= 0}} (domain with "
          f"{rep['domain_facets']} facets):")
    print(f"  {'k':>3}  {'lower (realised)':>18}  {'upper':>14}  {'Prop. 18':>14}  construction")
    for r in rep["betti"]:
        con = r["construction"]
        how = (f"fold {con['q']} coordinate(s) into {con['pieces']} pieces, {con['kind']}"
               if con else ("beta_k = 0 in R^n0" if r["k"] >= a[0] else "none"))
        print(f"  {r['k']:>3}  {r['lower']:>18}  {r['upper']:>14}  {r['upper_prop18']:>14}  {how}")
    paper = [r for r in rep["betti"] if r["paper"]]
    if paper:
        print("  the paper's network (Theorem 13, --construction paper) realises: " +
              ", ".join(f"beta_{r['k']} = {r['paper']['value']} (M = {r['paper']['M']}, "
                        f"w = {','.join(map(str, r['paper']['carve']))})" for r in paper))
    status = 0
    if args.build is not None:
        if c is None:
            c = construction(a, args.build)
            print(f"  construction for beta_{c.k}: {c!r} on [0, 1]^{a[0]}")
        else:
            print(f"  the paper's construction for beta_{c.k} (Ergen & Grillo, Theorem 13): "
                  f"{c!r} on [0, 1]^{a[0]}")
            print(f"    folding layers h^(1,m,{a[0]}), m = {', '.join(map(str, c.folds))}: "
                  f"M = {c.M}; carving layer, w = {', '.join(map(str, c.carve))}; "
                  f"offset b = {c.offset}")
            for reading, label in (("printed", "as printed"), ("proof", "by its proof"),
                                   ("corrected", "corrected (floor(w_k/2) shells)")):
                vals = ", ".join("undefined" if v is None else str(v)
                                 for v in c.theorem13[reading])
                print(f"    Theorem 13 {label}: beta_0..beta_{a[0] - 1} = [{vals}]")
        rep["construction"] = c.to_json()
        for which in ("negative", "positive", "zero"):
            print(f"    expected Betti numbers of {which}: {c.betti[which]}")
        if args.out:
            io.write_json(args.out, c.network.to_json())
            print(f"  network written to {args.out}; check it with: polytopo analyze "
                  f"{args.out} --box 0 1")
        if args.verify:
            v = verify_construction(c, max_regions=args.max_regions)
            rep["verification"] = v
            for which in ("negative", "positive", "zero"):
                print(f"    computed (exact, over Z) for {which}: {v['computed'][which]}")
            print("  the exact homology agrees with the construction" if v["agrees"] else
                  "  the exact homology DISAGREES with the construction")
            status = 0 if v["agrees"] else 1
    if args.json:
        io.write_json(args.json, rep)
        print(f"  bounds written to {args.json}")
    return status

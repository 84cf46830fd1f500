"""``polytopo verify``: exact output ranges, Lipschitz constants and VNN-LIB verdicts (docs/verify.md)."""

__all__ = ["add", "run"]

from .options import add_domain, add_limits, inputs_from_args, network_options


def add(subparsers):
    """Declare ``polytopo verify NETWORK [domain] [--property P.vnnlib] [--json REPORT.json]``.

    Examples
    --------
    >>> import argparse
    >>> parser = argparse.ArgumentParser(prog="polytopo")
    >>> _ = add(parser.add_subparsers(dest="command"))
    >>> args = parser.parse_args(["verify", "net.json", "--property", "p.vnnlib", "--out", "r.json"])
    >>> args.property, args.json, args.box
    ('p.vnnlib', 'r.json', None)
    """
    v = subparsers.add_parser("verify", help="exact output ranges, Lipschitz constants and "
                              "VNN-LIB property verdicts (docs/verify.md)")
    v.add_argument("network", help="network file (JSON, ONNX, .pt2, or .pt state dict)")
    add_domain(v)
    v.add_argument("--property", metavar="P.vnnlib",
                   help="a VNN-LIB property (the unsafe condition, as in VNN-COMP): the first "
                        "line of stdout is sat or unsat; its input bounds are the domain, "
                        "intersected with --box/--domain/--through when given")
    v.add_argument("--json", "--out", dest="json", metavar="REPORT.json",
                   help="write the full report here (exact; docs/verify.md)")
    add_limits(v)
    return v


def _given_domain(args):
    return any(getattr(args, k, None) for k in ("box", "domain", "through"))


def run(args):
    """Run ``polytopo verify``: print the verdict and a summary, write the report.

    Returns the exit status (0, for ``sat`` and ``unsat`` alike). Bad input raises
    :class:`~polytopo.exceptions.InputError`; a limit
    :class:`~polytopo.exceptions.LimitExceeded`.
    """
    from ..analysis.verify import verify_report
    from ..network import io
    from ..network.vnnlib import load_vnnlib
    from ..runtime import budget
    from ..runtime.progress import Progress
    from .options import make_executor, shutdown_executor

    net = io.load_network(args.network, **network_options(args))
    prop = load_vnnlib(args.property) if args.property else None
    if prop is not None:
        prop.check_network(net)
    sl = domain = None
    if prop is None or _given_domain(args):
        _, domain, sl = inputs_from_args(args, net)
        if sl is not None:
            domain = None
    bar = Progress("cell complex: " + ("neurons" if net.is_relu else "functions"),
                   total=net.n_hidden)
    executor, done = make_executor(args.jobs), False
    budget.phase("cell complex")
    try:
        rep = verify_report(net, domain, prop=prop, slice_=sl, max_regions=args.max_regions,
                            executor=executor, time_limit=args.time_limit,
                            progress=lambda d, total, n: bar.update(d, f"{n} regions",
                                                                    total=total))
        done = True
    finally:
        bar.close()
        shutdown_executor(executor, abort=not done)
    budget.phase("writing the outputs")
    print("\n".join(_summary(rep, args.network)))
    if args.json:
        io.write_json(args.json, rep)
        print(f"  report written to {args.json}")
    return 0


def _summary(rep, source):
    lines = []
    prop = rep.get("property")
    if prop is not None:
        lines.append(prop["verdict"])
    lines.append(f"polytopo {rep['polytopo_version']}: {source}, architecture "
                 f"{'-'.join(map(str, rep['architecture']))}, exact rational arithmetic")
    if rep.get("note"):
        lines.append(f"  note: {rep['note']}")
    if rep["coordinates"] == "slice":
        lines.append("  on a slice x = p0 + U t (points and Lipschitz constants in "
                     "coordinates t; the report gives the slice)")
    if "n_regions" in rep:
        lines.append(f"  activation regions: {rep['n_regions']}, vertices: {rep['n_vertices']}")
        for r in rep["output_range"]:
            lines.append(f"  output {r['output']}: range [{r['min']}, {r['max']}]  "
                         f"argmin {_pt(r['argmin'])}  argmax {_pt(r['argmax'])}")
        L = rep["lipschitz"]
        for name in ("linf", "l1"):
            lines.append(f"  Lipschitz {name}: {L[name]['value']} (region "
                         f"{L[name]['region']['index']}, pattern {L[name]['region']['pattern']})")
        l2 = L["l2_squared"]
        if l2["exact"]:
            lines.append(f"  Lipschitz l2 squared: {l2['value']} (region "
                         f"{l2['region']['index']})")
        else:
            lines.append(f"  Lipschitz l2 squared: between {l2['lower']} and {l2['upper']} "
                         f"(exact bounds)")
    if prop is not None:
        if prop["verdict"] == "sat":
            lines.append(f"  property {prop['source']}: sat (the unsafe condition holds), "
                         f"conjunction {prop['disjunct']}")
            lines.append(f"  witness x = {_pt(prop['witness'])}")
            lines.append(f"  f(x) = {_pt(prop['output'])}")
        else:
            lines.append(f"  property {prop['source']}: unsat (the property holds)")
        lines.append(f"  how: {prop['how']}")
    return lines


def _pt(p, limit=8):
    body = ", ".join(str(v) for v in p[:limit])
    return f"({body}{', …' if len(p) > limit else ''})"

"""``polytopo regions``: every activation region, exactly (docs/formats.md, Regions file)."""

__all__ = ["add", "run"]

from .options import add_domain, add_json, add_limits, inputs_from_args, network_options


def add(subparsers):
    """Declare ``polytopo regions NETWORK (--json OUT.json | --jsonl OUT.jsonl) …``.

    Examples
    --------
    >>> import argparse
    >>> parser = argparse.ArgumentParser(prog="polytopo")
    >>> _ = add(parser.add_subparsers(dest="command"))
    >>> args = parser.parse_args(["regions", "net.json", "--jsonl", "r.jsonl", "--engine", "lp"])
    >>> args.jsonl, args.json, args.engine, args.jobs
    ('r.jsonl', None, 'lp', 1)
    """
    r = subparsers.add_parser("regions", help="every activation region, exactly")
    r.add_argument("network", help="network file (JSON, or .pt state dict)")
    add_domain(r)
    out = r.add_mutually_exclusive_group(required=True)
    add_json(out, help="write the regions here", metavar="OUT.json")
    out.add_argument("--jsonl", metavar="OUT.jsonl", help="stream the regions as JSON lines "
                     "(a header, one region per line, a closing count): with --engine lp the "
                     "output need not fit in memory")
    r.add_argument("--no-volumes", action="store_true", help="skip exact volumes")
    r.add_argument("--engine", choices=["complex", "lp"], default="complex",
                   help="complex: read off the exact cell complex (fast, default); lp: the "
                        "reference traversal with one exact LP per undecided cut")
    add_limits(r)
    return r


def write_jsonl(path, lines):
    """Write the lines of :func:`polytopo.analysis.summary.regions_jsonl` to ``path`` as
    they come (the file appears only when complete); return the number of regions."""
    from ..runtime.outputs import atomic_writer

    n = 0
    with atomic_writer(path) as fh:
        for line in lines:
            fh.write(line)
            n += 1
    return n - 2  # the header and the closing count


def run(args):
    """Run ``polytopo regions``: write the regions file; return the exit status (0)."""
    from ..analysis import summary as report
    from ..network import io
    from ..runtime import budget
    from ..runtime.progress import Progress
    from .options import make_executor, shutdown_executor

    net, domain, sl = inputs_from_args(args, io.load_network(args.network,
                                                             **network_options(args)))
    executor = make_executor(args.jobs)
    if args.engine == "lp":
        bar = Progress("regions: layer", total=len(net.widths))
        progress = lambda layer, n: bar.update(layer, f"{n} regions")  # noqa: E731
    else:
        bar = Progress("cell complex: " + ("neurons" if net.is_relu else "functions"),
                       total=net.n_hidden)
        progress = lambda done, total, n: bar.update(done, f"{n} regions", total=total)  # noqa: E731
    options = dict(engine=args.engine, volumes=not args.no_volumes, executor=executor,
                   max_regions=args.max_regions, progress=progress, time_limit=args.time_limit,
                   slice_=sl)
    done = False
    budget.phase("regions")
    try:
        if args.jsonl:
            n = write_jsonl(args.jsonl, report.regions_jsonl(net, domain, **options))
            target = args.jsonl
        else:
            rep = report.regions_report(net, domain, **options)
            io.write_json(args.json, rep)
            n, target = rep["n_regions"], args.json
        done = True
    finally:
        bar.close()
        shutdown_executor(executor, abort=not done)
    where = "" if sl is None else f" (on {sl.describe()})"
    print(f"{n} regions written to {target}{where}")
    return 0

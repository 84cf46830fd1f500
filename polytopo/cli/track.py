"""``polytopo track``: regions, f-vector and homology per training checkpoint
(docs/training.md)."""

__all__ = ["add", "run", "table_text"]

from .options import (add_domain, add_json, add_limits, add_max_denominator, add_plot,
                      inputs_from_args, network_options, require_positive, slice_report)


def add(subparsers):
    """Declare ``polytopo track [CHECKPOINT …] …``; return the subparser.

    Examples
    --------
    >>> import argparse
    >>> parser = argparse.ArgumentParser(prog="polytopo")
    >>> _ = add(parser.add_subparsers(dest="command"))
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


def run(args):
    """Run ``polytopo track`` from parsed arguments; return the exit status (0).

    Examples
    --------
    >>> import os, tempfile
    >>> from polytopo.cli.app import parse_args
    >>> from polytopo.network import Network, io
    >>> d = tempfile.mkdtemp()
    >>> for i, b in enumerate([1, -1]):
    ...     io.write_json(os.path.join(d, f"c{i}.json"),
    ...                   Network.from_lists([([[1], [-1]], [0, 0]), ([[1, 1]], [b])]).to_json())
    >>> _ = open(os.path.join(d, "l.csv"), "w").write("checkpoint,step,loss\\nc0.json,0,1\\nc1.json,9,0.5\\n")
    >>> run(parse_args(["track", "--loss", os.path.join(d, "l.csv"), "--box", "-2", "2"]))
    tracking 2 checkpoints on the domain (exact rational arithmetic, homology over Z)
      checkpoint  step  loss  regions  f-vector  b(f>=0)  b(f<=0)  b(f=0)
      c0.json        0     1        2    [3, 2]   [1, 0]   [0, 0]  [0, 0]
      c1.json        9   0.5        2    [3, 2]   [2, 0]   [1, 0]  [2, 0]
    0
    """
    from pathlib import Path

    from ..analysis.training import match_losses, read_loss_table, track, track_csv
    from ..exceptions import InputError
    from ..network import io
    from ..runtime.progress import Progress

    require_positive(args, "max_regions", "max_denominator")
    table = read_loss_table(args.loss, loss_column=args.loss_column,
                            x_column=args.x_column) if args.loss else None
    checkpoints = list(args.checkpoints)
    if not checkpoints:
        if table is None or table["checkpoint"] is None:
            raise InputError("give checkpoint files, or --loss LOSSES.csv with a "
                             "'checkpoint' column")
        base = Path(args.loss).parent
        checkpoints = [str(base / name) for name in table["checkpoint"]]
    losses = x = None
    if table is not None:
        losses, x = match_losses(table, checkpoints)
    first = io.load_network(checkpoints[0], max_denominator=args.max_denominator,
                            **network_options(args))
    _, domain, sl = inputs_from_args(args, first)
    names = None
    if sl is not None:   # every checkpoint on the slice
        names = [str(c) for c in checkpoints]
        checkpoints = [sl.compose(io.load_network(c, max_denominator=args.max_denominator,
                                                  **network_options(args)))
                       for c in checkpoints]
    bar = Progress("checkpoints", total=len(checkpoints))
    try:
        rep = track(checkpoints, domain, names=names, losses=losses, x=x,
                    x_name=table["x_name"] if table else None, max_regions=args.max_regions,
                    max_denominator=args.max_denominator, **network_options(args),
                    progress=lambda i, n, name: bar.update(i, Path(name).name))
    finally:
        bar.close()
    slice_report(rep, sl)
    where = "the domain" if sl is None else sl.describe()
    print(f"tracking {len(checkpoints)} checkpoints on {where} (exact rational "
          f"arithmetic, homology over Z)")
    print(table_text(rep))
    if args.csv:
        io.write_text(args.csv, track_csv(rep))
        print(f"  table written to {args.csv}")
    if args.json:
        io.write_json(args.json, rep)
        print(f"  report written to {args.json}")
    if args.plot:
        from ..figures.training import plot_track

        plot_track(rep, args.plot)
        print(f"  picture written to {args.plot}")
    return 0


def table_text(rep):
    """The terminal table of a :func:`polytopo.analysis.training.track` report: one row
    per checkpoint (name, x, loss, regions, f-vector, Betti numbers of the decision sets,
    or of the class regions and their boundary), columns aligned."""
    cps = rep["checkpoints"]
    xname = rep.get("x_name")
    head = ["checkpoint"] + ([xname] if xname else []) + (["loss"] if "loss" in cps[0] else [])
    head += ["regions", "f-vector"]
    sets = [s for s in ("positive", "negative", "zero") if s in cps[0]["homology"]]
    names = {"positive": "b(f>=0)", "negative": "b(f<=0)", "zero": "b(f=0)"}
    head += [names[s] for s in sets]
    n_classes = len(cps[0].get("classes", ()))
    head += [f"b(class {i})" for i in range(n_classes)] + (["b(boundary)"] if n_classes else [])
    body = []
    for c in cps:
        row = [c["name"]]
        if xname:
            row.append(f"{c['x']:g}")
        if "loss" in c:
            row.append(f"{c['loss']:.4g}")
        row += [str(c["n_regions"]), str(c["f_vector"])]
        row += [str([e["rank"] for e in c["homology"][s]]) for s in sets]
        if n_classes:
            row += [str([e["rank"] for e in cl["homology"]]) for cl in c["classes"]]
            row.append(str([e["rank"] for e in c["class_boundary"]["homology"]]))
        body.append(row)
    widths = [max(len(r[i]) for r in [head] + body) for i in range(len(head))]
    lines = []
    for r in [head] + body:
        cells = [r[0].ljust(widths[0])] + [v.rjust(w) for v, w in zip(r[1:], widths[1:])]
        lines.append("  " + "  ".join(cells).rstrip())
    return "\n".join(lines)

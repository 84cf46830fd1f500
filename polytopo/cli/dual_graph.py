"""``polytopo dual-graph``: the dual graph of the regions, its Fiedler partition and the
decision boundary (docs/dual-graph.md)."""

__all__ = ["add", "run"]

from .options import (add_domain, add_json, add_limits, add_plot, inputs_from_args,
                      network_options, require_positive, slice_report)


def add(subparsers):
    """Declare ``polytopo dual-graph NETWORK …``; return the subparser.

    Examples
    --------
    >>> import argparse
    >>> parser = argparse.ArgumentParser(prog="polytopo")
    >>> _ = add(parser.add_subparsers(dest="command"))
    >>> args = parser.parse_args(["dual-graph", "net.json", "--weight", "measure"])
    >>> args.weight, args.json, args.graphml
    ('measure', None, None)
    """
    p = subparsers.add_parser(
        "dual-graph", help="dual graph of the regions, Fiedler partition, decision boundary",
        description="The dual graph of the activation regions (exact volumes and facet "
                    "measures), the Fiedler partition of its Laplacian (floating point) and "
                    "its agreement with the decision boundary f = 0.")
    p.add_argument("network", help="network file (JSON, or .pt state dict)")
    add_domain(p)
    p.add_argument("--weight", choices=["none", "measure"], default="none",
                   help="Laplacian edge weights: none (default) or the facet measure")
    add_json(p)
    p.add_argument("--graphml", metavar="OUT.graphml", help="write the graph as GraphML")
    add_plot(p, "the dual graph (2-input networks)")
    add_limits(p, jobs=False, time_limit=False)
    return p


def run(args):
    """Run ``polytopo dual-graph`` from parsed arguments; return the exit status (0).

    Examples
    --------
    >>> import os, tempfile
    >>> from polytopo.cli.app import parse_args
    >>> from polytopo.network import Network, io
    >>> d = tempfile.mkdtemp()
    >>> io.write_json(os.path.join(d, "net.json"), Network.from_lists(
    ...     [([[1, 0], [0, 1]], [0, 0]), ([[1, -1]], [0])]).to_json())
    >>> run(parse_args(["dual-graph", os.path.join(d, "net.json"),
    ...                 "--json", os.path.join(d, "g.json")]))
    dual graph of Network(2-2-1) on the domain: 4 regions, 4 shared facets (exact)
    ...
    0
    """
    from fractions import Fraction

    from ..analysis.dual_graph import (dual_graph, dual_graph_report, fiedler_partition,
                                       graph_to_graphml)
    from ..exceptions import InputError
    from ..network import io
    from ..runtime.progress import Progress

    net, domain, sl = inputs_from_args(args, io.load_network(args.network,
                                                             **network_options(args)))
    weight = None if args.weight == "none" else "measure"
    require_positive(args, "max_regions")
    if args.plot and net.input_dim != 2:
        raise InputError(f"--plot: pictures are for 2-input networks (this one has "
                         f"{net.input_dim} inputs)")
    bar = Progress("cell complex: " + ("neurons" if net.is_relu else "functions"),
                   total=net.n_hidden)
    try:
        G = dual_graph(net, domain, max_regions=args.max_regions,
                       progress=lambda done, total, n: bar.update(done, f"{n} regions", total=total))
    finally:
        bar.close()
    P = fiedler_partition(G, weight=weight) if G.number_of_nodes() >= 2 else None
    rep = slice_report(dual_graph_report(net, domain, weight=weight, graph=G, partition=P), sl)
    where = "the domain" if sl is None else sl.describe()
    print(f"dual graph of {net!r} on {where}: {rep['n_regions']} regions, "
          f"{rep['n_edges']} shared facets (exact)")
    if P is None:
        print("  one region: no Fiedler partition")
    else:
        n1 = sum(P.sides)
        print(f"  Fiedler partition (float64 eigensolver, weight {args.weight}): "
              f"lambda2 = {P.algebraic_connectivity:.6g}, sides of {len(P.sides) - n1} and "
              f"{n1} regions" + ("" if P.multiplicity == 1 else
                                 f"; lambda2 has multiplicity {P.multiplicity}, so the "
                                 f"partition is not unique"))
        if "agreement" in rep:
            a = rep["agreement"]
            print(f"  decision boundary f = 0 crosses {a['n_boundary']} dual edges; the "
                  f"Fiedler cut cuts {a['n_cut']}, {a['n_cut_on_boundary']} of them on the "
                  f"boundary")
            print(f"  agreement (Jaccard of boundary and cut edges) = {a['score']} "
                  f"≈ {float(Fraction(a['score'])):.3f}")
    if args.json:
        io.write_json(args.json, rep)
        print(f"  report written to {args.json}")
    if args.graphml:
        io.write_text(args.graphml, graph_to_graphml(G, P))
        print(f"  GraphML written to {args.graphml}")
    if args.plot:
        from ..figures.dual_graph import plot_dual_graph

        plot_dual_graph(net, domain, args.plot, graph=G, partition=P)
        print(f"  picture written to {args.plot}")
    return 0

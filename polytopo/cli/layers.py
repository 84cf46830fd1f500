"""``polytopo layers``: Betti numbers and Ricci curvature of a data set through the layers
of a network (docs/layers.md)."""

__all__ = ["add", "run"]

from .options import RICCI_CONVENTIONS, add_json, add_plot, network_options, require_positive


def add(subparsers):
    """Declare ``polytopo layers NET DATA.npy [--labels y.npy] …``; return the subparser.

    Examples
    --------
    >>> import argparse
    >>> parser = argparse.ArgumentParser(prog="polytopo")
    >>> _ = add(parser.add_subparsers(dest="command"))
    >>> args = parser.parse_args(["layers", "net.json", "x.npy", "--k", "5"])
    >>> args.k, args.resolution, args.labels
    ('5', 16, None)
    """
    p = subparsers.add_parser(
        "layers", help="Betti numbers and Ricci curvature of a data set through the layers",
        description="Per-layer Betti numbers (cubical homology of the voxelised embedding, "
                    "exact over Z) and Ricci curvature of k-NN graphs, the decay of "
                    "topological complexity and the Ricci flow coefficient.")
    p.add_argument("network", help="network file (JSON, or .pt state dict)")
    p.add_argument("data", metavar="DATA.npy", help="data matrix, one row per point")
    p.add_argument("--labels", metavar="LABELS.npy", help="class labels, one per point")
    p.add_argument("--resolution", type=int, default=16,
                   help="cubes along the longest axis of each layer's grid (default 16)")
    p.add_argument("--threshold", type=int, default=1,
                   help="a cube is occupied with at least this many points (default 1)")
    p.add_argument("--max-dim", type=int, default=3,
                   help="project each layer onto at most this many principal axes (default 3)")
    p.add_argument("--k", default="10,50",
                   help="neighbours of the k-NN graphs, comma-separated scales (default 10,50)")
    p.add_argument("--ollivier", action="store_true",
                   help="also Ollivier-Ricci curvature at the first scale (slower)")
    p.add_argument("--no-output-layer", action="store_true",
                   help="leave out the output layer (Baptista et al.'s convention)")
    p.add_argument("--ricci-convention", choices=RICCI_CONVENTIONS, default="symmetric",
                   help="graphs of the Ricci flow coefficient: symmetric k-NN graphs over all "
                        "layers (default), or directed ones over the input and hidden layers "
                        "as in the paper's published analysis code")
    p.add_argument("--max-points", type=int, default=2000,
                   help="analyse a seeded random sample of at most N points (default 2000)")
    p.add_argument("--seed", type=int, default=0, help="seed of the sample (default 0)")
    add_json(p)
    add_plot(p, "the layers (png, svg, pdf)")
    return p


def parse_scales(text):
    """The scales of ``--k``: comma-separated positive integers.

    Raises
    ------
    InputError
        ``--k must be ...``, for anything else.

    Examples
    --------
    >>> parse_scales("10, 50")
    [10, 50]
    >>> parse_scales("0")
    Traceback (most recent call last):
    ...
    polytopo.exceptions.InputError: --k must be positive integers, got '0'
    """
    from ..exceptions import InputError

    try:
        ks = [int(t) for t in str(text).split(",") if t.strip()]
    except ValueError:
        raise InputError(f"--k must be comma-separated integers, got {text!r}") from None
    if not ks or min(ks) < 1:
        raise InputError(f"--k must be positive integers, got {text!r}")
    return ks


def run(args):
    """Run ``polytopo layers`` from parsed arguments; return the exit status (0).

    Prints the table (:func:`~polytopo.analysis.layers.layers_summary`), writes the report
    (``--json``) and the picture (``--plot``). Bad input raises
    :class:`~polytopo.exceptions.InputError` (the command prints one line and exits with
    status 2) before anything is written.

    Examples
    --------
    >>> import os, tempfile
    >>> import numpy as np
    >>> from polytopo.cli.app import parse_args
    >>> from polytopo.network import Network, io
    >>> d = tempfile.mkdtemp()
    >>> io.write_json(os.path.join(d, "net.json"),
    ...               Network.from_lists([([[1, 0], [0, 1]], [0, 0]), ([[1, 1]], [0])]).to_json())
    >>> t = np.linspace(0, 2 * np.pi, 60, endpoint=False)
    >>> np.save(os.path.join(d, "x.npy"), np.c_[np.cos(t), np.sin(t)])
    >>> args = parse_args(["layers", os.path.join(d, "net.json"), os.path.join(d, "x.npy"),
    ...                    "--k", "3", "--resolution", "8"])
    >>> run(args)
    polytopo layers: Network(2-2-1) on 60 points of ...
    0
    """
    import sys

    from ..analysis.layers import layers_report, layers_summary, load_data, load_labels
    from ..network import io

    require_positive(args, "resolution", "threshold", "max_dim", "max_points")
    net = io.load_network(args.network, **network_options(args))
    X = load_data(args.data, net.input_dim)
    y = load_labels(args.labels, len(X)) if args.labels else None
    ks = parse_scales(args.k)

    def progress(text):
        if sys.stderr.isatty():
            print(f"\r{text:<60}", end="", file=sys.stderr, flush=True)

    report = layers_report(net, X, labels=y, resolution=args.resolution,
                           threshold=args.threshold, max_dim=args.max_dim, k=ks,
                           ollivier=args.ollivier, include_output=not args.no_output_layer,
                           max_points=args.max_points, seed=args.seed,
                           network_source=str(args.network), data_source=str(args.data),
                           progress=progress, ricci_convention=args.ricci_convention)
    if sys.stderr.isatty():
        print(file=sys.stderr)
    print(layers_summary(report))
    if args.plot:
        from ..analysis.layers import sampled_embeddings
        from ..figures.layers import plot_layers

        embs, ys = sampled_embeddings(net, X, y, max_points=args.max_points, seed=args.seed,
                                      include_output=not args.no_output_layer)
        plot_layers(report, embs, args.plot, labels=ys)
        print(f"  picture written to {args.plot}")
    if args.json:
        io.write_json(args.json, report)
        print(f"  report written to {args.json}")
    return 0

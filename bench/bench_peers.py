"""polytopo's exact canonical complex beside float64 edge subdivision (Berzins, ICML 2023).

Builds the same seeded nets as ``bench/run.py`` (``seeded_net``: integer weights and
biases in ``[-5, 5]``, domain ``[-10, 10]^d``) and their generic float twins
(``float_twin``: every weight and bias moved by ``U(-0.01, 0.01)`` in float64), and on each
runs ``polytopo.complex.build.canonical_complex`` and Arturs Berzins' edge subdivision
(``skeletal_subdivision`` of https://github.com/arturs-berzins/relu_edge_subdivision, a
PyTorch implementation; not part of polytopo, not vendored: pass the path of a checkout).

    python bench/bench_peers.py --berzins PATH            # a table on stdout
    python bench/bench_peers.py --berzins PATH --large    # also 3-32-32-32-1
    python bench/bench_peers.py --berzins PATH --json R.json --repeats 3

The peer gets the hidden layers only (its net ``d-w1-...-wk``, whose last layer's
pre-activations are the last hidden neurons), so that both build the complex of the hidden
neurons' bent hyperplanes and not its refinement by the output's zero set; it runs in
float64 (the net in double precision, the box corners cast on first use) on the CPU, with
torch's default number of threads unless ``--torch-threads`` says otherwise. It returns
vertices, edges and sign vectors; its regions are counted as the distinct full sign vectors
obtained at every vertex by setting each zero neuron sign to ``+`` or ``-`` (exact for a
generic arrangement: every region is a polytope with a vertex, and at a vertex where k
hyperplanes cross transversally all ``2^k`` sides are regions). Its vertex and edge counts
are compared with polytopo's ``f_0`` and ``f_1``. Times: the median of ``--repeats`` runs of
each tool's call alone (net construction and the counting of the peer's regions excluded).

Integer nets are degenerate (hyperplanes through vertices, parallel and repeated
hyperplanes), which the peer does not handle: its warnings are counted, an exception it
raises is reported in one line, and a count that differs from polytopo's exact one is
flagged. Without ``--berzins``, or when the checkout cannot be imported, one line says so
and polytopo's numbers are still printed.
"""

import argparse
import contextlib
import io
import json
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from polytopo.complex.build import canonical_complex  # noqa: E402
from polytopo.geometry.polytope import Polytope  # noqa: E402
from run import arch_name, float_twin, seeded_net  # noqa: E402

ARCHS = [(2, (32, 32)), (4, (10, 10))]
LARGE = [(3, (32, 32, 32))]
BOX = (-10, 10)
NON_GENERIC = "a hyperplane intersects a vertex"


def load_berzins(path):
    """The peer's modules from a checkout at ``path``, or the reason they cannot be used."""
    if not path:
        return None, "no --berzins PATH given"
    root = Path(path).resolve()
    if not (root / "edge_subdivision.py").is_file():
        return None, f"{root} has no edge_subdivision.py"
    sys.path.insert(0, str(root))
    try:
        import torch
        import NN
        import edge_subdivision
    except Exception as e:  # noqa: BLE001 - report whatever stops it
        return None, f"cannot import it: {type(e).__name__}: {e}"
    return (torch, NN, edge_subdivision), None


def berzins_net(peer, net):
    """The peer's ``Net`` of the hidden layers of ``net``, in float64 (weights read exactly
    as the nearest doubles: the float twins' weights are doubles, so they are exact)."""
    torch, NN, _ = peer

    class Net64(NN.Net):
        def eval_block(self, x, device="cpu"):
            return super().eval_block(x.to(torch.float64), device)

    hidden = list(zip(net.weights, net.biases))[:-1]
    ks = [net.input_dim] + [len(W) for W, _ in hidden]
    f = Net64(ks).double()
    with torch.no_grad():
        for fc, (W, b) in zip(f.fcs, hidden):
            fc.weight.copy_(torch.tensor([[float(v) for v in row] for row in W],
                                         dtype=torch.float64))
            fc.bias.copy_(torch.tensor([float(v) for v in b], dtype=torch.float64))
    return f


def berzins_run(peer, f):
    """One call of the peer's subdivision: (vertices, edges, sign vectors, seconds,
    number of non-generic warnings it printed)."""
    torch, _, es = peer
    old = torch.get_default_dtype()
    out = io.StringIO()
    torch.set_default_dtype(torch.float64)
    try:
        with torch.no_grad(), contextlib.redirect_stdout(out):
            t = time.perf_counter()
            vs, edges, v_sv = es.skeletal_subdivision(f, bbox=BOX, device=torch.device("cpu"),
                                                      verbose=False)
            dt = time.perf_counter() - t
    finally:
        torch.set_default_dtype(old)
    return vs, edges, v_sv, dt, out.getvalue().count(NON_GENERIC)


def berzins_regions(v_sv, d):
    """Distinct full neuron sign vectors around the peer's vertices (see the docstring)."""
    import itertools

    import numpy as np

    S = v_sv[:, 2 * d:].numpy().astype(np.int8)  # drop the 2d box columns
    zeros = (S == 0).sum(1)
    keys = []
    for z in np.unique(zeros):
        rows = np.nonzero(zeros == z)[0]
        block = S[rows]
        cols = np.nonzero(block == 0)[1].reshape(len(rows), z)
        for signs in itertools.product((1, -1), repeat=int(z)):
            T = block.copy()
            if z:
                T[np.arange(len(rows))[:, None], cols] = signs
            keys.append(np.packbits(T > 0, axis=1))
    keys = np.concatenate(keys)
    return len(np.unique(keys, axis=0))


def polytopo_run(net, d, repeats):
    domain = Polytope.cube(d, *BOX)
    times, C = [], None
    for _ in range(repeats):
        t = time.perf_counter()
        C = canonical_complex(net, domain)
        times.append(time.perf_counter() - t)
    return C.n_regions, list(C.f_vector()), statistics.median(times)


def peer_row(peer, net, d, repeats, exact_regions, exact_f):
    """The peer's columns for one net: counts, median time, errors, agreement."""
    try:
        f = berzins_net(peer, net)
        runs = [berzins_run(peer, f) for _ in range(repeats)]
    except Exception as e:  # noqa: BLE001 - a failure of the other tool is a result
        msg = " ".join(f"{type(e).__name__}: {e}".split())
        return {"peer_regions": None, "peer_error": msg[:160], "agree": False,
                "note": "peer stopped: " + msg[:100]}
    vs, edges, v_sv, _, warnings = runs[-1]
    regions = berzins_regions(v_sv, d)
    row = {"peer_regions": regions, "peer_vertices": len(vs), "peer_edges": len(edges),
           "peer_seconds": round(statistics.median(r[3] for r in runs), 4),
           "peer_nongeneric_warnings": warnings}
    diffs = [f"{what} {got - want:+d}" for what, got, want in
             (("regions", regions, exact_regions), ("vertices", len(vs), exact_f[0]),
              ("edges", len(edges), exact_f[1])) if got != want]
    row["agree"] = not diffs
    notes = diffs + ([f"{warnings} non-generic warnings"] if warnings else [])
    row["note"] = ", ".join(notes)
    return row


def main(argv=None, rows_out=False):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--berzins", metavar="PATH",
                    help="a checkout of arturs-berzins/relu_edge_subdivision")
    ap.add_argument("--large", action="store_true", help="also 3-32-32-32-1 (minutes)")
    ap.add_argument("--repeats", type=int, default=3, help="runs per tool and net (median)")
    ap.add_argument("--seed", type=int, default=0, help="seed of the integer nets")
    ap.add_argument("--torch-threads", type=int, help="torch.set_num_threads for the peer")
    ap.add_argument("--json", metavar="OUT", help="write the rows here")
    args = ap.parse_args(argv)

    peer, missing = load_berzins(args.berzins)
    if missing:
        print(f"Berzins' edge subdivision not run: {missing}")
    else:
        torch = peer[0]
        if args.torch_threads:
            torch.set_num_threads(args.torch_threads)
        print(f"peer: edge subdivision, torch {torch.__version__}, float64, CPU, "
              f"{torch.get_num_threads()} threads; polytopo serial; median of {args.repeats}")
        tiny = seeded_net(2, (4, 4), 1)  # warm both up: first calls pay one-off costs
        polytopo_run(tiny, 2, 1)
        try:
            berzins_run(peer, berzins_net(peer, float_twin(tiny)))
        except Exception:  # noqa: BLE001 - reported on the real nets
            pass

    rows = []
    head = (f"{'net':<14} {'weights':<8} {'polytopo':>9} {'s':>8} {'peer':>9} {'s':>8} "
            f"{'ratio':>7}  agree  note")
    print(head)
    for d, widths in ARCHS + (LARGE if args.large else []):
        for kind in ("integer", "float"):
            net = seeded_net(d, widths, args.seed)
            if kind == "float":
                net = float_twin(net)
            n, fv, t = polytopo_run(net, d, args.repeats)
            row = {"net": arch_name(d, widths), "weights": kind, "polytopo_regions": n,
                   "polytopo_f_vector": fv, "polytopo_seconds": round(t, 4)}
            if missing:
                row.update({"peer_regions": None, "peer_error": missing, "agree": None,
                            "note": ""})
            else:
                row.update(peer_row(peer, net, d, args.repeats, n, fv))
            ps = row.get("peer_seconds")
            row["ratio"] = round(t / ps, 3) if ps else None
            rows.append(row)
            pr = "-" if row["peer_regions"] is None else row["peer_regions"]
            pt = "-" if ps is None else f"{ps:.3f}"
            ratio = "-" if row["ratio"] is None else f"{row['ratio']:.2f}"
            agree = "-" if row["agree"] is None else ("yes" if row["agree"] else "no")
            print(f"{row['net']:<14} {kind:<8} {n:>9} {t:8.3f} {pr:>9} {pt:>8} {ratio:>7}  "
                  f"{agree:<5}  {row['note']}", flush=True)
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=1) + "\n")
    return rows if rows_out else 0


if __name__ == "__main__":
    sys.exit(main())

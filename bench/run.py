"""Benchmarks: polytopo's exact enumeration against baselines measured in the same run.

Run ``python bench/run.py [--quick] [--no-large] [--no-external]``. Every measurement runs
in a fresh process, so the peak memory (max RSS) reported is that computation's own.
Sections:

1. region enumeration on seeded integer nets: polytopo's complex engine, its full
   ``analyze``, its LP traversal, the naive exact baseline (depth-first search over
   neuron signs, one exact LP per sign prefix) and the same traversal with float LPs
   (SciPy/HiGHS); ratio = method time / polytopo-complex time;
2. homology: polytopo's sparse Smith form against sympy's dense one (same complexes);
3. SageMath's exact ``HyperplaneArrangement.regions()`` and Relucent, when installed
   (the ``bench`` extra; see ``bench_external.py``);
4. large runs: a 3-32-32-32-1 net enumerated exactly, and a 2-input net with more than
   10^5 regions through the full ``analyze``;
5. a scaling series: time and memory of ``analyze`` against regions and cells;
6. the targets of the speed issues, each with its measured value and PASS/FAIL;
7. piecewise-linear units against plain ReLU;
8. five and six inputs, the parallel build's serial fraction, a million regions and
   float-weight nets against their integer twins (``bench_parallel.py`` has the details
   of the parallel build);
9. with ``--berzins PATH`` (a checkout of arturs-berzins/relu_edge_subdivision, not part
   of polytopo): float64 edge subdivision beside polytopo's exact complex on the same
   generic float-weight nets and their integer twins (``bench_peers.py``).
"""

import argparse
import importlib
import multiprocessing
import os
import platform
import random
import resource
import sys
import time
from concurrent.futures import ProcessPoolExecutor

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.dirname(HERE))

ARCHS = {"quick": [(2, (8, 8)), (3, (6, 6))],
         "default": [(2, (16, 16)), (2, (32, 32)), (3, (12, 12)), (4, (10, 10))]}
METHODS = ["polytopo-complex", "polytopo-regions", "polytopo-analyze", "polytopo-lp",
           "naive-exact", "float-lp"]
# float64 edge subdivision (Berzins, ICML 2023) on a 3-32-32-32-1 net of this kind, 2 cores
FLOAT_EDGE_SUBDIVISION_3_32_32_32 = 33.0
LARGE_2D_WIDTH = 288  # 2-288-288-1, seed 0: more than 10^5 regions
MILLION_2D_WIDTH = 900  # 2-900-900-1, seed 0: about 10^6 regions
MILLION_3D_WIDTH = 64   # 3-64-64-64-1, seed 0: 830,840 regions, 6.7 million cells
GB = 1024 ** 3


def seeded_net(d, widths, seed=0, bound=5):
    """Random integer weights and biases in [-bound, bound], seeded (the benchmark nets)."""
    from polytopo.network.model import Network

    rng = random.Random(seed)
    layers, prev = [], d
    for w in list(widths) + [1]:
        layers.append(([[rng.randint(-bound, bound) for _ in range(prev)] for _ in range(w)],
                       [rng.randint(-bound, bound) for _ in range(w)]))
        prev = w
    return Network.from_lists(layers)


def arch_name(d, widths):
    return "-".join(map(str, (d,) + tuple(widths) + (1,)))


def _max_rss_bytes():
    """Peak resident memory of this process's own address space: Linux's ``VmHWM``
    (``ru_maxrss`` would also count the parent's pages present at ``fork``/``exec``)."""
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def _measure(method, d, widths, seed):
    from polytopo.geometry import lp
    from polytopo.complex.build import canonical_complex
    from polytopo.geometry.polytope import Polytope
    from polytopo.regions.traversal import regions
    from polytopo.analysis.summary import analyze

    import baselines

    net = seeded_net(d, widths, seed)
    domain = Polytope.cube(d, -10, 10)
    cells = None

    def complex_():
        nonlocal cells
        C = canonical_complex(net, domain)
        cells = sum(C.f_vector())
        return C.n_regions

    def analyze_():
        nonlocal cells
        rep = analyze(net, domain)
        cells = sum(rep["f_vector"])
        return rep["n_regions"]

    # the modules the region read-out imports on first use, imported before the clock
    # starts (as those of the complex build are): the runs time the computation only
    # (numpy imports numpy.ma, about 10 ms, the first time np.unique runs without an
    # inverse)
    from polytopo.complex.build import activation_regions
    for module in ("polytopo.complex.export", "polytopo.regions.traversal",
                   "polytopo.complex.volume", "numpy.ma"):
        importlib.import_module(module)

    def regions_():
        return len(activation_regions(net, domain, volumes=True))

    run = {"naive-exact": lambda: baselines.naive_exact(net, domain),
           "polytopo-regions": regions_,
           "float-lp": lambda: baselines.float_traversal(net, domain),
           "polytopo-lp": lambda: len(regions(net, domain, volumes=False)),
           "polytopo-complex": complex_,
           "polytopo-analyze": analyze_}[method]
    lp0 = lp.lp_count()
    t = time.perf_counter()
    n = run()
    elapsed = time.perf_counter() - t
    return {"method": method, "net": arch_name(d, widths), "regions": n, "cells": cells,
            "seconds": elapsed, "lps": lp.lp_count() - lp0, "max_rss": _max_rss_bytes()}


def fresh(f, *args):
    """``f(*args)`` in a freshly started process (spawned, not forked: its max RSS is its
    own, not the parent's), so every measurement starts from the same state."""
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as ex:
        return ex.submit(f, *args).result()


def measure(method, d, widths, seed=0, repeat=1):
    """Median of ``repeat`` runs, each in a fresh process (max RSS is that run's own)."""
    runs = []
    for _ in range(repeat):
        runs.append(fresh(_measure, method, d, widths, seed))
    runs.sort(key=lambda r: r["seconds"])
    return runs[len(runs) // 2]


def enumeration(archs, methods, repeat):
    print("\n## 1. Region enumeration (integer weights in [-5, 5], seed 0, domain [-10, 10]^d)")
    print(f"ratio = method time / polytopo-complex time; polytopo: median of {repeat} runs")
    print(f"{'net':<12}{'method':<18}{'regions':>8}{'seconds':>10}{'LPs':>9}{'MB':>8}{'ratio':>9}")
    table = {}
    for d, widths in archs:
        name = arch_name(d, widths)
        results = {}
        for m in methods:
            try:
                results[m] = measure(m, d, widths, repeat=repeat if m.startswith("polytopo") else 1)
            except Exception as e:  # noqa: BLE001 - a baseline failing is a result
                results[m] = {"method": m, "error": f"{type(e).__name__}: {e}"}
        ref = results.get(methods[0], {})
        for m in methods:
            r = results[m]
            if "error" in r:
                print(f"{name:<12}{m:<18}  error: {r['error'][:60]}")
                continue
            ratio = r["seconds"] / ref["seconds"] if ref.get("seconds") else float("nan")
            flag = "" if r["regions"] == ref.get("regions") else "  (count differs!)"
            print(f"{name:<12}{m:<18}{r['regions']:>8}{r['seconds']:>10.3f}{r['lps']:>9}"
                  f"{r['max_rss'] / 2**20:>8.0f}{ratio:>8.1f}x{flag}", flush=True)
        table[name] = results
    return table


def homology(quick):
    """polytopo's homology against sympy's Smith form on the same complexes."""
    import bench_homology as bh

    print("\n## 2. Integral homology: polytopo vs sympy's Smith normal form (same complexes)")
    bh.sympy_homology(bh.simplicial_complex(bh.torus_2d(3)))  # warm sympy up
    out = []
    for name, facets in [("2-torus grid 8x8", bh.torus_2d(8)),
                         ("3-torus grid 3^3", bh.torus_3d(3))] + \
            ([] if quick else [("2-torus grid 12x12", bh.torus_2d(12))]):
        cc = bh.simplicial_complex(facets)
        t_ours = min(bh.timed(bh.simplicial_complex(facets).homology)[1] for _ in range(5))
        ref, t_sympy = bh.timed(bh.sympy_homology, cc)
        ours = [(g.rank, g.torsion) for g in cc.homology()]
        assert ref == ours, (ref, ours)
        print(f"{name:<22} cells {sum(cc.n_cells):>6}  polytopo {t_ours * 1e3:8.1f} ms  "
              f"sympy {t_sympy:7.2f} s  ratio {t_sympy / t_ours:7.0f}x  (same groups)")
        out.append((name, t_sympy / t_ours))
    return out


def external():
    import bench_external as be

    print("\n## 3. External tools (optional 'bench' extra)")
    sage = be.bench_sage()
    be.bench_relucent()
    return sage


def _large_complex(d, widths):
    from polytopo.complex.build import canonical_complex
    from polytopo.geometry.polytope import Polytope

    net = seeded_net(d, widths)
    t = time.perf_counter()
    C = canonical_complex(net, Polytope.cube(d, -10, 10))
    seconds = time.perf_counter() - t
    return {"net": arch_name(d, widths), "regions": C.n_regions, "cells": sum(C.f_vector()),
            "seconds": seconds, "max_rss": _max_rss_bytes()}


def _large_analyze(d, widths):
    from polytopo.geometry.polytope import Polytope
    from polytopo.analysis.summary import analyze

    net = seeded_net(d, widths)
    t = time.perf_counter()
    rep = analyze(net, Polytope.cube(d, -10, 10))
    seconds = time.perf_counter() - t
    return {"net": arch_name(d, widths), "regions": rep["n_regions"],
            "cells": sum(rep["f_vector"]), "seconds": seconds, "max_rss": _max_rss_bytes(),
            "homology": {k: [g["rank"] for g in v] for k, v in rep["homology"].items()}}


def large():
    print("\n## 4. Large runs")
    deep = fresh(_large_complex, 3, (32, 32, 32))
    print(f"{deep['net']}: {deep['regions']} regions, {deep['cells']} cells, exact canonical "
          f"complex in {deep['seconds']:.1f} s, peak {deep['max_rss'] / GB:.2f} GB "
          f"(float64 edge subdivision: {FLOAT_EDGE_SUBDIVISION_3_32_32_32:.0f} s, quoted)",
          flush=True)
    wide = fresh(_large_analyze, 2, (LARGE_2D_WIDTH, LARGE_2D_WIDTH))
    print(f"{wide['net']}: {wide['regions']} regions, {wide['cells']} cells, full analyze "
          f"in {wide['seconds']:.1f} s, peak {wide['max_rss'] / GB:.2f} GB; Betti numbers "
          f"{wide['homology']}", flush=True)
    return deep, wide


def scaling(widths, d=2):
    """Time and memory of the full analysis against the number of regions and cells."""
    print(f"\n## 5. Scaling: polytopo analyze (complex, homology, decision sets, low-rank "
          f"set) on {d}-w-w-1 nets")
    print(f"{'net':<12}{'regions':>9}{'cells':>10}{'seconds':>10}{'MB':>8}{'µs/cell':>9}")
    for w in widths:
        r = fresh(_large_analyze, d, (w, w))
        print(f"{r['net']:<12}{r['regions']:>9}{r['cells']:>10}{r['seconds']:>10.2f}"
              f"{r['max_rss'] / 2**20:>8.0f}{r['seconds'] / r['cells'] * 1e6:>9.1f}", flush=True)


def unit_net(kind, d, widths, seed=0, bound=5):
    """The benchmark net of ``d``/``widths`` with other units: ``relu`` (the plain net),
    ``leaky`` (the same weights, LeakyReLU(1/10)), ``clamp`` (the same weights,
    clamp(-5, 5)) or ``maxout`` (``w`` max units of 2 pieces per hidden layer: twice the
    rows, random weights of the same kind)."""
    from polytopo.network import units
    from polytopo.network.model import Network

    if kind != "maxout":
        net = seeded_net(d, widths, seed, bound)
        if kind == "relu":
            return net
        unit = units.leaky_relu("1/10") if kind == "leaky" else units.clamp(-5, 5)
        return Network.from_lists(list(zip(net.weights, net.biases)),
                                  units=[unit] * len(widths))
    rng = random.Random(seed)
    layers, prev = [], d
    for w in widths:
        layers.append(([[rng.randint(-bound, bound) for _ in range(prev)] for _ in range(2 * w)],
                       [rng.randint(-bound, bound) for _ in range(2 * w)]))
        prev = w
    layers.append(([[rng.randint(-bound, bound) for _ in range(prev)]], [rng.randint(-bound, bound)]))
    return Network.from_lists(layers, units=[[units.Max(2)] * w for w in widths])


def conv_net(seed=0, bound=3, channels=6, length=4):
    """A 1-D CNN on a signal of ``length`` samples, lowered exactly from its graph:
    Conv1d(1, c, 2) → LeakyReLU(1/8) → MaxPool1d(2, stride 1) → Conv1d(c, c, 2) → ReLU →
    Linear(c·(length-3), 1), random integer kernels in [-bound, bound]."""
    from polytopo.network.model import Network

    rng = random.Random(seed)

    def conv(c_in, c_out, n_in):
        n_out = n_in - 1
        W = [[0] * (c_in * n_in) for _ in range(c_out * n_out)]
        b = []
        for o in range(c_out):
            k = [[rng.randint(-bound, bound) for _ in range(2)] for _ in range(c_in)]
            bo = rng.randint(-bound, bound)
            for t in range(n_out):
                for i in range(c_in):
                    for j in range(2):
                        W[o * n_out + t][i * n_in + t + j] = k[i][j]
                b.append(bo)
        return W, b, n_out

    c = channels
    W1, b1, n1 = conv(1, c, length)
    pool = [[ch * n1 + t, ch * n1 + t + 1] for ch in range(c) for t in range(n1 - 1)]
    n2 = n1 - 1
    W2, b2, n3 = conv(c, c, n2)
    W3 = [[rng.randint(-bound, bound) for _ in range(c * n3)]]
    graph = {"format": "polytopo.network/2", "input": {"name": "x", "dim": length},
             "nodes": [{"name": "c1", "op": "affine", "input": ["x"], "weights": W1, "biases": b1},
                       {"name": "a1", "op": "leaky_relu", "input": ["c1"], "slope": "1/8"},
                       {"name": "p1", "op": "max", "input": ["a1"], "groups": pool},
                       {"name": "c2", "op": "affine", "input": ["p1"], "weights": W2, "biases": b2},
                       {"name": "a2", "op": "relu", "input": ["c2"]},
                       {"name": "y", "op": "affine", "input": ["a2"], "weights": W3,
                        "biases": [rng.randint(-bound, bound)]}],
             "output": "y"}
    return Network.from_json(graph)


def _measure_units(kind, d, widths, seed):
    from polytopo.complex.build import canonical_complex
    from polytopo.geometry.polytope import Polytope

    net = conv_net(seed) if kind == "conv" else unit_net(kind, d, widths, seed)
    domain = Polytope.cube(net.input_dim, -10 if kind != "conv" else -1,
                           10 if kind != "conv" else 1)
    t = time.perf_counter()
    C = canonical_complex(net, domain)
    elapsed = time.perf_counter() - t
    return {"kind": kind, "net": str(net), "regions": C.n_regions, "cells": sum(C.f_vector()),
            "seconds": elapsed, "max_rss": _max_rss_bytes()}


def pl_units(repeat, quick):
    """Section 7: the complex of nets with LeakyReLU, clamp and maxout units against the
    ReLU net of the same size, and a small 1-D CNN."""
    print("\n## 7. Piecewise-linear units: canonical complex time against the ReLU net")
    print(f"ratio = time / time of the ReLU net of the same architecture; median of {repeat} runs")
    print(f"{'net':<36}{'regions':>9}{'cells':>10}{'seconds':>10}{'MB':>8}{'ratio':>9}"
          f"{'µs/cell':>9}")
    archs = [(2, (8, 8))] if quick else [(2, (32, 32)), (3, (12, 12))]
    out = {}
    for d, widths in archs:
        base = None
        for kind in ("relu", "leaky", "clamp", "maxout"):
            runs = sorted((fresh(_measure_units, kind, d, widths, 0) for _ in range(repeat)),
                          key=lambda r: r["seconds"])
            r = runs[len(runs) // 2]
            base = base or r["seconds"]
            out[(arch_name(d, widths), kind)] = r["seconds"] / base
            print(f"{r['net']:<36}{r['regions']:>9}{r['cells']:>10}{r['seconds']:>10.3f}"
                  f"{r['max_rss'] / 2**20:>8.0f}{r['seconds'] / base:>8.1f}x"
                  f"{r['seconds'] / r['cells'] * 1e6:>9.1f}", flush=True)
    runs = sorted((fresh(_measure_units, "conv", 4, (), 0) for _ in range(repeat)),
                  key=lambda r: r["seconds"])
    r = runs[len(runs) // 2]
    print(f"{'1-D CNN ' + r['net']:<36}"
          f"{r['regions']:>9}{r['cells']:>10}{r['seconds']:>10.3f}{r['max_rss'] / 2**20:>8.0f}"
          f"{'':>9}{r['seconds'] / r['cells'] * 1e6:>9.1f}")
    return out


def float_twin(net, seed=7, jitter=0.01):
    """The net with every weight and bias moved by a float64 amount in ``[-jitter, jitter]``
    (seeded), each read exactly as its binary value: a generic arrangement with the large
    common denominators of trained float weights."""
    from fractions import Fraction

    from polytopo.network.model import Network

    rng = random.Random(seed)

    def f(x):
        return Fraction(float(x) + rng.uniform(-jitter, jitter))

    return Network.from_lists([([[f(x) for x in row] for row in W], [f(x) for x in b])
                               for W, b in zip(net.weights, net.biases)])


def _timed_analyze(d, widths, float_weights=False):
    from polytopo.analysis.summary import analyze
    from polytopo.geometry.polytope import Polytope

    net = seeded_net(d, widths)
    if float_weights:
        net = float_twin(net)
    t = time.perf_counter()
    rep = analyze(net, Polytope.cube(d, -10, 10))
    return {"net": arch_name(d, widths), "regions": rep["n_regions"],
            "cells": sum(rep["f_vector"]), "seconds": time.perf_counter() - t,
            "max_rss": _max_rss_bytes()}


def _timed_complex(d, widths, float_weights=False):
    from polytopo.complex.build import canonical_complex
    from polytopo.geometry.polytope import Polytope

    net = seeded_net(d, widths)
    if float_weights:
        net = float_twin(net)
    t = time.perf_counter()
    C = canonical_complex(net, Polytope.cube(d, -10, 10))
    return {"regions": C.n_regions, "cells": sum(C.f_vector()),
            "seconds": time.perf_counter() - t, "max_rss": _max_rss_bytes()}


def _naive(d, widths):
    import baselines
    from polytopo.geometry.polytope import Polytope

    net = seeded_net(d, widths)
    t = time.perf_counter()
    n = baselines.naive_exact(net, Polytope.cube(d, -10, 10))
    return {"regions": n, "seconds": time.perf_counter() - t}


def _serial_fraction(net_text, workers):
    import bench_parallel as bp

    net, d = bp.parse_net(net_text)
    _, total, spent = bp.phases(net, d, workers)
    return (total - spent["tasks"]) / total


def _jobs_speedup(d, widths, jobs=2):
    from polytopo.complex.build import canonical_complex
    from polytopo.geometry.polytope import Polytope

    net, D = seeded_net(d, widths), Polytope.cube(d, -10, 10)
    t = time.perf_counter()
    canonical_complex(net, D)
    serial = time.perf_counter() - t
    with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("spawn")) as ex:
        list(ex.map(abs, range(jobs)))
        t = time.perf_counter()
        canonical_complex(net, D, executor=ex, workers=jobs)
        par = time.perf_counter() - t
    return serial, par


def speed_two(quick, million_width, million_3d_width=0):
    """Section 8: the measurements behind the second speed issue's targets."""
    print("\n## 8. Five and six inputs, scale-out, a million regions, float weights")
    out = {}
    if quick:
        print("(skipped with --quick)")
        return out
    a5, n5 = fresh(_timed_analyze, 5, (8, 8)), fresh(_naive, 5, (8, 8))
    print(f"5-8-8-1: analyze {a5['seconds']:.1f} s ({a5['regions']} regions, {a5['cells']} "
          f"cells, {a5['max_rss'] / GB:.2f} GB); naive exact enumeration {n5['seconds']:.1f} s "
          f"({n5['regions']} regions)", flush=True)
    out["5-8-8-1"] = (a5, n5)
    for d, widths in ((5, (10, 10)), (6, (8, 8))):
        r = fresh(_timed_analyze, d, widths)
        print(f"{r['net']}: analyze {r['seconds']:.1f} s, {r['regions']} regions, "
              f"{r['cells']} cells, peak {r['max_rss'] / GB:.2f} GB", flush=True)
        out[r["net"]] = r
    s = fresh(_serial_fraction, "3-32-32-32-1", 2)
    serial, par = fresh(_jobs_speedup, 3, (32, 32, 32))
    print(f"3-32-32-32-1 parallel build: serial fraction {100 * s:.1f}% (Amdahl: "
          f"{1 / (s + (1 - s) / 8):.1f}x at 8 workers, {1 / (s + (1 - s) / 16):.1f}x at 16, "
          f"{1 / (s + (1 - s) / 128):.1f}x at 128); --jobs 2 {serial:.1f} s -> {par:.1f} s "
          f"({serial / par:.2f}x)", flush=True)
    out["parallel"] = (s, serial / par)
    if million_width:
        m = fresh(_timed_analyze, 2, (million_width, million_width))
        print(f"{m['net']}: analyze {m['seconds']:.0f} s, {m['regions']} regions, "
              f"{m['cells']} cells, peak {m['max_rss'] / GB:.2f} GB "
              f"({m['max_rss'] / m['cells']:.0f} bytes per cell)", flush=True)
        out["million"] = m
    if million_3d_width:
        w = million_3d_width
        m = fresh(_timed_analyze, 3, (w, w, w))
        print(f"{m['net']}: analyze {m['seconds']:.0f} s, {m['regions']} regions, "
              f"{m['cells']} cells, peak {m['max_rss'] / GB:.2f} GB "
              f"({m['max_rss'] / m['cells']:.0f} bytes per cell)", flush=True)
        out["million_3d"] = m
    twins = []
    for d, widths in ((2, (32, 32)), (3, (12, 12)), (4, (10, 10)), (3, (32, 32, 32))):
        i = fresh(_timed_complex, d, widths)
        f = fresh(_timed_complex, d, widths, True)
        twins.append((arch_name(d, widths), i, f))
        print(f"{arch_name(d, widths)}: complex, integer weights {i['seconds']:.2f} s "
              f"({i['regions']} regions); float twin {f['seconds']:.2f} s ({f['regions']} "
              f"regions): {f['seconds'] / i['seconds']:.2f}x", flush=True)
    out["twins"] = twins
    return out


def peers(path, repeats):
    """Section 9: Berzins' float64 edge subdivision beside polytopo (bench_peers.py), on the
    generic float-weight nets and their integer twins, same run."""
    import bench_peers

    print("\n## 9. Float64 edge subdivision (Berzins) side by side")
    rows = bench_peers.main(["--berzins", path, "--large", "--repeats", str(repeats)],
                            rows_out=True)
    return {(r["net"], r["weights"]): r for r in rows}


def targets(table, sage, large_runs, units_table=None, two=None, peer=None):
    """The speed issue's targets, each with the value measured in this run."""
    rows = []
    for (net, kind), r in sorted((units_table or {}).items()):
        if kind in ("leaky", "maxout"):   # clamp: a different function, 5-20x the cells
            rows.append((f"{kind} {net} complex vs ReLU (<= 2x)", r, -2, "x"))

    def ratio(net, slow, fast):
        r = table.get(net, {})
        a, b = r.get(slow, {}), r.get(fast, {})
        if "seconds" in a and "seconds" in b and a["regions"] == b["regions"]:
            return a["seconds"] / b["seconds"]
        return None

    for net in ("2-32-32-1", "3-12-12-1"):
        rows.append((f"enumeration vs naive exact, {net}", ratio(net, "naive-exact",
                                                                 "polytopo-complex"), 20, "x"))
        rows.append((f"full analyze vs naive enumeration, {net}",
                     ratio(net, "naive-exact", "polytopo-analyze"), 5, "x"))
    for name, n_p, t_p, n_s, t_s in sage or []:
        rows.append((f"vs SageMath regions(), {name}", t_s / t_p if n_p == n_s else None,
                     10, "x"))
    if large_runs:
        deep, wide = large_runs
        limit = 10 * FLOAT_EDGE_SUBDIVISION_3_32_32_32
        rows.append(("3-32-32-32-1 exact, seconds (<= 10x float)", deep["seconds"], -limit, "s"))
        if wide["regions"] >= 10 ** 5:
            rows.append((f"analyze {wide['regions']} regions, seconds", wide["seconds"], -300, "s"))
            rows.append(("  ... peak memory, GB", wide["max_rss"] / GB, -4, " GB"))
    for net in ("2-32-32-1", "3-12-12-1"):
        rows.append((f"regions (volumes) vs naive exact, {net}",
                     ratio(net, "naive-exact", "polytopo-regions"), 50, "x"))
    for net in sorted(table):
        rows.append((f"regions (volumes) vs complex build, {net} (<= 3x)",
                     ratio(net, "polytopo-regions", "polytopo-complex"), -3, "x"))
    two = two or {}
    if "5-8-8-1" in two:
        a5, n5 = two["5-8-8-1"]
        rows.append(("analyze 5-8-8-1 vs naive enumeration", n5["seconds"] / a5["seconds"],
                     5, "x"))
    for net in ("5-10-10-1", "6-8-8-1"):
        if net in two:
            rows.append((f"analyze {net}, seconds", two[net]["seconds"], -300, "s"))
            rows.append(("  ... peak memory, GB", two[net]["max_rss"] / GB, -8, " GB"))
    if "parallel" in two:
        s, speedup = two["parallel"]
        rows.append(("serial fraction, parallel 3-32-32-32-1, %", 100 * s, -10, "%"))
        rows.append(("--jobs 2 speed-up, 3-32-32-32-1", speedup, 1.7, "x"))
    if "million" in two:
        m = two["million"]
        rows.append((f"analyze {m['regions']} regions (2-D), seconds", m["seconds"], -600, "s"))
        rows.append(("  ... peak memory, GB", m["max_rss"] / GB, -16, " GB"))
    for name, i, f in two.get("twins", []):
        rows.append((f"float twin vs integer, {name} (<= 1.3x)", f["seconds"] / i["seconds"],
                     -1.3, "x"))
    for (net, kind), r in sorted((peer or {}).items()):
        if kind == "float" and net == "3-32-32-32-1":
            rows.append((f"exact complex vs float64 edge subdivision, {net} float (<= 1x)",
                         r.get("ratio"), -1, "x"))
    print("\n## 6. Targets (this run)")
    ok_all = True
    for what, value, target, unit in rows:
        if value is None:
            verdict, shown = "n/a", "not measured"
        else:
            ok = value >= target if target > 0 else value <= -target
            ok_all &= ok
            verdict = "PASS" if ok else "FAIL"
            shown = f"{value:.1f}{unit}"
        goal = f">= {target}x" if target > 0 else f"<= {-target}{unit.strip()}"
        print(f"{what:<52}{shown:>14}   target {goal:<10} {verdict}")
    return ok_all


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="small nets only (a smoke run)")
    ap.add_argument("--methods", default=",".join(METHODS))
    ap.add_argument("--repeat", type=int, default=5, help="runs of polytopo's methods (median)")
    ap.add_argument("--no-large", action="store_true", help="skip section 4")
    ap.add_argument("--no-external", action="store_true", help="skip section 3")
    ap.add_argument("--scaling", default="32,64,128,256",
                    help="widths w of the 2-w-w-1 scaling series ('' to skip)")
    ap.add_argument("--only", default="1,2,3,4,5,7,8,9", help="sections to run (targets: always)")
    ap.add_argument("--berzins", metavar="PATH",
                    help="a checkout of arturs-berzins/relu_edge_subdivision: section 9")
    ap.add_argument("--million-3d-width", type=int, default=MILLION_3D_WIDTH,
                    help="w of the 3-w-w-w-1 net with close to 10^6 regions (0 to skip)")
    ap.add_argument("--million-width", type=int, default=MILLION_2D_WIDTH,
                    help="w of the 2-w-w-1 net with about 10^6 regions (0 to skip)")
    args = ap.parse_args()
    only = {int(x) for x in args.only.split(",") if x}
    import numpy
    import polytopo

    print(f"# polytopo {polytopo.__version__} benchmarks: {platform.processor() or platform.machine()}"
          f", {os.cpu_count()} cores, Python {platform.python_version()}, numpy {numpy.__version__}")
    table = enumeration(ARCHS["quick" if args.quick else "default"], args.methods.split(","),
                        args.repeat) if 1 in only else {}
    if 2 in only:
        homology(args.quick)
    sage = None if (args.no_external or 3 not in only) else external()
    large_runs = None if (args.quick or args.no_large or 4 not in only) else large()
    if args.scaling and not args.quick and 5 in only:
        scaling(tuple(int(w) for w in args.scaling.split(",")))
    units_table = pl_units(args.repeat, args.quick) if 7 in only else None
    two = speed_two(args.quick, args.million_width, args.million_3d_width) \
        if 8 in only else None
    peer = peers(args.berzins, min(args.repeat, 3)) if args.berzins and 9 in only else None
    targets(table, sage, large_runs, units_table, two, peer)


if __name__ == "__main__":
    main()

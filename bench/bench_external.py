"""polytopo against external tools, measured in the same run (optional ``bench`` extra).

- SageMath (PyPI ``passagemath-polyhedra``): exact ``HyperplaneArrangement.regions()`` on pure
  arrangements (one-hidden-layer nets): 30 random integer lines, the Shi arrangement in R^4.
  polytopo runs on a box that contains every vertex of the arrangement in its interior, so
  both count the regions of R^d.
- Relucent (PyPI ``relucent``): breadth-first search with float LPs and certification, on the
  seeded benchmark nets and on degenerate nets; errors and disagreements with polytopo's
  exact count are recorded.

Run ``python bench/bench_external.py``; a tool that is not installed is reported as such.
"""

import itertools
import os
import random
import sys
import time
from fractions import Fraction

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from polytopo.complex.build import canonical_complex  # noqa: E402
from polytopo.geometry.exact import solve  # noqa: E402
from polytopo.network.model import Network  # noqa: E402
from polytopo.geometry.polytope import Polytope  # noqa: E402


def random_lines(n, seed=0, bound=5):
    """n distinct random integer lines a x + b y + c = 0 (no two equal up to scale, which
    SageMath refuses; polytopo accepts them)."""
    import math

    rng = random.Random(seed)
    out, seen = [], set()
    while len(out) < n:
        a, b, c = (rng.randint(-bound, bound) for _ in range(3))
        if (a, b) == (0, 0):
            continue
        g = math.gcd(math.gcd(a, b), c)
        key = (a // g, b // g, c // g)
        if (key[0], key[1]) < (0, 0) or (key[0] == 0 and key[1] < 0):
            key = tuple(-k for k in key)
        if key not in seen:
            seen.add(key)
            out.append((a, b, c))
    return out


def shi(n):
    """x_i - x_j = 0 and x_i - x_j = 1 for i < j: normals and constants (a·x + c = 0)."""
    rows = []
    for i, j in itertools.combinations(range(n), 2):
        a = [0] * n
        a[i], a[j] = 1, -1
        rows += [(tuple(a), 0), (tuple(a), -1)]
    return rows


def containing_box(hyperplanes, d, margin=1):
    """A cube whose interior contains every vertex (d-fold intersection point)."""
    r = Fraction(1)
    for sub in itertools.combinations(hyperplanes, d):
        try:
            p = solve([a for a, _ in sub], [-c for _, c in sub])
        except ValueError:
            continue
        r = max(r, max(abs(x) for x in p))
    return Polytope.cube(d, -(r + margin), r + margin)


def arrangement_net(hyperplanes):
    return Network.from_lists([([list(a) for a, _ in hyperplanes], [c for _, c in hyperplanes]),
                               ([[1] * len(hyperplanes)], [0])])


def time_polytopo(net, box, repeat=5):
    """Region count and median wall time of ``canonical_complex`` over ``repeat`` runs."""
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        n = canonical_complex(net, box).n_regions
        times.append(time.perf_counter() - t)
    return n, sorted(times)[len(times) // 2]


def bench_sage():
    """Print and return ``[(name, polytopo regions, seconds, sage regions, seconds)]``."""
    try:
        import sage.all__sagemath_polyhedra as S
    except ImportError:
        print("SageMath: not installed (pip install passagemath-polyhedra)")
        return []
    out = []
    cases = [("30 random integer lines", [((a, b), c) for a, b, c in random_lines(30)], 2, None),
             ("Shi arrangement in R^4", shi(4), 4, Polytope.cube(4, -3, 3))]
    print(f"{'arrangement':<26}{'regions':>8}{'polytopo s':>12}{'sage s':>10}{'ratio':>8}")
    for name, hyps, d, box in cases:
        box = box or containing_box(hyps, d)
        n_p, t_p = time_polytopo(arrangement_net(hyps), box)
        H = S.HyperplaneArrangements(S.QQ, tuple(f"x{i}" for i in range(d)))
        gens = H.gens()
        A = H([sum(int(ai) * g for ai, g in zip(a, gens)) + int(c) for a, c in hyps])
        t = time.perf_counter()
        n_s = len(A.regions())
        t_s = time.perf_counter() - t
        flag = "" if n_s == n_p else f"  (counts differ: sage {n_s})"
        print(f"{name:<26}{n_p:>8}{t_p:>12.3f}{t_s:>10.2f}{t_s / t_p:>7.0f}x{flag}")
        out.append((name, n_p, t_p, n_s, t_s))
    return out


def degenerate_nets():
    from run import seeded_net

    dup = Network.from_lists([([[1, 0], [2, 0], [-1, 0], [0, 1], [1, 1]], [0, 0, 0, 0, 0]),
                              ([[1, 1, 1, 1, 1]], [0])])
    concurrent = Network.from_lists([([[1, k] for k in range(-3, 4)], [0] * 7),
                                     ([[1] * 7], [0])])
    through_vertices = Network.from_lists([([[1, 1], [1, -1], [1, 0], [0, 1]], [0, 0, -10, 10]),
                                           ([[1, 1, 1, 1], [1, -1, 1, -1]], [0, 0]),
                                           ([[1, 1]], [0])])
    planes_through_a_line = Network.from_lists([([[1, 0, 0], [0, 1, 0], [1, 1, 0], [1, -1, 0],
                                                  [0, 0, 1]], [0, 0, 0, 0, 1]),
                                                ([[1, -1, 1, 1, 1]], [0])])
    dead_and_zero = Network.from_lists([([[1, 2], [0, 0], [-1, 1], [1, 1]], [0, 1, -20, 0]),
                                        ([[1, 1, 1, 1], [1, -1, 0, 2]], [0, 0]),
                                        ([[1, -1]], [0])])
    duplicate_layer2 = Network.from_lists([([[1, 2], [2, -1], [-1, 1]], [1, 0, -1]),
                                           ([[1, 1, -1], [2, 2, -2], [1, -1, 1]], [1, 2, 0]),
                                           ([[1, 1, -1]], [0])])
    bent_through_vertex = Network.from_lists([([[1, 0], [0, 1], [1, 1]], [0, 0, 0]),
                                              ([[1, -1, 0], [1, 1, -1]], [0, 0]),
                                              ([[1, 1]], [0])])
    return [("2-16-16-1 seeded", seeded_net(2, (16, 16))),
            ("2-32-32-1 seeded", seeded_net(2, (32, 32))),
            ("3-12-12-1 seeded", seeded_net(3, (12, 12))),
            ("4-10-10-1 seeded", seeded_net(4, (10, 10))),
            ("2-8-8-1 seeded 1", seeded_net(2, (8, 8), seed=1)),
            ("duplicate neurons", dup), ("7 lines through 0", concurrent),
            ("lines through box corners", through_vertices),
            ("5 planes, 4 through a line", planes_through_a_line),
            ("dead neuron and zero row", dead_and_zero),
            ("duplicate neuron in layer 2", duplicate_layer2),
            ("layer 2 bent through a vertex", bent_through_vertex)]


def bench_relucent():
    try:
        import numpy as np
        import relucent
    except ImportError:
        print("Relucent: not installed (pip install relucent)")
        return None
    print(f"{'net':<30}{'polytopo':>9}{'s':>8}{'relucent':>10}{'s':>8}  note")
    tally = {"agrees": 0, "errors": 0, "disagrees": 0}
    for name, net in degenerate_nets():
        box = Polytope.cube(net.input_dim, -10, 10)
        n_p, t_p = time_polytopo(net, box, repeat=1)
        C = canonical_complex(net, box)
        layers = [(np.array([[float(x) for x in r] for r in W]), np.array([float(x) for x in b]))
                  for W, b in zip(net.weights, net.biases)]
        note = ""
        t = time.perf_counter()
        try:
            model = relucent.convert(layers)
            # start inside a region (Relucent refuses a start point on a hyperplane)
            start = np.array([float(x) for x in C.regions(volumes=False)[0].interior_point])
            cx = relucent.Complex(model)
            res = cx.bfs(start=start, cube_radius=10,
                         cube_mode="intersect", nworkers=1, verbose=0)
            n_r = len(cx)  # polyhedra found (cells meeting the cube)
            note = ("agrees" if n_r == n_p else "DISAGREES") + (
                "" if res.complete else ", search incomplete")
            tally["agrees" if n_r == n_p and res.complete else "disagrees"] += 1
        except Exception as e:  # noqa: BLE001 - an error is the result we record
            n_r = "error"
            note = f"{type(e).__name__}: {str(e).splitlines()[0][:60] if str(e) else ''}"
            tally["errors"] += 1
        t_r = time.perf_counter() - t
        print(f"{name:<30}{n_p:>9}{t_p:>8.2f}{str(n_r):>10}{t_r:>8.2f}  {note}", flush=True)
    print(f"Relucent on {sum(tally.values())} nets: agrees on {tally['agrees']}, stops with an "
          f"error on {tally['errors']}, disagrees on {tally['disagrees']}")
    return tally


if __name__ == "__main__":
    bench_sage()
    print()
    bench_relucent()

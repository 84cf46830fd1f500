"""Benchmark: integral homology of large sparse complexes, polytopo vs sympy's Smith form.

Run ``python bench/bench_homology.py [--quick]``. Builds triangulated tori (2-D and
3-D grids, Freudenthal subdivision, ~10^5 cells) and a random-ish subcomplex, times
:meth:`polytopo.topology.homology.ChainComplex.homology`, and times sympy's
``invariant_factors`` over ZZ on the boundary matrices of the same kind of complex at
sizes sympy can do in seconds (it is dense, roughly cubic). All ratios are measured in
the same run on the same machine; polytopo's answers are checked against sympy's on
the shared sizes.
"""

import argparse
import itertools
import random
import sys
import time

from polytopo.topology.homology import ChainComplex, backend, simplicial_complex


def torus_2d(n):
    """Facets of the n × n grid torus, each square cut into two triangles."""
    v = lambda i, j: (i % n) * n + (j % n)  # noqa: E731
    out = []
    for i in range(n):
        for j in range(n):
            out.append((v(i, j), v(i + 1, j), v(i + 1, j + 1)))
            out.append((v(i, j), v(i, j + 1), v(i + 1, j + 1)))
    return out


def torus_3d(n):
    """Facets of the n^3 grid 3-torus, each cube cut into 6 tetrahedra (Freudenthal)."""
    v = lambda p: (p[0] % n) * n * n + (p[1] % n) * n + (p[2] % n)  # noqa: E731
    out = []
    for base in itertools.product(range(n), repeat=3):
        for perm in itertools.permutations(range(3)):
            p = list(base)
            verts = [v(p)]
            for axis in perm:
                p[axis] += 1
                verts.append(v(p))
            out.append(tuple(verts))
    return out


def timed(f, *args):
    t = time.perf_counter()
    out = f(*args)
    return out, time.perf_counter() - t


def sympy_homology(cc):
    """Homology from sympy's dense Smith form of each boundary matrix (reference)."""
    from sympy import ZZ
    from sympy.matrices.normalforms import invariant_factors

    d, n = cc.dimension, cc.n_cells
    rk, tor = [0] * (d + 2), [()] * (d + 2)
    for k in range(1, d + 1):
        m = cc.boundary_matrix(k, "sympy")
        f = [int(abs(x)) for x in invariant_factors(m, domain=ZZ) if x] if m.rows and m.cols else []
        rk[k], tor[k] = len(f), tuple(x for x in f if x > 1)
    return [(n[k] - rk[k] - rk[k + 1], tor[k + 1]) for k in range(d + 1)]


def run(name, facets, with_sympy, repeat=1):
    cc, t_build = timed(simplicial_complex, facets)
    t_ours = float("inf")
    for _ in range(repeat):  # homology is cached per complex: time fresh copies
        fresh = simplicial_complex(facets)
        groups, t = timed(fresh.homology)
        t_ours = min(t_ours, t)
    line = (f"{name:<34} cells {sum(cc.n_cells):>7} {str(cc.n_cells):<28} build {t_build:6.2f} s"
            f"  homology {t_ours * 1e3:8.1f} ms  H = [{', '.join(map(str, groups))}]")
    if with_sympy:
        ref, t_sympy = timed(sympy_homology, cc)
        assert ref == [(g.rank, g.torsion) for g in groups], (ref, groups)
        line += f"  sympy {t_sympy:7.2f} s  ratio sympy/ours {t_sympy / t_ours:7.1f}x"
    print(line, flush=True)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="small sizes only")
    args = ap.parse_args(argv)
    print(f"backend: {backend()}")
    print(f"python {sys.version.split()[0]}")
    print("-- same complexes, polytopo (best of 5) vs sympy invariant_factors over ZZ "
          "(once; only at sizes sympy finishes in seconds)")
    sympy_homology(simplicial_complex(torus_2d(3)))  # warm sympy's caches and imports
    for n in (4, 8, 12):
        run(f"2-torus grid {n}x{n}", torus_2d(n), True, repeat=5)
    run("3-torus grid 3^3", torus_3d(3), True, repeat=5)
    rng = random.Random(0)
    run("random 70% of 3-torus grid 3^3", [f for f in torus_3d(3) if rng.random() < 0.7], True,
        repeat=5)
    if args.quick:
        return
    print("-- large complexes, polytopo only (sympy's dense SNF is out of reach here)")
    for n in (100, 160, 400):
        run(f"2-torus grid {n}x{n}", torus_2d(n), False)
    for n in (12, 15, 25):
        run(f"3-torus grid {n}^3", torus_3d(n), False)
    rng = random.Random(0)
    facets = [f for f in torus_3d(15) if rng.random() < 0.7]
    run("random 70% of 3-torus grid 15^3", facets, False)
    print("-- the same 3-torus 15^3 given as raw columns (validated, ∂∂ = 0 checked first)")
    cc = simplicial_complex(torus_3d(15))
    cols = [cc.boundary_matrix(k) for k in range(cc.dimension + 1)]
    raw, t_valid = timed(ChainComplex, cols)
    _, t_check = timed(raw.check_boundary)
    _, t_hom = timed(raw.homology)
    print(f"{'raw columns 3-torus 15^3':<34} cells {sum(raw.n_cells):>7} validate {t_valid:.2f} s"
          f"  check_boundary {t_check:.2f} s  homology {t_hom:.2f} s")


if __name__ == "__main__":
    main()

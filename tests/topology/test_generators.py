"""Tests of polytopo.topology.generators: known spaces (circle, annulus, torus, Klein bottle,
projective plane), relative cycles, the planar hole loops, the proof (and that it rejects
wrong answers), and random complexes (hypothesis)."""

import itertools

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from polytopo.topology import snf as _snf
from polytopo.topology.cubical import CubicalComplex
from polytopo.topology.generators import (Generator, check_generators, edge_walks,
                                          homology_generators, planar_hole_cycles,
                                          subcomplex_generators)
from polytopo.topology.homology import ChainComplex, simplicial_complex

FAST = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])

RP2 = [(1, 2, 4), (1, 2, 6), (1, 3, 5), (1, 3, 6), (1, 4, 5), (2, 3, 4), (2, 3, 5), (2, 5, 6),
       (3, 4, 6), (4, 5, 6)]


def torus(n=3):
    """The n × n grid triangulation of the torus (vertices (i, j) mod n)."""
    v = lambda i, j: (i % n) * n + (j % n)  # noqa: E731
    tris = []
    for i, j in itertools.product(range(n), repeat=2):
        tris += [(v(i, j), v(i + 1, j), v(i + 1, j + 1)), (v(i, j), v(i, j + 1), v(i + 1, j + 1))]
    return simplicial_complex(tris)


def klein(n=3):
    """The Klein bottle: the grid with the second gluing reflected."""
    def v(i, j):
        if i >= n:
            i, j = i - n, n - j
        return i * n + (j % n)

    tris = []
    for i, j in itertools.product(range(n), repeat=2):
        tris += [(v(i, j), v(i + 1, j), v(i + 1, j + 1)), (v(i, j), v(i, j + 1), v(i + 1, j + 1))]
    return simplicial_complex(tris)


def orders(gens):
    return [[g.order for g in level] for level in gens]


# ---- known spaces ------------------------------------------------------------------------
def test_circle_one_loop_through_every_edge():
    C = simplicial_complex([(0, 1), (1, 2), (2, 3), (0, 3)])
    gens = homology_generators(C)
    assert orders(gens) == [[None], [None]]
    (loop,) = gens[1]
    assert len(loop.chain) == 4 and {abs(v) for _, v in loop.chain} == {1}
    (walk,) = edge_walks(C, loop.as_dict())
    assert walk[0] == walk[-1] and sorted(walk[:-1]) == [0, 1, 2, 3]


def test_torus_two_loops_and_a_fundamental_class():
    T = torus()
    gens = homology_generators(T)
    assert orders(gens) == [[None], [None, None], [None]]
    assert len(gens[2][0].chain) == 18 and {abs(v) for _, v in gens[2][0].chain} == {1}
    assert check_generators(T, gens) == []


@pytest.mark.parametrize("space", ["rp2", "klein"])
def test_torsion_generator_of_order_two(space):
    X = simplicial_complex(RP2) if space == "rp2" else klein()
    gens = homology_generators(X)
    free_1 = 0 if space == "rp2" else 1
    assert orders(gens) == [[None], [None] * free_1 + [2], []]
    w = gens[1][-1].as_dict()
    # twice the torsion cycle bounds: it is in the span of the 2-cells' boundaries
    B = X.boundary_matrix(2)
    assert _snf.matrix_invariants(B + [{c: 2 * v for c, v in w.items()}], X.n_cells[1]) == \
        _snf.matrix_invariants(B, X.n_cells[1])
    # and the cycle itself does not
    assert _snf.matrix_invariants(B + [w], X.n_cells[1]) != _snf.matrix_invariants(B, X.n_cells[1])


def test_integer_torsion_and_large_orders():
    C = ChainComplex.from_matrices([[[6, 0], [0, 4]]])       # Z^2 / diag(6, 4) = Z/2 ⊕ Z/12
    gens = homology_generators(C)
    assert orders(gens) == [[2, 12], []]
    C = ChainComplex.from_matrices([[[2, 4, 4], [-6, 6, 12], [10, -4, -16]]])
    assert orders(homology_generators(C)) == [[2, 6, 12], []]


# ---- the proof rejects wrong answers ------------------------------------------------------
def test_check_rejects_non_cycles_wrong_orders_and_non_generators():
    T = torus()
    gens = homology_generators(T)
    a, b = gens[1]
    doubled = Generator(1, tuple((c, 2 * v) for c, v in a.chain))
    assert any("span" in f for f in check_generators(T, [gens[0], [doubled, b], gens[2]]))
    assert any("span" in f for f in check_generators(T, [gens[0], [a, a], gens[2]]))
    assert any("not a cycle" in f for f in
               check_generators(T, [gens[0], [Generator(1, ((0, 1),)), b], gens[2]]))
    RP = simplicial_complex(RP2)
    g = homology_generators(RP)
    assert check_generators(RP, [g[0], [Generator(1, g[1][0].chain, 4)], g[2]])
    assert check_generators(RP, [g[0], [Generator(1, g[1][0].chain)], g[2]])


# ---- subcomplexes, pairs and the planar loops ----------------------------------------------
def _grid_annulus(m=3):
    """The m × m grid of unit squares (cubical, a disk) and X = all but the middle square."""
    img = np.ones((m, m), dtype=bool)
    full = CubicalComplex(img).chain_complex(reduced=False)
    coords = [CubicalComplex(img).cell_coordinates(k) for k in range(3)]
    return full, coords


def _winding(points, q):
    """Winding number of a closed polygon around q (exact: signed crossings of a ray)."""
    w = 0
    for (x0, y0), (x1, y1) in zip(points, points[1:]):
        if (y0 <= q[1]) != (y1 <= q[1]):
            x = x0 + (q[1] - y0) * (x1 - x0) / (y1 - y0)
            if x > q[0]:
                w += 1 if y1 > y0 else -1
    return w


def test_planar_hole_loop_of_a_square_annulus_winds_once():
    full, coords = _grid_annulus(3)
    middle = next(i for i, c in enumerate(coords[2]) if tuple(c) == (3, 3))
    X = [range(full.n_cells[0]), range(full.n_cells[1]),
         [i for i in range(full.n_cells[2]) if i != middle]]
    gens = subcomplex_generators(full, X)
    assert orders(gens) == [[None], [None], []]
    loop = gens[1][0].as_dict()
    assert len(loop) == 4                               # the hole's own boundary
    (walk,) = edge_walks(full, loop)
    pts = [tuple(coords[0][v]) for v in walk]           # Khalimsky coordinates: hole at (3, 3)
    assert _winding(pts, (3, 3)) == 1 and _winding(pts, (1, 1)) == 0
    # the Smith form generator (planar loops off) is another loop in the same class
    other = subcomplex_generators(full, X, planar=False)[1][0].as_dict()
    (walk,) = edge_walks(full, other)
    assert abs(_winding([tuple(coords[0][v]) for v in walk], (3, 3))) == 1


def test_planar_loop_with_an_island_is_the_outer_boundary():
    """A 5 × 5 grid without the ring around the centre square: the centre square is an
    island inside the hole; the loop goes around the ring's outside only."""
    img = np.ones((5, 5), dtype=bool)
    cub = CubicalComplex(img)
    full = cub.chain_complex(reduced=False)
    sq = [tuple(c) for c in cub.cell_coordinates(2)]
    ring = {i for i, c in enumerate(sq) if max(abs(c[0] - 5), abs(c[1] - 5)) == 2}
    X = full.n_cells[:2]
    keep = [i for i in range(full.n_cells[2]) if i not in ring]
    faces = full.boundary_matrix(2)
    edges = {e for i in keep for e in faces[i]}
    sub = [range(X[0]), range(X[1]), keep]     # the kept squares and the whole 1-skeleton
    loops = planar_hole_cycles(full, sub)
    # the 1-skeleton inside the ring is in X: holes are the 8 ring squares
    assert len(loops) == 8
    sub = [range(X[0]), sorted(edges), keep]             # now X is the closure of the squares
    verts = {v for e in edges for v in full.boundary_of(1, {e: 1})}
    sub[0] = sorted(verts)
    (loop,) = planar_hole_cycles(full, sub)
    centre = next(i for i, c in enumerate(sq) if c == (5, 5))
    assert len(loop) == 12 and not set(loop) & set(faces[centre])   # the ring's outside only
    gens = subcomplex_generators(full, sub)
    assert orders(gens) == [[None, None], [None], []]


def test_relative_cycles_end_in_a():
    """A path of three edges modulo its two end vertices: H_1 = Z, the path itself."""
    P = simplicial_complex([(0, 1), (1, 2), (2, 3)])
    gens = subcomplex_generators(P, relative_to=[[0, 3], []])
    assert orders(gens) == [[], [None]]
    z = gens[1][0].as_dict()
    assert len(z) == 3 and set(P.boundary_of(1, z)) == {0, 3}


def test_planar_loops_refuse_what_is_not_a_disk():
    T = torus()
    assert planar_hole_cycles(T, [range(9), range(27), []]) is None      # no boundary edge


# ---- random complexes ------------------------------------------------------------------
@st.composite
def random_simplicial(draw):
    n = draw(st.integers(3, 7))
    tris = draw(st.lists(st.tuples(*[st.integers(0, n - 1)] * 3).filter(lambda t: len(set(t)) == 3),
                         max_size=9))
    edges = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1))
                          .filter(lambda e: e[0] != e[1]), max_size=6))
    return simplicial_complex(tris + edges + [(v,) for v in range(n)], dimension=2)


@FAST
@given(random_simplicial())
def test_random_complexes_generators_are_a_basis(C):
    gens = homology_generators(C)       # proved inside (check=True)
    for k, (level, h) in enumerate(zip(gens, C.homology())):
        assert sum(g.order is None for g in level) == h.rank
        assert tuple(g.order for g in level if g.order) == h.torsion
        for g in level:
            assert not C.boundary_of(k, g.as_dict())


@st.composite
def random_cubical(draw):
    m = draw(st.integers(2, 5))
    bits = draw(st.lists(st.booleans(), min_size=m * m, max_size=m * m))
    return np.array(bits, dtype=bool).reshape(m, m)


@FAST
@given(random_cubical())
def test_random_images_loops_wind_around_their_holes(img):
    """Each H_1 generator of a binary image (as a subcomplex of the full grid) winds once
    around its own hole and zero times around the others: Alexander duality made exact."""
    full_cub = CubicalComplex(np.ones(img.shape, dtype=bool))
    full = full_cub.chain_complex(reduced=False)
    coords = [tuple(c) for c in full_cub.cell_coordinates(2)]
    pts0 = [tuple(c) for c in full_cub.cell_coordinates(0)]
    occupied = {i for i, c in enumerate(coords) if img[(c[0] - 1) // 2, (c[1] - 1) // 2]}
    faces = full.boundary_matrix(2)
    edges = sorted({e for i in occupied for e in faces[i]})
    verts = sorted({v for e in edges for v in full.boundary_of(1, {e: 1})})
    X = [verts, edges, sorted(occupied)]
    gens = subcomplex_generators(full, X)
    assert len(gens[1]) == full.restrict(X).homology()[1].rank
    holes = [c for i, c in enumerate(coords) if i not in occupied]
    for g in gens[1]:
        w = [sum(_winding([pts0[v] for v in walk], h) for walk in edge_walks(full, g.as_dict()))
             for h in holes]
        assert set(w) <= {0, 1} and 1 in w

"""Tests of polytopo.topology.homology: known spaces, ∂∂ = 0, Euler characteristics, and the
sparse Smith form against sympy's (an independent dense implementation)."""

import itertools

import networkx as nx
import numpy as np
import pytest
import sympy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sympy import ZZ
from sympy.matrices.normalforms import invariant_factors

from polytopo.topology import snf as _snf
from polytopo.exceptions import InputError, PointlessQuestion
from polytopo.topology.homology import (ChainComplex, HomologyGroup, backend, rank_and_torsion,
                                        simplicial_complex, smith_normal_form)

FAST = settings(max_examples=150, deadline=None,
                suppress_health_check=[HealthCheck.too_slow])


# ---------------------------------------------------------------------------------------
# known spaces (expected answers: Munkres, Elements of Algebraic Topology, §§6–7, 39;
# Hatcher, Algebraic Topology, §2.1–2.2)
# ---------------------------------------------------------------------------------------
def groups(*specs):
    """``groups((1,), (1, 2), 0)`` → [Z, Z ⊕ Z/2, 0]."""
    out = []
    for s in specs:
        s = (s,) if isinstance(s, int) else s
        out.append(HomologyGroup(s[0], tuple(s[1:])))
    return out


RP2 = [(1, 2, 4), (1, 2, 6), (1, 3, 5), (1, 3, 6), (1, 4, 5),
       (2, 3, 4), (2, 3, 5), (2, 5, 6), (3, 4, 6), (4, 5, 6)]  # 6-vertex minimal RP²
TORUS7 = sorted({tuple(sorted({i % 7, (i + 1) % 7, (i + 3) % 7})) for i in range(7)}
                | {tuple(sorted({i % 7, (i + 2) % 7, (i + 3) % 7})) for i in range(7)})
TETRA_BOUNDARY = list(itertools.combinations(range(4), 3))
TRIANGLE = [(0, 1), (1, 2), (0, 2)]


def grid_surface(n, m=None, twist=False, wrap_i=True, wrap_j=True):
    """An n × m grid of squares, each cut into two triangles, with the sides glued.

    ``wrap_i``/``wrap_j`` glue opposite sides (torus); ``twist`` glues the j-sides with
    a flip (Klein bottle). Unwrapped sides keep their boundary (cylinder, disk).
    """
    m = n if m is None else m

    def v(i, j):
        if wrap_j and j == m:
            i, j = (-i if twist else i), 0
        return ((i % n) if wrap_i else i, j)

    facets = []
    for i in range(n):
        for j in range(m):
            facets.append((v(i, j), v(i + 1, j), v(i + 1, j + 1)))
            facets.append((v(i, j), v(i, j + 1), v(i + 1, j + 1)))
    return facets


def moore_space(q):
    """A 2-complex with H_1 = Z/q: a disk whose boundary 3q-gon wraps q times round a triangle."""
    n = 3 * q
    facets = []
    for k in range(n):
        b, b1 = ("b", k), ("b", (k + 1) % n)
        a, a1 = ("a", k % 3), ("a", (k + 1) % 3)
        facets += [(("c", 0), b, b1), (b, b1, a), (b1, a, a1)]
    return facets


def induced(cc, vertices):
    """Indices of the full subcomplex spanned by a set of vertex labels."""
    return [[i for i, s in enumerate(cells) if set(s) <= set(vertices)] for cells in cc.cells]


def naive_homology(cc):
    """Homology from sympy's dense Smith form of each boundary matrix separately."""
    d, n = cc.dimension, cc.n_cells
    rk, tor = [0] * (d + 2), [()] * (d + 2)
    for k in range(1, d + 1):
        f = sympy_factors(cc.boundary_matrix(k, "dense"), n[k - 1], n[k])
        rk[k], tor[k] = len(f), tuple(x for x in f if x > 1)
    return [HomologyGroup(n[k] - rk[k] - rk[k + 1], tor[k + 1]) for k in range(d + 1)]


def sympy_factors(dense, n_rows, n_cols):
    if n_rows == 0 or n_cols == 0:
        return ()
    m = sympy.Matrix(n_rows, n_cols, lambda i, j: dense[i][j])
    return tuple(int(abs(x)) for x in invariant_factors(m, domain=ZZ) if x)


def check_invariants(cc):
    assert cc.check_boundary() is True
    h = cc.homology()
    assert len(h) == cc.dimension + 1
    assert all(g.rank >= 0 for g in h)
    assert cc.euler_characteristic() == sum((-1) ** k * n for k, n in enumerate(cc.n_cells))
    assert cc.euler_characteristic() == sum((-1) ** k * b for k, b in enumerate(cc.betti_numbers()))
    return h


KNOWN = {
    "point": ([(0,)], groups(1)),
    "circle": (TRIANGLE, groups(1, 1)),
    "2-sphere": (TETRA_BOUNDARY, groups(1, 0, 1)),
    "disk": ([(0, 1, 2)], groups(1, 0, 0)),
    "3-ball": ([(0, 1, 2, 3)], groups(1, 0, 0, 0)),
    "RP2": (RP2, groups(1, (0, 2), 0)),
    "torus (7 vertices)": (TORUS7, groups(1, 2, 1)),
    "torus (3x3 grid)": (grid_surface(3), groups(1, 2, 1)),
    "Klein bottle (3x3)": (grid_surface(3, twist=True), groups(1, (1, 2), 0)),
    "Klein bottle (4x5)": (grid_surface(4, 5, twist=True), groups(1, (1, 2), 0)),
    "wedge of two circles": ([(0, 1), (1, 2), (0, 2), (0, 3), (3, 4), (0, 4)], groups(1, 2)),
    "three disjoint points": ([(0,), (1,), (2,)], groups(3)),
    "circle + sphere + point": (TRIANGLE + [tuple(x + 10 for x in f) for f in TETRA_BOUNDARY]
                                + [(99,)], groups(3, 1, 1)),
    "Moore space M(Z/3, 1)": (moore_space(3), groups(1, (0, 3), 0)),
    "cylinder": (grid_surface(3, 2, wrap_j=False), groups(1, 1, 0)),
}


@pytest.mark.parametrize("name", list(KNOWN))
def test_known_spaces(name):
    facets, expected = KNOWN[name]
    cc = ChainComplex.from_simplices(facets)
    assert check_invariants(cc) == expected
    assert naive_homology(cc) == expected


def test_rp2_strings_and_json():
    h = simplicial_complex(RP2).homology()
    assert [str(g) for g in h] == ["Z", "Z/2", "0"]
    assert [g.to_json() for g in h] == [{"rank": 1, "torsion": []},
                                        {"rank": 0, "torsion": [2]},
                                        {"rank": 0, "torsion": []}]
    assert all(type(x) is int for g in h for x in [g.rank, *g.torsion])


def test_three_torus_grid():
    from itertools import permutations, product

    n = 4
    v = lambda p: tuple(x % n for x in p)  # noqa: E731
    facets = []
    for base in product(range(n), repeat=3):
        for perm in permutations(range(3)):
            p, verts = list(base), [v(base)]
            for axis in perm:
                p[axis] += 1
                verts.append(v(p))
            facets.append(tuple(verts))
    cc = simplicial_complex(facets)
    assert cc.n_cells == [64, 448, 768, 384]
    assert check_invariants(cc) == groups(1, 3, 3, 1)


def test_large_torus_fast():
    cc = simplicial_complex(grid_surface(40))
    assert cc.homology() == groups(1, 2, 1)


def test_components_counted():
    cc = simplicial_complex([(0, 1), (2, 3), (3, 4), (5,), (6, 7, 8)])
    assert cc.homology()[0] == HomologyGroup(4)


# ---------------------------------------------------------------------------------------
# relative homology and subcomplexes
# ---------------------------------------------------------------------------------------
def test_disk_mod_boundary_is_sphere():
    disk = simplicial_complex(grid_surface(3, 3, wrap_i=False, wrap_j=False))
    boundary = [s for s in disk.cells[1]
                if sum(1 for f in disk.cells[2] if set(s) <= set(f)) == 1]
    verts = sorted({v for s in boundary for v in s})
    sub = [[disk.cells[0].index((v,)) for v in verts],
           [disk.cells[1].index(s) for s in boundary]]
    assert disk.restrict(sub).homology() == groups(1, 1, 0)
    assert disk.relative_homology(sub) == groups(0, 0, 1)
    assert disk.relative(sub).euler_characteristic() == \
        disk.euler_characteristic() - disk.restrict(sub).euler_characteristic()


def test_cylinder_mod_one_end_is_trivial():
    cyl = simplicial_complex(grid_surface(4, 3, wrap_j=False))
    end = induced(cyl, [(i, 0) for i in range(4)])
    assert cyl.restrict(end).homology() == groups(1, 1, 0)
    assert cyl.relative_homology(end) == groups(0, 0, 0)
    both = induced(cyl, [(i, j) for i in range(4) for j in (0, 3)])
    assert cyl.relative_homology(both) == groups(0, 1, 1)  # H(S¹×I, S¹×∂I)


def test_relative_keeps_labels_and_dimension():
    disk = simplicial_complex([(0, 1, 2)])
    rel = disk.relative([[0], []])
    assert rel.cells[0] == ((1,), (2,))
    assert rel.dimension == 2
    assert rel.homology() == groups(0, 0, 0)
    empty = disk.restrict([])
    assert empty.n_cells == [0, 0, 0] and empty.homology() == groups(0, 0, 0)


def test_not_a_subcomplex():
    disk = simplicial_complex([(0, 1, 2)])
    with pytest.raises(InputError, match="not a subcomplex"):
        disk.relative([[0, 1], [0, 1]])  # edge (0, 2) needs vertex 2
    with pytest.raises(InputError, match="out of range"):
        disk.restrict([[5]])
    with pytest.raises(InputError):
        disk.restrict([[0], [], [], []])


def test_reduced_homology():
    assert simplicial_complex([(0,)]).reduced_homology() == groups(0)
    assert all(g.is_trivial for g in simplicial_complex([(0, 1, 2, 3)]).reduced_homology())
    assert simplicial_complex(TETRA_BOUNDARY).reduced_homology() == groups(0, 0, 1)
    assert simplicial_complex([(0,), (1,)]).reduced_homology() == groups(1)
    disk = simplicial_complex([(0, 1, 2)])
    with pytest.raises(PointlessQuestion):
        disk.relative([[0], []]).reduced_homology()
    with pytest.raises(PointlessQuestion):
        simplicial_complex([]).reduced_homology()


# ---------------------------------------------------------------------------------------
# construction, validation, ∂∂ = 0
# ---------------------------------------------------------------------------------------
def test_from_matrices_dense_forms():
    d1 = [[-1, 0, 1], [1, -1, 0], [0, 1, -1]]
    for mats in ([d1], [np.array(d1)], [sympy.Matrix(d1)]):
        assert ChainComplex.from_matrices(mats).homology() == groups(1, 1)
    c = ChainComplex.from_matrices([np.zeros((1, 0), dtype=int), np.zeros((0, 2), dtype=int)])
    assert c.n_cells == [1, 0, 2] and c.homology() == groups(1, 0, 2)
    c = ChainComplex.from_matrices([[[0, 0]], [[2], [-2]]])
    assert c.homology() == groups(1, (1, 2), 0)
    with pytest.raises(InputError, match="rows"):
        ChainComplex.from_matrices([[[1, 1]], [[1]]])
    with pytest.raises(InputError, match="integer"):
        ChainComplex.from_matrices([[[0.5]]])
    with pytest.raises(InputError):
        ChainComplex.from_matrices([])


def test_boundary_matrix_formats():
    cc = simplicial_complex(TETRA_BOUNDARY)
    for k in range(3):
        dense = cc.boundary_matrix(k, "dense")
        assert cc.boundary_matrix(k, "sympy").tolist() == dense
        if k:
            assert cc.boundary_matrix(k, "scipy").toarray().tolist() == dense
            assert [{r: v for r, v in enumerate(col) if v} for col in zip(*dense)] == \
                cc.boundary_matrix(k)
    with pytest.raises(InputError):
        cc.boundary_matrix(3)
    with pytest.raises(InputError):
        cc.boundary_matrix(1, "csv")


def test_constructor_validation():
    with pytest.raises(InputError, match="out of range"):
        ChainComplex([[{}], [{1: 1}]])
    with pytest.raises(InputError, match="integer"):
        ChainComplex([[{}], [{0: 1.0}]])
    with pytest.raises(InputError, match="integer"):
        ChainComplex([[{}], [{0: True}]])
    with pytest.raises(InputError, match="empty boundary"):
        ChainComplex([[{0: 1}]])
    with pytest.raises(InputError):
        ChainComplex("nope")
    with pytest.raises(InputError, match="cells"):
        ChainComplex([[{}]], cells=[["a", "b"]])
    assert ChainComplex([[{}], [{0: 0}]]).n_cells == [1, 1]  # zero coefficients dropped
    assert ChainComplex([]).homology() == []


def test_simplicial_validation():
    with pytest.raises(InputError, match="repeated"):
        simplicial_complex([(0, 0, 1)])
    with pytest.raises(InputError, match="empty"):
        simplicial_complex([()])
    with pytest.raises(InputError, match="sortable"):
        simplicial_complex([(0, "a")])
    with pytest.raises(InputError, match="dimension"):
        simplicial_complex([(0, 1, 2)], dimension=1)
    assert simplicial_complex([(0, 1)], dimension=3).n_cells == [2, 1, 0, 0]
    assert simplicial_complex([("x", "y")]).cells == [(("x",), ("y",)), (("x", "y"),)]


def test_check_boundary_raises():
    bad = ChainComplex([[{}, {}, {}], [{0: -1, 1: 1}, {1: -1, 2: 1}, {0: -1, 2: 1}],
                        [{0: 1, 1: 1, 2: 1}]])
    with pytest.raises(InputError, match="∂_1 ∂_2"):
        bad.check_boundary()
    with pytest.raises(InputError):
        bad.homology()


def test_homology_group_values():
    assert str(HomologyGroup(3, (2, 2, 4))) == "Z^3 ⊕ Z/2 ⊕ Z/2 ⊕ Z/4"
    assert HomologyGroup(0).is_trivial and not HomologyGroup(0, (5,)).is_trivial
    assert HomologyGroup.from_json(HomologyGroup(1, (3,)).to_json()) == HomologyGroup(1, (3,))
    for bad in [(-1, ()), (0, (1,)), (0, (2, 3)), (0, (0,))]:
        with pytest.raises(InputError):
            HomologyGroup(*bad)
    with pytest.raises(Exception):
        HomologyGroup(1).rank = 2  # frozen


def test_backend_named():
    assert "unit-pivot" in backend()


# ---------------------------------------------------------------------------------------
# Smith normal form against sympy
# ---------------------------------------------------------------------------------------
def matrices(values):
    return st.integers(0, 7).flatmap(lambda r: st.integers(0, 7).flatmap(
        lambda c: st.lists(st.lists(values, min_size=c, max_size=c), min_size=r, max_size=r)
        .map(lambda rows, c=c: (rows, len(rows), c))))


UNITS = st.sampled_from([0, 0, 0, 1, -1, 1, -1, 2])
NO_UNITS = st.sampled_from([0, 0, 2, -2, 3, 4, 6, -6, 9, 12, 30])
BIG = st.integers(-10 ** 12, 10 ** 12)
SMALL = st.integers(-5, 5)


@FAST
@given(st.one_of(matrices(UNITS), matrices(NO_UNITS), matrices(BIG), matrices(SMALL)))
def test_snf_matches_sympy(mat):
    rows, nr, nc = mat
    expected = sympy_factors(rows, nr, nc)
    assert expected == tuple(sorted(expected, key=abs))  # sympy's order is divisibility order
    got = smith_normal_form(rows)
    assert got == expected
    cols = [{i: rows[i][j] for i in range(nr) if rows[i][j]} for j in range(nc)]
    assert smith_normal_form(cols, n_rows=nr) == expected
    assert rank_and_torsion(cols, n_rows=nr) == (len(expected), tuple(t for t in expected if t > 1))
    assert all(b % a == 0 for a, b in zip(got, got[1:]))


def test_snf_examples_and_errors():
    assert smith_normal_form(np.array([[2, 4, 4], [-6, 6, 12], [10, -4, -16]])) == (2, 6, 12)
    assert smith_normal_form(sympy.Matrix([[6, 0], [0, 4]])) == (2, 12)
    assert smith_normal_form([{0: 2}, {1: 3}]) == (1, 6)
    with pytest.raises(InputError):
        smith_normal_form([{3: 1}], n_rows=2)
    with pytest.raises(InputError):
        smith_normal_form([{0: "1"}])


class _SympyAsFlint:
    """Stands in for ``flint.fmpz_mat`` (same constructor and ``snf``), computed by sympy."""

    def __init__(self, nr, nc, flat):
        self.m = sympy.Matrix(nr, nc, flat)

    def snf(self):
        from sympy.matrices.normalforms import smith_normal_form as snf

        return snf(self.m, domain=ZZ)


def test_flint_path_gives_the_same_answers(monkeypatch):
    before = [simplicial_complex(RP2).homology(), smith_normal_form([[2, 4], [6, 8], [4, 4]])]
    monkeypatch.setattr(_snf, "FLINT_MAT", _SympyAsFlint)
    assert "flint" in backend()
    after = [simplicial_complex(RP2).homology(), smith_normal_form([[2, 4], [6, 8], [4, 4]])]
    assert before == after == [groups(1, (0, 2), 0), (2, 4)]


def test_divisibility_chain():
    assert _snf._divisibility_chain([12, 8, 18]) == [2, 12, 72]
    assert _snf._divisibility_chain([2, 3]) == [1, 6]


# ---------------------------------------------------------------------------------------
# random simplicial complexes
# ---------------------------------------------------------------------------------------
FACETS = st.lists(st.sets(st.integers(0, 6), min_size=1, max_size=4).map(sorted).map(tuple),
                  min_size=1, max_size=9)


@FAST
@given(FACETS)
def test_random_complex_against_naive(facets):
    cc = simplicial_complex(facets)
    h = check_invariants(cc)
    assert h == naive_homology(cc)
    graph = nx.Graph()
    graph.add_nodes_from(v for (v,) in cc.cells[0])
    if cc.dimension >= 1:
        graph.add_edges_from(cc.cells[1])
    assert h[0] == HomologyGroup(nx.number_connected_components(graph))


@FAST
@given(FACETS, st.sets(st.integers(0, 6)), st.data())
def test_random_pair(facets, vertices, data):
    X = simplicial_complex(facets)
    sub = induced(X, vertices)
    extra = data.draw(st.sets(st.sampled_from(range(len(X.cells[1]))) if X.dimension >= 1
                              and X.cells[1] else st.nothing()))
    if extra:  # add some edges and their vertices: still a subcomplex
        ends = {v for e in extra for v in X.cells[1][e]}
        sub[0] = sorted(set(sub[0]) | {X.cells[0].index((v,)) for v in ends})
        sub[1] = sorted(set(sub[1]) | extra)
    A, rel = X.restrict(sub), X.relative(sub)
    assert A.check_boundary() and rel.check_boundary()
    assert rel.euler_characteristic() == X.euler_characteristic() - A.euler_characteristic()
    bA, bX, bXA = A.betti_numbers(), X.betti_numbers(), rel.betti_numbers()
    # long exact sequence … → H_k(A) → H_k(X) → H_k(X, A) → H_{k-1}(A) → …: its
    # alternating sum of ranks vanishes, and every group is at most the sum of its neighbours
    assert sum((-1) ** k * (bA[k] - bX[k] + bXA[k]) for k in range(len(bX))) == 0
    for k in range(len(bX)):
        assert bX[k] <= bA[k] + bXA[k]
        assert bXA[k] <= bX[k] + (bA[k - 1] if k else 0)
    assert rel.homology() == naive_homology(rel)
    # the restriction is the complex generated by A's simplices, built independently
    simplices = [s for cells in A.cells for s in cells]
    if simplices:
        assert A.homology()[:len(simplicial_complex(simplices).homology())] == \
            simplicial_complex(simplices).homology()


@FAST
@given(FACETS.filter(lambda fs: any(len(f) >= 3 for f in fs)), st.data())
def test_broken_sign_is_detected(facets, data):
    cc = simplicial_complex(facets)
    cols = [cc.boundary_matrix(k) for k in range(cc.dimension + 1)]
    k = data.draw(st.sampled_from([k for k in range(2, cc.dimension + 1) if cols[k]]))
    j = data.draw(st.sampled_from(range(len(cols[k]))))
    r = data.draw(st.sampled_from(sorted(cols[k][j])))
    cols[k][j][r] = -cols[k][j][r]
    with pytest.raises(InputError, match="≠ 0"):
        ChainComplex(cols).check_boundary()


@FAST
@given(st.lists(st.sets(st.integers(0, 9), min_size=2, max_size=3).map(sorted).map(tuple),
                min_size=1, max_size=14),
       st.integers(1, 4))
def test_scaled_boundaries_give_torsion(facets, scale):
    """Multiplying ∂_2 by q keeps ∂∂ = 0 and puts Z/q-torsion in the cycles it bounds."""
    cc = simplicial_complex(facets, dimension=2)
    cols = [cc.boundary_matrix(k) for k in range(3)]
    cols[2] = [{r: scale * v for r, v in c.items()} for c in cols[2]]
    scaled = ChainComplex(cols)
    assert scaled.check_boundary()
    assert scaled.homology() == naive_homology(scaled)
    factors = smith_normal_form(cc.boundary_matrix(2), cc.n_cells[1])
    assert scaled.homology()[1].torsion == tuple(scale * t for t in factors if scale * t > 1)


# ---------------------------------------------------------------------------------------
# the vectorized pass (collapses and coreductions) and the array form
# ---------------------------------------------------------------------------------------
def _coo(rows, nr, nc):
    entries = [(i, j, rows[i][j]) for i in range(nr) for j in range(nc) if rows[i][j]]
    return (np.array([e[0] for e in entries], dtype=np.int64),
            np.array([e[1] for e in entries], dtype=np.int64),
            _snf._values([e[2] for e in entries]))


@FAST
@given(st.one_of(matrices(UNITS), matrices(SMALL), matrices(BIG)), st.booleans())
def test_peeled_pivots_are_invariant_factors_one(mat, huge):
    """Every pivot the vectorized pass takes is a ±1 alone in its row or column, no two
    share a row or column, the remainder is the matrix with their rows and columns
    deleted, and the Smith form is ``1`` per pivot plus the remainder's (sympy)."""
    rows, nr, nc = mat
    if huge:  # entries beyond int64 (object arrays) next to the units
        rows = [[v if abs(v) <= 1 else v * 2 ** 64 for v in row] for row in rows]
    r, c, v = _coo(rows, nr, nc)
    pr, pc, r2, c2, v2 = _snf.peel(r, c, v, nr, nc)
    pivots = list(zip(pr.tolist(), pc.tolist()))
    assert len({a for a, _ in pivots}) == len({b for _, b in pivots}) == len(pivots)
    assert all(abs(rows[a][b]) == 1 for a, b in pivots)
    gone_r, gone_c = {a for a, _ in pivots}, {b for _, b in pivots}
    left = sorted((i, j, rows[i][j]) for i in range(nr) for j in range(nc)
                  if rows[i][j] and i not in gone_r and j not in gone_c)
    assert sorted(zip(r2.tolist(), c2.tolist(), v2.tolist())) == left
    keep_r = [i for i in range(nr) if i not in gone_r]
    keep_c = [j for j in range(nc) if j not in gone_c]
    rest = [[rows[i][j] for j in keep_c] for i in keep_r]
    assert (1,) * len(pivots) + sympy_factors(rest, len(keep_r), len(keep_c)) == \
        sympy_factors(rows, nr, nc)


def test_peel_stops_on_a_long_path_and_a_cycle():
    # ∂_1 of a path with 10 000 edges collapses from its two ends only, two pivots a round:
    # the pass gives up after one round and the elimination finishes (rank n); a cycle has
    # no pivot for the pass at all (every row and column has two entries): rank n − 1
    n = 10_000
    for cycle in (False, True):
        m = n if cycle else n + 1
        rows = np.concatenate([np.arange(n), (np.arange(n) + 1) % m])
        cols = np.concatenate([np.arange(n), np.arange(n)])
        vals = np.concatenate([-np.ones(n, dtype=np.int64), np.ones(n, dtype=np.int64)])
        pr, pc, r2, _, _ = _snf.peel(rows, cols, vals, m, n)
        if cycle:
            assert len(pr) == 0 and len(r2) == 2 * n
        else:
            assert sorted(pr.tolist()) == [0, n] and len(r2) == 2 * n - 4  # two edges gone
        order = np.argsort(cols, kind="stable")
        indptr = np.arange(0, 2 * n + 1, 2)
        ranks, torsion = _snf.boundary_ranks([None, (indptr, rows[order], vals[order])], [m, n])
        assert ranks[1] == n - 1 if cycle else n
        assert torsion == [(), (), ()]


@FAST
@given(FACETS, st.integers(1, 3))
def test_forced_vectorized_pass_gives_the_same_homology(facets, scale):
    """With the pass forced onto every matrix (it normally starts at 4096 nonzeros), the
    homology equals sympy's, torsion from scaled boundaries included."""
    cc = simplicial_complex(facets, dimension=3)
    cols = [cc.boundary_matrix(k) for k in range(4)]
    cols[2] = [{r: scale * v for r, v in c.items()} for c in cols[2]]
    scaled = ChainComplex(cols)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(_snf, "PEEL_MIN_NNZ", 0)
        got = [ChainComplex(cols).homology(),
               ChainComplex([cc.boundary_matrix(k) for k in range(4)]).homology()]
    assert got == [naive_homology(scaled), naive_homology(cc)]


def _naive_select(cc, keep, quotient):
    """Restriction to (or quotient by) a subcomplex from the column dicts, one cell at a time."""
    sets = [set(ks) for ks in keep]
    cells = [[c for c in range(n) if (c in sets[k]) != quotient] for k, n in enumerate(cc.n_cells)]
    index = [{c: i for i, c in enumerate(cs)} for cs in cells]
    levels = []
    for k, cs in enumerate(cells):
        cols = cc.boundary_matrix(k)
        levels.append([{index[k - 1][r]: v for r, v in sorted(cols[c].items())
                        if r in index[k - 1]} for c in cs])
    return levels, [tuple(cc.cells[k][c] for c in cs) for k, cs in enumerate(cells)]


@FAST
@given(FACETS, st.sets(st.integers(0, 6)), st.sampled_from(["list", "set", "numpy", "range"]))
def test_restrict_and_relative_equal_the_cell_by_cell_reference(facets, vertices, form):
    X = simplicial_complex(facets)
    sub = induced(X, vertices)
    if form == "set":
        sub = [set(s) for s in sub]
    elif form == "numpy":
        sub = [np.array(s, dtype=np.int32) for s in sub]
    elif form == "range" and all(s == list(range(len(s))) for s in sub):
        sub = [range(len(s)) for s in sub]
    for quotient, got in ((False, X.restrict(sub)), (True, X.relative(sub))):
        levels, cells = _naive_select(X, [sorted(s) for s in sub], quotient)
        assert [got.boundary_matrix(k) for k in range(X.dimension + 1)] == levels
        assert got.cells == cells
        assert got.homology() == naive_homology(got)


def test_subcomplex_indices_are_validated():
    X = simplicial_complex([(0, 1, 2)])
    for bad, match in (([[0.0]], "integer"), ([[True]], "integer"), ([np.array([0.5])], "integer"),
                       ([[7]], "out of range"), ([[-1]], "out of range"),
                       ([[0], [0]], "not a subcomplex"), (["01"], "collection")):
        with pytest.raises(InputError, match=match):
            X.restrict(bad)
    assert X.restrict([np.array([0, 1], dtype=np.uint8), [0]]).betti_numbers() == [1, 0, 0]


def test_array_and_dict_forms_agree():
    cols = [{0: 1, 2: -1}, {}, {1: 2 ** 70, 0: 3}, {0: 0, 1: 5}]
    p, i, v = _snf.csc_from_columns(cols)
    assert v.dtype == object and p.tolist() == [0, 2, 2, 4, 5]
    assert _snf.columns_from_csc(p, i, v) == [{0: 1, 2: -1}, {}, {1: 2 ** 70, 0: 3}, {1: 5}]
    small = [{0: 1, 2: -1}, {1: 0}]
    p, i, v = _snf.csc_from_columns(small)
    assert v.dtype == np.int64 and _snf.columns_from_csc(p, i, v) == [{0: 1, 2: -1}, {}]


def test_from_trusted_takes_dicts_or_csc_arrays_and_checks_the_square_unless_told():
    import numpy as np

    circle_cols = [[{}, {}], [{0: -1, 1: 1}, {0: 1, 1: -1}]]
    csc = (np.array([0, 2, 4]), np.array([0, 1, 0, 1]), np.array([-1, 1, 1, -1]))
    labels = [("u", "v"), ("e", "f")]
    a = ChainComplex.from_trusted(circle_cols, labels)
    b = ChainComplex.from_trusted([None, csc], labels)
    c = ChainComplex(circle_cols, cells=labels)
    for cc in (a, b):
        assert cc.cells == c.cells and cc.n_cells == [2, 2]
        assert cc.boundary_matrix(1) == c.boundary_matrix(1)
        assert cc.homology() == c.homology()
    # a boundary with ∂∂ ≠ 0: found before homology, unless the caller vouches for it
    bad = [None, [{0: 1, 1: -1}], [{0: 1}]]
    cells = [(0, 1), (0,), (0,)]
    with pytest.raises(InputError, match="∂_1 ∂_2 ≠ 0"):
        ChainComplex.from_trusted(bad, cells).homology()
    vouched = ChainComplex.from_trusted(bad, cells, zero_square=True)
    assert len(vouched.homology()) == 3               # taken on trust
    with pytest.raises(InputError, match="∂_1 ∂_2 ≠ 0"):
        vouched.check_boundary()                       # an explicit check still checks


def test_simplicial_complexes_are_trusted_but_still_checkable():
    S2 = simplicial_complex([(0, 1, 2), (0, 1, 3), (0, 2, 3), (1, 2, 3)])
    assert S2.check_boundary() is True and S2.betti_numbers() == [1, 0, 1]
    # subcomplexes and quotients of a complex with ∂∂ = 0 keep it
    disk = simplicial_complex([(0, 1, 2)])
    assert disk.relative([range(3), range(3)]).homology()[2].rank == 1
    mixed = ChainComplex.from_trusted(
        [None, [{0: -1, 1: 1}]] + [[]], [(0, 1), (0,), ()])
    assert mixed.n_cells == [2, 1, 0] and mixed.betti_numbers() == [1, 0, 0]

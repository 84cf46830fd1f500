"""Tests of polytopo.complex: face lattices, exact refinement, canonical complexes, homology."""

import itertools
import math
import random
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from polytopo.geometry import lp
from polytopo.complex.cells import Cell, CellComplex
from polytopo.complex.build import canonical_complex
from polytopo.exceptions import InputError, LimitExceeded, PointlessQuestion
from polytopo.network.model import Network
from polytopo.geometry.polytope import Polytope
from polytopo.testing import degenerate_networks, networks, rational_weights

F = Fraction


# ---------------------------------------------------------------------------------------
# helpers: invariants every complex must satisfy
# ---------------------------------------------------------------------------------------
def square():
    return CellComplex.from_box([-1, -1], [1, 1])


def net_from(layers):
    return Network.from_lists(layers)


def hom_ranks(groups):
    assert all(g.torsion == () for g in groups)
    return [g.rank for g in groups]


def check_structure(C, *, face_to_face=None):
    """Facets ⊂ cell, vertex set = union of facet vertex sets, ∂∂ = 0, χ = 1, H = point;
    the homogeneous vertex rows are primitive with ``w > 0`` (the engine never reduces a
    whole row: it divides by the gcd of the coordinates, and the carry follows)."""
    import math

    d = C.dim
    for row in C.homogeneous_vertices().tolist():
        assert int(row[-1]) > 0 and math.gcd(*(int(x) for x in row)) == 1
    for k in range(1, d + 1):
        for c in C.cells(k):
            V = set(C.vertices_of(c))
            facets = C.facets_of(c)
            assert len(facets) >= k + 1
            union = set()
            for f in facets:
                W = set(C.vertices_of(f))
                assert W < V
                assert c in C.cofacets_of(f)
                union |= W
            assert union == V
            if k == 1:
                assert len(V) == 2
    # every (d−1)-cell has one or two cofacets; two exactly when it is interior
    for f in C.cells(d - 1) if d >= 1 else []:
        assert len(C.cofacets_of(f)) in (1, 2)
    assert C.euler_characteristic() == 1
    cc = C.chain_complex()
    assert cc.check_boundary()
    assert hom_ranks(cc.homology()) == [1] + [0] * d
    if face_to_face is None:
        face_to_face = sum(C.f_vector()) <= 400
    if face_to_face:
        check_face_to_face(C)


def check_face_to_face(C):
    """The intersection of the vertex sets of two cells is empty or a common face's."""
    by_set = {}
    for k in range(C.dim + 1):
        for c in C.cells(k):
            by_set[frozenset(C.vertices_of(c))] = c
    sets = list(by_set)
    for a, b in itertools.combinations(sets, 2):
        common = a & b
        if common:
            assert common in by_set, (by_set[a], by_set[b])
            f = by_set[common]
            # f is a face of both
            closure_a = C.faces_of(by_set[a])
            closure_b = C.faces_of(by_set[b])
            assert f.index in closure_a[f.dim] and f.index in closure_b[f.dim]


def check_network_labels(C, net):
    """Every cell's relative interior point has exactly the cell's sign vector."""
    n = net.n_hidden
    for k in range(C.dim + 1):
        for c in C.cells(k):
            p = C.relative_interior_point(c)
            assert net.sign_vector(p) == C.label(c)[:n], (c, p)
            assert net.pattern(p) == C.pattern(c)


def brute_force_regions(net, domain):
    """Activation patterns and exact volumes of all regions: every ± sign vector, one
    exact LP each (interior point), independent of the complex."""
    found = {}
    for signs in itertools.product("+-", repeat=net.n_hidden):
        pattern = "".join(signs)
        A, b = list(domain.A), list(domain.b)
        pos, ok = 0, True
        for w in net.widths:
            M, c = net.preactivation_maps(pattern[:pos])
            for j in range(w):
                if not any(M[j]):
                    ok = ok and ((c[j] >= 0) == (pattern[pos + j] == "+"))
                    continue
                if pattern[pos + j] == "+":
                    A.append(tuple(-x for x in M[j]))
                    b.append(c[j])
                else:
                    A.append(M[j])
                    b.append(-c[j])
            pos += w
        if not ok:
            continue
        q = lp.interior_point(A, b)
        if q is not None:
            found[net.pattern(q)] = Polytope(tuple(A), tuple(b)).volume()
    return found


def random_net(rng, arch, bound=3):
    layers = []
    for n_in, n_out in zip(arch, arch[1:]):
        layers.append(([[rng.randint(-bound, bound) for _ in range(n_in)] for _ in range(n_out)],
                       [rng.randint(-bound, bound) for _ in range(n_out)]))
    return Network.from_lists(layers)


# ---------------------------------------------------------------------------------------
# the domain: face lattices of boxes and polytopes
# ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("d", [1, 2, 3, 4])
def test_box_face_lattice(d):
    C = CellComplex.from_box([0] * d, [1] * d)
    assert C.f_vector() == [2 ** (d - k) * math.comb(d, k) for k in range(d + 1)]
    assert C.dim == d and C.n_regions == 1 and C.n_functions == 0
    check_structure(C, face_to_face=d <= 3)
    assert C.regions()[0].volume == 1
    assert C.regions()[0].pattern == ""


@pytest.mark.parametrize("d", [1, 2, 3])
def test_box_from_polytope_is_the_same_complex(d):
    """Canonical order does not depend on how the complex was built."""
    A = CellComplex.from_box([-1] * d, [F(1, 2)] * d)
    B = CellComplex.from_polytope(Polytope.box([-1] * d, [F(1, 2)] * d))
    assert A.vertices() == B.vertices()
    for k in range(d + 1):
        assert [A.facets_of(c) for c in A.cells(k)] == [B.facets_of(c) for c in B.cells(k)]
        assert [A.vertices_of(c) for c in A.cells(k)] == [B.vertices_of(c) for c in B.cells(k)]
    assert A.chain_complex().boundary_matrix(d) == B.chain_complex().boundary_matrix(d)


@pytest.mark.parametrize("A, b, f", [
    ([[-1, 0], [0, -1], [1, 1]], [0, 0, 1], [3, 3, 1]),                       # triangle
    ([[1, 0], [-1, 0], [0, 1], [0, -1], [1, 1], [-1, -1]], [1, 1, 1, 1, 1, 1], [6, 6, 1]),
    ([[sx, sy, sz] for sx in (-1, 1) for sy in (-1, 1) for sz in (-1, 1)], [1] * 8,
     [6, 12, 8, 1]),                                                          # octahedron
    ([[-1, 0, 0], [0, -1, 0], [0, 0, -1], [1, 1, 1]], [0, 0, 0, 1], [4, 6, 4, 1]),
])
def test_polytope_face_lattice(A, b, f):
    P = Polytope.from_lists(A, b)
    C = CellComplex.from_polytope(P)
    assert C.f_vector() == f
    check_structure(C)
    assert C.regions()[0].volume == P.volume()


def test_bad_domains():
    with pytest.raises(InputError):
        CellComplex.from_box([0, 0], [1])
    with pytest.raises(InputError):
        CellComplex.from_box([0], [0])
    with pytest.raises(InputError):  # lower-dimensional
        CellComplex.from_polytope(Polytope.from_lists([[1, 0], [-1, 0]], [0, 0]))


# ---------------------------------------------------------------------------------------
# hand-checkable refinements of a square and a cube
# ---------------------------------------------------------------------------------------
def test_one_line():
    C = square().refine_by_hyperplane([1, 0], 0)
    assert C.f_vector() == [6, 7, 2]
    assert [r.label for r in C.regions()] == ["+", "-"]
    assert [r.volume for r in C.regions()] == [2, 2]
    zero = C.subcomplex_where(lambda s: s == (0,))
    assert [len(z) for z in zero] == [2, 1, 0]
    check_structure(C)


def test_two_crossing_lines():
    C = square().refine_by_hyperplane([1, 0], 0).refine_by_hyperplane([0, 1], 0)
    assert C.f_vector() == [9, 12, 4]
    assert [r.label for r in C.regions()] == ["++", "+-", "-+", "--"]
    assert all(r.volume == 1 for r in C.regions())
    assert C.label(Cell(0, C.vertices().index((0, 0)))) == (0, 0)
    check_structure(C)


def test_line_through_two_corners():
    C = square().refine_by_hyperplane([1, 1], 0)
    assert C.f_vector() == [4, 5, 2]
    assert sorted(C.label(c) for c in C.cells(0)) == [(-1,), (0,), (0,), (1,)]
    assert [r.volume for r in C.regions()] == [2, 2]
    check_structure(C)


@pytest.mark.parametrize("scale", [1, 2, F(1, 3), -1, -5])
def test_duplicate_hyperplane(scale):
    once = square().refine_by_hyperplane([1, 2], F(1, 2))
    twice = once.refine_by_hyperplane([scale, 2 * scale], scale / 2)
    assert twice.f_vector() == once.f_vector() == [6, 7, 2]
    s = 1 if scale > 0 else -1
    for k in range(3):
        for c in twice.cells(k):
            a, b = twice.label(c)
            assert b == s * a
    check_structure(twice)


@pytest.mark.parametrize("lines, f", [
    ([([1, 0], 0), ([0, 1], 0), ([1, -1], 0)], [9, 14, 6]),     # one through two corners
    ([([1, 0], 0), ([0, 1], 0), ([1, -2], 0)], [11, 16, 6]),    # concurrent, no corner
    ([([1, 0], 0), ([0, 1], 0), ([1, -2], F(1, 2))], [13, 19, 7]),  # general position
    ([([1, 0], 0), ([1, 0], 0), ([0, 1], 0), ([0, -3], 0)], [9, 12, 4]),  # duplicates
])
def test_line_arrangements(lines, f):
    C = square()
    for a, c in lines:
        C = C.refine_by_hyperplane(a, c)
    assert C.f_vector() == f
    assert len({r.label for r in C.regions()}) == f[2]
    assert sum(r.volume for r in C.regions()) == 4
    check_structure(C)


def test_hyperplane_touching_a_corner_or_an_edge():
    C = square().refine_by_hyperplane([1, 1], -2)  # meets the square in the corner (1, 1)
    assert C.f_vector() == [4, 4, 1]
    assert sorted(C.label(c) for c in C.cells(0)) == [(-1,)] * 3 + [(0,)]
    assert C.label(Cell(2, 0)) == (-1,)
    C = square().refine_by_hyperplane([1, 0], -1)  # contains the edge x = 1
    assert C.f_vector() == [4, 4, 1]
    assert sorted(C.label(c) for c in C.cells(1)) == [(-1,)] * 3 + [(0,)]


def test_dead_and_zero_functions():
    dead = square().refine(lambda x: -1)
    assert dead.f_vector() == [4, 4, 1]
    assert all(dead.label(c) == (-1,) for k in range(3) for c in dead.cells(k))
    zero = square().refine([0, 0, 0, 0])
    assert zero.f_vector() == [4, 4, 1]
    assert all(zero.label(c) == (0,) for k in range(3) for c in zero.cells(k))
    assert zero.functions == (("function", "function"),)


def test_refine_values_and_errors():
    C = square()
    by_values = C.refine([x + y for x, y in C.vertices()])
    by_plane = C.refine_by_hyperplane([1, 1], 0)
    assert by_values.vertices() == by_plane.vertices()
    assert by_values.f_vector() == by_plane.f_vector()
    assert C.f_vector() == [4, 4, 1]  # refinements return new complexes
    with pytest.raises(InputError):
        C.refine([1, 2])
    with pytest.raises(InputError):
        C.refine(["x", 0, 0, 0])
    with pytest.raises(InputError):
        C.refine_by_hyperplane([1], 0)
    with pytest.raises(InputError):
        C.label((3, 0))
    with pytest.raises(InputError):
        C.vertices_of((0, 4))
    with pytest.raises(InputError):
        C.facets_of("cell")


def test_rational_interpolation_is_exact():
    C = CellComplex.from_box([0], [1]).refine_by_hyperplane([3], -1)
    assert C.vertices() == ((F(1),), (F(0),), (F(1, 3),))
    C = C.refine_by_hyperplane([F(10 ** 20 + 1, 10 ** 20)], F(-1, 3))
    p = F(1, 3) / F(10 ** 20 + 1, 10 ** 20)
    assert (p,) in C.vertices() and C.n_regions == 3


def test_nearly_parallel_lines_meet_exactly():
    """Two lines meeting at a angle of 1e-30: float tools merge them; we must not."""
    eps = F(1, 10 ** 30)
    C = square().refine_by_hyperplane([1, -1], 0).refine_by_hyperplane([1, -1 - eps], 0)
    assert C.n_regions == 4
    assert C.f_vector() == [7, 10, 4]  # corners + (1, 1/(1+eps)) + (-1, ...) + origin
    check_structure(C)


@pytest.mark.parametrize("a, c, f", [
    ([1, 0, 0], 0, [12, 20, 11, 2]),
    ([1, 1, 1], 0, [14, 24, 13, 2]),   # hexagonal cut
    ([1, -1, 0], 0, [8, 14, 9, 2]),    # through four vertices
    ([1, 1, 1], -3, [8, 12, 6, 1]),    # touches one corner
    ([1, 1, 0], -2, [8, 12, 6, 1]),    # contains one edge
])
def test_cube_cuts(a, c, f):
    C = CellComplex.from_box([-1] * 3, [1] * 3).refine_by_hyperplane(a, c)
    assert C.f_vector() == f
    assert sum(r.volume for r in C.regions()) == 8
    check_structure(C)


def test_orientation_of_segment_and_square():
    C = CellComplex.from_box([0], [1])
    assert C.boundary((1, 0)) == {Cell(0, 0): -1, Cell(0, 1): 1}
    S = square()
    top = S.boundary((2, 0))
    assert len(top) == 4 and sorted(top.values()) == [-1, -1, 1, 1]
    # the boundary of the square is a cycle: coefficients of each vertex cancel
    acc = {}
    for e, s in top.items():
        for v, t in S.boundary(e).items():
            acc[v] = acc.get(v, 0) + s * t
    assert set(acc.values()) == {0}


def test_relative_homology_and_subcomplexes():
    C = square().refine_by_hyperplane([1, 0], 0)
    boundary = C.closure([c for c in C.cells(1) if len(C.cofacets_of(c)) == 1])
    assert hom_ranks(C.homology(boundary)) == [1, 1, 0]            # a circle
    assert hom_ranks(C.relative_homology(boundary)) == [0, 0, 1]   # disk / circle = S^2
    right = C.subcomplex_where(lambda s: s[0] >= 0, dim=2)
    assert hom_ranks(C.homology(right)) == [1, 0, 0]
    # H(right half, right half ∩ boundary circle): a disk relative to an arc: zero
    arc = [set(a) & set(r) for a, r in zip(boundary, right)]
    assert hom_ranks(C.relative_homology(arc, within=right)) == [0, 0, 0]
    assert hom_ranks(C.relative_homology(boundary, within=right)) == [0, 0, 0]
    two_points = [{0, 1}, set(), set()]
    segment = C.closure([(1, 0)])
    assert C.relative_chain_complex(two_points, within=segment).n_cells[0] == 2 - len(
        two_points[0] & segment[0])
    with pytest.raises(InputError):
        C.chain_complex([set(), {0}, set()])  # an edge without its vertices


# ---------------------------------------------------------------------------------------
# arrangements in general position: Zaslavsky's count
# ---------------------------------------------------------------------------------------
def _solve2(l1, l2):
    (a1, b1, c1), (a2, b2, c2) = l1, l2
    det = a1 * b2 - a2 * b1
    if det == 0:
        return None
    return (F(c1 * b2 - c2 * b1, det), F(a1 * c2 - a2 * c1, det))


def general_lines(rng, n):
    """n lines a x + b y = c, every crossing strictly inside (−1, 1)², no three concurrent,
    no line through a corner, all boundary points distinct."""
    while True:
        lines = []
        while len(lines) < n:
            a, b = rng.randint(-9, 9), rng.randint(-9, 9)
            if (a, b) == (0, 0):
                continue
            c = F(rng.randint(-9, 9), 40) * (abs(a) + abs(b))
            lines.append((a, b, c))
        points = []
        ok = True
        for l1, l2 in itertools.combinations(lines, 2):
            p = _solve2(l1, l2)
            if p is None or not all(-1 < x < 1 for x in p):
                ok = False
                break
            points.append(p)
        if not ok or len(set(points)) != len(points):
            continue
        hits = []
        for a, b, c in lines:  # boundary points: none at a corner, all distinct
            for side in (-1, 1):
                if b and -1 <= F(c - a * side, b) <= 1:
                    hits.append((F(side), F(c - a * side, b)))
                if a and -1 <= F(c - b * side, a) <= 1:
                    hits.append((F(c - b * side, a), F(side)))
        if any(abs(x) == 1 and abs(y) == 1 for x, y in hits) or len(set(hits)) != 2 * n:
            continue
        return lines


@pytest.mark.parametrize("n", [1, 2, 3, 5, 8])
def test_zaslavsky_lines(n):
    rng = random.Random(n)
    C = square()
    for a, b, c in general_lines(rng, n):
        C = C.refine_by_hyperplane([a, b], -c)
    pairs = math.comb(n, 2)
    assert C.f_vector() == [4 + 2 * n + pairs, 4 + 2 * n + n * n, 1 + n + pairs]
    assert len({r.label for r in C.regions()}) == 1 + n + pairs
    check_structure(C, face_to_face=n <= 3)


def general_planes(rng, n):
    """n planes with every triple meeting in one point inside (−1, 1)³, no four concurrent."""
    from polytopo.geometry.exact import solve

    while True:
        planes = [([rng.randint(-6, 6) for _ in range(3)], F(rng.randint(-3, 3), 10))
                  for _ in range(n)]
        ok, points = True, []
        for trip in itertools.combinations(planes, 3):
            try:
                p = solve([a for a, _ in trip], [c for _, c in trip])
            except ValueError:
                ok = False
                break
            if not all(-1 < x < 1 for x in p):
                ok = False
                break
            points.append(p)
        if ok and len(set(points)) == len(points):
            return planes


@pytest.mark.parametrize("n", [3, 4, 6])
def test_zaslavsky_planes(n):
    rng = random.Random(10 + n)
    C = CellComplex.from_box([-1] * 3, [1] * 3)
    for a, c in general_planes(rng, n):
        C = C.refine_by_hyperplane(a, -c)
    assert C.n_regions == sum(math.comb(n, i) for i in range(4))
    check_structure(C, face_to_face=False)


# ---------------------------------------------------------------------------------------
# networks: the canonical complex against an independent brute force
# ---------------------------------------------------------------------------------------
def test_two_layer_hand_example():
    net = net_from([([[1, 0], [0, 1]], [0, 0]), ([[1, -1]], [0]), ([[1]], [0])])
    C = canonical_complex(net, Polytope.cube(2))
    # layer 2: relu(x) - relu(y) is zero on the quadrant x, y ≤ 0 and on the ray x = y > 0
    assert [r.pattern for r in C.regions()] == ["+++", "++-", "+-+", "-+-", "--0"]
    assert [r.volume for r in C.regions()] == [F(1, 2), F(1, 2), 1, 1, 1]
    check_structure(C)
    check_network_labels(C, net)


@pytest.mark.parametrize("seed", range(12))
def test_random_two_layer_nets_against_brute_force(seed):
    rng = random.Random(seed)
    d = 1 + seed % 3
    arch = [d, rng.randint(1, 4), rng.randint(1, 3), 1]
    net = random_net(rng, arch)
    domain = Polytope.cube(d, -2, 2)
    C = canonical_complex(net, domain)
    expected = brute_force_regions(net, domain)
    got = {r.pattern: r.volume for r in C.regions()}
    assert got == expected
    assert [r.pattern for r in C.regions()] == sorted(expected)
    check_network_labels(C, net)


@pytest.mark.parametrize("seed", range(6))
def test_agrees_with_lp_traversal(seed):
    from polytopo.regions.traversal import regions

    rng = random.Random(100 + seed)
    d = 2 + seed % 2
    net = random_net(rng, [d, 4, 3, 1], bound=4)
    domain = Polytope.cube(d, -3, 3)
    ours = [(r.pattern, r.volume) for r in canonical_complex(net, domain).regions()]
    theirs = [(r.pattern, r.volume) for r in regions(net, domain)]
    assert ours == theirs


def test_non_box_domain():
    triangle = Polytope.from_lists([[-1, 0], [0, -1], [1, 1]], [0, 0, 1])
    net = net_from([([[1, -1], [2, 1]], [0, -1]), ([[1, 1]], [0])])
    C = canonical_complex(net, triangle)
    assert sum(r.volume for r in C.regions()) == F(1, 2)
    assert {r.pattern: r.volume for r in C.regions()} == brute_force_regions(net, triangle)
    check_structure(C)
    check_network_labels(C, net)


def test_default_domain_progress_and_limits():
    net = net_from([([[1, 0], [0, 1], [1, 1]], [0, 0, 0]), ([[1, 1, 1]], [0])])
    calls = []
    C = canonical_complex(net, progress=lambda *a: calls.append(a))
    assert sum(r.volume for r in C.regions()) == 4
    assert calls == [(1, 3, 2), (2, 3, 4), (3, 3, 6)]
    with pytest.raises(LimitExceeded):
        canonical_complex(net, max_regions=3)
    with pytest.raises(InputError):
        canonical_complex(net, Polytope.cube(3))
    with pytest.raises(InputError):  # empty
        canonical_complex(net, Polytope.from_lists([[1, 0], [-1, 0], [0, 1], [0, -1]],
                                                   [0, -1, 1, 1]))
    with pytest.raises(InputError):  # unbounded
        canonical_complex(net, Polytope.from_lists([[1, 0], [0, 1]], [1, 1]))


def test_identity_network_has_domain_complex():
    net = net_from([([[1]], [5]), ([[1]], [0])])  # neuron positive on the whole domain
    C = canonical_complex(net, Polytope.box([-1], [1]))
    assert C.f_vector() == [2, 1]
    assert [r.pattern for r in C.regions()] == ["+"]


def test_no_hidden_layer():
    net = net_from([([[1, 1]], [0])])
    C = canonical_complex(net, Polytope.cube(2))
    assert C.f_vector() == [4, 4, 1] and C.regions()[0].pattern == ""
    D = canonical_complex(net, Polytope.cube(2), output=True)
    assert D.f_vector() == [4, 5, 2]


def test_output_refinement_and_decision_sets():
    net = net_from([([[1, 0], [-1, 0], [0, 1]], [0, 0, 0]), ([[1, 1, -1]], [F(-1, 2)])])
    C = canonical_complex(net, Polytope.cube(2), output=True)
    assert C.functions[-1] == ("output",)
    assert C.functions[:3] == (("neuron", 1, 0), ("neuron", 1, 1), ("neuron", 1, 2))
    D = canonical_complex(net, Polytope.cube(2)).refine_by_output(net)
    assert D.vertices() == C.vertices() and D.f_vector() == C.f_vector()
    for k in range(3):
        for c in C.cells(k):
            p = C.relative_interior_point(c)
            out = net.forward(p)[0]
            assert C.label(c)[-1] == (out > 0) - (out < 0)
            assert C.label(c)[:3] == net.sign_vector(p)
    pos, neg, zero = (C.decision_subcomplex(w) for w in ("positive", "negative", "zero"))
    for k in range(3):
        assert pos[k] | neg[k] == set(range(C.f_vector()[k]))
        assert pos[k] & neg[k] == zero[k]
    # f = |x| - relu(y) - 1/2 on the square: {f ≥ 0} is two disks (left, right),
    # {f ≤ 0} one disk, {f = 0} two arcs (x = ±1/2 for y ≤ 0, |x| = y + 1/2 above)
    assert hom_ranks(C.homology(pos)) == [2, 0, 0]
    assert hom_ranks(C.homology(neg)) == [1, 0, 0]
    assert hom_ranks(C.homology(zero)) == [2, 0, 0]
    assert [len(z) for z in zero] == [6, 4, 0]
    with pytest.raises(PointlessQuestion):
        canonical_complex(net, Polytope.cube(2)).decision_subcomplex("positive")
    with pytest.raises(InputError):
        C.decision_subcomplex("upward")
    with pytest.raises(InputError):  # already refined by the output
        C.refine_by_output(net)
    wide = net_from([([[1, 0]], [0]), ([[1], [2]], [0, 0])])
    with pytest.raises(PointlessQuestion):
        canonical_complex(wide, Polytope.cube(2), output=True)
    with pytest.raises(PointlessQuestion):
        canonical_complex(wide, Polytope.cube(2)).refine_by_output(wide)


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 3).flatmap(lambda d: st.one_of(
           networks(input_dim=d, max_layers=2, max_width=4),
           networks(input_dim=d, max_layers=2, max_width=3, weights=rational_weights()),
           degenerate_networks(input_dim=d, max_width=4))),
       st.sampled_from([1, F(7, 3), 10 ** 20]))
def test_refining_by_the_output_equals_building_with_it(net, scale):
    """One more insertion into the canonical complex (the output's values at the vertices
    from integer layers) gives exactly the complex built with ``output=True``: the same
    vertices, cells, facets and labels in the same canonical order."""
    domain = Polytope.cube(net.input_dim, -scale, scale)
    a = canonical_complex(net, domain).refine_by_output(net).engine_state()
    b = canonical_complex(net, domain, output=True).engine_state()
    assert np.asarray(a.hom).tolist() == np.asarray(b.hom).tolist() and a.funcs == b.funcs
    for k in range(1, a.d + 1):
        assert a.fp[k].tolist() == b.fp[k].tolist() and a.fi[k].tolist() == b.fi[k].tolist()
    assert [x.tolist() for x in a.lab] == [x.tolist() for x in b.lab]


def test_large_and_tiny_weights():
    big = 10 ** 40
    net = net_from([([[big, 1], [1, -big]], [1, F(1, big)]), ([[big, -1]], [3])])
    C = canonical_complex(net, Polytope.cube(2))
    assert {r.pattern: r.volume for r in C.regions()} == brute_force_regions(net,
                                                                             Polytope.cube(2))
    check_structure(C)
    check_network_labels(C, net)


def test_relu_of_dead_and_constant_neurons():
    # layer 2 neuron 0 reads only a neuron that is dead on x < 0 and has bias 0: it is
    # identically zero there ('0'); neuron 1 is constant negative (dead) everywhere
    net = net_from([([[1]], [0]), ([[1], [0]], [0, -1]), ([[1, 1]], [0])])
    C = canonical_complex(net, Polytope.box([-1], [1]))
    assert [r.pattern for r in C.regions()] == ["++-", "-0-"]
    check_network_labels(C, net)


# ---------------------------------------------------------------------------------------
# property tests on random small integer networks, many degenerate by construction
# ---------------------------------------------------------------------------------------
def _properties(net, domain, *, face_to_face):
    C = canonical_complex(net, domain)
    check_structure(C, face_to_face=face_to_face)
    check_network_labels(C, net)
    regions = C.regions()
    assert sum(r.volume for r in regions) == domain.volume()
    patterns = [r.pattern for r in regions]
    assert len(set(patterns)) == len(patterns) == C.n_regions
    assert patterns == sorted(patterns)
    for r in regions:
        assert net.pattern(r.interior_point) == r.pattern
        assert domain.contains(r.interior_point, strict=True)
    return C


@settings(max_examples=40, deadline=None)
@given(networks(max_layers=2, max_width=4))
def test_properties_random_networks(net):
    d = net.input_dim
    _properties(net, Polytope.cube(d, -2, 2), face_to_face=d <= 2)


@settings(max_examples=40, deadline=None)
@given(degenerate_networks(max_width=3))
def test_properties_degenerate_networks(net):
    d = net.input_dim
    _properties(net, Polytope.cube(d, -2, 2), face_to_face=d <= 2)


@settings(max_examples=25, deadline=None)
@given(networks(max_layers=2, max_width=4), st.randoms(use_true_random=False))
def test_invariant_under_neuron_permutation(net, rnd):
    d = net.input_dim
    domain = Polytope.cube(d, -2, 2)
    C = canonical_complex(net, domain)
    permuted, perms = net, []
    for layer, w in enumerate(net.widths, start=1):
        perm = list(range(w))
        rnd.shuffle(perm)
        permuted = permuted.permuted(layer, perm)
        perms.append(perm)
    P = canonical_complex(permuted, domain)
    assert P.f_vector() == C.f_vector()
    assert set(P.vertices()) == set(C.vertices())

    def unpermute(pattern):
        out, pos = [], 0
        for perm in perms:
            block = pattern[pos:pos + len(perm)]
            orig = [None] * len(perm)
            for i, p in enumerate(perm):
                orig[p] = block[i]
            out += orig
            pos += len(perm)
        return "".join(out)

    assert {unpermute(r.pattern): r.volume for r in P.regions()} == \
        {r.pattern: r.volume for r in C.regions()}


@settings(max_examples=15, deadline=None)
@given(networks(input_dim=2, max_layers=2, max_width=3))
def test_brute_force_property(net):
    domain = Polytope.cube(2, -2, 2)
    got = {r.pattern: r.volume for r in canonical_complex(net, domain).regions()}
    assert got == brute_force_regions(net, domain)


# ---------------------------------------------------------------------------------------
# slower: four dimensions, bigger nets
# ---------------------------------------------------------------------------------------
@pytest.mark.slow
@pytest.mark.parametrize("seed", range(4))
def test_four_dimensional_nets(seed):
    rng = random.Random(seed)
    net = random_net(rng, [4, 4, 3, 1])
    domain = Polytope.cube(4, -2, 2)
    C = _properties(net, domain, face_to_face=False)
    assert {r.pattern: r.volume for r in C.regions()} == brute_force_regions(net, domain)


@pytest.mark.slow
def test_bigger_net_against_lp_traversal():
    from polytopo.regions.traversal import regions

    net = random_net(random.Random(7), [2, 12, 8, 1], bound=5)
    domain = Polytope.cube(2, -10, 10)
    C = canonical_complex(net, domain)
    check_structure(C, face_to_face=False)
    assert [(r.pattern, r.volume) for r in C.regions()] == \
        [(r.pattern, r.volume) for r in regions(net, domain)]


@settings(max_examples=25, deadline=None)
@given(st.integers(24, 34), st.randoms(use_true_random=False))
def test_weights_near_the_int64_boundary(bits, rnd):
    # vertex coordinates and pre-activations of such nets straddle 2**62: some rows of a
    # refinement step fit int64 and others need Python ints; the answer must not notice
    def w():
        return rnd.randint(-(1 << bits), 1 << bits)
    net = net_from([([[w(), w()] for _ in range(3)], [w() for _ in range(3)]),
                    ([[w(), w(), w()] for _ in range(2)], [w(), w()]),
                    ([[w(), w()]], [w()])])
    domain = Polytope.cube(2, -3, 3)
    C = canonical_complex(net, domain)
    assert {r.pattern: r.volume for r in C.regions()} == brute_force_regions(net, domain)
    check_structure(C)
    check_network_labels(C, net)


def _python_columns(C):
    from polytopo.complex import orientation as lat

    vcsr = C._vertex_csr()
    vsets = [None] + [[tuple(idx[a:b]) for a, b in zip(ptr[:-1].tolist(), ptr[1:].tolist())]
                      for ptr, idx in ((p, i.tolist()) for p, i in vcsr[1:])]
    return lat._columns_python(C.dim, C._hom, vsets, C._fp, C._fi, 2)


@pytest.mark.parametrize("d", [2, 3])
@settings(max_examples=30, deadline=None)
@given(data=st.data(), scale=st.sampled_from([1, 10 ** 6, 10 ** 12]))
def test_vectorized_orientation_in_2d_and_3d_equals_the_reference(d, data, scale):
    # the numpy incidences (int64 rows or, for large coordinates, Python ints) agree with
    # the cell-by-cell determinant formula
    net = data.draw(st.one_of(networks(input_dim=d, max_layers=2, max_width=5),
                              degenerate_networks(input_dim=d, max_width=4)))
    C = canonical_complex(net, Polytope.cube(d, -scale, scale), output=net.output_dim == 1)
    cols = [[C.boundary(c) for c in C.cells(k)] for k in range(2, d + 1)]
    assert [[{f.index: s for f, s in col.items()} for col in level] for level in cols] == \
        _python_columns(C)


def _vectorized_columns(C, start=2):
    return [[{f.index: s for f, s in C.boundary(c).items()} for c in C.cells(k)]
            for k in range(start, C.dim + 1)]


@settings(max_examples=25, deadline=None)
@given(st.one_of(networks(input_dim=4, max_layers=2, max_width=4),
                 degenerate_networks(input_dim=4, max_width=3)),
       st.sampled_from([1, 10 ** 6, 10 ** 20]))
def test_vectorized_4d_orientation_equals_the_reference(net, scale):
    # the Plücker-vector incidences (int64 rows, Python-int rows for large values, and
    # all Python ints once coordinates exceed int64) agree with the cell-by-cell frames
    C = canonical_complex(net, Polytope.cube(4, -scale, scale), output=net.output_dim == 1)
    assert _vectorized_columns(C) == _python_columns(C)


@settings(max_examples=8, deadline=None)
@given(st.one_of(networks(input_dim=5, max_layers=2, max_width=3),
                 degenerate_networks(input_dim=5, max_width=3)),
       st.sampled_from([1, 10 ** 6]))
def test_vectorized_5d_orientation_equals_the_reference(net, scale):
    C = canonical_complex(net, Polytope.cube(5, -scale, scale), output=net.output_dim == 1)
    assert _vectorized_columns(C) == _python_columns(C)


@pytest.mark.parametrize("d", [1, 2, 3, 4])
def test_vectorized_orientation_with_huge_coordinates(d):
    # coordinates beyond 2**62 (object arrays throughout), edges included, on a simplex
    from polytopo.complex import orientation as lat

    rnd = random.Random(d)
    layers = [([[rnd.randint(-3, 3) for _ in range(d)] for _ in range(3)],
               [rnd.randint(-3, 3) for _ in range(3)]),
              ([[rnd.randint(-3, 3) for _ in range(3)]], [rnd.randint(-3, 3)])]
    net = net_from(layers)
    big = 10 ** 30
    domain = Polytope.from_lists([[-int(i == j) for j in range(d)] for i in range(d)]
                                 + [[1] * d], [big] * d + [big])
    C = canonical_complex(net, domain)
    assert C._hom and max(abs(x) for h in C._hom for x in h) >= 1 << 62
    vcsr = C._vertex_csr()
    vsets = [None] + [[tuple(idx[a:b]) for a, b in zip(ptr[:-1].tolist(), ptr[1:].tolist())]
                      for ptr, idx in ((p, i.tolist()) for p, i in vcsr[1:])]
    assert _vectorized_columns(C, start=1) == lat._columns_python(d, C._hom, vsets, C._fp,
                                                                   C._fi, 1)


def test_region_volumes_in_one_call_equal_one_by_one():
    net = Network.from_lists([([[1, 2], [-1, 1], [3, -1]], [0, 1, -1]), ([[1, 1, 1]], [0])])
    C = canonical_complex(net, Polytope.cube(2, -3, 3))
    together = C.region_volumes()
    assert together == [C.region_volume(i) for i in range(C.n_regions)]
    assert sum(together) == 36 and C.region_volumes([]) == []
    assert C.region_volumes([2, 0]) == [together[2], together[0]]
    with pytest.raises(IndexError):
        C.region_volumes([C.n_regions])


def test_public_accessors_agree_with_the_cell_queries():
    """homogeneous_vertices, cell_vertices and facet_incidence give, for all cells at
    once, what vertices, vertices_of and facets_of give one by one; read-only."""
    import numpy as np

    net = Network.from_lists([([[1, 2], [Fraction(-1, 3), 1], [3, -1]], [0, 1, -1]),
                              ([[1, -1, 1]], [0])])
    C = canonical_complex(net, Polytope.cube(2, -3, 3), output=True)
    H = C.homogeneous_vertices()
    assert H.shape == (C.f_vector()[0], 3) and (H[:, -1] > 0).all()
    assert [tuple(Fraction(int(x), int(h[-1])) for x in h[:-1]) for h in H.tolist()] == \
        list(C.vertices())
    assert all(math.gcd(*h) == 1 for h in H.tolist())
    for k in range(C.dim + 1):
        ptr, idx = C.cell_vertices(k)
        assert [tuple(idx[a:b].tolist()) for a, b in zip(ptr[:-1], ptr[1:])] == \
            [C.vertices_of(c) for c in C.cells(k)]
        fp, fi = C.facet_incidence(k)
        assert [tuple(fi[a:b].tolist()) for a, b in zip(fp[:-1], fp[1:])] == \
            [tuple(f.index for f in C.facets_of(c)) for c in C.cells(k)]
        for a in (ptr, idx, fp, fi):
            with pytest.raises(ValueError, match="read-only"):
                a[:1] = 7
    with pytest.raises(ValueError, match="read-only"):
        H[0, 0] = 1
    with pytest.raises(InputError, match="no cells of dimension 3"):
        C.cell_vertices(3)
    assert np.array_equal(C.facet_incidence(0)[0], np.zeros(C.f_vector()[0] + 1))


def test_huge_coordinates_come_as_python_ints():
    big = 1 << 70
    C = CellComplex.from_box([0], [Fraction(1, big)])
    H = C.homogeneous_vertices()
    assert H.dtype == object and H.tolist() == [[0, 1], [1, big]]


def test_regions_from_complex_reads_the_regions_off_one_build():
    from polytopo.complex.build import activation_regions, regions_from_complex

    net = Network.from_lists([([[1, 0], [0, 1], [1, 1]], [0, 0, -1]), ([[1, 1, 1]], [0])])
    D = Polytope.cube(2)
    C = canonical_complex(net, D)
    assert regions_from_complex(C, net) == activation_regions(net, D)
    assert regions_from_complex(C, net, layer=1, volumes=False)[0].volume is None
    with pytest.raises(InputError, match="canonical complex of this network"):
        regions_from_complex(C.refine_by_output(net), net)
    with pytest.raises(InputError, match="canonical complex of this network"):
        regions_from_complex(CellComplex.from_box([-1, -1], [1, 1]), net)
    with pytest.raises(TypeError, match="complex must be a CellComplex"):
        regions_from_complex(D, net)


def test_object_checks_live_with_the_complex():
    from polytopo.complex.cells import check_cell, check_complex, check_subcomplex

    C = CellComplex.from_box([0, 0], [1, 1])
    assert check_complex(C) is C and check_cell(C, (1, 3)) == (1, 3)
    with pytest.raises(InputError, match="no 1-cell with index 4"):
        check_cell(C, (1, 4))
    with pytest.raises(InputError, match="A has 4 dimensions, the complex 3"):
        check_subcomplex("A", [[], [], [], []], 2)
    with pytest.raises(TypeError, match=r"A\[1\] must be a collection"):
        check_subcomplex("A", [[0], 3], 2)


@settings(max_examples=30, deadline=None)
@given(st.integers(1, 3).flatmap(lambda d: st.one_of(
           networks(input_dim=d, max_layers=2, max_width=4),
           networks(input_dim=d, max_layers=2, max_width=3, weights=rational_weights()),
           degenerate_networks(input_dim=d, max_width=4))),
       st.integers(1, 7))
def test_refining_by_the_output_in_small_chunks(net, chunk):
    """The output's values computed a few vertices at a time give the same complex."""
    import polytopo.complex.cells as cells

    domain = Polytope.cube(net.input_dim, -1, 1)
    want = canonical_complex(net, domain, output=True).engine_state()
    old, cells.OUTPUT_CHUNK = cells.OUTPUT_CHUNK, chunk
    try:
        got = canonical_complex(net, domain).refine_by_output(net).engine_state()
    finally:
        cells.OUTPUT_CHUNK = old
    assert np.asarray(got.hom).tolist() == np.asarray(want.hom).tolist()
    for k in range(1, got.d + 1):
        assert got.fi[k].tolist() == want.fi[k].tolist()
    assert [x.tolist() for x in got.lab] == [x.tolist() for x in want.lab]


@settings(max_examples=30, deadline=None)
@given(st.integers(1, 4).flatmap(lambda d: st.one_of(
    networks(input_dim=d, max_layers=2, max_width=4),
    degenerate_networks(input_dim=d, max_width=4))))
def test_vertex_rows_from_the_canonical_order_equal_a_fresh_computation(net):
    """The vertex rows :func:`finalize` computes on the way (the ties' key) are those of
    the finished complex, recomputed from its facets; the refined complex's too."""
    from polytopo.complex import state

    C = canonical_complex(net, Polytope.cube(net.input_dim, -3, 3))
    for X in ([C, C.refine_by_output(net)] if net.output_dim == 1 else [C]):
        got = X._vertex_csr()
        want = state.vertex_csr(X.dim, X.f_vector()[0], X._fp, X._fi)
        assert [(p.tolist(), i.tolist()) for p, i in got] == \
            [(p.tolist(), i.tolist()) for p, i in want]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 3), st.sets(st.integers(0, 9), min_size=1, max_size=6)),
                min_size=2, max_size=30, unique_by=lambda t: frozenset(t[1])))
def test_ties_sorted_by_vertex_rows_as_lists(items):
    """The vectorized tie-break orders each run of equal keys by the cells' sorted vertex
    ids compared as Python lists (a proper prefix first), and leaves the rest alone."""
    from polytopo.complex.state import _ties_by_rows, rows_of

    keys = np.array([k for k, _ in items])
    rows = [sorted(v) for _, v in items]
    vp = np.concatenate(([0], np.cumsum([len(r) for r in rows]))).astype(np.int64)
    vi = np.array([x for r in rows for x in r], dtype=np.int64)
    order = np.argsort(keys, kind="stable")
    same = keys[order][1:] == keys[order][:-1]
    tied = np.zeros(len(order), dtype=bool)
    tied[:-1] |= same
    tied[1:] |= same
    got = _ties_by_rows(order, same, tied, lambda c: rows_of(vp, vi, c)) \
        if same.any() else order
    assert got.tolist() == sorted(range(len(items)), key=lambda c: (keys[c], rows[c]))


def _same_state(X, Y):
    from polytopo.complex import state

    a, b = X.engine_state(), Y.engine_state()
    for Z in (X, Y):   # the vertex rows each keeps are those of its facets
        got = Z._vertex_csr()
        want = state.vertex_csr(Z.dim, Z.f_vector()[0], Z._fp, Z._fi)
        assert [(p.tolist(), i.tolist()) for p, i in got] == \
            [(p.tolist(), i.tolist()) for p, i in want]
    assert X.f_vector() == Y.f_vector()
    assert np.asarray(a.hom).tolist() == np.asarray(b.hom).tolist()
    assert [x.tolist() for x in a.lab] == [x.tolist() for x in b.lab]
    assert [x.tolist() for x in a.fp[1:]] == [x.tolist() for x in b.fp[1:]]
    assert [x.tolist() for x in a.fi[1:]] == [x.tolist() for x in b.fi[1:]]
    assert a.funcs == b.funcs


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 4).flatmap(lambda d: st.tuples(
    st.one_of(networks(input_dim=d, max_layers=2, max_width=4),
              degenerate_networks(input_dim=d, max_width=4)),
    st.lists(st.tuples(st.lists(st.integers(-2, 2), min_size=d, max_size=d),
                       st.integers(-2, 2)), min_size=1, max_size=3),
    st.sampled_from([1, 10 ** 20]))))
def test_refinement_on_arrays_equals_the_engine_insertion(args):
    """Refining a finished complex on its arrays gives the complex the refinement
    engine's insertion gives (same canonical state), by the output and by hyperplanes
    with small integer normals (through vertices, along facets, missing the domain),
    in int64 and with coordinates beyond it."""
    net, planes, scale = args
    d = net.input_dim
    C = canonical_complex(net, Polytope.cube(d, -scale, scale))
    if net.output_dim == 1:
        G = _output_values(C, net)
        _same_state(C.refine_by_output(net), C._refined_by_engine(G, ("output",)))
    X = Y = C
    for a, c in planes:
        if not any(a):
            continue
        X = X.refine_by_hyperplane(a, c * scale)
        Y = Y._refined_by_engine(_values_on(Y, a, c * scale), X.functions[-1])
        _same_state(X, Y)


def _values_on(C, a, c):
    rows = C.homogeneous_vertices().tolist()
    d = C.dim
    vals = [sum(x * y for x, y in zip(a, h[:d])) + c * h[d] for h in rows]
    out = np.array(vals, dtype=object)
    return out.astype(np.int64) if all(abs(v) < 2 ** 62 for v in vals) else out


def _output_values(C, net):
    """The output's homogeneous values at the vertices (the complex's own computation)."""
    import polytopo.complex.cells as cells

    got = {}
    saved = cells.CellComplex._refined_values

    def grab(self, G, descriptor):
        got["G"] = G
        return saved(self, G, descriptor)

    cells.CellComplex._refined_values = grab
    try:
        C.refine_by_output(net)
    finally:
        cells.CellComplex._refined_values = saved
    return got["G"]


@settings(max_examples=40, deadline=None)
@given(st.integers(2, 5).flatmap(lambda d: st.tuples(
    st.one_of(networks(input_dim=d, max_layers=2, max_width=4 if d < 5 else 3),
              degenerate_networks(input_dim=d, max_width=3)),
    st.lists(st.tuples(st.lists(st.integers(-2, 2), min_size=d, max_size=d),
                       st.integers(-2, 2)), min_size=1, max_size=2),
    st.sampled_from([1, 10 ** 20]))))
def test_refined_orientation_taken_from_the_parent_equals_a_fresh_one(args):
    """A refined complex takes the orientations and incidences of the cells that only
    got smaller from the complex it refines: its boundary is the one computed from
    scratch, and the cell-by-cell reference, after refinements in a chain."""
    from polytopo.complex import orientation as lat

    net, planes, scale = args
    d = net.input_dim
    X = canonical_complex(net, Polytope.cube(d, -scale, scale))
    X.chain_complex()
    chain = [X.refine_by_output(net)] if net.output_dim == 1 else []
    for a, c in planes:
        if any(a):
            X.chain_complex()
            X = X.refine_by_hyperplane(a, c * scale)
            chain.append(X)
    for R in chain:
        assert R._origin is not None or R._cols is not None
        fresh = lat.boundary_arrays(d, R._hom, R._vertex_csr(), R._fp, R._fi)[0]
        got = R._arrays()
        assert [None if c is None else [x.tolist() for x in c] for c in got] == \
            [None if c is None else [x.tolist() for x in c] for c in fresh]
        assert _vectorized_columns(R) == _python_columns(R)

"""Tests of polytopo.complex.volume: exact top-cell volumes by memoised facet recursion."""

import itertools
import math
import random
import time
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from polytopo.complex import volume as _volume
from polytopo.complex.volume import region_volumes, region_volumes_python
from polytopo.complex import CellComplex, canonical_complex
from polytopo.geometry import Polytope
from polytopo.network import Network

F = Fraction


def arrays(C):
    return C._d, C._hom, C._fp, C._fi, C._vertex_csr()


def volumes(C, indices=None):
    return region_volumes(*arrays(C), range(C.n_regions) if indices is None else indices)


def reference(C):
    return region_volumes_python(*arrays(C), range(C.n_regions))


def random_net(rng, arch, bound=3, weight=None):
    weight = weight or (lambda: rng.randint(-bound, bound))
    return Network.from_lists([([[weight() for _ in range(a)] for _ in range(b)],
                                [weight() for _ in range(b)]) for a, b in zip(arch, arch[1:])])


# ---------------------------------------------------------------------------------------
# single polytopes with known volumes
# ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("d", range(1, 10))
def test_boxes(d):
    lo = [F(-i, 2) for i in range(d)]
    hi = [F(i + 1, 3) + i for i in range(d)]
    C = CellComplex.from_box(lo, hi)
    start = time.perf_counter()
    got = volumes(C)
    elapsed = time.perf_counter() - start
    assert got == [math.prod(h - l for l, h in zip(lo, hi))]
    assert elapsed < 1.0                  # the 9-cube's pulling triangulation has 9! simplices


def test_the_9_cube_is_fast():
    C = CellComplex.from_box([-1] * 9, [1] * 9)
    start = time.perf_counter()
    assert volumes(C) == [512]
    assert time.perf_counter() - start < 1.0


@pytest.mark.parametrize("d", range(1, 6))
def test_standard_simplex(d):
    A = [[-int(i == j) for j in range(d)] for i in range(d)] + [[1] * d]
    C = CellComplex.from_polytope(Polytope.from_lists(A, [0] * d + [1]))
    assert volumes(C) == [F(1, math.factorial(d))]


@pytest.mark.parametrize("d", range(1, 6))
def test_scaled_shifted_simplex(d):
    # {x_i >= -1/2, Σ x_i <= 3}: legs 3 + d/2, volume (3 + d/2)^d / d!
    A = [[-int(i == j) for j in range(d)] for i in range(d)] + [[1] * d]
    C = CellComplex.from_polytope(Polytope.from_lists(A, [F(1, 2)] * d + [3]))
    assert volumes(C) == [(3 + F(d, 2)) ** d / math.factorial(d)]


@pytest.mark.parametrize("d", range(2, 6))
def test_cross_polytope(d):
    A = [list(s) for s in itertools.product([-1, 1], repeat=d)]
    C = CellComplex.from_polytope(Polytope.from_lists(A, [1] * len(A)))
    assert C.f_vector()[0] == 2 * d
    assert volumes(C) == [F(2 ** d, math.factorial(d))]


def test_polygon_and_pyramid():
    hexagon = Polytope.from_lists([[1, 0], [-1, 0], [0, 1], [0, -1], [1, 1], [-1, -1]],
                                  [1] * 6)
    assert volumes(CellComplex.from_polytope(hexagon)) == [3]
    # square pyramid: base [-1, 1]^2 at z = 0, apex (0, 0, 1): volume 4/3
    pyramid = Polytope.from_lists([[0, 0, -1], [1, 0, 1], [-1, 0, 1], [0, 1, 1], [0, -1, 1]],
                                  [0, 1, 1, 1, 1])
    assert volumes(CellComplex.from_polytope(pyramid)) == [F(4, 3)]


# ---------------------------------------------------------------------------------------
# canonical complexes: equal to the pulling-triangulation volumes
# ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("seed", range(12))
def test_random_integer_nets_match_pulling_triangulation(seed):
    rng = random.Random(seed)
    d = 2 + seed % 3
    net = random_net(rng, [d, rng.randint(2, 4), rng.randint(1, 3), 1])
    C = canonical_complex(net, Polytope.cube(d, -2, 2))
    got = volumes(C)
    assert got == C.region_volumes()
    assert got == reference(C)
    assert sum(got) == 4 ** d
    assert all(v > 0 for v in got)


@pytest.mark.parametrize("d", [2, 3, 4])
def test_degenerate_nets_match_pulling_triangulation(d):
    # duplicated and scaled neurons, a negated one, a zero row, a dead neuron, and
    # hyperplanes through vertices of the box (x1 = x2 and x1 + x2 = 0 meet its corners)
    e = [[int(i == j) for j in range(d)] for i in range(d)]
    rows = [[1, -1] + [0] * (d - 2), [2, -2] + [0] * (d - 2), [-1, 1] + [0] * (d - 2),
            [1, 1] + [0] * (d - 2), e[0], [0] * d, [0] * d, [1] * d]
    biases = [0, 0, 0, 0, 0, 0, -1, 0]
    net = Network.from_lists([(rows, biases),
                              ([[1, 2, -1, 1, -1, 3, 1, -2], [2, -1, 1, 0, 1, 1, 0, 1]], [1, -1]),
                              ([[1, -1]], [0])])
    C = canonical_complex(net, Polytope.cube(d, -2, 2))
    got = volumes(C)
    assert got == C.region_volumes() == reference(C)
    assert sum(got) == 4 ** d


@pytest.mark.parametrize("seed", range(8))
def test_rational_vertices_match_pulling_triangulation(seed):
    rng = random.Random(100 + seed)
    d = 2 + seed % 3

    def weight():
        return F(rng.randint(-9, 9), rng.randint(1, 7))

    net = random_net(rng, [d, 3, 2, 1], weight=weight)
    domain = Polytope.box([F(-rng.randint(1, 5), rng.randint(2, 3)) for _ in range(d)],
                          [F(rng.randint(1, 5), rng.randint(2, 3)) for _ in range(d)])
    C = canonical_complex(net, domain)
    assert any(w != 1 for *_, w in C._hom)          # vertices off the integer lattice
    got = volumes(C)
    assert got == C.region_volumes() == reference(C)
    assert sum(got) == domain.volume()


@pytest.mark.parametrize("seed", range(6))
def test_weights_near_the_int64_boundary(seed, monkeypatch):
    # coordinates near 2**30–2**50: in one batch some rows are provably exact in int64
    # and the others need Python ints; the answer must not notice
    rng = random.Random(seed)
    bits, d = 24 + 2 * seed, 2 + seed % 2
    net = random_net(rng, [d, 3, 2, 1], weight=lambda: rng.randint(-(1 << bits), 1 << bits))
    C = canonical_complex(net, Polytope.cube(d, -3, 3))
    mixed, real = [], _volume._exact

    def spy(bound, f, *a):
        ok = bound < _volume._FLIMIT
        mixed.append(ok.any() and not ok.all())
        return real(bound, f, *a)

    monkeypatch.setattr(_volume, "_exact", spy)
    got = volumes(C)
    assert any(mixed)
    assert got == C.region_volumes() == reference(C)
    assert sum(got) == 6 ** d


@pytest.mark.parametrize("d", [1, 2, 3])
def test_huge_coordinates(d):
    # vertex coordinates past 2**62: Python-int (object) arrays throughout
    rng = random.Random(d)
    net = random_net(rng, [d, 3, 1])
    big = 10 ** 30
    domain = Polytope.from_lists([[-int(i == j) for j in range(d)] for i in range(d)]
                                 + [[1] * d], [big] * d + [big])
    C = canonical_complex(net, domain)
    assert max(abs(x) for h in C._hom for x in h) >= 1 << 62
    got = volumes(C)
    assert got == C.region_volumes() == reference(C)
    assert sum(got) == F((d + 1) * big) ** d / math.factorial(d)


# ---------------------------------------------------------------------------------------
# property: the regions tile the domain
# ---------------------------------------------------------------------------------------
@st.composite
def net_on_box(draw):
    d = draw(st.integers(1, 4))
    weight = st.integers(-3, 3)
    widths = [draw(st.integers(1, 3 if d < 4 else 2)) for _ in range(draw(st.integers(1, 2)))]
    layers, prev = [], d
    for w in widths + [1]:
        layers.append(([[draw(weight) for _ in range(prev)] for _ in range(w)],
                       [draw(weight) for _ in range(w)]))
        prev = w
    pair = st.tuples(st.integers(-3, 3), st.integers(-3, 3)).filter(lambda p: p[0] != p[1])
    sides = [draw(pair) for _ in range(d)]
    domain = Polytope.box([F(min(p), 2) for p in sides], [F(max(p), 2) for p in sides])
    return Network.from_lists(layers), domain


@settings(max_examples=25, deadline=None)
@given(net_on_box())
def test_region_volumes_sum_to_the_domain_volume(case):
    net, domain = case
    C = canonical_complex(net, domain)
    got = volumes(C)
    assert sum(got) == domain.volume()
    assert all(v > 0 for v in got)


# ---------------------------------------------------------------------------------------
# nine dimensions: volumes derived by hand
# ---------------------------------------------------------------------------------------
def nine_dim(row, bias):
    net = Network.from_lists([([row], [bias]), ([[1]], [0])])
    return canonical_complex(net, Polytope.cube(9, -1, 1))


def test_nine_inputs_one_neuron_halves():
    # x1 + x2 = 0 cuts [-1, 1]^9 into two congruent halves (x ↦ −x swaps them)
    C = nine_dim([1, 1] + [0] * 7, 0)
    assert C.n_regions == 2
    assert volumes(C) == [2 ** 8, 2 ** 8]
    assert sum(volumes(C)) == 2 ** 9


def test_nine_inputs_one_neuron_slab_and_corner():
    # 2 x1 − 1 > 0: the slab x1 ∈ (1/2, 1] has volume (1/2)·2^8, the rest (3/2)·2^8
    C = nine_dim([2] + [0] * 8, -1)
    assert {r.pattern: v for r, v in zip(C.regions(volumes=False), volumes(C))} == \
        {"+": 2 ** 7, "-": 3 * 2 ** 7}
    # x1 + … + x9 > 8: the corner simplex at (1, …, 1) with legs 1, volume 1/9!
    C = nine_dim([1] * 9, -8)
    assert {r.pattern: v for r, v in zip(C.regions(volumes=False), volumes(C))} == \
        {"+": F(1, math.factorial(9)), "-": 512 - F(1, math.factorial(9))}


# ---------------------------------------------------------------------------------------
# the interface
# ---------------------------------------------------------------------------------------
def test_indices_order_repetitions_and_subsets():
    net = random_net(random.Random(5), [3, 4, 3, 1])
    C = canonical_complex(net, Polytope.cube(3, -2, 2))
    every = volumes(C)
    assert len(every) == C.n_regions > 4
    idx = [C.n_regions - 1, 0, 2, 0]
    assert volumes(C, idx) == [every[i] for i in idx]
    assert volumes(C, np.array([3])) == [every[3]]
    assert volumes(C, []) == []
    with pytest.raises(IndexError):
        volumes(C, [C.n_regions])


def test_homogeneous_coordinates_as_int64_object_or_lists():
    net = random_net(random.Random(3), [2, 4, 2, 1])
    C = canonical_complex(net, Polytope.cube(2, -3, 3))
    d, hom, fp, fi, vcsr = arrays(C)
    want = C.region_volumes()
    H64 = np.array(hom, dtype=np.int64)
    Hobj = np.array(hom, dtype=object)
    for H in (hom, H64, Hobj, [list(h) for h in hom]):
        assert region_volumes(d, H, fp, fi, vcsr, range(C.n_regions)) == want
    # any positive multiple of a vertex's homogeneous coordinates is the same vertex
    scaled = [tuple(3 * x for x in h) if j % 2 else h for j, h in enumerate(hom)]
    assert region_volumes(d, scaled, fp, fi, vcsr, range(C.n_regions)) == want


def test_high_dimensions_fall_back_to_the_cell_by_cell_path(monkeypatch):
    net = random_net(random.Random(11), [3, 3, 2, 1])
    C = canonical_complex(net, Polytope.cube(3, -2, 2))
    want = C.region_volumes()
    monkeypatch.setattr(_volume, "_MAX_PLUCKER", 1)
    calls = []
    real = _volume.region_volumes_python
    monkeypatch.setattr(_volume, "region_volumes_python",
                        lambda *a: calls.append(1) or real(*a))
    assert volumes(C) == want and calls


def test_inconsistent_complex_is_refused():
    # a square whose vertex coordinates were tampered with: a facet off its face's span
    C = CellComplex.from_box([0, 0], [1, 1])
    d, hom, fp, fi, vcsr = arrays(C)
    bad = [list(h) for h in hom]
    bad[0][0] += 1                          # (0, 0) → (1, 0): two vertices coincide
    with pytest.raises(AssertionError):
        region_volumes(d, bad, fp, fi, vcsr, [0])

"""Max units of three or more pieces: cell patterns are the argmax sets of the cells'
relative interiors, not the OR of their vertices' signs."""

import random
from fractions import Fraction

import pytest

from polytopo.complex.build import activation_regions, canonical_complex
from polytopo.geometry.polytope import Polytope
from polytopo.network import units
from polytopo.network.model import Network
from polytopo.regions.traversal import brute_force_patterns, regions

H = Fraction(1, 2)


def _triangle_net():
    """max(x - 1/2, y - 1/2, 0, -1/2 - x - y): the third piece is the unique maximum on
    the open triangle with vertices (1/2, 1/2), (1/2, -1), (-1, 1/2), where every vertex
    ties it with two other pieces."""
    return Network.from_lists([([[1, 0], [0, 1], [0, 0], [-1, -1]], [-H, -H, 0, -H]),
                               ([[1]], [0])], units=[[units.Max(4)]])


def test_a_triangle_whose_vertices_are_all_ties_has_a_unique_maximum():
    net = _triangle_net()
    box = Polytope.cube(2, -2, 2)
    found = {r.pattern: r for r in activation_regions(net, box)}
    assert sorted(found) == ["+---", "-+--", "--+-", "---+"]
    tri = found["--+-"]
    assert tri.volume == Fraction(9, 8)     # legs 3/2 and 3/2
    assert net.pattern(tri.interior_point) == "--+-"
    assert sorted(found) == sorted(brute_force_patterns(net, box))
    assert sorted((r.pattern, r.volume) for r in regions(net, box)) == \
        sorted((p, r.volume) for p, r in found.items())
    C = canonical_complex(net, box)
    # the three edges of the triangle are ties of two pieces, its vertices of three
    tied = [C.pattern(c) for c in C.cells(1)]
    assert sum(1 for t in tied if t.count("0") == 2) == 6     # 3 triangle edges + 3 rays
    assert sum(1 for t in tied if t.count("0") == 1) == 0
    _every_cell_has_its_pattern(net, C)


def _every_cell_has_its_pattern(net, C):
    for k in range(len(C.f_vector())):
        for c in C.cells(k):
            assert net.pattern(C.relative_interior_point(c)) == C.pattern(c), c


def _random_net(seed):
    rng = random.Random(seed)
    d = rng.choice([2, 3])
    sizes = [rng.choice([2, 3, 4]) for _ in range(rng.randint(1, 3))]
    b = rng.choice([1, 2, 3])
    W1 = [[rng.randint(-b, b) for _ in range(d)] for _ in range(sum(sizes))]
    if seed % 3 == 0 and len(W1) > 2:
        W1[1] = list(W1[0])                      # a duplicate piece
    k2 = rng.randint(1, 3)
    layers = [(W1, [rng.randint(-b, b) for _ in W1]),
              ([[rng.randint(-b, b) for _ in sizes] for _ in range(k2)],
               [rng.randint(-b, b) for _ in range(k2)]),
              ([[rng.randint(-b, b) for _ in range(k2)]], [0])]
    second = [rng.choice([units.RELU, units.leaky_relu("1/3"), units.clamp(-1, 1)])
              for _ in range(k2)]
    return Network.from_lists(layers, units=[[units.Max(m) for m in sizes], second]), d


@pytest.mark.parametrize("seed", range(24))
def test_complex_and_lp_traversal_agree_with_max_units_of_any_size(seed):
    net, d = _random_net(seed)
    box = Polytope.cube(d, -2, 2)
    A = activation_regions(net, box)
    assert sorted((r.pattern, r.volume) for r in A) == \
        sorted((r.pattern, r.volume) for r in regions(net, box))
    assert all(net.pattern(r.interior_point) == r.pattern for r in A)
    assert sum(r.volume for r in A) == 4 ** d
    C = canonical_complex(net, box)
    assert sum((-1) ** k * n for k, n in enumerate(C.f_vector())) == 1
    _every_cell_has_its_pattern(net, C)


def test_huge_weights_after_a_layer_that_is_zero_on_the_whole_domain():
    # every vertex value of layer 1 is 0, so products stay small, but the weights of
    # layer 2 (10^20) do not fit in int64 themselves
    big = 10 ** 20
    net = Network.from_lists([([[0]], [0]), ([[0], [0], [big]], [0, 0, 0]), ([[0, 0, 0]], [0])])
    C = canonical_complex(net, Polytope.cube(1, -4, 4))
    assert C.n_regions == 1

from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from fractions import Fraction

import pytest
from hypothesis import given, strategies as st

from polytopo.geometry.exact import rank
from polytopo.exceptions import LimitExceeded
from polytopo.network.model import Network
from polytopo.geometry.polytope import Polytope
from polytopo.regions.traversal import brute_force_patterns, regions
from polytopo.testing import degenerate_networks, networks, rational_weights

small_nets = networks(max_layers=2, max_width=3)


def _check_regions(net, domain):
    found = regions(net, domain)
    pats = [r.pattern for r in found]
    assert pats == sorted(pats) and len(set(pats)) == len(pats)
    for r in found:
        assert net.pattern(r.interior_point) == r.pattern          # claimed pattern holds exactly
        assert r.polytope.contains(r.interior_point, strict=True)   # and the point is interior
        assert domain.contains(r.interior_point, strict=True)
        assert r.rank == rank(r.maps[-2][0])
    assert sum(r.volume for r in found) == domain.volume()
    return found


@given(small_nets)
def test_regions_match_brute_force_and_tile_the_domain(net):
    domain = Polytope.cube(net.input_dim, -2, 2)
    found = _check_regions(net, domain)
    assert [r.pattern for r in found] == brute_force_patterns(net, domain)


@given(degenerate_networks(max_width=3))
def test_degenerate_nets(net):
    domain = Polytope.cube(net.input_dim, -2, 2)
    found = _check_regions(net, domain)
    assert [r.pattern for r in found] == brute_force_patterns(net, domain)


@given(networks(max_layers=2, max_width=3, weights=rational_weights()))
def test_rational_weights(net):
    _check_regions(net, Polytope.cube(net.input_dim, -1, 1))


@given(small_nets, st.data())
def test_neuron_order_does_not_matter(net, data):
    domain = Polytope.cube(net.input_dim, -2, 2)
    layer = data.draw(st.integers(1, len(net.widths)))
    perm = data.draw(st.permutations(range(net.widths[layer - 1])))
    other = net.permuted(layer, perm)
    start = sum(net.widths[: layer - 1])

    def unpermute(p):
        mid = p[start:start + len(perm)]
        orig = [None] * len(perm)
        for i, src in enumerate(perm):
            orig[src] = mid[i]
        return p[:start] + "".join(orig) + p[start + len(perm):]

    a = {r.pattern: r.volume for r in regions(net, domain)}
    b = {unpermute(r.pattern): r.volume for r in regions(other, domain)}
    assert a == b


def test_zero_and_dead_neurons():
    # neuron 1 identically zero, neuron 2 dead (always negative), neuron 3 = x
    net = Network.from_lists([([[0, 0], [0, 0], [1, 0]], [0, -1, 0]), ([[1, 1, 1]], [0])])
    found = regions(net, Polytope.cube(2))
    assert [r.pattern for r in found] == ["0-+", "0--"]
    assert [r.rank for r in found] == [1, 0]


def test_layer_two_neuron_identically_zero_on_a_region():
    # h = relu(x); layer 2: relu(h) is identically zero where x < 0
    net = Network.from_lists([([[1]], [0]), ([[1]], [0]), ([[1]], [0])])
    assert [r.pattern for r in regions(net, Polytope.box([-1], [1]))] == ["++", "-0"]


def test_general_polytope_domain():
    tri = Polytope.from_lists([[-1, 0], [0, -1], [1, 1]], [0, 0, 1])
    net = Network.from_lists([([[1, -1]], [0]), ([[1]], [0])])
    found = regions(net, tri)
    assert [r.volume for r in found] == [Fraction(1, 4), Fraction(1, 4)]


@pytest.mark.parametrize("make", [lambda: ThreadPoolExecutor(2), lambda: ProcessPoolExecutor(2)])
def test_executor_gives_identical_result(make):
    import random

    rng = random.Random(1)
    layers, prev = [], 2
    for w in (6, 6, 1):
        layers.append(([[rng.randint(-3, 3) for _ in range(prev)] for _ in range(w)],
                       [rng.randint(-3, 3) for _ in range(w)]))
        prev = w
    net = Network.from_lists(layers)
    domain = Polytope.cube(2, -3, 3)
    serial = [r.to_json() for r in regions(net, domain)]
    with make() as ex:
        parallel = [r.to_json() for r in regions(net, domain, executor=ex)]
    assert parallel == serial and len(serial) > 10


def test_max_regions_stops():
    net = Network.from_lists([([[1, 0], [0, 1], [1, 1]], [0, 0, 0]), ([[1, 1, 1]], [0])])
    with pytest.raises(LimitExceeded, match="more than 3 regions"):
        regions(net, Polytope.cube(2), max_regions=3)


@given(degenerate_networks(max_width=3))
def test_complex_engine_gives_the_same_regions_as_the_lp_traversal(net):
    from polytopo.complex.build import activation_regions

    domain = Polytope.cube(net.input_dim, -2, 2)
    lp_regions = regions(net, domain)
    cx_regions = activation_regions(net, domain)
    assert [r.pattern for r in cx_regions] == [r.pattern for r in lp_regions]
    for a, b in zip(lp_regions, cx_regions):
        assert (a.polytope.A, a.polytope.b) == (b.polytope.A, b.polytope.b)
        assert a.volume == b.volume and a.rank == b.rank and a.maps == b.maps
        assert net.pattern(b.interior_point) == b.pattern
    # the same regions by value (interior points differ, they are witnesses only)
    assert cx_regions == lp_regions and set(cx_regions) == set(lp_regions)


def test_regions_compare_by_value():
    from dataclasses import replace
    from fractions import Fraction

    net = Network.from_lists([([[1, 0], [0, 1]], [0, 0]), ([[1, 1]], [0])])
    a, b = regions(net, Polytope.cube(2)), regions(net, Polytope.cube(2))
    assert a == b and a[0] is not b[0] and hash(a[0]) == hash(b[0])
    moved = replace(a[0], interior_point=(Fraction(1, 3), Fraction(1, 7)))
    assert moved == a[0]                                   # another witness, same region
    assert replace(a[0], volume=Fraction(2)) != a[0]
    assert replace(a[0], rank=0) != a[0]
    assert replace(a[0], pattern="--") != a[0]
    assert len({*a, *b}) == 4

"""Regions read off the complex on integer arrays (polytopo.complex.export) are the regions
of the per-region exact path, which the LP traversal checks (tests/regions)."""
import pickle
from fractions import Fraction

from hypothesis import given, settings, strategies as st

from polytopo.complex.build import canonical_complex, regions_from_complex
from polytopo.complex.export import relu_region_rows
from polytopo.geometry.polytope import Polytope
from polytopo.network.model import Network
from polytopo.regions.traversal import LazyMaps, regions as lp_regions
from polytopo.testing import degenerate_networks, networks


def _domains(d):
    simplex = Polytope.from_lists([[-1] * d] + [[1 if j == i else 0 for j in range(d)]
                                                for i in range(d)],
                                  [Fraction(3, 2)] + [1] * d)
    return [Polytope.cube(d), Polytope.box([Fraction(-1, 3)] * d, [2] * d), simplex]


def _same(fast, slow):
    assert fast == slow      # pattern, polytope (canonical rows), rank, volume, maps
    for a, b in zip(fast, slow):
        assert a.polytope.A == b.polytope.A and a.polytope.b == b.polytope.b   # same order
        assert a.interior_point == b.interior_point
        assert isinstance(a.maps, LazyMaps) and tuple(a.maps) == b.maps


@settings(max_examples=40, deadline=None)
@given(st.one_of(networks(max_layers=3, max_width=4), degenerate_networks(max_width=4)),
       st.integers(0, 2))
def test_integer_export_equals_the_exact_path(net, which):
    D = _domains(net.input_dim)[which]
    C = canonical_complex(net, D)
    slow = regions_from_complex(C, net)
    fast = regions_from_complex(C, net, domain=D)
    _same(fast, slow)
    for layer in range(1, len(net.widths) + 1):
        _same(regions_from_complex(C, net, domain=D, layer=layer, volumes=False),
              regions_from_complex(C, net, layer=layer, volumes=False))


def test_integer_export_agrees_with_the_lp_traversal():
    net = Network.from_lists([([[1, 2, 0], [0, 1, -1], [1, 1, 1], [1, 2, 0]], [0, 1, -1, 0]),
                              ([[1, -1, 2, 1], [0, 1, 1, -1]], [1, 0]), ([[1, 1]], [0])])
    D = Polytope.cube(3, -2, 2)
    C = canonical_complex(net, D)
    assert regions_from_complex(C, net, domain=D) == lp_regions(net, D)


def test_beyond_int64_or_a_foreign_domain_takes_the_exact_path():
    big = 10 ** 20
    net = Network.from_lists([([[big, 1], [1, -big]], [1, 0]), ([[big, big]], [big]),
                              ([[1]], [0])])
    D = Polytope.cube(2)
    C = canonical_complex(net, D)
    assert relu_region_rows(C, net, D) is None
    assert regions_from_complex(C, net, domain=D) == lp_regions(net, D)
    small = Network.from_lists([([[1, 0], [0, 1]], [0, 0]), ([[1, 1]], [0])])
    C = canonical_complex(small, D)
    assert relu_region_rows(C, small, Polytope.cube(2, -2, 2)) is None  # not C's domain
    assert regions_from_complex(C, small, domain=Polytope.cube(2, -2, 2)) == \
        regions_from_complex(C, small)


def test_lazy_maps_are_the_tuple():
    calls = []

    def factory():
        calls.append(1)
        return (((Fraction(1),),), (Fraction(0),)),

    m = LazyMaps(factory)
    assert calls == []
    assert m == ((((Fraction(1),),), (Fraction(0),)),) and hash(m) == hash(tuple(m))
    assert len(calls) == 1 and pickle.loads(pickle.dumps(m)) == tuple(m)
    assert type(pickle.loads(pickle.dumps(m))) is tuple
    assert LazyMaps(factory) == m and m != ((1,),)


# --- the batched centroids, against the plain Python-int formula ----------------------
from hypothesis import given, settings, strategies as st  # noqa: E402


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.tuples(st.integers(-2 ** 70, 2 ** 70), st.integers(-2 ** 70, 2 ** 70),
                                   st.integers(1, 2 ** 66)), min_size=1, max_size=6),
                min_size=1, max_size=8),
       st.booleans())
def test_batched_centroids_equal_the_exact_formula(cells, small):
    """_hom_centroids (int64 where provably exact, Python ints for the other cells) gives
    the exact centroid of every cell, also when the homogeneous rows or their lcm exceed
    int64 (the object path, :func:`_object_centroids`)."""
    import numpy as np

    from polytopo.complex.cells import _hom_centroid, _hom_centroids

    if small:   # int64 rows: the int64 path for cells whose sums fit, objects for the rest
        cells = [[(x % 1000, y % 1000, w % 2 ** 31 + 1) for x, y, w in c] for c in cells]
    rows = [r for c in cells for r in c]
    hom = np.array(rows, dtype=np.int64 if small else object)
    ptr = np.cumsum([0] + [len(c) for c in cells])
    got = _hom_centroids(hom, ptr, np.arange(len(rows)))
    want = [_hom_centroid(c) for c in cells]
    assert [g if g is not None else _hom_centroid(c) for g, c in zip(got, cells)] == want
    if small:
        assert None not in got


def test_regions_read_off_the_complex_equal_the_dataclass_built_ones():
    """Region.from_fields (the read-out's constructor) gives exactly Region(...): equal, same hash,
    repr and JSON, still frozen."""
    import dataclasses

    from polytopo.complex.build import activation_regions
    from polytopo.geometry.polytope import Polytope
    from polytopo.network.model import Network
    from polytopo.regions.traversal import Region

    net = Network.from_lists([([[1, 2], [-1, 1], [2, -1]], [0, "1/2", -1]), ([[1, -1, 1]], [0])])
    for r in activation_regions(net, Polytope.cube(2, -1, 1)):
        plain = Region(*(getattr(r, f.name) for f in dataclasses.fields(Region)))
        assert r == plain and hash(r) == hash(plain) and repr(r) == repr(plain)
        assert r.to_json() == plain.to_json()
        try:
            r.rank = 0
        except dataclasses.FrozenInstanceError:
            pass
        else:
            raise AssertionError("a region must stay frozen")

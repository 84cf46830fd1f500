"""Hypothesis strategies for networks and domains, to drop into property tests.

Requires the ``hypothesis`` package (installed with the ``test`` extra: ``pip install
'polytopo[test]'``); without it, importing this module raises an :class:`ImportError`
saying so. See docs/strategies.md.

Examples
--------
>>> from hypothesis import given
>>> from polytopo.testing import networks
>>> @given(networks(input_dim=2, max_width=3))
... def test_pattern_length(net):
...     assert len(net.pattern([0, 0])) == net.n_hidden
>>> test_pattern_length()
"""

__all__ = ["integer_weights", "rational_weights", "networks", "degenerate_networks", "boxes",
           "arrangements", "arrangement_network", "manifolds", "simplicial_complexes"]

from fractions import Fraction

try:
    from hypothesis import strategies as st
except ImportError:
    raise ImportError("polytopo.testing needs hypothesis: pip install 'polytopo[test]' "
                      "(or pip install hypothesis)", name="hypothesis") from None

from .network.model import Network
from .geometry.polytope import Polytope


def integer_weights(bound=3):
    """Integers in ``[-bound, bound]`` (zero included: dead and degenerate neurons arise)."""
    return st.integers(-bound, bound).map(Fraction)


def rational_weights(bound=3, max_denominator=4):
    """Fractions ``p/q`` with ``|p/q| ≤ bound`` and ``1 ≤ q ≤ max_denominator``."""
    return st.builds(lambda p, q: Fraction(p, q), st.integers(-bound * max_denominator,
                                                                bound * max_denominator),
                     st.integers(1, max_denominator)).filter(lambda x: abs(x) <= bound)


@st.composite
def networks(draw, input_dim=None, max_layers=2, max_width=4, weights=None, output_dim=1):
    """ReLU networks with exact weights.

    Parameters
    ----------
    input_dim : int or strategy, optional
        Default: 1 to 3.
    max_layers : int
        Number of hidden layers, 1 to ``max_layers``.
    max_width : int
        Width of each hidden layer, 1 to ``max_width``.
    weights : strategy of Fraction, optional
        Default :func:`integer_weights`.
    """
    weights = integer_weights() if weights is None else weights
    d = input_dim if isinstance(input_dim, int) else draw(st.integers(1, 3) if input_dim is None else input_dim)
    n_layers = draw(st.integers(1, max_layers))
    widths = [draw(st.integers(1, max_width)) for _ in range(n_layers)] + [output_dim]
    layers, prev = [], d
    for w in widths:
        W = tuple(tuple(draw(weights) for _ in range(prev)) for _ in range(w))
        b = tuple(draw(weights) for _ in range(w))
        layers.append((W, b))
        prev = w
    return Network(tuple(W for W, _ in layers), tuple(b for _, b in layers))


@st.composite
def degenerate_networks(draw, input_dim=None, max_width=4):
    """Networks built to be degenerate: duplicated and scaled neurons, zero rows, hyperplanes
    through the origin (a vertex of every arrangement of the others), dead neurons."""
    net = draw(networks(input_dim=input_dim, max_layers=2, max_width=max_width))
    ws, bs = [list(map(list, w)) for w in net.weights], [list(b) for b in net.biases]
    for li in range(len(ws) - 1):
        kind = draw(st.sampled_from(["duplicate", "negated", "zero", "through-origin", "dead"]))
        j = draw(st.integers(0, len(ws[li]) - 1))
        row, bias = list(ws[li][j]), bs[li][j]
        if kind == "duplicate":
            row, bias = [2 * x for x in row], 2 * bias
        elif kind == "negated":
            row, bias = [-x for x in row], -bias
        elif kind == "zero":
            row, bias = [Fraction(0)] * len(row), Fraction(0)
        elif kind == "through-origin":
            bias = Fraction(0)
        else:
            row, bias = [Fraction(0)] * len(row), Fraction(-1)
        ws[li].append(row)
        bs[li].append(bias)
        nxt = ws[li + 1]
        for r in nxt:
            r.append(draw(integer_weights()))
    return Network(tuple(tuple(map(tuple, w)) for w in ws), tuple(map(tuple, bs)))


def boxes(dim, bound=3):
    """Boxes ``∏[lo_i, hi_i]`` with integer corners in ``[-bound, bound]``."""
    def build(pairs):
        return Polytope.box([min(p) for p in pairs], [max(p) for p in pairs])

    pair = st.tuples(st.integers(-bound, bound), st.integers(-bound, bound)).filter(
        lambda p: p[0] != p[1])
    return st.lists(pair, min_size=dim, max_size=dim).map(build)


@st.composite
def arrangements(draw, dim=2, min_size=1, max_size=5, bound=3):
    """Hyperplane arrangements ``[(a, c), …]`` meaning ``a·x + c = 0``, integer entries.

    Degenerate on purpose: repeated, scaled and concurrent hyperplanes are all allowed
    (``a ≠ 0`` always).

    Examples
    --------
    >>> from hypothesis import given
    >>> @given(arrangements(dim=2))
    ... def test_normals_nonzero(arr):
    ...     assert all(any(a) for a, _ in arr)
    >>> test_normals_nonzero()
    """
    coeff = st.integers(-bound, bound)
    normal = st.lists(coeff, min_size=dim, max_size=dim).filter(any)
    hyperplane = st.tuples(normal.map(tuple), coeff)
    base = draw(st.lists(hyperplane, min_size=min_size, max_size=max_size))
    extra = draw(st.lists(st.tuples(st.integers(0, len(base) - 1),
                                    st.sampled_from([1, 2, -1, -3])), max_size=2))
    for i, k in extra:  # duplicates and scaled copies
        a, c = base[i]
        base.append((tuple(k * x for x in a), k * c))
    return base


def arrangement_network(hyperplanes):
    """The one-hidden-layer network whose hidden neurons are the given hyperplanes: its
    activation regions are the arrangement's regions (within the domain).

    Examples
    --------
    >>> arrangement_network([((1, 0), 0), ((0, 1), -1)])
    Network(2-2-1)
    """
    W = tuple(tuple(Fraction(x) for x in a) for a, _ in hyperplanes)
    b = tuple(Fraction(c) for _, c in hyperplanes)
    return Network((W, ((Fraction(1),) * len(W),)), (b, (Fraction(0),)))


@st.composite
def manifolds(draw, domain, max_pieces=3, grid=4):
    """Data manifolds inside a box domain: lists of sub-boxes on a ``grid``-step lattice.

    Examples
    --------
    >>> from hypothesis import given
    >>> D = Polytope.cube(2)
    >>> @given(manifolds(D))
    ... def test_inside(pieces):
    ...     assert all(D.contains(v) for P in pieces for v in P.vertices())
    >>> test_inside()
    """
    d = domain.dim
    lo = [-domain.b[2 * i] for i in range(d)]
    hi = [domain.b[2 * i + 1] for i in range(d)]
    pieces = []
    for _ in range(draw(st.integers(1, max_pieces))):
        l, h = [], []
        for i in range(d):
            a = draw(st.integers(0, grid - 1))
            b = draw(st.integers(a + 1, grid))
            step = (hi[i] - lo[i]) / grid
            l.append(lo[i] + a * step)
            h.append(lo[i] + b * step)
        pieces.append(Polytope.box(l, h))
    return pieces


@st.composite
def simplicial_complexes(draw, max_vertices=7, max_dim=3, max_facets=8):
    """Simplicial complexes as lists of facets (tuples of vertex labels).

    Examples
    --------
    >>> from hypothesis import given
    >>> from polytopo.topology.homology import simplicial_complex
    >>> @given(simplicial_complexes())
    ... def test_euler(facets):
    ...     X = simplicial_complex(facets)
    ...     betti = X.betti_numbers()
    ...     assert sum((-1) ** k * b for k, b in enumerate(betti)) == X.euler_characteristic()
    >>> test_euler()
    """
    n = draw(st.integers(1, max_vertices))
    facet = st.lists(st.integers(0, n - 1), min_size=1, max_size=max_dim + 1, unique=True)
    return [tuple(sorted(f)) for f in draw(st.lists(facet, min_size=1, max_size=max_facets))]

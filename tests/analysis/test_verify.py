"""Exact ranges, Lipschitz constants and property verdicts (polytopo.analysis.verify),
against hand-derived answers and an independent brute force: the reference LP traversal
(polytopo.regions), cddlib's vertex enumeration of every region, exact evaluation on a
rational grid."""

from fractions import Fraction as F
from itertools import product

import pytest
from hypothesis import given, settings, strategies as st

from polytopo.analysis.verify import check_property, lipschitz, output_range, verify_report
from polytopo.exceptions import InputError
from polytopo.geometry.polytope import Polytope
from polytopo.geometry.slice import Slice
from polytopo.network.model import Network
from polytopo.network.vnnlib import parse_vnnlib
from polytopo.regions.traversal import regions as lp_regions

ABS = Network.from_lists([([[1], [-1]], [0, 0]), ([[1, 1]], [0])])            # |x|
IDENT = Network.from_lists([([[1], [-1]], [0, 0]), ([[1, -1]], [0])])         # relu(x) - relu(-x) = x
# relu(x) - 2 relu(-y): gradients (1, 0), (0, 2), (1, 2), (0, 0)
TWO = Network.from_lists([([[1, 0], [0, -1]], [0, 0]), ([[1, -2]], [0])])
# degenerate: a duplicate neuron, a scaled duplicate, a dead neuron, a zero row, and
# hyperplanes x = y, x = -y through the corners of the square
DEGENERATE = Network.from_lists([([[1, -1], [1, -1], [2, -2], [0, 0], [1, 1], [0, 1]],
                                  [0, 0, 0, -1, 0, -5]),
                                 ([[1, 1, "1/2", 3, -1, 7]], ["1/4"])])


def lit(q):
    """An exact decimal literal for a Fraction whose denominator is 2^a 5^b."""
    from decimal import Decimal, getcontext

    getcontext().prec = 60
    q = F(q)
    text = format(Decimal(q.numerator) / Decimal(q.denominator), "f")
    assert F(text) == q, q
    return text


def prop(n, m, box, body):
    head = "".join(f"(declare-const X_{i} Real)\n" for i in range(n)) + \
        "".join(f"(declare-const Y_{j} Real)\n" for j in range(m))
    bounds = "".join(f"(assert (>= X_{i} {lit(lo)}))\n(assert (<= X_{i} {lit(hi)}))\n"
                     for i, (lo, hi) in enumerate(box))
    return parse_vnnlib(head + bounds + body)


# ---- brute force ------------------------------------------------------------------------
def brute_vertices(net, domain):
    """Every vertex of every region of the reference LP traversal (cddlib's enumeration)."""
    out = set()
    for r in lp_regions(net, domain, volumes=False):
        out.update(tuple(v) for v in r.polytope.vertices())
    return sorted(out)


def grid(domain_lo, domain_hi, n=8):
    axes = [[lo + (hi - lo) * F(i, n) for i in range(n + 1)] for lo, hi in zip(domain_lo, domain_hi)]
    return list(product(*axes))


def test_abs_by_hand():
    (r,) = output_range(ABS, Polytope.box([-1], [2]))
    assert (r.min, r.argmin, r.max, r.argmax) == (0, (0,), 2, (2,))
    L = lipschitz(ABS, Polytope.box([-1], [2]))
    assert all(L[k].value == 1 and L[k].exact for k in ("linf", "l1", "l2_squared"))


def test_identity_written_as_relus():
    (r,) = output_range(IDENT, Polytope.box([F(-1, 3)], [F(1, 2)]))
    assert (r.min, r.max) == (F(-1, 3), F(1, 2))
    L = lipschitz(IDENT, Polytope.box([-1], [1]))
    assert L["linf"].value == L["l1"].value == L["l2_squared"].value == 1


def test_two_inputs_known_gradients():
    L = lipschitz(TWO, Polytope.cube(2))
    assert (L["linf"].value, L["l1"].value, L["l2_squared"].value) == (3, 2, 5)
    assert L["linf"].region["pattern"] == "++"                      # grad (1, 2)
    assert TWO.pattern(L["linf"].region["interior_point"]) == "++"
    (r,) = output_range(TWO, Polytope.cube(2))
    assert (r.min, r.max) == (-2, 1)
    assert TWO.forward(r.argmin) == (-2,) and TWO.forward(r.argmax) == (1,)


def test_vector_output_bounds_on_the_spectral_norm():
    # one region: J = [[1, 1], [1, -1]] (spectral norm^2 = 2, Frobenius^2 = 4)
    net = Network.from_lists([([[1, 0], [0, 1]], [5, 5]), ([[1, 1], [1, -1]], [0, 0])])
    L = lipschitz(net, Polytope.cube(2))
    assert (L["linf"].value, L["l1"].value) == (2, 2)
    l2 = L["l2_squared"]
    assert not l2.exact and l2.lower == 2 and l2.upper == 4
    assert l2.lower <= 2 <= l2.upper
    # rank one everywhere: exact
    net1 = Network.from_lists([([[1, 2]], [0]), ([[1], [3]], [0, 0])])
    l2 = lipschitz(net1, Polytope.cube(2))["l2_squared"]
    assert l2.exact and l2.value == 50                               # |(1,3)|^2 |(1,2)|^2


@pytest.mark.parametrize("net,lo,hi", [(ABS, [-1], [2]), (TWO, [-1, -1], [1, 1]),
                                       (DEGENERATE, [-1, -1], [1, 1])])
def test_ranges_and_lipschitz_against_brute_force(net, lo, hi):
    D = Polytope.box(lo, hi)
    verts = brute_vertices(net, D)
    vals = [net.forward(v) for v in verts]
    g = grid(lo, hi)
    for r in output_range(net, D):
        i = r.output
        assert r.min == min(v[i] for v in vals) and r.max == max(v[i] for v in vals)
        assert net.forward(r.argmin)[i] == r.min and net.forward(r.argmax)[i] == r.max
        assert all(r.min <= net.forward(x)[i] <= r.max for x in g)
    L = lipschitz(net, D)
    maps = [reg.maps[-1][0] for reg in lp_regions(net, D, volumes=False)]
    assert L["linf"].value == max(max(sum(abs(a) for a in row) for row in M) for M in maps)
    assert L["l1"].value == max(max(sum(abs(row[j]) for row in M) for j in range(len(lo)))
                                for M in maps)
    for a, b in zip(g, g[1:]):      # difference quotients never exceed the constant
        dist = max(abs(p - q) for p, q in zip(a, b))
        diff = max(abs(p - q) for p, q in zip(net.forward(a), net.forward(b)))
        assert diff <= L["linf"].value * dist


# ---- properties -------------------------------------------------------------------------
def test_sat_with_equality_on_the_boundary():
    v = check_property(ABS, prop(1, 1, [(-1, 1)], "(assert (>= Y_0 1))"))
    assert v.verdict == "sat" and abs(v.witness[0]) == 1 and v.output == (1,)
    v = check_property(ABS, prop(1, 1, [(-1, 1)], "(assert (<= Y_0 0))"))   # only x = 0
    assert v.verdict == "sat" and v.witness == (0,)
    v = check_property(ABS, prop(1, 1, [(-1, 1)], "(assert (>= Y_0 1.000001))"))
    assert v.verdict == "unsat" and v.counts["vertex_checks"] == 1 and v.counts["lps"] == 0


def test_a_conjunction_met_inside_a_region_needs_an_lp():
    p = prop(1, 1, [(-1, 1)], "(assert (>= Y_0 0.25))(assert (<= Y_0 0.5))(assert (or (and "
             "(>= X_0 0.1)) (and (<= X_0 -0.9))))")
    v = check_property(ABS, p)
    assert v.verdict == "sat" and v.counts["lps"] >= 1
    x, y = v.witness[0], v.output[0]
    assert F(1, 4) <= y <= F(1, 2) and x >= F(1, 10) and y == abs(x)
    # disjunction with nothing reachable: unsat after the LPs
    p = prop(1, 1, [(-1, 1)], "(assert (or (and (>= Y_0 0.6) (<= X_0 0.5) (>= X_0 -0.5)) "
             "(and (<= Y_0 -0.1))))")
    v = check_property(ABS, p)
    assert v.verdict == "unsat" and "LPs" in v.how and v.counts["n_disjuncts"] == 2


def test_degenerate_network_and_a_hyperplane_through_a_vertex():
    # f on the square; the unsafe set f >= max is met exactly at the maximiser only
    (r,) = output_range(DEGENERATE, Polytope.cube(2))
    p = prop(2, 1, [(-1, 1), (-1, 1)], f"(assert (>= Y_0 {lit(r.max)}))")
    v = check_property(DEGENERATE, p)
    assert v.verdict == "sat" and v.output == (r.max,)
    p = prop(2, 1, [(-1, 1), (-1, 1)], f"(assert (>= Y_0 (+ {lit(r.max)} 0.000001)))")
    assert check_property(DEGENERATE, p).verdict == "unsat"
    # the same with a second constraint (the LP path) through the corner x = y = 1
    p = prop(2, 1, [(-1, 1), (-1, 1)], f"(assert (>= Y_0 {lit(r.max)}))(assert (>= X_0 X_1))")
    v = check_property(DEGENERATE, p)
    assert v.verdict == "sat" and v.output == (r.max,) and v.witness[0] >= v.witness[1]


def test_input_constraints_domains_slices_and_fixed_inputs():
    p = prop(2, 1, [(-1, 1), (-1, 1)], "(assert (>= (+ X_0 X_1) 1.5))(assert (<= Y_0 -1))")
    # TWO = relu(x) - 2 relu(-y) >= 0 where y >= 0: on x + y >= 3/2 it is >= 1/2
    assert check_property(TWO, p).verdict == "unsat"
    p = prop(2, 1, [(-1, 1), (-1, 1)], "(assert (<= Y_0 -2))")
    v = check_property(TWO, p)
    assert v.verdict == "sat" and v.witness[1] == -1 and v.output == (-2,)
    # intersected with a domain that misses y = -1: unsat
    D = Polytope.box([-1, F(-1, 2)], [1, 1])
    assert check_property(TWO, p, domain=D).verdict == "unsat"
    # a domain the input set does not meet
    assert check_property(TWO, p, domain=Polytope.box([2, 2], [3, 3])).how.startswith(
        "the property's input set does not meet")
    with pytest.raises(InputError, match="lower-dimensional"):
        check_property(TWO, p, domain=Polytope.box([1, -1], [2, 1]))
    # a fixed input (lo = hi, as VNN-COMP files have): a slice of the other inputs
    p = prop(2, 1, [(F(1, 2), F(1, 2)), (-1, 1)], "(assert (<= Y_0 -1.5))")
    v = check_property(TWO, p)
    assert v.verdict == "sat" and v.witness == (F(1, 2), -1) and v.output == (F(-3, 2),)
    p = prop(2, 1, [(F(1, 2), F(1, 2)), (-1, -1)], "(assert (<= Y_0 -1.5))")
    v = check_property(TWO, p)
    assert v.verdict == "sat" and v.witness == (F(1, 2), -1)
    # on a slice x = (t, -t): f = relu(t) - 2 relu(t), min -1 at t = 1
    s = Slice((0, 0), ((1, -1),), Polytope.box([-1], [1]))
    p = prop(2, 1, [(-1, 1), (-1, 1)], "(assert (<= Y_0 -1))")
    v = check_property(TWO, p, slice_=s)
    assert v.verdict == "sat" and v.witness == (1, -1) and v.witness_slice == (1,)
    rep = verify_report(TWO, slice_=s)
    assert rep["coordinates"] == "slice" and rep["output_range"][0]["min"] == -1
    assert rep["output_range"][0]["argmin_input"] == [1, -1]


def test_property_must_fit_the_network():
    with pytest.raises(InputError, match="declares 2 inputs"):
        check_property(ABS, prop(2, 1, [(-1, 1), (-1, 1)], "(assert (<= Y_0 0))"))


def test_report_keys_and_exact_json():
    p = prop(1, 1, [(-1, 1)], "(assert (>= Y_0 1))")
    rep = verify_report(ABS, prop=p)
    assert rep["property"]["verdict"] == "sat" and rep["property"]["witness"] in ([1], [-1])
    assert rep["output_range"][0] == {"output": 0, "min": 0, "max": 1, "argmin": [0],
                                      "argmax": [1]}
    assert rep["lipschitz"]["linf"]["value"] == 1 and rep["lipschitz"]["coordinates"] == "input"
    rep = verify_report(TWO, Polytope.box([0, 0], [F(1, 3), 1]))
    assert rep["output_range"][0]["max"] == "1/3"
    assert set(rep["lipschitz"]) == {"linf", "l1", "l2_squared", "coordinates"}


# ---- invariants -------------------------------------------------------------------------
weights = st.integers(-2, 2)


@st.composite
def small_nets(draw):
    w = draw(st.lists(st.lists(weights, min_size=2, max_size=2), min_size=1, max_size=3))
    b = draw(st.lists(st.integers(-1, 1), min_size=len(w), max_size=len(w)))
    out = draw(st.lists(weights, min_size=len(w), max_size=len(w)))
    return Network.from_lists([(w, b), ([out], [draw(st.integers(-1, 1))])])


@settings(max_examples=25, deadline=None)
@given(small_nets(), st.sampled_from([">=", "<="]), st.integers(-6, 6), weights)
def test_single_halfspace_sat_iff_a_vertex_of_the_refinement_satisfies(net, op, bound, cx):
    """sat exactly when brute force over the vertices of the regions (LP traversal,
    cddlib) finds a point; the witness satisfies every constraint exactly."""
    body = f"(assert ({op} (+ Y_0 (* {cx} X_0)) {bound / 4}))"
    p = prop(2, 1, [(-1, 1), (-1, 1)], body)
    v = check_property(net, p)
    found = [x for x in brute_vertices(net, Polytope.cube(2))
             if p.unsafe_at(x, net.forward(x)) is not None]
    assert (v.verdict == "sat") == bool(found)
    if v.verdict == "sat":
        assert p.unsafe_at(v.witness, net.forward(v.witness)) == v.disjunct
        assert v.output == net.forward(v.witness)


@settings(max_examples=20, deadline=None)
@given(small_nets(), st.integers(-4, 4), st.integers(1, 4))
def test_band_witness_is_exact_and_grid_points_are_found(net, lo, width):
    """A band lo <= f <= lo + width/4 (a two-constraint conjunction): a sat witness lies
    in it exactly; a grid point in it forces sat."""
    a, b = F(lo, 4), F(lo, 4) + F(width, 4)
    body = f"(assert (>= Y_0 {float(a)}))(assert (<= Y_0 {float(b)}))"
    p = prop(2, 1, [(-1, 1), (-1, 1)], body)
    v = check_property(net, p)
    if v.verdict == "sat":
        assert a <= net.forward(v.witness)[0] <= b
    if any(a <= net.forward(x)[0] <= b for x in grid([-1, -1], [1, 1], 4)):
        assert v.verdict == "sat"

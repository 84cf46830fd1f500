"""Homology-generator reference cases: polytopo's generators of the decision sets against
shapes derived by hand (cases/generators/*.json, cases/generate_generators.py).

Everything is checked with this file's own exact arithmetic: the network evaluated with plain
Fractions at every vertex of every cell of a generator, the boundary of a 1-chain summed as a
formal sum of points, winding numbers around the holes' points by the crossing rule.
"""

import json
from collections import Counter
from fractions import Fraction

import pytest

from polytopo.analysis.summary import analyze
from polytopo.geometry.polytope import Polytope
from polytopo.network.model import Network

from case_arithmetic import evaluate as evaluate_outputs, generator_script, load_cases

CASES = load_cases("generators")
SETS = [(c, s) for c in CASES for s in c["sets"]]
SIGN = {"positive": lambda v: v >= 0, "negative": lambda v: v <= 0, "zero": lambda v: v == 0,
        "domain": lambda v: True}

_REPORTS = {}


def report(case):
    if case["name"] not in _REPORTS:
        net = Network.from_json(case["network"])
        lo, hi = case["domain"]["box"]
        _REPORTS[case["name"]] = analyze(net, Polytope.cube(net.input_dim, lo, hi),
                                         generators=True)
    return _REPORTS[case["name"]]


def evaluate(net_json, x):
    """The scalar output at x (tests/case_arithmetic.py)."""
    return evaluate_outputs(net_json, x)[0]


def point(v):
    return tuple(Fraction(t) for t in v)


def inside(comp, x):
    return all(sum(Fraction(a) * t for a, t in zip(row, x)) <= Fraction(b)
               for row, b in zip(comp["A"], comp["b"]))


def winding(chain, p):
    """Winding number of a 1-cycle of oriented segments around p (not on it), exactly:
    +1 for each upward crossing of the ray to the right of p, -1 for each downward one."""
    w = 0
    for e in chain:
        (ax, ay), (bx, by) = (point(v) for v in e["vertices"])
        side = (bx - ax) * (p[1] - ay) - (p[0] - ax) * (by - ay)  # > 0: p left of a -> b
        if ay <= p[1] < by and side > 0:
            w += e["coefficient"]
        elif by <= p[1] < ay and side < 0:
            w -= e["coefficient"]
    return w


def det(M):
    """Exact determinant by Fraction elimination."""
    M = [[Fraction(v) for v in row] for row in M]
    n, d = len(M), Fraction(1)
    for i in range(n):
        piv = next((r for r in range(i, n) if M[r][i] != 0), None)
        if piv is None:
            return Fraction(0)
        if piv != i:
            M[i], M[piv] = M[piv], M[i]
            d = -d
        d *= M[i][i]
        for r in range(i + 1, n):
            f = M[r][i] / M[i][i]
            M[r] = [a - f * b for a, b in zip(M[r], M[i])]
    return d


def test_generator_files_match_the_generator_script():
    mod = generator_script("generate_generators")
    built = {c["name"]: json.loads(json.dumps(c)) for c in mod.build()}
    assert built == {c["name"]: c for c in CASES}
    assert len(CASES) >= 5


@pytest.mark.parametrize("case,name", SETS, ids=[f"{c['name']}-{s}" for c, s in SETS])
def test_generators_count_and_lie_in_their_set(case, name):
    rep = report(case)
    want = case["sets"][name]
    gens = rep["generators"][name]
    assert [len(g) for g in gens][:len(want["betti"])] == want["betti"]
    assert all(len(g) == 0 for g in gens[len(want["betti"]):])
    hom = rep["homology"][name]
    assert [h["rank"] for h in hom][:len(want["betti"])] == want["betti"]
    assert all(h["torsion"] == [] for h in hom)
    ok = SIGN[name]
    for k, basis in enumerate(gens):
        for g in basis:
            assert "order" not in g or g["order"] in (0, None)  # subsets of R^d: no torsion
            assert g["chain"], (name, k)
            for e in g["chain"]:
                assert e["coefficient"] != 0
                assert len(e["vertices"]) >= k + 1
                for v in e["vertices"]:
                    assert ok(evaluate(case["network"], point(v))), (name, k, e)


DESCRIBED = [(c, s) for c, s in SETS if c["sets"][s]["components"] or c["sets"][s]["rest"]]


@pytest.mark.parametrize("case,name", DESCRIBED,
                         ids=[f"{c['name']}-{s}" for c, s in DESCRIBED])
def test_h0_generators_pick_one_point_of_each_component(case, name):
    want = case["sets"][name]
    h0 = report(case)["generators"][name][0]
    pts = []
    for g in h0:
        assert len(g["chain"]) == 1 and len(g["chain"][0]["vertices"]) == 1
        assert abs(g["chain"][0]["coefficient"]) == 1
        pts.append(point(g["chain"][0]["vertices"][0]))
    hits = Counter()
    for x in pts:
        where = [i for i, comp in enumerate(want["components"]) if inside(comp, x)]
        assert len(where) <= 1
        hits[where[0] if where else "rest"] += 1
    expected = {i: 1 for i in range(len(want["components"]))}
    if want["rest"]:
        expected["rest"] = 1
    assert dict(hits) == expected


PLANAR = [(c, s) for c, s in SETS if c["network"]["input_dim"] == 2]


@pytest.mark.parametrize("case,name", PLANAR, ids=[f"{c['name']}-{s}" for c, s in PLANAR])
def test_planar_h1_generators_are_cycles_winding_once_around_the_holes(case, name):
    want = case["sets"][name]
    h1 = report(case)["generators"][name][1]
    assert len(h1) == len(want["holes"]) == want["betti"][1]
    for g in h1:
        bd = Counter()
        for e in g["chain"]:
            tail, head = (point(v) for v in e["vertices"])
            bd[head] += e["coefficient"]
            bd[tail] -= e["coefficient"]
        assert all(c == 0 for c in bd.values()), "not a cycle"
    if not h1:
        return
    holes = [point(h) for h in want["holes"]]
    for p in holes:  # a hole's point is not in the set
        assert not SIGN[name](evaluate(case["network"], p))
    W = [[winding(g["chain"], p) for p in holes] for g in h1]
    assert abs(det(W)) == 1, W


def test_the_annulus_generator_winds_once_around_the_origin():
    """The bundled annulus-like example: {f >= 0} of ring_2d is generated by one loop that
    goes once around its hole."""
    case = next(c for c in CASES if c["name"] == "ring_2d")
    (g,) = report(case)["generators"]["positive"][1]
    assert abs(winding(g["chain"], (Fraction(0), Fraction(0)))) == 1
    assert winding(g["chain"], (Fraction(9, 10), Fraction(0))) == 0

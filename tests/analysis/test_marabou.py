"""polytopo's exact verdicts against Marabou's on the properties of bench/bench_verifiers.py.

polytopo's verdict on every property is known by hand (the comment beside it); Marabou
(``maraboupy``, an optional bench extra: these tests are skipped without it) works in double
precision, and where its answer differs from the exact one the test checks the reason the
benchmark records: Marabou's point, evaluated exactly, is not a counterexample.
"""

import importlib.util
import os
from fractions import Fraction

import pytest

from polytopo.network.vnnlib import parse_vnnlib

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
spec = importlib.util.spec_from_file_location(
    "bench_verifiers", os.path.join(ROOT, "bench", "bench_verifiers.py"))
bench = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bench)
bench._fill_degenerate()

EXACT = {  # derived by hand from each network's closed form
    "abs >= 1 (equality at the boundary)": "sat",          # |x| = 1 at x = +-1
    "abs >= 1 + 1e-12": "unsat",                           # max |x| on [-1, 1] is 1
    "abs <= 0 (only x = 0)": "sat",                        # x = 0
    "abs <= -1e-12": "unsat",                              # |x| >= 0
    "x = relu(x)-relu(-x) >= 0.1 on [0, 0.1]": "sat",      # x = 0.1
    "x >= 0.1 + 1e-12 on [0, 0.1]": "unsat",
    "degenerate: f >= max f": "sat",                       # at the maximiser
    "degenerate: f >= max f + 1e-9": "unsat",
    "ring: f >= 1/4 (on the diamond |x|+|y| = 1/2)": "sat",  # max of the ring is 1/4
    "ring: f >= 1/4 + 1e-12": "unsat",
    "ring: disjunction of two corners": "sat",             # (1/4, 1/4): f = 1/4
    "cancellation: 10^6 (relu(x+1e-6) - relu(x)) <= 0.999999 on [0, 1]": "unsat",  # f = 1
}
CASES = [(name, net, text) for name, net, text in bench.CASES]


def test_every_benchmark_property_has_a_hand_verdict():
    assert sorted(EXACT) == sorted(name for name, _, _ in CASES)


@pytest.mark.parametrize("name,net,text", CASES, ids=[c[0] for c in CASES])
def test_polytopos_verdict_is_the_exact_one(name, net, text):
    prop = parse_vnnlib(text, source=name)
    v, _ = bench.polytopo_verdict(net, prop)
    assert v.verdict == EXACT[name]
    if v.verdict == "sat":
        x = tuple(v.witness)
        assert all(lo <= t <= hi for lo, t, hi in zip(prop.lower, x, prop.upper))
        y = net.forward(x)
        assert any(all(c.value(x, y) <= 0 for c in conj) for conj in prop.disjuncts)


@pytest.fixture(scope="module")
def marabou():
    pytest.importorskip("maraboupy")
    missing = bench.marabou_available()
    if missing:
        pytest.skip(f"maraboupy does not run here: {missing}")
    rows = {}
    for name, net, text in CASES:
        prop = parse_vnnlib(text, source=name)
        exact, _ = bench.polytopo_verdict(net, prop)
        code, x, _ = bench.marabou_verdict(net, prop, timeout=60)
        rows[name] = (code, x, bench.why(exact, code, x, net, prop), net, prop)
    return rows


@pytest.mark.parametrize("name", sorted(EXACT))
def test_marabou_agrees_or_its_point_fails_exactly(marabou, name):
    code, x, why, net, prop = marabou[name]
    assert code in ("sat", "unsat")
    if code == EXACT[name]:
        assert why == ""
        return
    # Marabou says sat where the exact answer is unsat: its point is not a counterexample
    assert code == "sat" and EXACT[name] == "unsat"
    xq = tuple(Fraction(t) for t in x)
    inside = all(lo <= t <= hi for lo, t, hi in zip(prop.lower, xq, prop.upper))
    if inside:
        y = net.forward(xq)
        assert not any(all(c.value(xq, y) <= 0 for c in conj) for conj in prop.disjuncts)
        assert why.startswith("Marabou's point, evaluated exactly, violates")
    else:
        assert why.startswith("Marabou's point lies outside the input box")


def test_marabou_agrees_where_the_margin_is_large(marabou):
    """Every property not decided by a margin of 1e-9 or less gets the exact verdict."""
    tight = {n for n in EXACT if "1e-" in n}
    for name in set(EXACT) - tight:
        assert marabou[name][0] == EXACT[name], name

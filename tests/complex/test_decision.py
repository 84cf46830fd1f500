"""Decision sets {f >= 0}, {f <= 0}, {f = 0}: reference cases from mathematics and invariants."""

import json
from pathlib import Path

import pytest
from hypothesis import given

from polytopo.complex.build import canonical_complex
from polytopo.exceptions import PointlessQuestion
from polytopo.network.model import Network
from polytopo.geometry.polytope import Polytope
from polytopo.analysis.summary import analyze
from polytopo.testing import networks

CASES = sorted((Path(__file__).resolve().parents[2] / "cases" / "decision").glob("*.json"))


def _load(path):
    case = json.loads(path.read_text())
    net = Network.from_json(case["network"])
    lo, hi = case["domain"]["box"]
    return case, net, Polytope.cube(net.input_dim, lo, hi)


@pytest.mark.parametrize("path", [
    pytest.param(p, marks=pytest.mark.slow) if json.loads(p.read_text()).get("slow") else p
    for p in CASES], ids=[p.stem for p in CASES])
def test_reference_decision_sets(path):
    case, net, domain = _load(path)
    rep = analyze(net, domain)
    exp = case["expected"]
    if "n_regions" in exp:
        assert rep["n_regions"] == exp["n_regions"]
    for which, betti in exp["homology"].items():
        got = rep["homology"][which]
        assert [g["rank"] for g in got] == betti, which
        assert all(g["torsion"] == [] for g in got)


def test_there_are_decision_cases():
    assert len(CASES) >= 8


@given(networks(max_layers=2, max_width=3))
def test_decision_sets_cover_the_domain_and_meet_in_the_zero_set(net):
    """{f>=0} ∪ {f<=0} is the whole complex, their intersection is {f=0}; Mayer–Vietoris
    gives χ(D) = χ(+) + χ(−) − χ(0) = 1."""
    C = canonical_complex(net, Polytope.cube(net.input_dim, -2, 2), output=True)
    pos, neg, zero = (C.decision_subcomplex(w) for w in ("positive", "negative", "zero"))
    for k in range(C.dim + 1):
        assert pos[k] | neg[k] == set(range(C.f_vector()[k]))
        assert pos[k] & neg[k] == zero[k]

    def chi(sub):
        return sum((-1) ** k * len(s) for k, s in enumerate(sub))

    assert chi(pos) + chi(neg) - chi(zero) == 1
    for sub in (pos, neg, zero):
        betti = [h.rank for h in C.homology(sub)]
        assert sum((-1) ** k * b for k, b in enumerate(betti)) == chi(sub)


def test_vector_output_has_no_decision_sets():
    net = Network.from_lists([([[1]], [0]), ([[1], [2]], [0, 0])])
    rep = analyze(net, Polytope.cube(1))
    assert "positive" not in rep["homology"]
    with pytest.raises(PointlessQuestion):
        canonical_complex(net, Polytope.cube(1), output=True)

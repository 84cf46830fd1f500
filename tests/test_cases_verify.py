"""Verification reference cases: polytopo's exact ranges, Lipschitz constants and property
verdicts against answers derived by hand (cases/verify/*.json, cases/generate_verify.py).

Witnesses are checked with this file's own arithmetic: the network is evaluated with plain
Fractions, domain membership and every constraint of a conjunction tested directly.
"""

import json
from fractions import Fraction

import pytest

from polytopo.analysis.verify import check_property, lipschitz, output_range
from polytopo.cli.app import main
from polytopo.geometry.polytope import Polytope
from polytopo.network.model import Network
from polytopo.network.vnnlib import parse_vnnlib

from case_arithmetic import evaluate, generator_script, load_cases

CASES = load_cases("verify")
PROPS = [(c, p) for c in CASES for p in c["properties"]]


def box(case, d):
    lo, hi = (Fraction(v) for v in case["domain"]["box"])
    return Polytope.box([lo] * d, [hi] * d), lo, hi


def holds(c, x, y):
    vals = {**{f"X_{i}": v for i, v in enumerate(x)}, **{f"Y_{i}": v for i, v in enumerate(y)}}
    lhs = sum((Fraction(a) * vals[k] for k, a in c["terms"].items()), Fraction(0))
    rhs = Fraction(c["rhs"])
    return lhs <= rhs if c["op"] == "<=" else lhs >= rhs


def test_cases_exist_and_the_files_match_the_generator():
    assert len(CASES) >= 7 and len(PROPS) >= 20
    assert {p["verdict"] for _, p in PROPS} == {"sat", "unsat"}
    gen = generator_script("generate_verify")
    by_name = {c["name"]: c for c in CASES}
    built = gen.build()
    assert sorted(c["name"] for c in built) == sorted(by_name)
    for c in built:
        assert json.loads(json.dumps(c)) == by_name[c["name"]], c["name"]


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_output_range(case):
    net = Network.from_json(case["network"])
    D, lo, hi = box(case, net.input_dim)
    got = output_range(net, D)
    exp = case["expected"]["output_range"]
    assert len(got) == len(exp)
    for r, e in zip(got, exp):
        assert (r.min, r.max) == (Fraction(e["min"]), Fraction(e["max"]))
        for point, value in ((r.argmin, r.min), (r.argmax, r.max)):
            assert all(lo <= v <= hi for v in point)
            assert evaluate(case["network"], point)[r.output] == value


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_lipschitz(case):
    net = Network.from_json(case["network"])
    D, _, _ = box(case, net.input_dim)
    got = lipschitz(net, D)
    exp = {k: Fraction(v) for k, v in case["expected"]["lipschitz"].items()}
    assert got["linf"].value == exp["linf"] and got["l1"].value == exp["l1"]
    l2 = got["l2_squared"]
    if l2.exact:
        assert l2.value == exp["l2_squared"]
    else:
        assert l2.lower <= exp["l2_squared"] <= l2.upper
    if net.output_dim == 1:
        assert l2.exact       # ‖∇f‖₂² is exact for a scalar output
    _, lo, hi = box(case, net.input_dim)
    for L in got.values():                      # the attaining regions lie in the domain
        assert all(lo < v < hi for v in L.region["interior_point"])


@pytest.mark.parametrize("case,prop", PROPS,
                         ids=[f"{c['name']}-{p['name']}" for c, p in PROPS])
def test_property_verdict_and_witness(case, prop):
    net = Network.from_json(case["network"])
    v = check_property(net, parse_vnnlib(prop["vnnlib"]))
    assert v.verdict == prop["verdict"], v.how
    if v.verdict == "sat":
        y = evaluate(case["network"], v.witness)
        assert tuple(y) == tuple(v.output)
        assert any(all(holds(c, v.witness, y) for c in conj) for conj in prop["unsafe"])
    else:
        assert v.witness is None and v.how


@pytest.mark.parametrize("case,prop", [PROPS[0], PROPS[1], PROPS[-1]],
                         ids=["first", "second", "last"])
def test_the_command_line_prints_the_verdict_first(tmp_path, capsys, case, prop):
    net = tmp_path / "net.json"
    net.write_text(json.dumps(case["network"]))
    p = tmp_path / "p.vnnlib"
    p.write_text(prop["vnnlib"])
    try:
        status = main(["verify", str(net), "--property", str(p)])
    except SystemExit as e:
        status = e.code
    out = capsys.readouterr().out.splitlines()
    assert out[0] == prop["verdict"]
    assert status == 0      # a verdict, either one, is a successful run

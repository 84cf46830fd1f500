"""Expressivity reference cases: Ergen and Grillo's Theorem 13 network for 2-input
architectures, written out from the paper's definitions by cases/generate_expressivity.py,
with Betti numbers counted by hand; polytopo's exact homology and its own construction are
checked against them.
"""

import json
import random
from fractions import Fraction

import pytest

from polytopo.analysis.expressivity import (paper_construction, paper_network,
                                            theorem13_betti, verify_construction)
from polytopo.analysis.summary import analyze
from polytopo.cli.app import main
from polytopo.geometry.polytope import Polytope
from polytopo.network.model import Network

from case_arithmetic import evaluate as evaluate_outputs, generator_script, load_cases

CASES = load_cases("expressivity")
IDS = [c["name"] for c in CASES]


def evaluate(net_json, x):
    """The scalar output at x (tests/case_arithmetic.py)."""
    return evaluate_outputs(net_json, x)[0]


def arch(case):
    return "-".join(map(str, case["architecture"]))


def test_case_files_match_the_generator_script():
    mod = generator_script("generate_expressivity")
    assert {c["name"]: json.loads(json.dumps(c)) for c in mod.build()} == \
        {c["name"]: c for c in CASES}
    assert len(CASES) >= 8


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_exact_homology_of_the_decision_sets_is_the_hand_count(case):
    rep = analyze(Network.from_json(case["network"]), Polytope.cube(2, 0, 1), volumes=False)
    for name, betti in case["expected"]["betti"].items():
        groups = rep["homology"][name]
        assert [g["rank"] for g in groups] == betti + [0], name
        assert all(g["torsion"] == [] for g in groups)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_polytopos_paper_network_is_the_same_function(case):
    F = paper_network(arch(case))
    assert list(F.architecture) == case["architecture"]
    M, w = case["M"], case["carve"][0]
    # near one cutting point of every parity class, on a grid finer than the carving's shells,
    # and at random points of the square
    n = 8 * M * max(w, 1)
    pts = [(Fraction(a * n // M + i, n), Fraction(b * n // M + j, n))
           for a in (1, M - 1) for b in (0, 2, M) for i in range(-n // (4 * M), n // (4 * M) + 1)
           for j in range(-n // (4 * M), n // (4 * M) + 1)
           if 0 <= a * n // M + i <= n and 0 <= b * n // M + j <= n]
    rng = random.Random(case["name"])
    pts += [(Fraction(rng.randrange(10 ** 6), 10 ** 6), Fraction(rng.randrange(10 ** 6), 10 ** 6))
            for _ in range(200)]
    for x in pts:
        assert F.forward(x)[0] == evaluate(case["network"], x), x
    assert any(evaluate(case["network"], x) < 0 for x in pts) == (w >= 2)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_theorem13_readings_and_the_construction(case):
    a, want = arch(case), case["expected"]
    assert theorem13_betti(a, reading="corrected") == want["betti"]["negative"]
    assert theorem13_betti(a, reading="proof") == want["theorem13_proof_reading"]
    c = paper_construction(a, 1)
    assert c.M == case["M"] and list(c.carve) == case["carve"]
    assert {k: list(v)[:2] for k, v in c.betti.items()} == want["betti"]
    out = verify_construction(c)
    assert out["agrees"] and out["torsion"] == {}


def test_the_readings_differ_exactly_when_w_is_odd():
    """The proof's ceil(w/2) and the hand count's floor(w/2) disagree on every odd w here."""
    odd = [c for c in CASES if c["carve"][0] % 2]
    assert odd, "the cases include odd carving widths"
    for c in CASES:
        same = c["expected"]["theorem13_proof_reading"] == c["expected"]["betti"]["negative"]
        assert same == (c["carve"][0] % 2 == 0), c["name"]


def test_bounds_build_paper_on_the_command_line(capsys):
    """``polytopo bounds ARCH --build 1 --construction paper --verify`` reports the hand
    count and agrees with it."""
    case = next(c for c in CASES if c["name"] == "paper_2-4-4-7-1")
    code = main(["bounds", arch(case), "--build", "1", "--construction", "paper", "--verify"])
    out = capsys.readouterr().out
    assert code == 0
    for name, betti in case["expected"]["betti"].items():
        assert f"computed (exact, over Z) for {name}: {betti + [0]}" in out
    corrected = case["expected"]["betti"]["negative"]
    assert f"corrected (floor(w_k/2) shells): beta_0..beta_1 = {corrected}" in out
    assert "the exact homology agrees with the construction" in out

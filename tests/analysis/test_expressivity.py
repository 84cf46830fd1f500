"""Topological expressivity: the constructions have exactly the Betti numbers stated for them,
computed by polytopo; the upper bounds hold for random networks; the command line."""

import argparse
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from polytopo.analysis.expressivity import (betti_lower_bound, betti_upper_bound,
                                            bounds_report, construction, max_regions_bound,
                                            parse_architecture, verify_construction)
from polytopo.cli.bounds import add as add_bounds_command
from polytopo.cli.bounds import run as run_bounds
from polytopo.complex.build import canonical_complex
from polytopo.exceptions import InputError, PointlessQuestion
from polytopo.network.io import load_network
from polytopo.geometry.polytope import Polytope
from polytopo.analysis.summary import analyze
from polytopo.testing import networks

SMALL = [("1-2-1", 0), ("1-3-1", 0), ("1-2-2-1", 0), ("1-3-2-2-1", 0), ("2-2-1", 0),
         ("2-4-1", 0), ("2-4-4-1", 0), ("2-6-3-1", 0), ("2-4-4-1", 1), ("2-5-1", 1),
         ("2-6-6-1", 1), ("2-2-2-1", 1), ("3-6-1", 2), ("3-3-3-1", 0), ("3-6-1", 1),
         ("3-6-6-1", 2), ("2-4-4-4-4-1", 0), ("2-4-4-4-4-1", 1), ("3-1", 0), ("2-1", 1)]


@pytest.mark.parametrize("arch,k", SMALL, ids=[f"{a}-k{k}" for a, k in SMALL])
def test_construction_has_the_stated_betti_numbers(arch, k):
    c = construction(arch, k)
    v = verify_construction(c)
    assert v["computed"] == c.betti, v
    assert not v["torsion"]
    assert c.value == c.betti["negative"][k] == betti_lower_bound(arch, k)
    assert c.value <= betti_upper_bound(arch, k)
    assert v["n_regions"] <= max_regions_bound(arch)
    assert c.network.architecture == parse_architecture(arch)


@pytest.mark.slow
@pytest.mark.parametrize("arch,k", [("2-8-8-8-1", 1), ("3-9-9-1", 2), ("2-6-6-6-1", 1),
                                    ("3-6-6-6-1", 2)])
def test_bigger_constructions(arch, k):
    c = construction(arch, k)
    assert verify_construction(c)["computed"] == c.betti


def test_construction_through_the_report_and_the_file(tmp_path):
    # what `polytopo analyze NET.json --box 0 1` reports equals the construction's numbers
    c = construction("2-4-4-1", 1)
    path = tmp_path / "net.json"
    path.write_text(json.dumps(c.network.to_json()))
    rep = analyze(load_network(path), Polytope.cube(2, 0, 1))
    for which in ("negative", "positive", "zero"):
        assert [h["rank"] for h in rep["homology"][which]] == c.betti[which]


def test_the_formulas_by_hand():
    # 1-D, width 2 per layer: G has 2^L pieces, its zeros 0, 2/P, ..., so 2^(L-1) + 1 blobs
    assert [betti_lower_bound("1" + "-2" * L + "-1", 0) for L in range(1, 7)] == \
        [2, 3, 5, 9, 17, 33]
    c = construction("2-6-6-1", 1)           # 3 folds per layer: 9 pieces, 4 interior peaks
    assert (c.q, c.pieces, c.kind) == (2, 9, "peaks")
    assert c.betti == {"negative": [1, 16, 0], "positive": [25, 0, 0], "zero": [25, 16, 0]}
    assert construction("1-4-1").betti == {"negative": [3, 0], "positive": [2, 0],
                                           "zero": [4, 0]}


def test_depth_beats_width():
    # same number of hidden neurons: one layer of 12 vs three of 4 (input dimension 2)
    shallow, deep = betti_lower_bound("2-12-1", 1), betti_lower_bound("2-4-4-4-1", 1)
    assert (shallow, deep) == (9, 16)
    lows = [betti_lower_bound("2" + "-4" * L + "-1", 1) for L in range(1, 6)]
    assert all(b >= 4 * a for a, b in zip(lows[1:], lows[2:]))      # x4 per layer
    # the upper bound grows at most polynomially in the width for a fixed depth
    assert betti_upper_bound("2-40-1", 1) == max_regions_bound("2-40-1") == 821


def test_choice_of_q_for_beta_0():
    assert construction("2-6-6-1").q == 2            # (9 // 2 + 1)^2 = 25 > 36 // 2 + 1 = 19
    assert construction("2-6-6-1", q=1).betti["negative"][0] == 19
    with pytest.raises(InputError):
        construction("2-6-6-1", 1, q=1)


@given(st.integers(1, 3).flatmap(lambda d: networks(input_dim=d, max_layers=2, max_width=3)))
def test_upper_bounds_hold_for_random_networks(net):
    arch = net.architecture
    dom = Polytope.cube(net.input_dim)
    C = canonical_complex(net, dom)
    assert C.n_regions <= max_regions_bound(arch)
    R = canonical_complex(net, dom, output=True)
    for which in ("negative", "positive", "zero"):
        for k, g in enumerate(R.homology(R.decision_subcomplex(which))):
            assert g.rank <= betti_upper_bound(arch, k, which=which)


@given(st.integers(1, 3), st.lists(st.integers(1, 7), min_size=0, max_size=4),
       st.integers(0, 3))
def test_lower_never_exceeds_upper(n0, widths, k):
    arch = (n0, *widths, 1)
    assert 0 <= betti_lower_bound(arch, k) <= betti_upper_bound(arch, k)
    if k >= n0:
        assert betti_upper_bound(arch, k) == 0


def test_bad_architectures():
    for bad in ["", "2", "2-0-1", "a-b", "2-4--1x", "-2-4-1"]:
        with pytest.raises(InputError):
            parse_architecture(bad)
    with pytest.raises(PointlessQuestion):
        parse_architecture("2-4-3")
    with pytest.raises(PointlessQuestion):
        construction("2-4-1", 2)                     # beta_2 = 0 in the plane
    with pytest.raises(PointlessQuestion):
        construction("3-2-1", 2)                     # a layer narrower than k + 1
    with pytest.raises(InputError):
        betti_upper_bound("2-4-1", -1)
    with pytest.raises(InputError):
        betti_upper_bound("2-4-1", 0, domain_facets=2)


def _run(argv):
    parser = argparse.ArgumentParser()
    add_bounds_command(parser.add_subparsers(dest="command"))
    return run_bounds(parser.parse_args(["bounds"] + argv))


def test_command_builds_and_verifies(tmp_path, capsys):
    out, rep = tmp_path / "net.json", tmp_path / "bounds.json"
    assert _run(["2-4-4-1", "--build", "1", "--out", str(out), "--verify",
                 "--json", str(rep)]) == 0
    text = capsys.readouterr().out
    assert "agrees" in text and "polytopo analyze" in text
    net = load_network(out)
    assert net.architecture == (2, 4, 4, 1)
    obj = json.loads(rep.read_text())
    assert obj["verification"]["agrees"] is True
    assert obj == json.loads(json.dumps(obj))
    assert [r["lower"] for r in obj["betti"]] == [9, 4, 0]
    assert obj["betti"] == bounds_report("2-4-4-1")["betti"]


def test_command_bad_input(tmp_path):
    with pytest.raises(InputError):
        _run(["2-x-1"])
    with pytest.raises(InputError):
        _run(["2-4-1", "--out", str(tmp_path / "n.json")])
    with pytest.raises(InputError):
        _run(["2-4-1", "--build", "0"])
    with pytest.raises(PointlessQuestion):
        _run(["2-4-1", "--build", "5", "--out", str(tmp_path / "n.json")])
    assert not (tmp_path / "n.json").exists()

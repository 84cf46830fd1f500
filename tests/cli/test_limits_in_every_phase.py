"""Limits hold in every phase: a hopeless full-space analysis stops at once, the region
limit holds inside a layer, the time limit inside the first layer of a 64-input net.
Times are asserted loosely (the benchmarks measure them)."""

import json
import random
import time

import pytest

from polytopo.cli.app import main
from polytopo.complex.build import check_enumerable
from polytopo.exceptions import LimitExceeded
from polytopo.geometry.polytope import Polytope
from polytopo.network.model import Network


@pytest.fixture
def wide_net(tmp_path):
    rng = random.Random(0)
    net = Network.from_lists([([[rng.randint(-3, 3) for _ in range(64)] for _ in range(24)],
                               [rng.randint(-3, 3) for _ in range(24)]),
                              ([[rng.randint(-3, 3) for _ in range(24)]], [0])])
    p = tmp_path / "wide.json"
    p.write_text(json.dumps(net.to_json()))
    return p


def _run(args, capsys):
    t = time.monotonic()
    code = main(args)
    return code, capsys.readouterr().err.strip(), time.monotonic() - t


def test_a_64_dimensional_box_is_checked_without_enumerating_it():
    t = time.monotonic()
    P = Polytope.cube(64, 0, 16)
    assert P.validated() is P and len(P.irredundant().A) == 128
    assert time.monotonic() - t < 5
    with pytest.raises(LimitExceeded, match="slice"):
        check_enumerable(P, 64)
    check_enumerable(Polytope.cube(3), 3)        # small domains pass


def test_full_space_analysis_of_64_inputs_stops_at_once(wide_net, tmp_path, capsys):
    out = tmp_path / "rep.json"
    code, err, took = _run(["analyze", str(wide_net), "--box", "0", "16", "--json", str(out)],
                           capsys)
    assert code == 3 and "slice" in err and "\n" not in err and not out.exists()
    assert took < 10


def test_volumes_in_64_dimensions_are_refused_at_once(wide_net, tmp_path, capsys):
    out = tmp_path / "r.json"
    code, err, _ = _run(["regions", str(wide_net), "--box", "0", "16", "--engine", "lp",
                         "--json", str(out)], capsys)
    assert code == 3 and "--no-volumes" in err and not out.exists()


def test_region_limit_holds_inside_the_first_layer(wide_net, tmp_path, capsys):
    out = tmp_path / "r.json"
    code, err, took = _run(["regions", str(wide_net), "--box", "0", "16", "--engine", "lp",
                            "--no-volumes", "--max-regions", "50", "--json", str(out)], capsys)
    assert code == 3 and "more than 50 regions in hidden layer 1" in err
    assert not out.exists() and took < 30


def test_time_limit_holds_inside_the_first_layer(wide_net, tmp_path, capsys):
    out = tmp_path / "r.json"
    code, err, took = _run(["regions", str(wide_net), "--box", "0", "16", "--engine", "lp",
                            "--no-volumes", "--time-limit", "1", "--json", str(out)], capsys)
    assert code == 3 and "time limit" in err and not out.exists()
    assert took < 4

"""Data against regions: batch evaluation, region statistics, points in pictures."""

import json
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from polytopo.analysis.data import region_statistics
from polytopo.cli.app import main
from polytopo.complex.build import canonical_complex
from polytopo.complex.cells import CellComplex
from polytopo.exceptions import InputError
from polytopo.geometry.polytope import Polytope
from polytopo.network import units
from polytopo.network.model import Network

F = Fraction
small = st.integers(-3, 3)
coords = st.one_of(st.integers(-3, 3), st.fractions(-3, 3, max_denominator=6),
                   st.floats(-3, 3, allow_nan=False, width=32))


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(small, min_size=2, max_size=2), min_size=1, max_size=4),
       st.lists(small, min_size=4, max_size=4),
       st.lists(st.lists(coords, min_size=2, max_size=2), min_size=1, max_size=8),
       st.sampled_from([None, "leaky", "max"]))
def test_batches_equal_point_by_point(W, b, X, kind):
    h = len(W)
    if kind == "max":
        W = W + W[:1]
        net = Network.from_lists([(W, (b * 2)[:h + 1]), ([[1] * h], [0])],
                                 units=[[units.Max(2)] + [units.RELU] * (h - 1)])
    else:
        net = Network.from_lists([(W, b[:h]), ([[1] * h, [1] + [0] * (h - 1)], [0, 1])],
                                 units=None if kind is None else [units.leaky_relu("1/4")])
    assert net.forward_batch(X) == [net.forward(x) for x in X]
    assert net.patterns(X) == [net.pattern(x) for x in X]
    A = np.array([[float(v) for v in x] for x in X])
    assert net.patterns(A) == [net.pattern([F(float(v)) for v in x]) for x in X]


def test_bad_batches():
    net = Network.from_lists([([[1, 0]], [0]), ([[1]], [0])])
    with pytest.raises(InputError, match="forward_batch"):
        net.forward(np.zeros((3, 2)))
    for X in (np.zeros((3, 3)), np.array([[np.nan, 0]]), "xy", np.zeros(2)):
        with pytest.raises(InputError):
            net.forward_batch(X)


def test_quadrant_statistics():
    net = Network.from_lists([([[1, 0], [0, 1]], [0, 0]), ([[1, 1], [-1, -1]], [0, 0])])
    X = [[F(1, 2), F(1, 2)], [F(1, 3), F(2, 3)], [-0.5, 0.5], [0.5, -0.5], [-0.5, -0.25],
         [0, 0.5], [2, 2]]
    y = [0, 1, 1, 1, 0, 0, 0]
    s = region_statistics(net, Polytope.cube(2), X, y)
    assert (s["n_points"], s["outside"], s["on_boundary"]) == (7, 1, 1)
    assert s["n_regions"] == 4 and s["n_regions_with_data"] == 4
    got = {r["pattern"]: (r["n_points"], r["class"], r["labels"], r["agree"])
           for r in s["regions"]}
    # f = (relu x + relu y, -relu x - relu y): class 0 except where both relus vanish (a tie)
    assert got["++"] == (2, 0, {"0": 1, "1": 1}, 1)
    assert got["--"] == (1, 0, {"0": 1}, 1)
    assert got["-+"][0] == 1 and got["+-"][0] == 1


def test_plot_draws_the_data(tmp_path, capsys):
    pytest.importorskip("matplotlib")
    import json

    net = Network.from_lists([([[1, 0], [0, 1]], [0, 0]), ([[1, 1]], [F(-1, 2)])])
    p = tmp_path / "net.json"
    p.write_text(json.dumps(net.to_json()))
    X = tmp_path / "x.npy"
    np.save(X, np.array([[0.5, 0.5], [-0.5, 0.25], [0.1, -0.9]]))
    y = tmp_path / "y.npy"
    np.save(y, np.array([0, 1, 1]))
    out = tmp_path / "p.png"
    assert main(["plot", str(p), "--points", str(X), "--labels", str(y), "--out", str(out)]) == 0
    assert out.read_bytes().startswith(b"\x89PNG")
    bad = tmp_path / "bad.png"
    assert main(["plot", str(p), "--labels", str(y), "--out", str(bad)]) == 2
    assert not bad.exists()
    capsys.readouterr()


# ---- region statistics: known answers, complexes, JSON ---------------------------------
def quadrant_net():
    """Regions: the four open quadrants of [-1, 1]^2 (patterns of relu x, relu y);
    outputs f = (relu x - relu y, relu y - relu x + 1/10)."""
    return Network.from_lists([([[1, 0], [0, 1]], [0, 0]),
                               ([[1, -1], [-1, 1]], [0, F(1, 10)])])


def quadrant_points():
    X = ([[F(1, 2), F(1, 2)], [0.25, 0.75], [F(9, 10), F(1, 10)]]       # 3 in x > 0, y > 0
         + [[0.5, -0.5], [F(1, 3), F(-2, 3)]]                           # 2 in x > 0, y < 0
         + [[-0.5, 0.25]]                                                # 1 in x < 0, y > 0
         + [[0, F(1, 2)], [F(-1, 2), 0], [0, 0]]                        # on the axes
         + [[1, F(1, 2)], [-1, -1]]                                     # domain boundary
         + [[2, 0], [0, -1.5]])                                         # outside
    y = [1, 1, 0, 0, 0, 1, 0, 1, 1, 1, 0, 0, 1]
    return X, y


def test_points_per_quadrant():
    net = quadrant_net()
    X, y = quadrant_points()
    s = region_statistics(net, Polytope.cube(2), np.array(X, dtype=object), y)
    assert (s["n_points"], s["outside"], s["on_boundary"]) == (13, 2, 3)
    assert (s["n_regions"], s["n_regions_with_data"]) == (4, 4)
    got = {r["pattern"]: (r["n_points"], r["class"], r["labels"], r["agree"])
           for r in s["regions"]}
    assert got == {"++": (4, 1, {"0": 1, "1": 3}, 3), "+-": (2, 0, {"0": 2}, 2),
                   "-+": (1, 1, {"1": 1}, 1), "--": (1, 1, {"0": 1}, 0)}
    assert s["labels_on_boundary"] == {"0": 1, "1": 2} and s["labels_outside"] == {"0": 1, "1": 1}
    C = canonical_complex(net, Polytope.cube(2))
    t = region_statistics(None, C, X, y)
    assert t["on_boundary_by_dim"] == {"0": 1, "1": 2}
    assert {k: v for k, v in t.items() if k != "on_boundary_by_dim"} == s
    assert json.loads(json.dumps(s)) == s


def test_statistics_of_a_refined_complex_and_a_scalar_output():
    net = Network.from_lists([([[1, 0], [0, 1]], [0, 0]), ([[1, 1]], [F(-1, 2)])])
    C = canonical_complex(net, Polytope.cube(2), output=True)      # split by f = 0 too
    X = [[F(3, 4), F(3, 4)], [F(1, 4), F(1, 8)], [F(1, 4), F(1, 4)], [-0.5, -0.5]]
    s = region_statistics(net, C, X)
    assert s["n_regions"] == C.n_regions == 7 and s["on_boundary"] == 1   # (1/4, 1/4): f = 0
    assert [(r["pattern"], r["label"], r["n_points"], r["sign"]) for r in s["regions"]] == \
        [("++", "+++", 1, 1), ("++", "++-", 1, -1), ("--", "---", 1, -1)]
    p = region_statistics(net, Polytope.cube(2), X)
    assert [(r["pattern"], r["n_points"]) for r in p["regions"]] == [("++", 3), ("--", 1)]
    assert "labels" not in p["regions"][0] and "labels_outside" not in p


@settings(max_examples=25, deadline=None)
@given(st.lists(st.lists(small, min_size=2, max_size=2), min_size=1, max_size=3),
       st.lists(small, min_size=3, max_size=3),
       st.lists(st.lists(st.one_of(st.fractions(-2, 2, max_denominator=4),
                                   st.sampled_from([-1, 0, 1])), min_size=2, max_size=2),
                max_size=15))
def test_statistics_by_patterns_and_by_cells_agree(W, b, X):
    net = Network.from_lists([(W, b[:len(W)]), ([[1] * len(W), [-1] * len(W)], [0, 0])])
    C = canonical_complex(net, Polytope.cube(2))
    s = region_statistics(net, Polytope.cube(2), X, [0] * len(X))
    t = region_statistics(net, C, X, [0] * len(X))
    assert sum(r["n_points"] for r in s["regions"]) + s["outside"] + s["on_boundary"] == len(X)
    assert t.pop("on_boundary_by_dim") is not None
    # they differ only where a neuron's zero set merely touches the domain's boundary
    assert t["outside"] == s["outside"]
    assert t["on_boundary"] <= s["on_boundary"]


def test_bad_statistics_arguments():
    net = quadrant_net()
    with pytest.raises(InputError, match="labels"):
        region_statistics(net, None, [[0, 0]], [0, 1])
    with pytest.raises(InputError):
        region_statistics(net, None, np.array([[np.nan, 0]]))
    with pytest.raises(InputError, match="no network"):
        region_statistics(None, CellComplex.from_box([-1, -1], [1, 1]), [[0, 0]])
    assert region_statistics(net, None, np.zeros((0, 2)))["regions"] == []

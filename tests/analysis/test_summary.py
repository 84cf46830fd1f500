"""The report of ``analyze`` and the regions report, on networks whose answers are known
by hand; region counts against an independent brute force; the summary text.

Every expected number below is derived in the comments (geometry of the decision sets,
Euler's formula, areas of triangles), not copied from polytopo's output.
"""

import json
import re
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import polytopo
from polytopo.analysis.summary import (analyze, homology_json, regions_header, regions_report,
                                       summary)
from polytopo.exceptions import InputError, LimitExceeded, PointlessQuestion
from polytopo.geometry.polytope import Polytope
from polytopo.network.io import load_network
from polytopo.network.model import Network
from polytopo.regions import brute_force_patterns
from polytopo.testing import boxes, networks
from polytopo.topology.homology import HomologyGroup

F = Fraction
ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "polytopo" / "data" / "example.json"
SQUARE = Polytope.cube(2)
INTERVAL = Polytope.cube(1)


def exact(value):
    """A number of a JSON report (an int or the string "p/q") as a Fraction."""
    assert isinstance(value, (int, str)) and not isinstance(value, bool), value
    return F(value)


def betti(entries):
    """Betti numbers of a homology list, checking the list's form on the way."""
    for e in entries:
        assert set(e) == {"rank", "torsion"}
        assert isinstance(e["rank"], int) and e["rank"] >= 0
        assert isinstance(e["torsion"], list)
    assert all(not e["torsion"] for e in entries)  # subsets of R^d, d <= 2: no torsion
    return [e["rank"] for e in entries]


@pytest.fixture(scope="module")
def example():
    return load_network(EXAMPLE)


@pytest.fixture(scope="module")
def example_report(example):
    return analyze(example, SQUARE)


# ---------------------------------------------------------------------------------------
# the bundled example: f(x, y) = 1/4 - | |x| + |y| - 1/2 |, s = |x| + |y|
# ---------------------------------------------------------------------------------------
def test_example_is_the_formula(example):
    assert example.architecture == (2, 4, 2, 1)
    for x, y in [(0, 0), (F(1, 3), F(-1, 5)), (-1, 1), (F(-3, 8), F(1, 8)), (F(1, 2), 0)]:
        s = abs(F(x)) + abs(F(y))
        assert example.forward([x, y]) == (F(1, 4) - abs(s - F(1, 2)),)


def test_example_regions_and_f_vector(example_report):
    rep = example_report
    # layer 1 cuts the square into 4 quadrants, layer 2 (s = 1/2) cuts each in two
    assert rep["n_regions"] == 8
    # vertices: 4 corners, 4 axis ends on the boundary, the origin, 4 diamond vertices;
    # edges: 8 on the boundary, 8 on the half-axes (each cut by the diamond), 4 diamond
    assert rep["f_vector"] == [13, 20, 8]
    assert rep["euler_characteristic"] == 13 - 20 + 8 == 1
    assert rep["input_dim"] == 2 and rep["architecture"] == [2, 4, 2, 1]
    assert rep["polytopo_version"] == polytopo.__version__
    assert rep["domain"] == {"A": [[-1, 0], [1, 0], [0, -1], [0, 1]], "b": [1, 1, 1, 1]}


def test_example_decision_sets_homology(example_report):
    hom = example_report["homology"]
    assert betti(hom["domain"]) == [1, 0, 0]  # the square
    # f >= 0  <=>  1/4 <= s <= 3/4: a closed ring (annulus)
    assert betti(hom["positive"]) == [1, 1, 0]
    # f <= 0  <=>  s <= 1/4 (a diamond) or s >= 3/4 (the square minus an open diamond)
    assert betti(hom["negative"]) == [2, 1, 0]
    # f = 0  <=>  s = 1/4 or s = 3/4: two disjoint closed curves
    assert betti(hom["zero"]) == [2, 2, 0]


def test_example_low_rank_set_is_the_whole_domain(example_report):
    low = example_report["low_rank"]
    # h_2 = (relu(s - 1/2), relu(1/2 - s)): on every region one coordinate is 0 and the
    # other has gradient (±1, ±1): rank 1 < 2 = d everywhere, so A = D
    assert (low["layer"], low["threshold"]) == (2, 2)
    assert low["n_regions"] == low["n_regions_total"] == 8
    assert exact(low["volume_fraction"]) == 1
    assert {e["rank"]: e["n_regions"] for e in low["rank_counts"]} == {1: 8}
    assert betti(low["homology"]) == [1, 0, 0]  # H(A ∩ M) = H(D)
    assert betti(low["relative_homology"]) == [0, 0, 0]  # H(D, D) = 0
    assert low["exact_sequence"]["checked"] and low["exact_sequence"]["exact"]
    man = example_report["manifold"]
    assert man["domain"] is True
    assert exact(man["volume"]) == 4 and betti(man["homology"]) == [1, 0, 0]


def test_example_threshold_zero_gives_an_empty_low_rank_set(example):
    rep = analyze(example, SQUARE, threshold=0)
    low = rep["low_rank"]
    assert low["n_regions"] == 0 and exact(low["volume_fraction"]) == 0
    assert betti(low["homology"]) == [0, 0, 0]  # H(∅) = 0
    assert betti(low["relative_homology"]) == [1, 0, 0]  # H(D, ∅) = H(D)
    assert low["exact_sequence"]["exact"]


def test_example_max_regions(example):
    # 8 regions; refining by f = 0 (the diamonds s = 1/4, s = 3/4) splits each in two
    with pytest.raises(LimitExceeded):
        analyze(example, SQUARE, max_regions=7)
    with pytest.raises(LimitExceeded, match="refining by the output"):
        analyze(example, SQUARE, max_regions=15)
    assert analyze(example, SQUARE, max_regions=16)["n_regions"] == 8


def test_example_progress_and_stages(example):
    calls, stages = [], []
    analyze(example, SQUARE, progress=lambda *a: calls.append(a),
            stages=lambda *a: stages.append(a))
    assert calls, "progress was never called"
    assert all(total == 6 for _, total, _ in calls)  # 6 hidden neurons
    assert [done for done, _, _ in calls] == sorted(done for done, _, _ in calls)
    assert calls[-1][0] == 6 and calls[-1][2] == 8
    # homology, refining by the output, three decision sets, the low-rank set
    assert [(i, n) for i, n, _ in stages] == [(i, 6) for i in range(6)]


def test_tiny_time_limit_stops(example):
    with pytest.raises(LimitExceeded, match="time limit"):
        analyze(example, SQUARE, time_limit=1e-9)


# ---------------------------------------------------------------------------------------
# small networks worked by hand
# ---------------------------------------------------------------------------------------
RELU_MINUS_HALF = Network.from_lists([([[1]], [0]), ([[1]], ["-1/2"])])  # relu(x) - 1/2


def test_relu_minus_half_on_the_interval():
    rep = analyze(RELU_MINUS_HALF, INTERVAL)
    assert rep["n_regions"] == 2  # [-1, 0] and [0, 1]
    assert rep["f_vector"] == [3, 2] and rep["euler_characteristic"] == 1
    hom = rep["homology"]
    assert betti(hom["domain"]) == [1, 0]
    assert betti(hom["positive"]) == [1, 0]  # [1/2, 1]
    assert betti(hom["negative"]) == [1, 0]  # [-1, 1/2]
    assert betti(hom["zero"]) == [1, 0]  # {1/2}
    low = rep["low_rank"]
    # rank of relu(x): 0 on [-1, 0], 1 on [0, 1]; threshold d = 1: A = [-1, 0]
    assert low["n_regions"] == 1 and exact(low["volume_fraction"]) == F(1, 2)
    assert betti(low["homology"]) == [1, 0]
    assert betti(low["relative_homology"]) == [0, 0]  # ([-1,1], [-1,0]) deformation retracts


def test_relu_minus_half_with_a_two_piece_manifold():
    M = [Polytope.box([-1], ["-1/2"]), Polytope.box(["1/2"], [1])]
    rep = analyze(RELU_MINUS_HALF, INTERVAL, manifold=M)
    man, low = rep["manifold"], rep["low_rank"]
    assert man["domain"] is False and man["n_pieces"] == 2
    assert exact(man["volume"]) == 1 and betti(man["homology"]) == [2, 0]
    # A ∩ M = [-1, -1/2]: one point up to homotopy, half of M's length
    assert low["n_regions_in_manifold"] == 1
    assert exact(low["manifold_volume_fraction"]) == F(1, 2)
    assert betti(low["homology"]) == [1, 0]
    # H_0(M, A ∩ M) = Z: the component [1/2, 1] is not in A
    assert betti(low["relative_homology"]) == [1, 0]
    assert betti(low["homology_in_domain"]) == [1, 0]  # H(A) = H([-1, 0])
    assert low["exact_sequence"]["exact"]


def test_manifold_missing_the_low_rank_set():
    rep = analyze(RELU_MINUS_HALF, INTERVAL, manifold=[Polytope.box(["1/2"], [1])])
    low = rep["low_rank"]
    assert low["n_regions_in_manifold"] == 0
    assert exact(low["manifold_volume_fraction"]) == 0
    assert betti(low["homology"]) == [0, 0]
    assert betti(low["relative_homology"]) == [1, 0]  # H(M, ∅) = H(M)


def test_empty_positive_set():
    # f = -relu(x) - relu(y) - 1 <= -1 everywhere
    net = Network.from_lists([([[1, 0], [0, 1]], [0, 0]), ([[-1, -1]], [-1])])
    hom = analyze(net, SQUARE)["homology"]
    assert betti(hom["positive"]) == [0, 0, 0] or betti(hom["positive"]) == []
    assert betti(hom["zero"]) == [0, 0, 0] or betti(hom["zero"]) == []
    assert betti(hom["negative"]) == [1, 0, 0]


ARRANGEMENT = Network.from_lists([([[1, 0], [0, 1], [1, 1]], [0, 0, "-1/2"]),
                                  ([[1, 1, 1]], [0])])
#: the regions of the lines x = 0, y = 0, x + y = 1/2 in the square, with pattern (signs of
#: x, y, x + y - 1/2), area and rank of the active rows (1, 0), (0, 1), (1, 1)
ARRANGEMENT_REGIONS = {
    "+++": (F(7, 8), 2),  # first quadrant above the line: 1 - 1/8
    "++-": (F(1, 8), 2),  # the triangle (0,0), (1/2,0), (0,1/2)
    "-++": (F(1, 8), 2),  # second quadrant: the triangle (-1/2,1), (0,1/2), (0,1)
    "-+-": (F(7, 8), 1),
    "+-+": (F(1, 8), 2),  # fourth quadrant, by symmetry
    "+--": (F(7, 8), 1),
    "---": (F(1), 0),  # third quadrant: x + y < 0 < 1/2, not cut
}


def test_three_lines_report():
    rep = analyze(ARRANGEMENT, SQUARE)
    # 3 lines in general position, all crossings inside: 1 + 3 + 3 regions
    assert rep["n_regions"] == 7
    # vertices: 4 corners + 6 line ends on the boundary + 3 crossings;
    # edges: 10 on the boundary + 3 on each line
    assert rep["f_vector"] == [13, 19, 7]
    hom = rep["homology"]
    # f = relu(x) + relu(y) + relu(x + y - 1/2) >= 0, = 0 exactly on [-1, 0]^2
    assert betti(hom["positive"]) == [1, 0, 0]
    assert betti(hom["negative"]) == [1, 0, 0]
    assert betti(hom["zero"]) == [1, 0, 0]
    low = rep["low_rank"]
    counts = {e["rank"]: e["n_regions"] for e in low["rank_counts"]}
    assert {r: n for r, n in counts.items() if r < 2} == {0: 1, 1: 2}
    assert counts.get(2, 4) == 4
    assert low["n_regions"] == 3
    assert exact(low["volume_fraction"]) == (1 + F(7, 8) + F(7, 8)) / 4 == F(11, 16)
    # A = {x <= 0 or y <= 0} ∩ {x + y <= 1/2}: star-shaped about (-1, -1)
    assert betti(low["homology"]) == [1, 0, 0]
    assert betti(low["relative_homology"]) == [0, 0, 0]


def test_affine_network_has_no_low_rank_part():
    net = Network.from_lists([([[1, 1]], ["-1/2"])])  # x + y - 1/2
    rep = analyze(net, SQUARE)
    assert rep["n_regions"] == 1 and rep["f_vector"] == [4, 4, 1]
    for which in ("positive", "negative", "zero"):  # half-squares and a segment
        assert betti(rep["homology"][which]) == [1, 0, 0]
    assert "low_rank" not in rep and "manifold" not in rep
    assert rep["computed"] == ["n_regions", "f_vector", "euler_characteristic", "homology"]
    text = summary(rep, source="affine.json")
    assert "not computed" in text and "low_rank" in text
    with pytest.raises(PointlessQuestion):
        analyze(net, SQUARE, threshold=1)
    with pytest.raises(PointlessQuestion):
        analyze(net, SQUARE, manifold=[SQUARE])


def test_vector_output_has_no_decision_sets():
    net = Network.from_lists([([[1, 0], [0, 1]], [0, 0]), ([[1, 0], [0, 1]], [0, 0])])
    rep = analyze(net, SQUARE)
    assert rep["n_regions"] == 4 and rep["f_vector"] == [9, 12, 4]
    assert set(rep["homology"]) == {"domain"}
    text = summary(rep, source="v.json")
    assert "{f >= 0}" not in text and "activation regions: 4" in text


# ---------------------------------------------------------------------------------------
# the report's keys (docs/formats.md, "Report")
# ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("net, domain", [
    (RELU_MINUS_HALF, INTERVAL),
    (ARRANGEMENT, SQUARE),
    (Network.from_lists([([[1, -1]], [0])]), SQUARE),
])
def test_report_keys_are_those_of_the_format(net, domain):
    rep = analyze(net, domain)
    for key in ("polytopo_version", "input_dim", "architecture", "n_regions", "computed"):
        assert key in rep
    assert "n_regions" in rep["computed"]
    for part in rep["computed"]:
        assert part in rep and rep[part] is not None
    for part in ("f_vector", "euler_characteristic", "homology", "low_rank", "manifold"):
        assert (part in rep) == (part in rep["computed"])  # absent, never a placeholder
    assert rep["architecture"] == list(net.architecture)
    json.dumps(rep, allow_nan=False)  # plain JSON


def test_analyze_refuses_bad_arguments():
    with pytest.raises(InputError):
        analyze(ARRANGEMENT, INTERVAL)  # a 1-D domain for a 2-input network
    with pytest.raises(InputError):
        analyze(ARRANGEMENT, SQUARE, exactness="sometimes")
    with pytest.raises((InputError, TypeError)):
        analyze(ARRANGEMENT, SQUARE, max_regions=0)


# ---------------------------------------------------------------------------------------
# homology_json
# ---------------------------------------------------------------------------------------
def test_homology_json_format():
    groups = [HomologyGroup(1), HomologyGroup(0), HomologyGroup(2, (2, 6)), HomologyGroup(0, (3,))]
    out = homology_json(groups)
    assert out == [{"rank": 1, "torsion": []}, {"rank": 0, "torsion": []},
                   {"rank": 2, "torsion": [2, 6]}, {"rank": 0, "torsion": [3]}]
    assert json.loads(json.dumps(out)) == out
    assert [HomologyGroup.from_json(e) for e in out] == groups
    assert homology_json([]) == []


# ---------------------------------------------------------------------------------------
# regions_report and regions_header
# ---------------------------------------------------------------------------------------
def test_regions_report_of_three_lines():
    rep = regions_report(ARRANGEMENT, SQUARE)
    assert rep["n_regions"] == len(rep["regions"]) == 7
    got = {r["pattern"]: (exact(r["volume"]), r["rank"]) for r in rep["regions"]}
    assert got == ARRANGEMENT_REGIONS
    patterns = [r["pattern"] for r in rep["regions"]]
    order = {"+": 0, "-": 1, "0": 2}  # canonical order, docs/definitions.md
    assert patterns == sorted(patterns, key=lambda p: [order[c] for c in p])
    for r in rep["regions"]:
        x = [exact(v) for v in r["interior_point"]]
        assert ARRANGEMENT.pattern(x) == r["pattern"]
        A, b = r["inequalities"]["A"], r["inequalities"]["b"]
        assert len(A) == len(b)
        for row, c in zip(A, b):
            assert all(isinstance(a, int) for a in row) and isinstance(c, int)
            assert sum(a * xi for a, xi in zip(row, x)) < c  # strictly interior
        P = Polytope.from_lists(A, b)
        assert P.volume() == exact(r["volume"])
    assert sum(got[p][0] for p in got) == 4


def test_regions_report_keys_and_header():
    rep = regions_report(RELU_MINUS_HALF, INTERVAL, volumes=False)
    head = regions_header(RELU_MINUS_HALF, INTERVAL, "complex")
    assert {k: rep[k] for k in head} == head
    assert head["polytopo_version"] == polytopo.__version__
    assert head["arithmetic"] == "exact rational"
    assert head["input_dim"] == 1
    D = Polytope.from_lists(head["domain"]["A"], head["domain"]["b"])
    assert sorted(D.vertices()) == [(-1,), (1,)]
    assert [r["volume"] for r in rep["regions"]] == [None, None]
    assert {r["pattern"] for r in rep["regions"]} == {"+", "-"}
    assert regions_header(RELU_MINUS_HALF, INTERVAL, "lp")["method"] != head["method"]
    with pytest.raises(InputError):
        regions_report(RELU_MINUS_HALF, INTERVAL, engine="simplex")


def _keys(obj):
    if isinstance(obj, dict):
        return set(obj) | {k for v in obj.values() for k in _keys(v)}
    if isinstance(obj, list):
        return {k for v in obj for k in _keys(v)}
    return set()


def _documented_regions_keys():
    text = (ROOT / "docs" / "formats.md").read_text(encoding="utf-8")
    section = text.split("## Regions file", 1)[1].split("##", 1)[0]
    block = section.split("```json", 1)[1].split("```", 1)[0]
    return set(re.findall(r'"(\w+)"\s*:', block))


def test_regions_report_has_the_documented_core_keys():
    rep = regions_report(ARRANGEMENT, SQUARE)
    core = {"n_regions", "regions", "pattern", "interior_point", "inequalities", "A", "b",
            "rank", "volume", "input_dim", "domain", "arithmetic", "polytopo_version"}
    assert core <= _documented_regions_keys()
    assert core <= _keys(rep)


def test_regions_report_has_every_documented_key():
    assert _documented_regions_keys() <= _keys(regions_report(ARRANGEMENT, SQUARE))


@given(st.integers(1, 2).flatmap(lambda d: st.tuples(
    networks(input_dim=d, max_layers=2, max_width=3), boxes(d, bound=2))))
def test_region_count_matches_brute_force(case):
    net, box = case
    rep = regions_report(net, box)
    expected = brute_force_patterns(net, box)  # one exact LP per sign vector
    assert rep["n_regions"] == len(expected) == len(rep["regions"])
    assert sorted(r["pattern"] for r in rep["regions"]) == sorted(expected)
    assert sum(exact(r["volume"]) for r in rep["regions"]) == box.volume()
    # the box's volume by hand: product of its side lengths
    side = 1
    for i in range(box.dim):
        side *= box.b[2 * i + 1] + box.b[2 * i]
    assert box.volume() == side


@given(st.integers(1, 2).flatmap(lambda d: st.tuples(
    networks(input_dim=d, max_layers=2, max_width=3), boxes(d, bound=2))))
def test_both_engines_agree_and_interior_points_are_interior(case):
    net, box = case
    a, b = regions_report(net, box), regions_report(net, box, engine="lp")
    strip = [{k: v for k, v in r.items() if k != "interior_point"} for r in a["regions"]]
    assert strip == [{k: v for k, v in r.items() if k != "interior_point"}
                     for r in b["regions"]]
    for r in a["regions"] + b["regions"]:
        x = [exact(v) for v in r["interior_point"]]
        assert net.pattern(x) == r["pattern"]
        assert box.contains(x, strict=True)


# ---------------------------------------------------------------------------------------
# summary
# ---------------------------------------------------------------------------------------
def test_summary_of_the_example(example_report):
    text = summary(example_report, source="example.json")
    assert "example.json" in text and polytopo.__version__ in text
    assert "activation regions: 8" in text
    assert "[13, 20, 8]" in text and "Euler characteristic: 1" in text
    assert "architecture 2-4-2-1" in text
    assert "H({f >= 0}) = Z, Z, 0" in text
    assert "H({f <= 0}) = Z^2, Z, 0" in text
    assert "H({f = 0}) = Z^2, Z^2, 0" in text
    assert "H(domain complex) = Z, 0, 0" in text
    assert "8 of 8 regions" in text
    assert "H(M, A ∩ M) = 0, 0, 0" in text


def test_summary_with_a_manifold():
    M = [Polytope.box([-1], ["-1/2"]), Polytope.box(["1/2"], [1])]
    text = summary(analyze(RELU_MINUS_HALF, INTERVAL, manifold=M), source="n.json")
    assert "activation regions: 2" in text
    assert "2 convex pieces" in text and "H(M) = Z^2, 0" in text
    assert "1 of 2 regions" in text and "volume fraction 1/2" in text
    assert "H(M, A ∩ M) = Z, 0" in text


def _without_volumes(rep):
    """The report with every volume entry set to None (what volumes=False gives)."""
    rep = json.loads(json.dumps(rep))
    for key in ("volume_fraction", "manifold_volume_fraction"):
        if key in rep.get("low_rank", {}):
            rep["low_rank"][key] = None
    if "manifold" in rep and "volume" in rep["manifold"]:
        rep["manifold"]["volume"] = None
    for c in rep.get("classes", []):
        c["volume_fraction"] = None
    return rep


@pytest.mark.parametrize("layers,manifold", [
    ([([[1, 0], [0, 1], [1, 1]], [0, 0, -1]), ([[1, -1, 1]], [0])], None),
    ([([[1, 0], [0, 1], [1, 1]], [0, 0, -1]), ([[1, -1, 1]], [0])],
     [Polytope.box([0, 0], [1, 1]), Polytope.box([-1, -1], [0, 0])]),
    ([([[1, 0], [0, 1]], [0, 0]), ([[1, -1], [-1, 1], [1, 1]], [0, 0, 0])], None),
])
def test_analyze_without_volumes_changes_only_the_volumes(layers, manifold):
    net = Network.from_lists(layers)
    D = Polytope.cube(2)
    full = analyze(net, D, manifold=manifold)
    fast = analyze(net, D, manifold=manifold, volumes=False)
    assert json.loads(json.dumps(fast)) == _without_volumes(full)
    assert fast["low_rank"]["volume_fraction"] is None
    assert full["low_rank"]["volume_fraction"] is not None
    with pytest.raises(InputError, match="volumes must be True or False"):
        analyze(net, D, volumes="no")

import json

import pytest

from polytopo.cli.app import main
from polytopo.network.model import Network
from polytopo.geometry.polytope import Polytope
from polytopo.analysis.reference import SCHEMA, compare, load_tool_regions, reference

# three lines through the origin and a fourth through two of the square's corners
NET = Network.from_lists([([[1, 0], [0, 1], [1, 1], [1, -1]], [0, 0, 0, 0]),
                          ([[1, -1, 1, -1]], [0])])


@pytest.fixture(scope="module")
def ref():
    return json.loads(json.dumps(reference(NET, Polytope.cube(2))))  # as read back from disk


def test_schema_and_exact_answers(ref):
    assert ref["schema"] == SCHEMA and ref["n_regions"] == 8
    assert ref["f_vector"] == [9, 16, 8] and ref["euler_characteristic"] == 1
    assert all(r["volume"] == "1/2" for r in ref["regions"])
    assert [r["volume"] for r in ref["float"]["regions"]] == [0.5] * 8


def test_float_view_agrees(ref):
    tool = [{"point": r["interior_point"], "pattern": r["pattern"]} for r in ref["float"]["regions"]]
    assert compare(ref, load_tool_regions(tool))["agrees"]


def test_comparer_finds_every_kind_of_error(ref):
    pts = [r["interior_point"] for r in ref["float"]["regions"]]
    pats = [r["pattern"] for r in ref["float"]["regions"]]
    tool = [
        {"point": pts[0]},                                      # fine
        {"point": pts[1]}, {"point": [p * 0.9 for p in pts[1]]},  # one region twice
        {"point": [0.0, 0.0]},                                  # a vertex: on a boundary
        {"pattern": "+-+-"},                                    # x>0>y with x<y: impossible
        {"point": [5.0, 5.0]},                                  # outside the domain
        {"point": pts[3], "pattern": pats[4]},                  # wrong pattern at its point
        {"inequalities": {"A": [[-1, 0], [0, -1], [1, 0], [0, 1]], "b": [0, 0, 1, 1]}},  # a quadrant
    ]
    res = compare(ref, load_tool_regions(tool))
    assert not res["agrees"]
    assert res["spurious"] == [4, 5]
    assert res["on_boundary"] == [3]
    assert res["duplicated"] == [pats[1]]
    assert res["wrong_pattern"] == [{"tool_region": 6, "claimed": pats[4], "exact": pats[3]}]
    (merged,) = res["merged"]
    assert merged["tool_region"] == 7 and len(merged["patterns"]) == 2  # the diagonal x = y cuts it
    assert set(res["missing"]) == set(pats) - {pats[0], pats[1], pats[3]} - set(merged["patterns"])


def test_cli_reference_and_compare(tmp_path, capsys):
    net = tmp_path / "net.json"
    net.write_text(json.dumps(NET.to_json()))
    refp = tmp_path / "ref.json"
    assert main(["reference", str(net), "--json", str(refp)]) == 0
    ref = json.loads(refp.read_text())
    good = tmp_path / "good.json"
    good.write_text(json.dumps([{"point": r["interior_point"]} for r in ref["float"]["regions"]]))
    assert main(["compare", str(refp), str(good)]) == 0
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps([{"point": r["interior_point"]} for r in ref["float"]["regions"][:-1]]))
    out = tmp_path / "res.json"
    assert main(["compare", str(refp), str(bad), "--json", str(out)]) == 1
    assert json.loads(out.read_text())["missing"] == [ref["regions"][-1]["pattern"]]
    assert main(["compare", str(net), str(bad)]) == 2        # not a reference file
    assert main(["compare", str(refp), str(net)]) == 2       # not a region list
